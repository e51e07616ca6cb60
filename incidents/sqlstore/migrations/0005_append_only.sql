-- The timeline and the register are append-only. A purge may empty a
-- timeline entry's content (keeping its hashes); nothing else may change
-- or delete an entry. These guards stop mistakes; the hash chain exposes
-- whoever removes them.
CREATE UNIQUE INDEX timeline_seq ON timeline (seq);
CREATE UNIQUE INDEX register_seq ON register (seq);

CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only: add a correction instead');
END;

CREATE TRIGGER timeline_only_redact BEFORE UPDATE ON timeline
WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
          AND NEW.id = OLD.id AND NEW.seq = OLD.seq AND NEW.incident_id = OLD.incident_id AND NEW.at = OLD.at
          AND NEW.kind = OLD.kind AND NEW.content_hash = OLD.content_hash
          AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
          AND NEW.actor = OLD.actor AND NEW.message = '' AND NEW.data = '{}')
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only: add a correction instead');
END;

CREATE TRIGGER register_no_delete BEFORE DELETE ON register
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only and kept permanently: add a correction instead');
END;

CREATE TRIGGER register_no_update BEFORE UPDATE ON register
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only and kept permanently: add a correction instead');
END;
