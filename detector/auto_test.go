package detector

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

// autoSource returns the source "s" of config, which must parse.
func autoSource(t testing.TB, config string) *configs.Source {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(config), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return cfg.SourceByName("s")
}

// parsed is what a line gave: whether it parsed, its message (the whole
// line when nil), host, program, pid and time.
type parsed struct {
	ok                   bool
	msg, host, prog, pid string
	time                 time.Time
}

func parseLines(p *LineParser, path string, now time.Time, lines ...string) []parsed {
	var out []parsed
	p.File(path)
	for _, l := range lines {
		ev := rules.Event{Line: []byte(l), Time: now}
		ok := p.Parse(&ev, now)
		r := parsed{ok: ok, msg: string(ev.Line), time: ev.Time}
		if ev.Message != nil {
			r.msg = string(ev.Message)
		}
		if len(ev.Fields) == 3 {
			r.host, r.prog, r.pid = string(ev.Fields[0]), string(ev.Fields[1]), string(ev.Fields[2])
		}
		out = append(out, r)
	}
	return out
}

// TestAutoRecognisesEachFormat: a file source without format reads each
// file in the format its first lines are in: syslog with and without host
// and <PRI>, RFC 5424, lines starting with an ISO 8601 time, JSON, logfmt,
// or raw; each file on its own, and says which it chose.
func TestAutoRecognisesEachFormat(t *testing.T) {
	src := autoSource(t, `source "file" "s" {
  paths    = ["/logs/*"]
  timezone = "UTC"
}`)
	if src.Format != configs.FormatAuto || strings.Join(src.Fields(), ",") != "host,program,pid" {
		t.Fatalf("a file source without format: format %q, fields %v; want auto with host, program, pid", src.Format, src.Fields())
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.UTC) }
	tests := []struct {
		file   string
		lines  []string
		format AutoFormat
		first  parsed
	}{
		{"syslog", []string{"Nov 23 10:00:01 web1 sshd[42]: Failed password for root from 203.0.113.7 port 22 ssh2"}, AutoSyslog,
			parsed{ok: true, msg: "Failed password for root from 203.0.113.7 port 22 ssh2", host: "web1", prog: "sshd", pid: "42", time: at(10, 0, 1)}},
		{"nohost", []string{"Nov 23 10:00:01 sshd[42]: Failed password for root from 203.0.113.7 port 22 ssh2"}, AutoSyslog,
			parsed{ok: true, msg: "Failed password for root from 203.0.113.7 port 22 ssh2", prog: "sshd", pid: "42", time: at(10, 0, 1)}},
		{"pri", []string{"<38>Nov 23 10:00:01 web1 sshd[42]: x"}, AutoSyslog,
			parsed{ok: true, msg: "x", host: "web1", prog: "sshd", pid: "42", time: at(10, 0, 1)}},
		{"rfc3339", []string{"2026-11-23T11:00:01.5+01:00 web1 sshd[42]: x"}, AutoSyslog,
			parsed{ok: true, msg: "x", host: "web1", prog: "sshd", pid: "42", time: at(10, 0, 1).Add(500 * time.Millisecond)}},
		// daemontools multilog: a TAI64N label, then the program's own
		// line (dovecot's log_path through multilog), no host.
		{"multilog", []string{"@400000006b040eab00000000 imap-login: Info: x"}, AutoSyslog,
			parsed{ok: true, msg: "Info: x", prog: "imap-login", time: at(10, 0, 1)}},
		{"rfc5424", []string{"<38>1 2026-11-23T10:00:01Z web1 sshd 42 - - x"}, AutoRFC5424,
			parsed{ok: true, msg: "x", host: "web1", prog: "sshd", pid: "42", time: at(10, 0, 1)}},
		{"iso", []string{"2026-11-23 10:00:01,250 WARNING login failed for admin"}, AutoTimestamp,
			parsed{ok: true, msg: "2026-11-23 10:00:01,250 WARNING login failed for admin", time: at(10, 0, 1).Add(250 * time.Millisecond)}},
		{"json", []string{`{"ts":"2026-11-23T10:00:01Z","msg":"login failed","user":"admin"}`}, AutoJSON,
			parsed{ok: true, msg: "login failed", time: at(10, 0, 1)}},
		{"logfmt", []string{`ts=2026-11-23T10:00:01Z level=warn msg="login failed" user=admin`}, AutoLogfmt,
			parsed{ok: true, msg: "login failed", time: at(10, 0, 1)}},
		{"raw", []string{"login failed for admin"}, AutoRaw,
			parsed{ok: false, msg: "login failed for admin", time: now}},
	}
	p := NewLineParser(src)
	var chosen []string
	p.OnChoose(func(path string, f AutoFormat) { chosen = append(chosen, path+"="+f.String()) })
	for _, tt := range tests {
		// autoVotes lines decide the file's format; autoLines that it
		// is none.
		n := autoVotes
		if tt.format == AutoRaw {
			n = autoLines
		}
		lines := make([]string, n)
		for i := range lines {
			lines[i] = tt.lines[0]
		}
		got := parseLines(p, "/logs/"+tt.file, now, lines...)
		if fmt.Sprint(got[0]) != fmt.Sprint(tt.first) {
			t.Errorf("%s: first line\n got %+v\nwant %+v", tt.file, got[0], tt.first)
		}
		if f := p.AutoFormat("/logs/" + tt.file); f != tt.format {
			t.Errorf("%s: format %v, want %v", tt.file, f, tt.format)
		}
		if want := "auto: " + tt.format.String(); p.Format(src, "/logs/"+tt.file) != want {
			t.Errorf("%s: Format = %q, want %q", tt.file, p.Format(src, "/logs/"+tt.file), want)
		}
	}
	if len(chosen) != len(tests) || chosen[0] != "/logs/syslog=syslog" || chosen[len(chosen)-1] != "/logs/raw=raw" {
		t.Errorf("choices reported: %v", chosen)
	}
	// Lines of files read in turn keep their own file's format.
	got := parseLines(p, "/logs/json", now, `{"msg":"m"}`)
	if !got[0].ok || got[0].msg != "m" {
		t.Errorf("back to the JSON file: %+v", got[0])
	}
	got = parseLines(p, "/logs/syslog", now, "Nov 23 10:00:02 web1 cron[1]: y")
	if !got[0].ok || got[0].prog != "cron" {
		t.Errorf("back to the syslog file: %+v", got[0])
	}
	// A rotated file shares its path's choice.
	if got = parseLines(p, "rotated:/logs/json", now, `{"msg":"m"}`); !got[0].ok || p.AutoFormat("/logs/json") != AutoJSON {
		t.Errorf("rotated JSON file: %+v", got[0])
	}
}

// TestAutoUsesTheSourcesKeys: message_keys and time_keys of an auto
// source name the message and time of its JSON and logfmt files.
func TestAutoUsesTheSourcesKeys(t *testing.T) {
	src := autoSource(t, `source "file" "s" {
  paths        = ["/a"]
  message_keys = ["text"]
  time_keys    = ["when"]
}`)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	got := parseLines(NewLineParser(src), "/a", now, `{"when":"2026-11-23T10:00:01Z","msg":"not this","text":"login failed"}`,
		`when=2026-11-23T10:00:02Z text="login failed" msg=x`)
	want := []parsed{{ok: true, msg: "login failed", time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)},
		{ok: true, msg: "login failed", time: time.Date(2026, 11, 23, 10, 0, 2, 0, time.UTC)}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// TestAutoIsRobustToGarbage: a few lines in no format before and among
// syslog lines do not change the choice; they are read raw (time of
// reading, not parsed); a syslog line without a tag keeps its time but is
// not counted as parsed.
func TestAutoIsRobustToGarbage(t *testing.T) {
	src := autoSource(t, `source "file" "s" {
  paths    = ["/var/log/auth.log"]
  timezone = "UTC"
}`)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := NewLineParser(src)
	lines := []string{"\x00\x00\x00 binary junk", "-- truncated --"}
	for i := range autoVotes {
		lines = append(lines, fmt.Sprintf("Nov 23 10:00:%02d web1 sshd[%d]: Failed password for root from 203.0.113.7 port 22 ssh2", i, i))
	}
	lines = append(lines, "{\"msg\":\"a JSON line in a syslog file\"}", "Nov 23 10:01:00 web1 -- MARK --")
	got := parseLines(p, "/var/log/auth.log", now, lines...)
	if f := p.AutoFormat("/var/log/auth.log"); f != AutoSyslog {
		t.Fatalf("format %v, want syslog", f)
	}
	want := []parsed{{ok: false, msg: lines[0], time: now}, {ok: false, msg: lines[1], time: now}}
	for i := range autoVotes {
		want = append(want, parsed{ok: true, msg: "Failed password for root from 203.0.113.7 port 22 ssh2", host: "web1", prog: "sshd", pid: fmt.Sprint(i),
			time: time.Date(2026, 11, 23, 10, 0, i, 0, time.UTC)})
	}
	want = append(want, parsed{ok: false, msg: lines[len(lines)-2], time: now},
		parsed{ok: false, msg: "Nov 23 10:01:00 web1 -- MARK --", time: time.Date(2026, 11, 23, 10, 1, 0, 0, time.UTC)})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	// A file of nothing but lines in no format is raw after autoLines.
	p = NewLineParser(src)
	junk := make([]string, autoLines)
	for i := range junk {
		junk[i] = "plain words"
	}
	parseLines(p, "/junk", now, junk...)
	if f := p.AutoFormat("/junk"); f != AutoRaw || f.Timed() {
		t.Errorf("junk file: %v", f)
	}
}

// TestExplicitFormatsAreKept: a source that names its format reads every
// line in it, as before auto existed: raw stays raw on syslog lines (the
// whole line, the time of reading, no fields), and standard input without a
// format is raw.
func TestExplicitFormatsAreKept(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	line := "Nov 23 10:00:01 web1 sshd[42]: x"
	for _, tt := range []struct {
		config string
		format configs.Format
		want   parsed
	}{
		{`source "file" "s" {
  paths  = ["/a"]
  format = "raw"
}`, configs.FormatRaw, parsed{ok: true, msg: line, time: now}},
		{`source "stdin" "s" {}`, configs.FormatRaw, parsed{ok: true, msg: line, time: now}},
		{`source "file" "s" {
  paths    = ["/a"]
  format   = "syslog"
  timezone = "UTC"
}`, configs.FormatSyslog, parsed{ok: true, msg: "x", host: "web1", prog: "sshd", pid: "42", time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)}},
	} {
		src := autoSource(t, tt.config)
		p := NewLineParser(src)
		got := parseLines(p, "/a", now, line)
		if src.Format != tt.format || fmt.Sprint(got[0]) != fmt.Sprint(tt.want) {
			t.Errorf("%s: format %q, %+v; want %q, %+v", tt.config, src.Format, got[0], tt.format, tt.want)
		}
	}
}

// BenchmarkAuto: once a file's format is chosen, auto costs what the
// format costs (compare BenchmarkLineParser/syslog).
func BenchmarkLineParser(b *testing.B) {
	line := []byte("Nov 23 10:00:01 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 40022 ssh2")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, format := range []string{"syslog", "auto"} {
		b.Run(format, func(b *testing.B) {
			src := autoSource(b, fmt.Sprintf(`source "file" "s" {
  paths    = ["/var/log/auth.log"]
  format   = %q
  timezone = "UTC"
}`, format))
			p := NewLineParser(src)
			p.File("/var/log/auth.log")
			b.ReportAllocs()
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				p.File("/var/log/auth.log")
				ev := rules.Event{Line: line, Time: now}
				if !p.Parse(&ev, now) {
					b.Fatal("no parse")
				}
			}
		})
	}
}

// FuzzAuto feeds the lines of each input to one auto parser, so the choice
// and the chosen formats both see hostile lines: nothing panics, every
// line gets a time, and fields are host, program and pid.
func FuzzAuto(f *testing.F) {
	for _, seed := range []string{
		"Nov 23 10:00:01 web1 sshd[42]: x\nJun 7 01:10:56 sshd[1]: y\n\x00junk",
		"<38>1 2026-11-23T10:00:01Z web1 sshd 42 - [a b=\"]\"] x\n<38>1 - - - - - -",
		"2026-01-29 09:33:58 pop3-login: Info: x\n2026-01-29 09:33:58,1 INFO root: y",
		`{"ts":"2026-11-23T10:00:01Z","msg":"m"}` + "\n{\n" + `{"msg":1}`,
		"ts=1 msg=\"a\\\"b\" k=v\na=b\nk= =v x=\"",
		"Apr 25 20:59:15 h sshd[1]: [ID 800047 auth.info] x\nNov 23 21:50:37 <auth.info> bsd1 sshd[1]: x",
	} {
		f.Add(seed)
	}
	src := autoSource(f, `source "file" "s" {
  paths    = ["/a"]
  timezone = "UTC"
}`)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		p := NewLineParser(src)
		p.File("/a")
		for _, l := range strings.Split(in, "\n") {
			ev := rules.Event{Line: []byte(l), Time: now}
			ok := p.Parse(&ev, now)
			if ev.Time.IsZero() {
				t.Fatalf("%q: no time", l)
			}
			if ok && ev.Fields != nil && len(ev.Fields) != 3 {
				t.Fatalf("%q: fields %q", l, ev.Fields)
			}
			if !ok && (len(ev.Fields) > 0 && (ev.Fields[1] != nil || ev.Fields[2] != nil)) {
				t.Fatalf("%q: not parsed, yet a program %q", l, ev.Fields)
			}
		}
	})
}
