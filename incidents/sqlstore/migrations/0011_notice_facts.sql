-- What the notices say about an incident (P17): the team fills these in as
-- the facts develop; a notice with a fact missing cannot be approved.
ALTER TABLE incidents ADD COLUMN nature       TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN consequences TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN measures     TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN effects      TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN caused_by    TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN delay_reason TEXT NOT NULL DEFAULT '';
