package parse

import (
	"bufio"
	"os"
	"testing"
	"time"
	_ "time/tzdata" // the test loads Europe/Berlin wherever it runs
)

var ref = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestSyslog(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line                     string
		loc                      *time.Location
		ref                      time.Time
		ok                       bool
		time                     time.Time
		host, prog, pid, message string
	}{
		{line: "Nov 23 10:00:01 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2",
			ok: true, time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC), host: "web1", prog: "sshd", pid: "4242",
			message: "Failed password for root from 203.0.113.7 port 22 ssh2"},
		{line: "Nov  3 09:08:07 web1 CRON[1]: (root) CMD (true)",
			ok: true, time: time.Date(2026, 11, 3, 9, 8, 7, 0, time.UTC), host: "web1", prog: "CRON", pid: "1", message: "(root) CMD (true)"},
		{line: "2026-11-23T10:00:01.123456+01:00 web1 sshd[7]: Accepted publickey for deploy",
			ok: true, time: time.Date(2026, 11, 23, 9, 0, 1, 123456000, time.UTC), host: "web1", prog: "sshd", pid: "7", message: "Accepted publickey for deploy"},
		{line: "2026-11-23T10:00:01Z web1 kernel: [ 1.0] boot",
			ok: true, time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC), host: "web1", prog: "kernel", message: "[ 1.0] boot"},
		{line: "<38>Nov 23 10:00:01 web1 sshd[1]: hi",
			ok: true, time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC), host: "web1", prog: "sshd", pid: "1", message: "hi"},
		// A line without a tag is not understood: its time and the
		// word after it are read, but ok is false.
		{line: "Nov 23 10:00:01 web1 no tag here",
			ok: false, time: time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC), host: "web1", message: "no tag here"},
		// Zone of traditional timestamps.
		{line: "Nov 23 10:00:01 web1 sshd[1]: x", loc: berlin,
			ok: true, time: time.Date(2026, 11, 23, 9, 0, 1, 0, time.UTC), host: "web1", prog: "sshd", pid: "1", message: "x"},
		// A December line read on New Year's Day belongs to last year.
		{line: "Dec 31 23:59:59 web1 sshd[1]: x", ref: time.Date(2027, 1, 1, 0, 0, 5, 0, time.UTC),
			ok: true, time: time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), host: "web1", prog: "sshd", pid: "1", message: "x"},
		{line: "Failed password for root"},
		{line: "Nov 32 10:00:01 web1 sshd: x"},
		{line: "Foo 23 10:00:01 web1 sshd: x"},
		{line: "2026-13-01T00:00:00Z web1 x: y"},
		// An ISO 8601 stamp without a zone is in the source's zone.
		{line: "2026-11-23T10:00:01 web1 x: y", loc: berlin,
			ok: true, time: time.Date(2026, 11, 23, 9, 0, 1, 0, time.UTC), host: "web1", prog: "x", message: "y"},
		{line: "<999999>Nov 23 10:00:01 web1 sshd: x"},
		{line: "Nov 23 10:00:01"},
		{line: ""},
	}
	for _, tt := range tests {
		r := tt.ref
		if r.IsZero() {
			r = ref
		}
		h, ok := (&SyslogParser{Location: tt.loc}).Parse([]byte(tt.line), r)
		if ok != tt.ok {
			t.Errorf("%q: ok = %v, want %v", tt.line, ok, tt.ok)
			continue
		}
		if !ok && tt.time.IsZero() {
			if !h.Time.IsZero() || h.Host != nil || h.Program != nil || h.PID != nil || h.Message != nil {
				t.Errorf("%q: not a syslog line, yet %+v", tt.line, h)
			}
			continue
		}
		if !h.Time.Equal(tt.time) || string(h.Host) != tt.host || string(h.Program) != tt.prog || string(h.PID) != tt.pid || string(h.Message) != tt.message {
			t.Errorf("%q:\n got %v %q %q %q %q\nwant %v %q %q %q %q", tt.line, h.Time, h.Host, h.Program, h.PID, h.Message,
				tt.time, tt.host, tt.prog, tt.pid, tt.message)
		}
	}
}

// TestSyslogRemembersStampsCorrectly parses a sequence of lines with one
// parser, which reuses the last timestamp and reference year, and with a
// fresh parser each: the answers must agree, across repeated stamps,
// fractions, a new year and February 29.
func TestSyslogRemembersStampsCorrectly(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	jan := time.Date(2025, 1, 1, 0, 30, 0, 0, time.UTC)
	steps := []struct {
		line string
		ref  time.Time
		loc  *time.Location
	}{
		{"Nov 23 10:00:01 h p: a", ref, nil},
		{"Nov 23 10:00:01 h p: b", ref, nil},
		{"Nov 23 10:00:01.250 h p: c", ref, nil},
		{"Nov 23 10:00:01 h p: d", ref.AddDate(1, 0, 0), nil},
		{"Dec 31 23:59:59 h p: e", jan, nil},
		{"Dec 31 23:59:59 h p: f", jan.AddDate(0, 0, -1), nil},
		{"Feb 29 12:00:00 h p: g", time.Date(2025, 2, 27, 0, 0, 0, 0, time.UTC), nil},
		{"Feb 29 12:00:00 h p: h", time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC), nil},
		{"Mar 30 02:30:00.5 h p: i", time.Date(2025, 3, 30, 12, 0, 0, 0, time.UTC), berlin},
		{"Mar 30 02:30:00 h p: j", time.Date(2025, 3, 30, 12, 0, 0, 0, time.UTC), nil},
	}
	shared := &SyslogParser{}
	for _, st := range steps {
		shared.Location = st.loc
		got, ok1 := shared.Parse([]byte(st.line), st.ref)
		want, ok2 := (&SyslogParser{Location: st.loc}).Parse([]byte(st.line), st.ref)
		if ok1 != ok2 || !got.Time.Equal(want.Time) || got.Time.Location() != want.Time.Location() {
			t.Errorf("%q at %v: reused parser gives %v %v, a fresh one %v %v", st.line, st.ref, got.Time, ok1, want.Time, ok2)
		}
	}
	// The year of a stamp that would lie ahead is the previous one, even
	// for a day that year has and the current one has not.
	h, _ := shared.Parse([]byte("Feb 29 12:00:00 h p: k"), time.Date(2025, 2, 27, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC); !h.Time.Equal(want) {
		t.Errorf("Feb 29 read on 2025-02-27: %v, want %v", h.Time, want)
	}
}

func TestSyslogParsesNothingOutsideTheLine(t *testing.T) {
	line := []byte("Nov 23 10:00:01 web1 sshd[4242]: msg")
	h, _ := (&SyslogParser{}).Parse(line, ref)
	// The fields alias the line: no copies.
	if &h.Message[0] != &line[len(line)-3] {
		t.Error("message is a copy")
	}
}

func BenchmarkSyslog(b *testing.B) {
	line := []byte("Nov 23 10:00:01 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 40022 ssh2")
	p := &SyslogParser{Location: time.UTC}
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, ok := p.Parse(line, ref); !ok {
			b.Fatal("no parse")
		}
	}
}

// BenchmarkSyslogShapes parses each header shape: none allocates.
func BenchmarkSyslogShapes(b *testing.B) {
	const msg = "Failed password for invalid user admin from 203.0.113.7 port 40022 ssh2"
	for _, tt := range []struct{ name, line string }{
		{"unpadded", "Jun 7 01:10:56 web1 sshd[4242]: " + msg},
		{"nohost", "Nov 23 10:00:01 sshd[4242]: " + msg},
		{"solaris", "Nov 23 10:00:01 web1 sshd[4242]: [ID 800047 auth.info] " + msg},
		{"rfc3339", "2026-11-23T10:00:01.123456+01:00 web1 sshd[4242]: " + msg},
		{"rfc5424", "<38>1 2026-11-23T10:00:01.123456+01:00 web1 sshd 4242 - - " + msg},
		{"dovecot-iso", "2026-11-23 10:00:01 pop3-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<a>, rip=203.0.113.7"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			line := []byte(tt.line)
			p := &SyslogParser{Location: time.UTC}
			b.ReportAllocs()
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				if _, ok := p.Parse(line, ref); !ok {
					b.Fatal("no parse")
				}
			}
		})
	}
}

// FuzzSyslog: no input panics; every part returned lies inside the line
// (none is a copy); a line that is not ok returns a time only with the
// rest of a header it could not read; the tag's parts never overlap the
// message.
func FuzzSyslog(f *testing.F) {
	file, err := os.Open("testdata/syslog.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	file.Close()
	f.Fuzz(func(t *testing.T, line string) {
		b := []byte(line)
		h, ok := (&SyslogParser{}).Parse(b, ref)
		for _, part := range [][]byte{h.Host, h.Program, h.PID, h.Message} {
			if !inside(b, part) {
				t.Fatalf("%q: a part is not inside the line: %+v", line, h)
			}
		}
		if !ok && h.Time.IsZero() && (h.Host != nil || h.Program != nil || h.PID != nil || h.Message != nil) {
			t.Fatalf("%q: not parsed, yet %+v", line, h)
		}
		if !ok && (h.Program != nil || h.PID != nil) {
			t.Fatalf("%q: no tag, yet a program: %+v", line, h)
		}
		if len(h.Host)+len(h.Program)+len(h.PID)+len(h.Message) > len(b) {
			t.Fatalf("%q: the parts overlap: %+v", line, h)
		}
	})
}

// inside reports whether part is empty or a subslice of line.
func inside(line, part []byte) bool {
	if len(part) == 0 {
		return true
	}
	for i := range line {
		if &line[i] == &part[0] {
			return i+len(part) <= len(line)
		}
	}
	return false
}
