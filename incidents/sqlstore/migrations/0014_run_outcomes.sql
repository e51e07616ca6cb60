-- A run's start is committed (synced) just before it acts: started_at. A
-- run found pending with started_at set after a restart may have acted;
-- unless its action is idempotent it becomes 'unknown' until a person
-- settles it (settled_by).
ALTER TABLE action_runs ADD COLUMN started_at INTEGER;
ALTER TABLE action_runs ADD COLUMN settled_by TEXT NOT NULL DEFAULT '';
CREATE INDEX action_runs_unknown ON action_runs (id) WHERE state = 'unknown';
