-- The state rules keep per group key (a threshold's window, a sequence's
-- attempt, when an absent rule last saw the key), so that an attack
-- half-way to a threshold is still caught after a restart. Written in the
-- same transaction as the positions of the lines that produced it; a row
-- is deleted when the key holds no state any more, so there are never more
-- rows per rule than its key cap (plus the changes of one batch of another
-- source, for a rule that reads several).
CREATE TABLE rule_state (
    rule  TEXT    NOT NULL, -- the rule's state key (rules.Rule.StateKey)
    key   TEXT    NOT NULL, -- the group key
    used  INTEGER NOT NULL, -- orders keys from least to most recently used
    state BLOB    NOT NULL,
    PRIMARY KEY (rule, key)
) WITHOUT ROWID;
