CREATE TABLE incidents (
    id            INTEGER PRIMARY KEY,
    fingerprint   TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    group_key     TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    fields        TEXT    NOT NULL,
    evidence      TEXT    NOT NULL,
    finding_count INTEGER NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    detected_at   INTEGER NOT NULL
);

-- One active incident per fingerprint.
CREATE UNIQUE INDEX incidents_active_fingerprint ON incidents (fingerprint)
    WHERE status NOT IN ('closed', 'false_positive');

CREATE TABLE timeline (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    message     TEXT    NOT NULL
);
CREATE INDEX timeline_incident ON timeline (incident_id, id);

CREATE TABLE action_runs (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    action      TEXT    NOT NULL,
    fields      TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    result      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    finished_at INTEGER,
    UNIQUE (incident_id, action)
);
CREATE INDEX action_runs_pending ON action_runs (id) WHERE state = 'pending';
