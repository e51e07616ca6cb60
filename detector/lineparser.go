package detector

import (
	"bytes"
	"slices"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/parse"
	"github.com/breachd/breachd/detector/scrape"
	"github.com/breachd/breachd/rules"
)

// LineParser turns the lines of a file or stdin source into rule events in
// the source's format, exactly as the detector does; breachd test and
// replay use it too. It is not safe for concurrent use.
type LineParser struct {
	syslog *parse.SyslogParser // nil unless format syslog
	record recordParser        // nil unless json, logfmt or regex
	// metrics is set for a scrape or promql source: a line is a sample in
	// the text exposition format (name{labels} value [timestamp]).
	metrics *configs.MetricsSource
	vals    [][]byte
	line    []byte
	// keepTimes keeps every timestamp a line gives as it is (replay),
	// instead of the time of reading when it is far from it.
	keepTimes bool
	timed     bool        // the last line had its own time
	auto      *autoParser // nil unless format auto
	// ipField is the index of the source's field named ip (json, logfmt,
	// regex), -1 when it has none: an IPv4-mapped value is given as its
	// IPv4 address, as every rule reports one.
	ipField int
}

// File tells the parser which file the next lines come from: a source in
// the auto format recognises each file's format. Other formats ignore it.
func (p *LineParser) File(path string) {
	if p.auto != nil {
		p.auto.setFile(path)
	}
}

// Format returns the format the lines of path are read in: the source's,
// or for the auto format the one recognised (or leading so far) in path,
// e.g. "auto: syslog".
func (p *LineParser) Format(src *configs.Source, path string) string {
	if p.auto == nil {
		return string(src.Format)
	}
	return "auto: " + p.auto.format(path).String()
}

// AutoFormat returns the format recognised in path (Undecided if no line
// of it was read); Undecided too unless the source's format is auto.
func (p *LineParser) AutoFormat(path string) AutoFormat {
	if p.auto == nil {
		return Undecided
	}
	return p.auto.format(path)
}

// OnChoose is called when the auto format has chosen a file's format.
func (p *LineParser) OnChoose(f func(path string, format AutoFormat)) {
	if p.auto != nil {
		p.auto.onChoose = f
	}
}

// KeepTimes makes the parser keep every timestamp a line gives, however
// far from the time of reading: breachd replay reads old logs, whose times
// are what windows must measure. The daemon, which reads as lines are
// written, replaces a time more than 5 minutes ahead or a year behind the
// time of reading (a wrong clock or a misparsed line).
func (p *LineParser) KeepTimes() { p.keepTimes = true }

// Timed reports whether the last line parsed carried a time of its own
// (else its event is timed by its reading).
func (p *LineParser) Timed() bool { return p.timed }

// stamp is the time an event of the line carries, own being the line's.
func (p *LineParser) stamp(own, now time.Time) time.Time {
	p.timed = true
	if p.keepTimes {
		return own
	}
	return eventTime(own, now)
}

// NewLineParser returns the parser of src's format.
func NewLineParser(src *configs.Source) *LineParser {
	p := &LineParser{metrics: src.Metrics, ipField: slices.Index(src.Fields(), "ip")}
	switch src.Format {
	case configs.FormatSyslog:
		p.syslog = &parse.SyslogParser{Location: src.Location}
	case configs.FormatJSON:
		st := src.Structured
		p.record = parse.NewJSON(st.MessageKeys, st.TimeKeys, st.Keys)
	case configs.FormatLogfmt:
		st := src.Structured
		p.record = parse.NewLogfmt(st.MessageKeys, st.TimeKeys, st.Keys)
	case configs.FormatRegex:
		p.record = parse.NewRegex(src.Structured.Pattern, src.Structured.TimeLayout, src.Location)
	case configs.FormatAuto:
		p.auto = newAutoParser(src)
	}
	return p
}

// Parse fills ev (whose Line is set, and Time is the time it was read) from
// the line in the source's format: message, fields, and the line's own time
// when it is sane. It returns false when the line does not parse; ev is then
// raw, with empty fields. ev's slices are valid until the next Parse.
func (p *LineParser) Parse(ev *rules.Event, now time.Time) bool {
	p.timed = false
	switch {
	case p.metrics != nil:
		samples, err := scrape.ParseText(bytes.NewReader(append(ev.Line, '\n')), nil, "", now)
		if err != nil || len(samples) != 1 {
			return false
		}
		p.line, p.vals = samples[0].Event(p.metrics.Labels, p.vals)
		ev.Line, ev.Fields = p.line, p.vals
		if !samples[0].Time.IsZero() {
			ev.Time = p.stamp(samples[0].Time, now)
		}
		return true
	case p.auto != nil:
		if f := p.auto.cur.format; f == AutoSyslog || f == AutoRFC5424 {
			// Chosen: as the syslog format.
			return p.parseSyslog(&p.auto.syslog, ev, now)
		}
		return p.auto.parse(p, ev, now)
	case p.syslog != nil:
		return p.parseSyslog(p.syslog, ev, now)
	case p.record != nil:
		r, ok := p.record.Parse(ev.Line)
		if !ok {
			return false
		}
		p.fromRecord(ev, r, r.Fields, now)
	}
	return true
}

// fromRecord fills ev from a parsed JSON, logfmt or regex line: fields,
// its message when it has one, its own time when it has one.
func (p *LineParser) fromRecord(ev *rules.Event, r parse.Record, fields [][]byte, now time.Time) {
	if p.ipField >= 0 && p.ipField < len(fields) {
		fields[p.ipField] = rules.UnmapIPv4(fields[p.ipField])
	}
	ev.Fields = fields
	if r.HasMessage {
		ev.Message = r.Message
		if ev.Message == nil {
			ev.Message = []byte{}
		}
	}
	if !r.Time.IsZero() {
		ev.Time = p.stamp(r.Time, now)
	}
}

// parseSyslog fills ev from a syslog line. A line with a timestamp but no
// tag is not parsed (it counts as a failure and rules see it whole, with
// empty fields), but it keeps its time.
func (p *LineParser) parseSyslog(sp *parse.SyslogParser, ev *rules.Event, now time.Time) bool {
	h, ok := sp.Parse(ev.Line, now)
	if ok {
		p.vals = append(p.vals[:0], h.Host, h.Program, h.PID)
		ev.Message, ev.Fields = h.Message, p.vals
	}
	if !h.Time.IsZero() {
		ev.Time = p.stamp(h.Time, now)
	}
	return ok
}

// recordParser parses structured lines: JSON, logfmt, regex.
type recordParser interface {
	Parse(line []byte) (parse.Record, bool)
}

// eventTime is the time an event carries: its own, unless that lies too far
// in the future or the past of the time it was read (a wrong clock or a
// misparsed timestamp).
func eventTime(own, read time.Time) time.Time {
	// Sub saturates, so a time far off either way compares right.
	if d := own.Sub(read); d <= maxSkew && d > -maxAge {
		return own
	}
	return read
}
