-- Lasting containments (blocks, locks) with their TTL, so that they are
-- reverted on time across restarts, re-applied after someone flushed them,
-- and escalated for repeat offenders. One active row per (action, target):
-- a repeat extends it.
CREATE TABLE containments (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES action_runs (id),
    incident_id   INTEGER NOT NULL REFERENCES incidents (id),
    action        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    offense       INTEGER NOT NULL,
    applied_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'active',
    ended_at      INTEGER,
    end_reason    TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX containments_active ON containments (action, target) WHERE state = 'active';
CREATE INDEX containments_due ON containments (expires_at) WHERE state = 'active';
CREATE INDEX containments_history ON containments (action, target, id);
CREATE INDEX containments_incident ON containments (incident_id, id);
