package incidents

import (
	"fmt"
	"time"
)

// Redaction is one redacted timeline entry as the retention check sees it:
// when it was written (covered by its hash) and when its content was
// emptied.
type Redaction struct {
	Row        int64
	Seq        int64
	At         time.Time
	RedactedAt time.Time
}

// RetentionPeriod is a retention period recorded as in force from From.
type RetentionPeriod struct {
	Period time.Duration
	From   time.Time
}

// RetentionAt is the period in force at t by history (oldest first): the
// longest recorded from t or before, and at least floor.
func RetentionAt(history []RetentionPeriod, floor time.Duration, t time.Time) time.Duration {
	p := floor
	for _, h := range history {
		if h.From.After(t) {
			break
		}
		p = max(p, h.Period)
	}
	return p
}

// CheckRedactions reports the first redaction, in rows' order, made before
// the entry was older than the retention in force then (by history, at
// least floor) or dated after now (a redaction cannot have happened later
// than the check): either means an entry was blanked that the retention
// still kept. rep is returned unchanged when every redaction is in order.
func CheckRedactions(rep ChainReport, rows []Redaction, history []RetentionPeriod, floor time.Duration, now time.Time) ChainReport {
	for _, r := range rows {
		retention := RetentionAt(history, floor, r.RedactedAt)
		var problem string
		switch {
		case r.RedactedAt.After(now):
			problem = fmt.Sprintf("%s entry %d (row %d) was redacted too early: its redaction is dated %s, later than now (%s); it was written %s",
				rep.Chain, r.Seq, r.Row, r.RedactedAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), r.At.UTC().Format(time.RFC3339))
		case r.RedactedAt.Sub(r.At) < retention:
			problem = fmt.Sprintf("%s entry %d (row %d) was redacted too early: written %s, redacted %s, before its retention of %s ran out (%s)",
				rep.Chain, r.Seq, r.Row, r.At.UTC().Format(time.RFC3339), r.RedactedAt.UTC().Format(time.RFC3339), FormatRetention(retention), r.At.Add(retention).UTC().Format(time.RFC3339))
		default:
			continue
		}
		rep.OK, rep.BadSeq, rep.BadRow, rep.Problem = false, r.Seq, r.Row, problem
		return rep
	}
	return rep
}

// FormatRetention writes a retention period in days, or years when whole.
func FormatRetention(d time.Duration) string {
	const day = 24 * time.Hour
	if d%(365*day) == 0 {
		return fmt.Sprintf("%dy", d/(365*day))
	}
	if d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	return d.String()
}
