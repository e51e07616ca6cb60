-- Obligations computed from the policy packs: what the deadline is, from
-- which clock, and whether a person approves the notice.
ALTER TABLE obligations ADD COLUMN deadline   TEXT    NOT NULL DEFAULT '';
ALTER TABLE obligations ADD COLUMN approval   INTEGER NOT NULL DEFAULT 1;
ALTER TABLE obligations ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE obligations ADD COLUMN decided_at INTEGER;
CREATE INDEX obligations_due ON obligations (due_at) WHERE state IN ('pending', 'drafted', 'approved');
