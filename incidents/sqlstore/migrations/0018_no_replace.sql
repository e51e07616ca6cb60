-- INSERT OR REPLACE deletes the row it conflicts with without firing the
-- delete triggers (SQLite's recursive_triggers is off by default), so it
-- could rewrite an entry of the append-only records in place. An insert
-- naming a row that exists is refused, whatever its conflict clause; the
-- store's own inserts always take new ids.
CREATE TRIGGER timeline_no_replace BEFORE INSERT ON timeline
WHEN EXISTS (SELECT 1 FROM timeline WHERE id = NEW.id OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only: an entry cannot be replaced');
END;

CREATE TRIGGER register_no_replace BEFORE INSERT ON register
WHEN EXISTS (SELECT 1 FROM register WHERE id = NEW.id OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: an entry cannot be replaced');
END;

CREATE TRIGGER retention_no_replace BEFORE INSERT ON retention
WHEN EXISTS (SELECT 1 FROM retention WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never replaced');
END;
