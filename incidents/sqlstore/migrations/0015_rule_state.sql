-- The state rules keep per group key (a threshold's window, a sequence's
-- attempt, when an absent rule last saw the key), so that an attack
-- half-way to a threshold is still caught after a restart. Written in the
-- same transaction as the positions of the lines that produced it; a row
-- is deleted when the rule drops the key, so there are never more rows per
-- rule than its key cap (plus the changes of one batch of another source,
-- for a sequence that reads several).
CREATE TABLE rule_state_rules (
    id   INTEGER PRIMARY KEY,
    rule TEXT    NOT NULL UNIQUE -- the rule's state key (rules.Rule.StateKey)
);
CREATE TABLE rule_state (
    rule_id INTEGER NOT NULL REFERENCES rule_state_rules (id),
    key     TEXT    NOT NULL, -- the group key
    used    INTEGER NOT NULL, -- orders keys from least to most recently used
    state   BLOB    NOT NULL,
    PRIMARY KEY (rule_id, key)
) WITHOUT ROWID;
