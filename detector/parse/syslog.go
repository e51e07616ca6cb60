package parse

import (
	"bytes"
	"time"
)

// Syslog is the header of a syslog file line. Every byte slice points into
// the parsed line.
type Syslog struct {
	// Time is when the line says it was logged. For the traditional
	// format, which has no year and no zone, the year is inferred and the
	// zone is the parser's.
	Time    time.Time
	Host    []byte
	Program []byte
	// PID is empty when the tag has none.
	PID     []byte
	Message []byte
}

// SyslogParser parses syslog file lines. It remembers the last
// timestamp it parsed, so it is not safe for concurrent use.
type SyslogParser struct {
	// Location is the zone of timestamps written without one; nil means
	// UTC.
	Location *time.Location
	stamps   stampCache
}

// stampCache remembers the last traditional timestamp and the year of
// the last reference time: successive lines mostly share their second,
// and building a time in a zone is most of a line's parsing.
type stampCache struct {
	loc *time.Location
	// year is the year of the reference time in loc, valid for reference
	// times from yearFrom to yearTo (Unix seconds).
	year             int
	yearFrom, yearTo int64
	// future is ref plus maxFuture, for the last reference time ref.
	ref, future time.Time
	stamp       [15]byte
	t           time.Time // stamp in year, without fraction
	// The stamp's fields: in another year they may name another day
	// (February 29).
	month                  time.Month
	day, hour, min, second int
}

// refYear returns the year of ref in loc.
func (c *stampCache) refYear(ref time.Time, loc *time.Location) int {
	if u := ref.Unix(); c.loc != loc || u < c.yearFrom || u >= c.yearTo {
		c.loc, c.t = loc, time.Time{}
		c.year = ref.In(loc).Year()
		c.yearFrom = time.Date(c.year, 1, 1, 0, 0, 0, 0, loc).Unix()
		c.yearTo = time.Date(c.year+1, 1, 1, 0, 0, 0, 0, loc).Unix()
	}
	return c.year
}

// maxFuture is how far ahead of the reference time an inferred year may put
// a traditional timestamp before the previous year is assumed instead.
const maxFuture = 24 * time.Hour

// Parse parses line. ref is the time the line was read: it supplies the
// year of traditional timestamps (the previous year when that would put the
// line more than a day in the future, as for a December line read in
// January). ok is false when line is not a syslog file line.
func (p *SyslogParser) Parse(line []byte, ref time.Time) (h Syslog, ok bool) {
	rest := line
	// An optional <PRI>.
	if len(rest) > 2 && rest[0] == '<' {
		i := 1
		for i < len(rest) && i <= 4 && isDigit(rest[i]) {
			i++
		}
		if i == 1 || i >= len(rest) || rest[i] != '>' {
			return h, false
		}
		rest = rest[i+1:]
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	var n int
	h.Time, n, ok = p.stamps.parseTraditional(rest, ref, loc)
	if !ok {
		h.Time, n, ok = parseRFC3339(rest)
		if !ok {
			return h, false
		}
	}
	rest = rest[n:]
	if len(rest) == 0 || rest[0] != ' ' {
		return h, false
	}
	rest = rest[1:]
	// Host.
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return h, false
	}
	h.Host, rest = rest[:sp], rest[sp+1:]
	// Tag: "program[pid]: " or "program: ". A line without a tag keeps the
	// rest as its message.
	h.Message = rest
	end := 0
	for end < len(rest) && rest[end] != ':' && rest[end] != '[' && rest[end] != ' ' {
		end++
	}
	if end == 0 || end == len(rest) {
		return h, true
	}
	prog := rest[:end]
	after := rest[end:]
	var pid []byte
	if after[0] == '[' {
		close := bytes.IndexByte(after, ']')
		if close < 0 {
			return h, true
		}
		pid, after = after[1:close], after[close+1:]
	}
	if len(after) == 0 || after[0] != ':' {
		return h, true
	}
	after = after[1:]
	if len(after) > 0 && after[0] == ' ' {
		after = after[1:]
	}
	h.Program, h.PID, h.Message = prog, pid, after
	return h, true
}

// monthNames holds the three-letter month names in order.
const monthNames = "JanFebMarAprMayJunJulAugSepOctNovDec"

// parseTraditional parses "Mmm dd hh:mm:ss" (day space-padded or not) and
// returns the bytes it used.
func (c *stampCache) parseTraditional(b []byte, ref time.Time, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 15 {
		return time.Time{}, 0, false
	}
	year := c.refYear(ref, loc)
	if !c.t.IsZero() && [15]byte(b[:15]) == c.stamp {
		return c.finish(b, c.t, ref, loc)
	}
	month := 0
	for i := 0; i < len(monthNames); i += 3 {
		if b[0] == monthNames[i] && b[1] == monthNames[i+1] && b[2] == monthNames[i+2] {
			month = i/3 + 1
			break
		}
	}
	if month == 0 || b[3] != ' ' {
		return time.Time{}, 0, false
	}
	var day int
	switch {
	case b[4] == ' ' && isDigit(b[5]):
		day = int(b[5] - '0')
	case isDigit(b[4]) && isDigit(b[5]):
		day = int(b[4]-'0')*10 + int(b[5]-'0')
	default:
		return time.Time{}, 0, false
	}
	if b[6] != ' ' || b[9] != ':' || b[12] != ':' {
		return time.Time{}, 0, false
	}
	hh, ok1 := two(b[7:9])
	mm, ok2 := two(b[10:12])
	ss, ok3 := two(b[13:15])
	if !ok1 || !ok2 || !ok3 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	c.stamp, c.t = [15]byte(b[:15]), time.Date(year, time.Month(month), day, hh, mm, ss, 0, loc)
	c.month, c.day, c.hour, c.min, c.second = time.Month(month), day, hh, mm, ss
	return c.finish(b, c.t, ref, loc)
}

// finish adds the fraction of a second that may follow the cached stamp
// b[:15] to t, its time in the reference year, and moves it to the
// previous year when it lies more than maxFuture ahead of ref.
func (c *stampCache) finish(b []byte, t, ref time.Time, loc *time.Location) (time.Time, int, bool) {
	n := 15
	nsec := 0
	if len(b) > n+1 && b[n] == '.' && isDigit(b[n+1]) {
		nsec, n = fraction(b, n+1)
		// time.Date finds the zone's offset from the whole seconds:
		// adding the fraction after gives the same time.
		t = t.Add(time.Duration(nsec))
	}
	if c.ref != ref {
		c.ref, c.future = ref, ref.Add(maxFuture)
	}
	if t.After(c.future) {
		t = time.Date(c.year-1, c.month, c.day, c.hour, c.min, c.second, nsec, loc)
	}
	return t, n, true
}

// parseRFC3339 parses "YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)".
func parseRFC3339(b []byte) (time.Time, int, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, 0, false
	}
	y1, ok1 := two(b[0:2])
	y2, ok2 := two(b[2:4])
	mo, ok3 := two(b[5:7])
	d, ok4 := two(b[8:10])
	hh, ok5 := two(b[11:13])
	mm, ok6 := two(b[14:16])
	ss, ok7 := two(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	n := 19
	nsec := 0
	if n < len(b) && b[n] == '.' {
		if n+1 >= len(b) || !isDigit(b[n+1]) {
			return time.Time{}, 0, false
		}
		nsec, n = fraction(b, n+1)
	}
	if n >= len(b) {
		return time.Time{}, 0, false
	}
	var offset int
	switch b[n] {
	case 'Z', 'z':
		n++
	case '+', '-':
		if n+6 > len(b) || b[n+3] != ':' {
			return time.Time{}, 0, false
		}
		oh, okh := two(b[n+1 : n+3])
		om, okm := two(b[n+4 : n+6])
		if !okh || !okm || oh > 23 || om > 59 {
			return time.Time{}, 0, false
		}
		offset = (oh*60 + om) * 60
		if b[n] == '-' {
			offset = -offset
		}
		n += 6
	default:
		return time.Time{}, 0, false
	}
	t := time.Date(y1*100+y2, time.Month(mo), d, hh, mm, ss, nsec, time.UTC).Add(-time.Duration(offset) * time.Second)
	return t, n, true
}

// fraction parses the digits of a fractional second starting at i and
// returns nanoseconds and the index after the digits.
func fraction(b []byte, i int) (int, int) {
	nsec, digits := 0, 0
	for i < len(b) && isDigit(b[i]) {
		if digits < 9 {
			nsec = nsec*10 + int(b[i]-'0')
			digits++
		}
		i++
	}
	for ; digits < 9; digits++ {
		nsec *= 10
	}
	return nsec, i
}

func two(b []byte) (int, bool) {
	if !isDigit(b[0]) || !isDigit(b[1]) {
		return 0, false
	}
	return int(b[0]-'0')*10 + int(b[1]-'0'), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
