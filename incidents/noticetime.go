package incidents

import "time"

// A notice's dates are in the organisation's time zone (time_zone), named
// on each: a breach just before midnight in Chicago happened on another
// day in UTC, and a reader must not have to guess which.

// noticeDate is t's date in loc, with the zone named: "23 November 2026
// (America/Chicago)".
func noticeDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 January 2006") + " (" + zoneName(loc) + ")"
}

// noticeTime is t's date and time in loc, with the zone's abbreviation and
// name: "2026-11-23 22:00 CST (America/Chicago)", "2026-11-24 04:00 UTC".
func noticeTime(t time.Time, loc *time.Location, layout string) string {
	s := t.In(loc).Format(layout)
	if abbr, _ := t.In(loc).Zone(); abbr != zoneName(loc) {
		s += " (" + zoneName(loc) + ")"
	}
	return s
}

func zoneName(loc *time.Location) string {
	if loc == nil || loc.String() == "" {
		return "UTC"
	}
	return loc.String()
}
