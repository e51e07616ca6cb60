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
	n           int       // the stamp's length: 15, or 14 for an unpadded day
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
// January).
//
// ok is true when the line has a timestamp and a tag (program[pid]: or
// program:), with or without a host before the tag. When ok is false but
// h.Time is not zero, the line starts with a timestamp the parser read but
// the rest is not a header it understands (no tag): h.Time is the line's
// time, h.Host the word after the timestamp if any, and h.Message what
// follows it. An RFC 5424 line ("<PRI>1 ...") is ok even with "-" for its
// fields; its Time is zero when its timestamp is "-".
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
		if len(rest) > 1 && rest[0] == '1' && rest[1] == ' ' {
			return parse5424(rest[2:])
		}
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	var n int
	// noHost: a stamp no syslog daemon writes, so no host follows it (an
	// ISO 8601 stamp with a space for the T, a multilog TAI64N label).
	noHost := false
	if len(rest) > 0 && rest[0] == '@' {
		h.Time, n, ok = parseTAI64N(rest)
		if !ok {
			return h, false
		}
		noHost = true
	} else if h.Time, n, ok = p.stamps.parseTraditional(rest, ref, loc); !ok {
		h.Time, n, ok = parseISO(rest, loc)
		if !ok {
			return h, false
		}
		noHost = rest[10] == ' '
	}
	rest = rest[n:]
	if len(rest) == 0 || rest[0] != ' ' {
		return Syslog{}, false
	}
	rest = rest[1:]
	// BSD syslogd -v writes the facility and level before the host:
	// "<auth.info> " (fail2ban's common.conf, __bsd_syslog_verbose).
	if len(rest) > 0 && rest[0] == '<' {
		if gt := bytes.IndexByte(rest, '>'); gt > 0 && gt+1 < len(rest) && rest[gt+1] == ' ' && isFacilityLevel(rest[1:gt]) {
			rest = rest[gt+2:]
		}
	}
	// Without a host, the tag comes first: "sshd[8148]: ...". A host
	// name never ends in a colon (an IPv6 address may hold colons, but
	// a tag has none before its own), so a first word that ends in a
	// colon is the tag.
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 {
		sp = len(rest)
	}
	if sp > 1 && rest[sp-1] == ':' {
		if prog, pid, after, found := tag(rest[:sp]); found && len(after) == 0 {
			msg := rest[sp:]
			if len(msg) > 0 {
				msg = msg[1:]
			}
			h.Program, h.PID, h.Message = prog, pid, msg
			if len(msg) > 0 && msg[0] == '[' {
				h.Message = stripMessageID(msg)
			}
			return h, true
		}
	}
	// "[sshd] message": a bracketed program without the colon (fail2ban's
	// sshd sample, gh-267). A host name is never bracketed, and a
	// bracketed number is a pid (PostgreSQL's "[4242]").
	if !noHost && sp > 2 && rest[0] == '[' && rest[sp-1] == ']' && !bytes.ContainsAny(rest[1:sp-1], ":[] ") && len(bytes.Trim(rest[1:sp-1], "0123456789")) > 0 {
		h.Program, h.Message = rest[1:sp-1], rest[min(sp+1, len(rest)):]
		return h, true
	}
	// No syslog daemon writes "YYYY-MM-DD hh:mm:ss host tag:"; programs
	// writing their own files with such stamps (dovecot) write no host,
	// and a line like "2026-01-29 09:33:58,123 INFO root: x" (Python's
	// logging) has a level where a host would be.
	if sp == 0 || sp == len(rest) || noHost {
		h.Message = rest
		return h, false
	}
	// Host.
	h.Host, rest = rest[:sp], rest[sp+1:]
	h.Message = rest
	// The common tag, "program[pid]: " or "program: ", here rather than
	// in tag (which is not inlined): it is most lines.
	end := 0
	for end < len(rest) && rest[end] != ':' && rest[end] != '[' && rest[end] != ']' && rest[end] != ' ' {
		end++
	}
	if end > 0 && end < len(rest) {
		after := rest[end:]
		var pid []byte
		if after[0] == '[' {
			if close := bytes.IndexByte(after, ']'); close > 0 {
				pid, after = after[1:close], after[close+1:]
			}
		}
		if len(after) > 0 && after[0] == ':' {
			prog := rest[:end]
			if pid == nil && prog[len(prog)-1] == ')' {
				prog, pid = splitParenPID(prog)
			}
			after = after[1:]
			if len(after) > 0 && after[0] == ' ' {
				after = after[1:]
			}
			h.Program, h.PID, h.Message = prog, pid, after
			if len(after) > 0 && after[0] == '[' {
				h.Message = stripMessageID(after)
			}
			return h, true
		}
	}
	prog, pid, msg, found := tag(rest)
	if !found {
		// busybox syslogd writes the facility and level between the
		// host and the tag unless started with -S (syslogd.c: "%s %.64s
		// %s %s\n", timestamp, hostname, fac.prio, msg).
		if sp := bytes.IndexByte(rest, ' '); sp > 0 && isFacilityLevel(rest[:sp]) {
			prog, pid, msg, found = tag(rest[sp+1:])
		}
		if !found {
			return h, false
		}
	}
	h.Program, h.PID, h.Message = prog, pid, msg
	if len(msg) > 0 && msg[0] == '[' {
		h.Message = stripMessageID(msg)
	}
	return h, true
}

// tag parses the tag at the start of b: "program[pid]: ", "program: ",
// "[program]: " (fail2ban's common.conf lists "[sshd]") or dovecot's
// "name(pid): " (its own log file: "auth-worker(4521): "). A program is
// any run of bytes without a space, colon or bracket. The message is what
// follows the colon and one space.
func tag(b []byte) (prog, pid, msg []byte, ok bool) {
	if len(b) == 0 {
		return nil, nil, nil, false
	}
	i := 0
	bracketed := b[0] == '['
	if bracketed {
		i = 1
	}
	for i < len(b) && b[i] != ':' && b[i] != '[' && b[i] != ']' && b[i] != ' ' {
		i++
	}
	if bracketed {
		if i >= len(b) || b[i] != ']' {
			return nil, nil, nil, false
		}
		prog = b[1:i]
		i++
	} else {
		prog = b[:i]
	}
	if len(prog) == 0 || i >= len(b) {
		return nil, nil, nil, false
	}
	if !bracketed && b[i] == '[' {
		close := bytes.IndexByte(b[i:], ']')
		if close < 0 {
			return nil, nil, nil, false
		}
		pid = b[i+1 : i+close]
		i += close + 1
	}
	if i >= len(b) || b[i] != ':' {
		return nil, nil, nil, false
	}
	i++
	if pid == nil && prog[len(prog)-1] == ')' {
		prog, pid = splitParenPID(prog)
	}
	if i < len(b) && b[i] == ' ' {
		i++
	}
	return prog, pid, b[i:], true
}

// splitParenPID splits dovecot's "auth-worker(4521)" into its name and
// process id; any other program is returned whole.
func splitParenPID(prog []byte) ([]byte, []byte) {
	if len(prog) < 4 || prog[len(prog)-1] != ')' {
		return prog, nil
	}
	open := bytes.LastIndexByte(prog, '(')
	if open <= 0 || open+2 > len(prog)-1 {
		return prog, nil
	}
	for _, c := range prog[open+1 : len(prog)-1] {
		if !isDigit(c) {
			return prog, nil
		}
	}
	return prog[:open], prog[open+1 : len(prog)-1]
}

// isFacilityLevel reports whether b is "facility.level" ("auth.info",
// "authpriv.notice", "local7.debug"), as BSD syslogd -v and busybox
// syslogd write them.
func isFacilityLevel(b []byte) bool {
	dot := bytes.IndexByte(b, '.')
	if dot <= 0 || dot == len(b)-1 || len(b) > 20 {
		return false
	}
	for i, c := range b {
		if i != dot && !(c >= 'a' && c <= 'z' || isDigit(c)) {
			return false
		}
	}
	return true
}

// stripMessageID removes the message ID that Solaris and illumos syslogd
// put after the tag ("sshd[7]: [ID 800047 auth.info] Failed ..."; fail2ban's
// common.conf, __daemon_extra_re).
func stripMessageID(msg []byte) []byte {
	if len(msg) < 8 || msg[0] != '[' || msg[1] != 'I' || msg[2] != 'D' || msg[3] != ' ' {
		return msg
	}
	i := 4
	for i < len(msg) && isDigit(msg[i]) {
		i++
	}
	if i == 4 || i >= len(msg) || msg[i] != ' ' {
		return msg
	}
	close := bytes.IndexByte(msg[i:], ']')
	if close < 0 || !isFacilityLevel(msg[i+1:i+close]) {
		return msg
	}
	msg = msg[i+close+1:]
	if len(msg) > 0 && msg[0] == ' ' {
		msg = msg[1:]
	}
	return msg
}

// monthNames holds the three-letter month names in order.
const monthNames = "JanFebMarAprMayJunJulAugSepOctNovDec"

// parseTraditional parses "Mmm dd hh:mm:ss" (day space-padded, zero-padded
// or not padded: "Jun  7", "Jun 07", "Jun 7") and returns the bytes it used.
func (c *stampCache) parseTraditional(b []byte, ref time.Time, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 15 {
		return time.Time{}, 0, false
	}
	year := c.refYear(ref, loc)
	// The cache key is the first 15 bytes: the stamp, and for an unpadded
	// day the byte after it, which does not change its length.
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
	var day, n int
	switch {
	case b[4] == ' ' && isDigit(b[5]):
		day, n = int(b[5]-'0'), 15
	case isDigit(b[4]) && isDigit(b[5]):
		day, n = int(b[4]-'0')*10+int(b[5]-'0'), 15
	case isDigit(b[4]) && b[5] == ' ':
		day, n = int(b[4]-'0'), 14
	default:
		return time.Time{}, 0, false
	}
	clock := b[n-8 : n]
	if b[n-9] != ' ' || clock[2] != ':' || clock[5] != ':' {
		return time.Time{}, 0, false
	}
	hh, ok1 := two(clock[0:2])
	mm, ok2 := two(clock[3:5])
	ss, ok3 := two(clock[6:8])
	if !ok1 || !ok2 || !ok3 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	c.stamp, c.n, c.t = [15]byte(b[:15]), n, time.Date(year, time.Month(month), day, hh, mm, ss, 0, loc)
	c.month, c.day, c.hour, c.min, c.second = time.Month(month), day, hh, mm, ss
	return c.finish(b, c.t, ref, loc)
}

// finish adds the fraction of a second that may follow the cached stamp
// b[:c.n] to t, its time in the reference year, and moves it to the
// previous year when it lies more than maxFuture ahead of ref.
func (c *stampCache) finish(b []byte, t, ref time.Time, loc *time.Location) (time.Time, int, bool) {
	n := c.n
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

// parseISO parses the ISO 8601 stamps syslog daemons and programs write:
// "YYYY-MM-DDThh:mm:ss" or with a space for the T (dovecot's log_timestamp
// "%Y-%m-%d %H:%M:%S ", PostgreSQL's %m), an optional fraction after a dot
// or a comma (Python's logging), and an optional zone: Z, ±hh:mm (RFC 3339,
// rsyslog's RSYSLOG_FileFormat) or ±hhmm (journalctl -o short-iso before
// systemd 254, strftime's %z) or " UTC" / " GMT" (PostgreSQL's %m).
// Without a zone the time is in loc. A year before 1970 is not a log's.
func parseISO(b []byte, loc *time.Location) (time.Time, int, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, 0, false
	}
	y1, ok1 := two(b[0:2])
	y2, ok2 := two(b[2:4])
	mo, ok3 := two(b[5:7])
	d, ok4 := two(b[8:10])
	hh, ok5 := two(b[11:13])
	mm, ok6 := two(b[14:16])
	ss, ok7 := two(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || y1*100+y2 < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, 0, false
	}
	n := 19
	nsec := 0
	if n+1 < len(b) && (b[n] == '.' || b[n] == ',') && isDigit(b[n+1]) {
		nsec, n = fraction(b, n+1)
	}
	if n >= len(b) {
		return time.Date(y1*100+y2, time.Month(mo), d, hh, mm, ss, nsec, loc), n, true
	}
	// PostgreSQL's %m writes the zone's abbreviation after a space; UTC
	// and GMT are the only ones that name one zone.
	if b[n] == ' ' && n+4 <= len(b) && (string(b[n+1:n+4]) == "UTC" || string(b[n+1:n+4]) == "GMT") && (n+4 == len(b) || b[n+4] == ' ') {
		return time.Date(y1*100+y2, time.Month(mo), d, hh, mm, ss, nsec, time.UTC), n + 4, true
	}
	offset := 0
	switch b[n] {
	case 'Z', 'z':
		n++
	case '+', '-':
		if n+3 > len(b) {
			return time.Time{}, 0, false
		}
		oh, okh := two(b[n+1 : n+3])
		m := n + 3
		if m < len(b) && b[m] == ':' {
			m++
		}
		if m+2 > len(b) {
			return time.Time{}, 0, false
		}
		om, okm := two(b[m : m+2])
		if !okh || !okm || oh > 23 || om > 59 {
			return time.Time{}, 0, false
		}
		offset = (oh*60 + om) * 60
		if b[n] == '-' {
			offset = -offset
		}
		n = m + 2
	default:
		return time.Date(y1*100+y2, time.Month(mo), d, hh, mm, ss, nsec, loc), n, true
	}
	t := time.Date(y1*100+y2, time.Month(mo), d, hh, mm, ss, nsec, time.UTC).Add(-time.Duration(offset) * time.Second)
	return t, n, true
}

// tai64Epoch is the TAI64 label of 1970-01-01 00:00:00 UTC as daemontools
// writes it: 2^62 plus the 10 s TAI was ahead of UTC in 1970. multilog's
// and svlogd's "@" stamps are the system clock plus this constant (libtai
// tai_now(): 4611686018427387914 + time(NULL)); tai64nlocal subtracts the
// same, so do we. (fail2ban's DateTai64n drops only 2^62: its times are
// 10 s late.)
const tai64Epoch = 1<<62 + 10

// parseTAI64N parses the "@" stamp daemontools' multilog (and runit's
// svlogd -t, s6-log t) writes before each line: "@" and 24 hex digits, 16
// of the TAI64 label (seconds) and 8 of nanoseconds. The time is UTC.
func parseTAI64N(b []byte) (time.Time, int, bool) {
	if len(b) < 25 || b[0] != '@' {
		return time.Time{}, 0, false
	}
	var secs, nsec uint64
	for i := 1; i < 25; i++ {
		c := b[i]
		var v uint64
		switch {
		case c >= '0' && c <= '9':
			v = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			v = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = uint64(c-'A') + 10
		default:
			return time.Time{}, 0, false
		}
		if i <= 16 {
			secs = secs<<4 | v
		} else {
			nsec = nsec<<4 | v
		}
	}
	// Before 1970 or past year 9999 (labels below 2^62 are before TAI's
	// origin), or a nanosecond count of a second or more: not a log's.
	const maxUnix = 253402300799 // 9999-12-31T23:59:59Z
	if secs < tai64Epoch || secs-tai64Epoch > maxUnix || nsec >= 1e9 {
		return time.Time{}, 0, false
	}
	return time.Unix(int64(secs-tai64Epoch), int64(nsec)).UTC(), 25, true
}

// parse5424 parses the rest of an RFC 5424 line after "<PRI>1 ": TIMESTAMP
// HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], as rsyslog's
// RSYSLOG_SyslogProtocol23Format and syslog-ng's syslog-protocol flag
// write them to files. "-" leaves a field empty (and Time zero); the
// structured data is skipped; a UTF-8 BOM before the message is dropped.
func parse5424(b []byte) (h Syslog, ok bool) {
	var f [5][]byte
	for i := range f {
		sp := bytes.IndexByte(b, ' ')
		if sp <= 0 {
			return Syslog{}, false
		}
		f[i], b = b[:sp], b[sp+1:]
	}
	if string(f[0]) != "-" {
		t, n, ok := parseRFC3339(f[0])
		if !ok || n != len(f[0]) {
			return Syslog{}, false
		}
		h.Time = t
	}
	nilDash := func(v []byte) []byte {
		if len(v) == 1 && v[0] == '-' {
			return nil
		}
		return v
	}
	h.Host, h.Program, h.PID = nilDash(f[1]), nilDash(f[2]), nilDash(f[3])
	// STRUCTURED-DATA: "-" or one or more [id param="value" ...], where a
	// value may hold \", \\ and \].
	switch {
	case len(b) > 0 && b[0] == '-':
		b = b[1:]
	case len(b) > 0 && b[0] == '[':
		i, quoted := 0, false
		for {
			if i >= len(b) {
				return Syslog{}, false
			}
			switch c := b[i]; {
			case c == '\\' && quoted:
				i++
			case c == '"':
				quoted = !quoted
			case c == ']' && !quoted:
				if i+1 >= len(b) || b[i+1] != '[' {
					b = b[i+1:]
					goto msg
				}
			}
			i++
		}
	default:
		return Syslog{}, false
	}
msg:
	switch {
	case len(b) == 0:
	case b[0] == ' ':
		b = b[1:]
		if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			b = b[3:]
		}
	default:
		return Syslog{}, false
	}
	h.Message = b[:len(b):len(b)]
	return h, true
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
