package detector

import (
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/detector/parse"
	"github.com/breachd/breachd/rules"
)

// AutoFormat is the format the auto format recognised in a file.
type AutoFormat uint8

// The formats auto recognises. Undecided is a file whose first lines have
// not yet shown its format.
const (
	Undecided AutoFormat = iota
	// AutoSyslog: a syslog header, "Mmm dd hh:mm:ss" or an ISO 8601
	// stamp, then a host or not, then a tag, with or without <PRI>.
	AutoSyslog
	// AutoRFC5424: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG".
	AutoRFC5424
	// AutoTimestamp: a line that starts with a time (ISO 8601, or
	// "Mmm dd hh:mm:ss") and has no syslog tag: the time is the line's,
	// and rules match the whole line.
	AutoTimestamp
	AutoJSON
	AutoLogfmt
	// AutoRaw: none of the above; lines are timed by their reading.
	AutoRaw
	numAutoFormats
)

var autoNames = [numAutoFormats]string{"undecided", "syslog", "rfc5424", "timestamp", "json", "logfmt", "raw"}

func (f AutoFormat) String() string {
	if f < numAutoFormats {
		return autoNames[f]
	}
	return "unknown"
}

// Timed reports whether lines in the format carry their own time.
func (f AutoFormat) Timed() bool { return f != AutoRaw && f != Undecided }

// How a file's format is chosen: each of its first lines votes for the
// format it parses in (a line in none votes for nothing, so a few garbage
// lines change nothing); the format is chosen once one has autoVotes
// votes, or after autoLines lines for the one with most (raw if none has
// any). Until then each line is parsed in the format it voted for.
const (
	autoVotes = 8
	autoLines = 64
	// autoFiles bounds the files whose choice is remembered; past it the
	// choices are forgotten and made again.
	autoFiles = 4096
)

// autoFile is the choice for one file.
type autoFile struct {
	format AutoFormat
	lines  int
	votes  [numAutoFormats]int
}

// leader returns the format with most votes, AutoRaw if none has any.
func (f *autoFile) leader() AutoFormat {
	best := AutoRaw
	for k := AutoSyslog; k < AutoRaw; k++ {
		if f.votes[k] > 0 && (best == AutoRaw || f.votes[k] > f.votes[best]) {
			best = k
		}
	}
	return best
}

// autoParser parses the lines of a source whose format is auto.
type autoParser struct {
	syslog       parse.SyslogParser
	json, logfmt *parse.Structured
	files        map[string]*autoFile
	path         string
	cur          *autoFile
	onChoose     func(path string, f AutoFormat)
	nilFields    [][]byte
}

func newAutoParser(src *configs.Source) *autoParser {
	msg, tm := configs.DefaultMessageKeys(), configs.DefaultTimeKeys()
	if st := src.Structured; st != nil {
		msg, tm = st.MessageKeys, st.TimeKeys
	}
	a := &autoParser{
		syslog:    parse.SyslogParser{Location: src.Location},
		json:      parse.NewJSON(msg, tm, nil),
		logfmt:    parse.NewLogfmt(msg, tm, nil),
		files:     map[string]*autoFile{},
		nilFields: make([][]byte, 3),
	}
	a.setFile("")
	return a
}

// setFile makes path the file the next lines come from. A rotated file
// ("rotated:PATH") shares its path's choice.
func (a *autoParser) setFile(path string) {
	if a.cur != nil && path == a.path {
		return
	}
	a.path = path
	key := path
	if of, ok := logtail.RotatedOf(path); ok {
		key = of
	}
	f := a.files[key]
	if f == nil {
		if len(a.files) >= autoFiles {
			clear(a.files)
		}
		f = &autoFile{}
		a.files[key] = f
	}
	a.cur = f
}

// format returns the format chosen for path, or the leading one so far.
func (a *autoParser) format(path string) AutoFormat {
	f := a.files[path]
	switch {
	case f == nil:
		return Undecided
	case f.format != Undecided:
		return f.format
	}
	return f.leader()
}

// parse fills ev from its line in the current file's format and reports
// whether it parsed. Once the file's format is chosen, a line costs what
// it costs in that format.
func (a *autoParser) parse(p *LineParser, ev *rules.Event, now time.Time) bool {
	f := a.cur
	switch f.format {
	case AutoSyslog, AutoRFC5424:
		return p.parseSyslog(&a.syslog, ev, now)
	case AutoTimestamp:
		h, ok := a.syslog.Parse(ev.Line, now)
		return a.fromSyslog(p, ev, now, f.format, h, ok)
	case AutoJSON:
		return a.fromRecord(p, ev, now, a.json)
	case AutoLogfmt:
		if !looksLogfmt(ev.Line) {
			return false
		}
		return a.fromRecord(p, ev, now, a.logfmt)
	case AutoRaw:
		return false
	}
	// Undecided: the line votes, and is parsed in its own format.
	format, h, ok := a.classify(ev.Line, now)
	f.lines++
	if format != Undecided {
		f.votes[format]++
	}
	if f.votes[format] >= autoVotes || f.lines >= autoLines {
		f.format = f.leader()
		if a.onChoose != nil {
			a.onChoose(a.path, f.format)
		}
	}
	switch format {
	case AutoTimestamp:
		// A time without a tag, in a file that looks like syslog so far,
		// is a syslog line not understood.
		if l := f.leader(); l == AutoSyslog || l == AutoRFC5424 {
			format = l
		}
		return a.fromSyslog(p, ev, now, format, h, ok)
	case AutoSyslog, AutoRFC5424:
		return a.fromSyslog(p, ev, now, format, h, ok)
	case AutoJSON:
		return a.fromRecord(p, ev, now, a.json)
	case AutoLogfmt:
		return a.fromRecord(p, ev, now, a.logfmt)
	}
	return false // in no format: raw
}

// classify returns the format line parses in (Undecided if none) and, for
// the syslog formats, its parse.
func (a *autoParser) classify(line []byte, now time.Time) (AutoFormat, parse.Syslog, bool) {
	h, ok := a.syslog.Parse(line, now)
	switch {
	case ok && parse.IsRFC5424(line):
		return AutoRFC5424, h, ok
	case ok:
		return AutoSyslog, h, ok
	case !h.Time.IsZero():
		return AutoTimestamp, h, ok
	}
	if len(line) > 0 && line[0] == '{' {
		if _, ok := a.json.Parse(line); ok {
			return AutoJSON, h, false
		}
	}
	if looksLogfmt(line) {
		return AutoLogfmt, h, false
	}
	return Undecided, h, false
}

// fromSyslog fills ev from the syslog parse h, ok of its line, for a file
// in format. In a syslog file, a line with a time but no tag keeps its
// time and is matched whole, and does not count as parsed; in a timestamp
// file every line with a time is matched whole with it, and counts.
func (a *autoParser) fromSyslog(p *LineParser, ev *rules.Event, now time.Time, format AutoFormat, h parse.Syslog, ok bool) bool {
	if !h.Time.IsZero() {
		ev.Time = p.stamp(h.Time, now)
	}
	if format == AutoTimestamp {
		ev.Fields = a.nilFields
		return !h.Time.IsZero()
	}
	if !ok {
		return false
	}
	p.vals = append(p.vals[:0], h.Host, h.Program, h.PID)
	ev.Message, ev.Fields = h.Message, p.vals
	return true
}

// fromRecord fills ev from a JSON or logfmt line: its message and time;
// host, program and pid are empty.
func (a *autoParser) fromRecord(p *LineParser, ev *rules.Event, now time.Time, sp *parse.Structured) bool {
	r, ok := sp.Parse(ev.Line)
	if !ok {
		return false
	}
	p.fromRecord(ev, r, a.nilFields, now)
	return true
}

// looksLogfmt reports whether line is logfmt as auto recognises it: it
// starts with a key=value pair and holds at least two, a key being a
// letter or underscore then letters, digits, _ . -. (The logfmt format
// itself takes any line with one pair, which most text has.)
func looksLogfmt(line []byte) bool {
	pairs, i := 0, 0
	for i < len(line) {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		ks := i
		for i < len(line) && (isKeyByte(line[i]) || (i > ks && (line[i] == '.' || line[i] == '-' || isDigit(line[i])))) {
			i++
		}
		if i == ks || i >= len(line) || line[i] != '=' {
			if pairs == 0 {
				return false
			}
			// Not a pair: skip the word.
			for i < len(line) && line[i] != ' ' {
				i++
			}
			continue
		}
		pairs++
		i++
		if i < len(line) && line[i] == '"' {
			i++
			for i < len(line) && line[i] != '"' {
				if line[i] == '\\' {
					i++
				}
				i++
			}
			i++
		}
		for i < len(line) && line[i] != ' ' {
			i++
		}
	}
	return pairs >= 2
}

func isKeyByte(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
