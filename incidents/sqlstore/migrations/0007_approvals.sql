-- Action runs that wait for a person: require_approval, or a rate limit or
-- the blast-radius cap reached. An approved run goes back to pending with
-- approved_by set, and runs without asking again.
ALTER TABLE action_runs ADD COLUMN approval_reason     TEXT    NOT NULL DEFAULT '';
ALTER TABLE action_runs ADD COLUMN approval_expires_at INTEGER;
ALTER TABLE action_runs ADD COLUMN approved_by         TEXT    NOT NULL DEFAULT '';
CREATE INDEX action_runs_awaiting ON action_runs (approval_expires_at) WHERE state = 'awaiting_approval';
