-- What a revert needs to restore (an account's previous expiry date).
ALTER TABLE containments ADD COLUMN undo TEXT NOT NULL DEFAULT '';
