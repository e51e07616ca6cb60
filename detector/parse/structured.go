package parse

import (
	"bytes"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Record is a parsed structured line. Its byte slices are valid until the
// next Parse.
type Record struct {
	// Message is the value of the message key; HasMessage says whether
	// the line had one.
	Message    []byte
	HasMessage bool
	// Time is the value of the time key; zero when absent or not a time.
	Time time.Time
	// Fields holds the values of the declared fields in their order; an
	// absent field is empty.
	Fields [][]byte
}

// Structured parses JSON or logfmt lines, keeping only the keys a source
// declares. It is not safe for concurrent use; each source has its own.
type Structured struct {
	json bool
	// slots maps a key (a dotted path for JSON) to the slots its value
	// fills: declared fields are 0..n-1, the message n, the time n+1.
	slots    map[string][]int
	prefixes map[string]bool // JSON objects on the way to a key
	n        int

	dec   *jsontext.Decoder
	rd    bytes.Reader
	path  []byte
	buf   []byte
	spans [][2]int
	out   [][]byte
}

// NewJSON returns a parser for lines that are JSON objects. Keys are dotted
// paths into nested objects ("user.name"). The message is the value of any
// of messageKeys (of the last in the line, if it has several); the time
// likewise.
func NewJSON(messageKeys, timeKeys, fields []string) *Structured {
	p := newStructured(messageKeys, timeKeys, fields)
	p.json = true
	p.prefixes = map[string]bool{}
	for key := range p.slots {
		for i := range len(key) {
			if key[i] == '.' {
				p.prefixes[key[:i]] = true
			}
		}
	}
	p.dec = jsontext.NewDecoder(&p.rd, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	return p
}

// NewLogfmt returns a parser for logfmt lines: key=value pairs separated by
// spaces, values optionally double-quoted with Go escapes.
func NewLogfmt(messageKeys, timeKeys, fields []string) *Structured {
	return newStructured(messageKeys, timeKeys, fields)
}

func newStructured(messageKeys, timeKeys, fields []string) *Structured {
	p := &Structured{slots: map[string][]int{}, n: len(fields)}
	for i, f := range fields {
		p.slots[f] = append(p.slots[f], i)
	}
	for _, k := range messageKeys {
		p.slots[k] = append(p.slots[k], p.n)
	}
	for _, k := range timeKeys {
		p.slots[k] = append(p.slots[k], p.n+1)
	}
	p.spans = make([][2]int, p.n+2)
	p.out = make([][]byte, p.n)
	return p
}

// Parse parses line. ok is false when the line is not a JSON object (for
// logfmt: when it has no key=value pair).
func (p *Structured) Parse(line []byte) (r Record, ok bool) {
	p.buf = p.buf[:0]
	for i := range p.spans {
		p.spans[i] = [2]int{-1, -1}
	}
	if p.json {
		ok = p.parseJSON(line)
	} else {
		ok = p.parseLogfmt(line)
	}
	if !ok {
		return Record{}, false
	}
	get := func(slot int) ([]byte, bool) {
		sp := p.spans[slot]
		if sp[0] < 0 {
			return nil, false
		}
		return p.buf[sp[0]:sp[1]:sp[1]], true
	}
	for i := range p.n {
		p.out[i], _ = get(i)
	}
	r.Fields = p.out
	r.Message, r.HasMessage = get(p.n)
	if v, ok := get(p.n + 1); ok {
		r.Time = parseTimeValue(v)
	}
	return r, true
}

// store appends a value and points the key's slots at it.
func (p *Structured) store(slots []int, start int) {
	for _, s := range slots {
		p.spans[s] = [2]int{start, len(p.buf)}
	}
}

func (p *Structured) parseJSON(line []byte) bool {
	p.rd.Reset(line)
	p.dec.Reset(&p.rd, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if p.dec.PeekKind() != '{' {
		return false
	}
	p.path = p.path[:0]
	return p.object() == nil
}

// object reads an object whose path is p.path, storing declared keys.
func (p *Structured) object() error {
	if _, err := p.dec.ReadToken(); err != nil { // {
		return err
	}
	base := len(p.path)
	for p.dec.PeekKind() != '}' {
		name, err := p.dec.ReadValue()
		if err != nil {
			return err
		}
		p.path = p.path[:base]
		if base > 0 {
			p.path = append(p.path, '.')
		}
		// The decoder has checked the string; an error here only reports
		// invalid UTF-8, which is replaced by U+FFFD.
		p.path, _ = jsontext.AppendUnquote(p.path, name)
		kind := p.dec.PeekKind()
		if kind == '{' && p.prefixes[string(p.path)] {
			if err := p.object(); err != nil {
				return err
			}
			continue
		}
		slots, want := p.slots[string(p.path)]
		if !want {
			if err := p.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		v, err := p.dec.ReadValue()
		if err != nil {
			return err
		}
		start := len(p.buf)
		if kind == '"' {
			p.buf, _ = jsontext.AppendUnquote(p.buf, v) // as for names
		} else {
			// Numbers, booleans, null, arrays and objects as their JSON
			// text.
			p.buf = append(p.buf, bytes.TrimSpace(v)...)
		}
		p.store(slots, start)
	}
	p.path = p.path[:base]
	_, err := p.dec.ReadToken() // }
	return err
}

// parseLogfmt scans key=value pairs; a line without one is not logfmt. A
// bare key has an empty value; a quoted
// value is unquoted with Go escapes (as go-logfmt writes them); garbage
// between pairs is skipped.
func (p *Structured) parseLogfmt(line []byte) bool {
	found := false
	i := 0
	for i < len(line) {
		for i < len(line) && line[i] <= ' ' {
			i++
		}
		ks := i
		for i < len(line) && line[i] > ' ' && line[i] != '=' && line[i] != '"' {
			i++
		}
		key := line[ks:i]
		if i < len(line) && line[i] == '"' && len(key) == 0 {
			// A stray quoted string: skip it.
			_, i = skipQuoted(line, i)
			continue
		}
		if i >= len(line) || line[i] != '=' {
			if len(key) == 0 {
				i++
			} else if slots := p.slots[string(key)]; slots != nil {
				p.store(slots, len(p.buf)) // a bare key: an empty value
			}
			continue
		}
		i++ // =
		found = found || len(key) > 0
		slots := p.slots[string(key)]
		start := len(p.buf)
		if i < len(line) && line[i] == '"' {
			var raw []byte
			raw, i = skipQuoted(line, i)
			if slots != nil {
				p.buf = appendUnquoted(p.buf, raw[1:len(raw)-1])
			}
		} else {
			vs := i
			for i < len(line) && line[i] > ' ' {
				i++
			}
			if slots != nil {
				p.buf = append(p.buf, line[vs:i]...)
			}
		}
		if slots != nil && len(key) > 0 {
			p.store(slots, start)
		}
	}
	return found
}

// appendUnquoted appends s with its backslash escapes (\" \' \\ \/ \b \f \n
// \r \t \uXXXX, as go-logfmt writes them) decoded; other bytes, invalid
// UTF-8 included, are copied as they are, as is an invalid escape.
func appendUnquoted(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case '"', '\\', '/', '\'':
			dst = append(dst, s[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, n := hex4(s[i+1:])
			if n == 0 {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += n
			if utf16.IsSurrogate(r) {
				if i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if r2, m := hex4(s[i+3:]); m > 0 {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							i += 2 + m
							dst = utf8.AppendRune(dst, d)
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, '\\', s[i])
		}
	}
	return dst
}

// hex4 reads four hex digits; n is 4, or 0 when they are not there.
func hex4(s []byte) (rune, int) {
	if len(s) < 4 {
		return 0, 0
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, 0
		}
		r = r<<4 | rune(c)
	}
	return r, 4
}

// skipQuoted returns the quoted string starting at line[i] (with its quotes,
// or to the end of the line when unterminated) and the index after it.
func skipQuoted(line []byte, i int) ([]byte, int) {
	j := i + 1
	for j < len(line) {
		switch line[j] {
		case '\\':
			j += 2
			continue
		case '"':
			return line[i : j+1], j + 1
		}
		j++
	}
	return append(line[i:len(line):len(line)], '"'), len(line)
}

// parseTimeValue reads RFC 3339 text (or with a ±hhmm zone), or a number
// of Unix seconds (milliseconds when it is larger than 1e11).
func parseTimeValue(v []byte) time.Time {
	if len(v) == 0 {
		return time.Time{}
	}
	if v[0] >= '0' && v[0] <= '9' && bytes.IndexByte(v, '-') < 0 {
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f <= 0 || f > 1e15 {
			return time.Time{}
		}
		if f > 1e11 {
			f /= 1000
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
	}
	if t, n, ok := parseRFC3339(v); ok && n == len(v) {
		return t
	}
	// A zone written ±hhmm, as log15 (Grafana before 8) writes it:
	// 2020-10-19T17:44:33+0200.
	if n := len(v); n >= 24 && n <= 40 && (v[n-5] == '+' || v[n-5] == '-') && isDigit(v[n-4]) && isDigit(v[n-3]) && isDigit(v[n-2]) && isDigit(v[n-1]) {
		var buf [41]byte
		b := append(append(append(buf[:0], v[:n-2]...), ':'), v[n-2:]...)
		if t, m, ok := parseRFC3339(b); ok && m == len(b) {
			return t
		}
	}
	return time.Time{}
}

// Regex parses lines with a regular expression whose named captures are the
// fields; the captures "message" and "time", when present, are the message
// and the time.
type Regex struct {
	re          *regexp.Regexp
	fields      []int  // capture index of each field
	message, tm int    // capture index, or -1
	layout      string // time.Parse layout of the time capture; "" for RFC 3339, ISO 8601 or Unix time
	idx         []int
	out         [][]byte
	loc         *time.Location // zone of a time written without one; nil: UTC
}

// NewRegex returns a parser for re. Its fields are RegexFields(re). A time
// written without a zone is in loc (the source's timezone; nil: UTC).
func NewRegex(re *regexp.Regexp, timeLayout string, loc *time.Location) *Regex {
	p := &Regex{re: re, message: re.SubexpIndex("message"), tm: re.SubexpIndex("time"), layout: timeLayout, loc: loc}
	for i, name := range re.SubexpNames() {
		if name != "" && name != "message" && name != "time" {
			p.fields = append(p.fields, i)
		}
	}
	p.out = make([][]byte, len(p.fields))
	return p
}

// RegexFields returns the field names a Regex parser provides, in order.
func RegexFields(re *regexp.Regexp) []string {
	var out []string
	for _, name := range re.SubexpNames() {
		if name != "" && name != "message" && name != "time" {
			out = append(out, name)
		}
	}
	return out
}

// Parse parses line; ok is false when the expression does not match.
func (p *Regex) Parse(line []byte) (r Record, ok bool) {
	p.idx = p.re.FindSubmatchIndex(line)
	if p.idx == nil {
		return Record{}, false
	}
	group := func(i int) ([]byte, bool) {
		if i < 0 || p.idx[2*i] < 0 {
			return nil, false
		}
		return line[p.idx[2*i]:p.idx[2*i+1]], true
	}
	for j, i := range p.fields {
		p.out[j], _ = group(i)
	}
	r.Fields = p.out
	r.Message, r.HasMessage = group(p.message)
	if v, ok := group(p.tm); ok {
		loc := p.loc
		if loc == nil {
			loc = time.UTC
		}
		if p.layout != "" {
			if t, err := time.ParseInLocation(p.layout, string(v), loc); err == nil {
				r.Time = t
			}
		} else if r.Time = parseTimeValue(v); r.Time.IsZero() {
			r.Time = parseLocalISO(v, loc)
		}
	}
	return r, true
}

// parseLocalISO reads the whole of v as an ISO 8601 time as parseISO does
// (a space or T, a fraction, a zone or none, then in loc), or followed by
// a space and strftime's %z, "-0500" (exim's log_timezone); else zero.
func parseLocalISO(v []byte, loc *time.Location) time.Time {
	// The offset is known by the text's end, so the time is read once:
	// in UTC and moved by the offset, or in loc.
	if k := len(v) - 6; k >= 19 && v[k] == ' ' && (v[k+1] == '+' || v[k+1] == '-') {
		oh, okh := two(v[k+2 : k+4])
		om, okm := two(v[k+4 : k+6])
		if !okh || !okm || oh > 23 || om > 59 {
			return time.Time{}
		}
		utc, n, ok := parseISO(v[:k], time.UTC)
		if !ok || n != k {
			return time.Time{}
		}
		offset := time.Duration(oh*60+om) * time.Minute
		if v[k+1] == '-' {
			offset = -offset
		}
		return utc.Add(-offset)
	}
	if t, n, ok := parseISO(v, loc); ok && n == len(v) {
		return t
	}
	return time.Time{}
}
