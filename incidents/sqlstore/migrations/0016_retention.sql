-- Retention in the database: a timeline entry may be redacted only once it
-- is older than the timeline's retention, and never at a time still to
-- come. Every purge records the configured retention here first, as a new
-- row when it is longer than the one in force: the rows are the history
-- of the period (append-only; each row longer than the last), so verify
-- checks each redaction against the period in force when it was made. The
-- register has no row: it is kept permanently. Periods are in nanoseconds;
-- a year is the least (configs.MinRetention).
CREATE TABLE retention (
    id     INTEGER PRIMARY KEY,
    record TEXT    NOT NULL,
    period INTEGER NOT NULL,
    set_at INTEGER NOT NULL
);

CREATE TRIGGER retention_only_lengthen BEFORE INSERT ON retention
WHEN NEW.record != 'timeline' OR typeof(NEW.period) != 'integer' OR typeof(NEW.set_at) != 'integer'
    OR NEW.period < 31536000000000000
    OR NEW.period <= coalesce((SELECT max(period) FROM retention WHERE record = NEW.record), 0)
    OR NEW.set_at < coalesce((SELECT max(set_at) FROM retention WHERE record = NEW.record), 0)
    OR NEW.set_at > CAST((unixepoch('now', 'subsec') + 60) * 1000000000 AS INTEGER)
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never shortened: only the timeline has one, of at least a year, each longer than the last and set now');
END;

CREATE TRIGGER retention_no_delete BEFORE DELETE ON retention
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never removed');
END;

CREATE TRIGGER retention_no_update BEFORE UPDATE ON retention
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never shortened: its records are append-only');
END;

-- Allowed: redacted_at no later than now (a minute's leeway for the two
-- clocks) and at least the longest recorded period after the entry was
-- written. With no period recorded nothing may be redacted (the
-- comparison with no period is NULL, taken as false).
CREATE TRIGGER timeline_redact_after_retention BEFORE UPDATE ON timeline
WHEN NEW.redacted_at IS NOT NULL AND NOT (
    NEW.redacted_at <= CAST((unixepoch('now', 'subsec') + 60) * 1000000000 AS INTEGER)
    AND coalesce(OLD.at + (SELECT max(period) FROM retention WHERE record = 'timeline') <= NEW.redacted_at, 0))
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only: an entry may be redacted only once it is older than the retention recorded in table retention');
END;
