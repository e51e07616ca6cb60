-- Retention in the database: a timeline entry may be redacted only once it
-- is older than the timeline's retention, as recorded here, and never at a
-- time still to come. The daemon records the configured retention with
-- every purge; a recorded period can be lengthened, never shortened or
-- removed, so a period once in force cannot be lowered to blank recent
-- entries. The register has no row: it is kept permanently. Periods are in
-- nanoseconds; a year is the least (configs.MinRetention).
CREATE TABLE retention (
    record TEXT PRIMARY KEY,
    period INTEGER NOT NULL,
    set_at INTEGER NOT NULL
);

CREATE TRIGGER retention_floor BEFORE INSERT ON retention
WHEN NEW.record != 'timeline' OR NEW.period < 31536000000000000
BEGIN
    SELECT RAISE(ABORT, 'retention: only the timeline has a retention, of at least a year');
END;

CREATE TRIGGER retention_no_delete BEFORE DELETE ON retention
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never removed');
END;

CREATE TRIGGER retention_only_lengthen BEFORE UPDATE ON retention
WHEN NEW.record != OLD.record OR NEW.period < OLD.period
BEGIN
    SELECT RAISE(ABORT, 'a retention period can be lengthened, never shortened');
END;

-- Allowed: redacted_at no later than now (a minute's leeway for the two
-- clocks) and at least the recorded period after the entry was written.
-- With no period recorded nothing may be redacted.
CREATE TRIGGER timeline_redact_after_retention BEFORE UPDATE ON timeline
WHEN NEW.redacted_at IS NOT NULL AND NOT (
    NEW.redacted_at <= CAST((unixepoch('now', 'subsec') + 60) * 1000000000 AS INTEGER)
    AND EXISTS (SELECT 1 FROM retention WHERE record = 'timeline' AND OLD.at + period <= NEW.redacted_at))
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only: an entry may be redacted only once it is older than the retention recorded in table retention');
END;
