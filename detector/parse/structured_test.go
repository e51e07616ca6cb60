package parse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-logfmt/logfmt"
)

func TestJSON(t *testing.T) {
	p := NewJSON([]string{"msg"}, []string{"ts"}, []string{"ip", "user", "level", "n", "tags"})
	line := `{"ts":"2026-11-23T10:00:01.5Z","level":"warn","msg":"login failed for \"root\"\u0021","client":{"ip":"203.0.113.7","port":22},` +
		`"ip":"ignored-dup-first","user":{"name":"x"},"n":42,"tags":["a","b"],"deep":{"a":{"b":{"c":1}}}}`
	// "ip" is declared at the top level; client.ip is not declared.
	r, ok := p.Parse([]byte(line))
	if !ok {
		t.Fatal("no parse")
	}
	got := fmt.Sprintf("%q %v %s %q", r.Message, r.HasMessage, r.Time.Format(time.RFC3339Nano), r.Fields)
	want := `"login failed for \"root\"!" true 2026-11-23T10:00:01.5Z ["ignored-dup-first" "{\"name\":\"x\"}" "warn" "42" "[\"a\",\"b\"]"]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	p = NewJSON([]string{"message"}, nil, []string{"client.ip", "user.name", "a.b.c"})
	r, ok = p.Parse([]byte(`{"client":{"port":1,"ip":"2001:db8::1"},"user":{"name":"al\u00efce"},"a":{"b":{"c":true}},"message":"hi"}`))
	if !ok || fmt.Sprintf("%q", r.Fields) != `["2001:db8::1" "alïce" "true"]` || string(r.Message) != "hi" {
		t.Errorf("nested: %v %q %q", ok, r.Fields, r.Message)
	}
	// Absent fields are empty; the previous line's values do not leak.
	r, ok = p.Parse([]byte(`{"other":1}`))
	if !ok || fmt.Sprintf("%q", r.Fields) != `["" "" ""]` || r.HasMessage {
		t.Errorf("absent: %v %q %v", ok, r.Fields, r.HasMessage)
	}
	for _, bad := range []string{``, `[1,2]`, `"str"`, `{"a":`, `{"a" 1}`, "\x00\xff", `plain text`} {
		if _, ok := p.Parse([]byte(bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	// Invalid UTF-8 in a value is replaced, never a reason to lose the line.
	r, ok = p.Parse([]byte("{\"message\":\"bad \xff byte\"}"))
	if !ok || string(r.Message) != "bad \uFFFD byte" {
		t.Errorf("invalid UTF-8: %v %q", ok, r.Message)
	}
}

func TestLogfmt(t *testing.T) {
	p := NewLogfmt([]string{"msg"}, []string{"time"}, []string{"user", "ip", "flag", "empty"})
	r, ok := p.Parse([]byte(`time=1795424401.25 level=warn msg="login failed for \"root\"\n" user=root ip=203.0.113.7 flag empty= junk "stray" x`))
	if !ok {
		t.Fatal("no parse")
	}
	got := fmt.Sprintf("%q %s %q", r.Message, r.Time.Format(time.RFC3339Nano), r.Fields)
	want := `"login failed for \"root\"\n" 2026-11-23T09:00:01.25Z ["root" "203.0.113.7" "" ""]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{"", "no pairs here", `"only quoted"`, "\x00\xff"} {
		if _, ok := p.Parse([]byte(bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	// Milliseconds and RFC 3339 times.
	p = NewLogfmt(nil, []string{"ts"}, nil)
	for in, want := range map[string]string{"ts=1795424401250": "2026-11-23T09:00:01.25Z", "ts=2026-11-23T10:00:00+01:00": "2026-11-23T09:00:00Z", "ts=2020-10-19T17:44:33+0200": "2020-10-19T15:44:33Z", "ts=2020-10-19T17:44:33.5-0130": "2020-10-19T19:14:33.5Z", "ts=2020-10-19T17:44:33+02": "0001-01-01T00:00:00Z", "ts=2020-10-19T17:44:33+02x0": "0001-01-01T00:00:00Z", "ts=soon": "0001-01-01T00:00:00Z"} {
		r, _ := p.Parse([]byte(in))
		if got := r.Time.UTC().Format(time.RFC3339Nano); got != want {
			t.Errorf("%s: time %s, want %s", in, got, want)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	p := NewJSON([]string{"msg"}, []string{"ts"}, []string{"client.ip", "user"})
	line := []byte(`{"ts":"2026-11-23T10:00:01.5Z","level":"warn","msg":"login failed","client":{"ip":"203.0.113.7","port":22},"user":"root","tags":["a","b"],"ua":"Mozilla/5.0 (X11; Linux x86_64)"}`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := p.Parse(line); !ok {
			b.Fatal("no parse")
		}
	}
}

func BenchmarkLogfmt(b *testing.B) {
	p := NewLogfmt([]string{"msg"}, []string{"ts"}, []string{"ip", "user"})
	line := []byte(`ts=2026-11-23T10:00:01.5Z level=warn msg="login failed" ip=203.0.113.7 port=22 user=root ua="Mozilla/5.0 (X11; Linux x86_64)"`)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := p.Parse(line); !ok {
			b.Fatal("no parse")
		}
	}
}

func seeds(f *testing.F, file string) {
	fh, err := os.Open(file)
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f.Add(sc.Text())
	}
}

// FuzzJSON checks the parser against encoding/json: for every line that is
// a JSON object of string values, each top-level key's value is what
// encoding/json decodes; and no input panics.
func FuzzJSON(f *testing.F) {
	seeds(f, "testdata/json.txt")
	f.Fuzz(func(t *testing.T, line string) {
		var m map[string]any
		err := json.Unmarshal([]byte(line), &m)
		keys := make([]string, 0, len(m))
		for k, v := range m {
			if _, isStr := v.(string); isStr && !strings.Contains(k, ".") {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		p := NewJSON(nil, nil, keys)
		r, ok := p.Parse([]byte(line))
		if err != nil || !ok || bytes.Contains([]byte(line), []byte(`\ud`)) {
			return // lone surrogates are replaced differently; duplicates differ in which wins
		}
		if strings.Count(line, `"`) > 2*len(m)+2*len(keys)+64 {
			return
		}
		for i, k := range keys {
			if got, want := string(r.Fields[i]), m[k].(string); got != want && !dupKey(line, k) {
				t.Errorf("key %q: got %q, encoding/json %q", k, got, want)
			}
		}
	})
}

func dupKey(line, k string) bool {
	q, _ := json.Marshal(k)
	return strings.Count(line, string(q)) > 1
}

// FuzzLogfmt checks the parser against go-logfmt: for every valid UTF-8
// line that go-logfmt reads as one record without error, each key's last value is
// what go-logfmt decodes; and no input panics.
func FuzzLogfmt(f *testing.F) {
	seeds(f, "testdata/logfmt.txt")
	f.Fuzz(func(t *testing.T, line string) {
		want := map[string]string{}
		dec := logfmt.NewDecoder(strings.NewReader(line))
		records := 0
		for dec.ScanRecord() {
			records++
			for dec.ScanKeyval() {
				want[string(dec.Key())] = string(dec.Value())
			}
		}
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		p := NewLogfmt(nil, nil, keys)
		r, ok := p.Parse([]byte(line))
		// go-logfmt replaces invalid UTF-8 in quoted values only when they
		// also hold an escape; the parser always keeps the bytes. Compare
		// on valid UTF-8.
		if dec.Err() != nil || records != 1 || strings.ContainsAny(line, "\n\r") || !utf8.ValidString(line) {
			return
		}
		if strings.Contains(line, "=") && len(keys) > 0 && !ok {
			t.Fatalf("go-logfmt reads %v, parser reads nothing", want)
		}
		if !ok {
			return
		}
		for i, k := range keys {
			if got := string(r.Fields[i]); got != want[k] {
				t.Errorf("key %q: got %q, go-logfmt %q", k, got, want[k])
			}
		}
	})
}

func TestRegex(t *testing.T) {
	re := regexp.MustCompile(`^(?P<time>\S+) (?P<client>\S+) (?P<user>\S*) "(?P<message>[^"]*)"`)
	if got := fmt.Sprint(RegexFields(re)); got != "[client user]" {
		t.Errorf("fields = %s", got)
	}
	p := NewRegex(re, "", nil)
	r, ok := p.Parse([]byte(`2026-11-23T10:00:01Z 203.0.113.7 - "GET /admin HTTP/1.1" 401`))
	if !ok || fmt.Sprintf("%q", r.Fields) != `["203.0.113.7" "-"]` || string(r.Message) != "GET /admin HTTP/1.1" ||
		!r.Time.Equal(time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)) {
		t.Errorf("got %v %q %q %v", ok, r.Fields, r.Message, r.Time)
	}
	if _, ok := p.Parse([]byte("no match")); ok {
		t.Error("matched")
	}
}

// TestRegexTimeZones: a time capture without a zone is in the source's
// zone, with a time_layout or as ISO 8601 (exim's mainlog: "2026-11-23
// 10:00:01", with +millisec ".250", with log_timezone " +0100").
func TestRegexTimeZones(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	iso := regexp.MustCompile(`^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?) (?P<message>.*)$`)
	layout := regexp.MustCompile(`^\[(?P<time>[^]]+)\] (?P<message>.*)$`)
	tests := []struct {
		re     *regexp.Regexp
		layout string
		loc    *time.Location
		line   string
		want   time.Time
	}{
		{iso, "", berlin, "2026-11-23 10:00:01 x", time.Date(2026, 11, 23, 9, 0, 1, 0, time.UTC)},
		{iso, "", nil, "2026-11-23 10:00:01 x", time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)},
		{iso, "", berlin, "2026-07-23 10:00:01.250 x", time.Date(2026, 7, 23, 8, 0, 1, 250e6, time.UTC)},
		{iso, "", berlin, "2026-11-23 10:00:01 -0500 x", time.Date(2026, 11, 23, 15, 0, 1, 0, time.UTC)},
		{iso, "", berlin, "2026-11-23 10:00:01.5 +0130 x", time.Date(2026, 11, 23, 8, 30, 1, 5e8, time.UTC)},
		{iso, "", berlin, "2026-11-23 10:00:01 +2500 x", time.Time{}},
		{layout, "02/Jan/2006:15:04:05", berlin, "[23/Nov/2026:10:00:01] x", time.Date(2026, 11, 23, 9, 0, 1, 0, time.UTC)},
		{layout, "02/Jan/2006:15:04:05 -0700", berlin, "[23/Nov/2026:10:00:01 +0000] x", time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)},
	}
	for _, tt := range tests {
		p := NewRegex(tt.re, tt.layout, tt.loc)
		r, ok := p.Parse([]byte(tt.line))
		if !ok || !r.Time.Equal(tt.want) || string(r.Message) != "x" {
			t.Errorf("%q in %v: %v %v %q, want %v", tt.line, tt.loc, ok, r.Time, r.Message, tt.want)
		}
	}
}

// FuzzRegex: whatever the line, the fields and message lie inside it.
func FuzzRegex(f *testing.F) {
	seeds(f, "testdata/regex.txt")
	p := NewRegex(regexp.MustCompile(`^(?P<client>\S+) \S+ (?P<user>\S+) \[(?P<time>[^]]+)\] "(?P<message>[^"]*)" (?P<status>\d{3})`), "02/Jan/2006:15:04:05 -0700", nil)
	f.Fuzz(func(t *testing.T, line string) {
		r, ok := p.Parse([]byte(line))
		if !ok {
			return
		}
		total := len(r.Message)
		for _, v := range r.Fields {
			total += len(v)
		}
		if total > len(line) || !strings.Contains(line, string(r.Message)) {
			t.Errorf("parts exceed the line: %q", r.Fields)
		}
	})
}
