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
		// PostgreSQL's log_line_prefix '%m [%p] ' (Debian's default):
		// a time with its zone's abbreviation, and no tag.
		{line: `2026-11-23 10:00:00.123 UTC [4242] postgres@postgres FATAL:  password authentication failed for user "postgres"`, loc: berlin,
			ok: false, time: time.Date(2026, 11, 23, 10, 0, 0, 123e6, time.UTC), message: `[4242] postgres@postgres FATAL:  password authentication failed for user "postgres"`},
		{line: `2026-11-23 10:00:00.123 CET [4242] x`, loc: berlin,
			ok: false, time: time.Date(2026, 11, 23, 9, 0, 0, 123e6, time.UTC), message: `CET [4242] x`},
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
		// daemontools multilog's TAI64N label (fail2ban's dovecot sample,
		// line 2): 0x4c91b044 = 1284616260 s after 2^62, minus the 10 s
		// libtai adds (tai_now), and 0x077a9e94 ns; always UTC, and no
		// host follows it.
		{line: "@400000004c91b044077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): rip=192.0.2.1", loc: berlin,
			ok: true, time: time.Date(2010, 9, 16, 5, 50, 50, 125476500, time.UTC), prog: "imap-login",
			message: "Info: Aborted login (auth failed, 1 attempts): rip=192.0.2.1"},
		{line: "@400000004C91B044077A9E94 dovecot-auth: pam_unix(dovecot:auth): x",
			ok: true, time: time.Date(2010, 9, 16, 5, 50, 50, 125476500, time.UTC), prog: "dovecot-auth", message: "pam_unix(dovecot:auth): x"},
		{line: "@400000006afd86ca00000000 auth-worker(4521): Info: y",
			ok: true, time: time.Date(2026, 11, 18, 11, 6, 40, 0, time.UTC), prog: "auth-worker", pid: "4521", message: "Info: y"},
		// A multilog line without a tag: its time, no host.
		{line: "@400000004c91b044077a9e94 starting up: ok",
			ok: false, time: time.Date(2010, 9, 16, 5, 50, 50, 125476500, time.UTC), message: "starting up: ok"},
		{line: "@400000004c91b044077a9e9 x: y"},
		{line: "@400000004c91b044077a9e9g x: y"},
		{line: "@3fffffffffffffff00000000 x: y"},
		{line: "@400000004c91b0443b9aca00 x: y"},
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

// TestSyslogShapes parses the header shapes real syslog daemons and
// programs write, each from the source named in its comment: the program
// and pid are found with or without a host, and a host is never taken for
// a program or the other way round.
func TestSyslogShapes(t *testing.T) {
	utc := func(mo time.Month, d, h, m, s, ns int) time.Time {
		return time.Date(2026, mo, d, h, m, s, ns, time.UTC)
	}
	tests := []struct {
		name                     string
		line                     string
		ok                       bool
		time                     time.Time
		host, prog, pid, message string
	}{
		// rsyslog's RSYSLOG_TraditionalFileFormat ("%TIMESTAMP%
		// %HOSTNAME% %syslogtag%%msg%", rsyslog's reserved templates)
		// and syslog-ng's "${DATE} ${HOST} ${MSGHDR}${MESSAGE}" pad the
		// day with a space ("Jun  7"), rsyslog's date-rfc3164-buggyday
		// with a zero ("Jun 07"); the unpadded "Jun 7" comes from
		// programs and devices that format the stamp themselves (RFC
		// 3164 §4.1.2 asks for the space). docs/sources.md accepts all
		// three.
		{"unpadded day", "Jun 7 01:10:56 myhost sshd[1]: x",
			true, utc(6, 7, 1, 10, 56, 0), "myhost", "sshd", "1", "x"},
		{"unpadded day, fraction", "Jun 7 01:10:56.250 myhost sshd[1]: x",
			true, utc(6, 7, 1, 10, 56, 250e6), "myhost", "sshd", "1", "x"},
		{"space-padded day", "Jun  7 01:10:56 myhost sshd[1]: x",
			true, utc(6, 7, 1, 10, 56, 0), "myhost", "sshd", "1", "x"},
		{"zero-padded day", "Jun 07 01:10:56 myhost sshd[1]: x",
			true, utc(6, 7, 1, 10, 56, 0), "myhost", "sshd", "1", "x"},
		// No host: busybox syslogd -S ("small", syslogd.c: "%s %s\n",
		// timestamp, msg), journalctl -o short for an entry without
		// _HOSTNAME, the "auth.info: Jul 11 14:10:53 sshd[382]: ..."
		// console form of Solaris syslogd, and fail2ban's sample logs
		// (its common.conf makes the host optional).
		{"no host", "Nov 23 21:50:37 sshd[8148]: Failed password for root from 203.0.113.7 port 22 ssh2",
			true, utc(11, 23, 21, 50, 37, 0), "", "sshd", "8148", "Failed password for root from 203.0.113.7 port 22 ssh2"},
		{"no host, no pid", "Jun  7 01:10:56 sshd: x",
			true, utc(6, 7, 1, 10, 56, 0), "", "sshd", "", "x"},
		// fail2ban's common.conf __daemon_re: "EXAMPLES: pam_rhosts_auth,
		// [sshd], pop(pam_unix)".
		{"no host, bracketed program", "Nov 23 21:50:37 [sshd]: error: PAM: Authentication failure for root from 203.0.113.7",
			true, utc(11, 23, 21, 50, 37, 0), "", "sshd", "", "error: PAM: Authentication failure for root from 203.0.113.7"},
		{"host and bracketed program", "Nov 23 21:50:37 web1 [sshd]: x",
			true, utc(11, 23, 21, 50, 37, 0), "web1", "sshd", "", "x"},
		// fail2ban's sshd sample (gh-267): "There might be no colon
		// after [daemon]".
		{"no host, bracketed program, no colon", "Jun 25 23:53:34 [sshd] User root from 1.2.3.4 not allowed because not listed in AllowUsers",
			true, utc(6, 25, 23, 53, 34, 0), "", "sshd", "", "User root from 1.2.3.4 not allowed because not listed in AllowUsers"},
		{"no host, empty message", "Nov 23 21:50:37 sshd[1]:",
			true, utc(11, 23, 21, 50, 37, 0), "", "sshd", "1", ""},
		// journalctl -o short-precise: "%b %d %H:%M:%S" and ".%06u"
		// (systemd's logs-show.c).
		{"short-precise", "Nov 23 21:50:37.123456 web1 sshd[8148]: x",
			true, utc(11, 23, 21, 50, 37, 123456000), "web1", "sshd", "8148", "x"},
		// journalctl -o short-iso: "%Y-%m-%dT%H:%M:%S%z" before systemd
		// 254 ("+0100"), "%+03d:%02d" after; short-iso-precise adds
		// microseconds.
		{"short-iso %z", "2026-11-23T21:50:37+0100 web1 sshd[8148]: x",
			true, utc(11, 23, 20, 50, 37, 0), "web1", "sshd", "8148", "x"},
		{"short-iso-precise", "2026-11-23T21:50:37.123456+01:00 web1 sshd[8148]: x",
			true, utc(11, 23, 20, 50, 37, 123456000), "web1", "sshd", "8148", "x"},
		// A host name that is an address: rsyslog writes %HOSTNAME% as
		// the sender's address when it has no name. Its colons are not a
		// tag's.
		{"IPv6 host", "Nov 23 21:50:37 2001:db8::1 sshd[1]: x",
			true, utc(11, 23, 21, 50, 37, 0), "2001:db8::1", "sshd", "1", "x"},
		{"IPv6 host ending in ::", "Nov 23 21:50:37 2001:db8:: sshd[1]: x",
			true, utc(11, 23, 21, 50, 37, 0), "2001:db8::", "sshd", "1", "x"},
		// A message that looks like a tag is the message: the first word
		// after the host is the tag.
		{"tag-like message", "Nov 23 21:50:37 web1 sshd[1]: root: x",
			true, utc(11, 23, 21, 50, 37, 0), "web1", "sshd", "1", "root: x"},
		// A program with a slash and a pid (postfix's smtpd).
		{"postfix", "Nov 23 21:50:37 mx postfix/smtpd[77]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
			true, utc(11, 23, 21, 50, 37, 0), "mx", "postfix/smtpd", "77", "warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x"},
		// Solaris and illumos syslogd add a message ID after the tag
		// ("[ID 800047 auth.info]"; fail2ban's common.conf
		// __daemon_extra_re); it is not part of the message.
		{"Solaris message ID", "Apr 25 20:59:15 srvweb8 sshd[10849]: [ID 800047 auth.info] Failed password for root from 172.16.224.11 port 24206 ssh2",
			true, utc(4, 25, 20, 59, 15, 0), "srvweb8", "sshd", "10849", "Failed password for root from 172.16.224.11 port 24206 ssh2"},
		{"Solaris message ID, no host", "Jul 11 14:10:53 sshd[382]: [ID 800047 auth.info] Accepted rsa for ROOT from 195.71.100.159 port 36177",
			true, utc(7, 11, 14, 10, 53, 0), "", "sshd", "382", "Accepted rsa for ROOT from 195.71.100.159 port 36177"},
		{"not a message ID", "Apr 25 20:59:15 h sshd[1]: [ID x] y",
			true, utc(4, 25, 20, 59, 15, 0), "h", "sshd", "1", "[ID x] y"},
		// BSD syslogd -v: "<auth.info>" before the host (fail2ban's
		// common.conf __bsd_syslog_verbose, its logs/bsd samples).
		{"BSD syslogd -v", "Nov 23 21:50:37 <auth.info> bsd1 sshd[1]: x",
			true, utc(11, 23, 21, 50, 37, 0), "bsd1", "sshd", "1", "x"},
		// busybox syslogd without -S: "%s %.64s %s %s\n", timestamp,
		// hostname, facility.level, message (syslogd.c).
		{"busybox", "Nov 23 21:50:37 router authpriv.info dropbear[812]: Bad password attempt for 'root' from 203.0.113.7:50022",
			true, utc(11, 23, 21, 50, 37, 0), "router", "dropbear", "812", "Bad password attempt for 'root' from 203.0.113.7:50022"},
		// Dovecot's own log_path file: the default log_timestamp "%b %d
		// %H:%M:%S " and the prefix "pop3-login: " (or "auth: ",
		// "imap-login: ", "auth-worker(PID): "), then the level.
		{"dovecot", "Jan 29 09:33:58 pop3-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<a>, method=PLAIN, rip=203.0.113.7, lip=192.0.2.1, session=<x>",
			true, utc(1, 29, 9, 33, 58, 0), "", "pop3-login", "", "Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<a>, method=PLAIN, rip=203.0.113.7, lip=192.0.2.1, session=<x>"},
		{"dovecot ISO", "2026-01-29 09:33:58 imap-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): user=<a>, rip=203.0.113.7",
			true, utc(1, 29, 9, 33, 58, 0), "", "imap-login", "", "Info: Aborted login (auth failed, 1 attempts in 2 secs): user=<a>, rip=203.0.113.7"},
		{"dovecot auth worker", "2026-01-29 09:33:58 auth-worker(4521): Info: pam(bob,203.0.113.7,<x>): pam_authenticate() failed: Authentication failure",
			true, utc(1, 29, 9, 33, 58, 0), "", "auth-worker", "4521", "Info: pam(bob,203.0.113.7,<x>): pam_authenticate() failed: Authentication failure"},
		{"dovecot ISO with fraction", "2026-01-29 09:33:58.123 auth: Info: x",
			true, utc(1, 29, 9, 33, 58, 123e6), "", "auth", "", "Info: x"},
		// An ISO 8601 stamp with a space is followed by a tag, never a
		// host (Python's logging: "%(asctime)s %(levelname)s %(name)s:").
		{"ISO with a space, a level where a host would be", "2026-01-29 09:33:58,123 INFO root: x",
			false, utc(1, 29, 9, 33, 58, 123e6), "", "", "", "INFO root: x"},
		// fail2ban's common.conf: "pop(pam_unix)[4920]".
		{"program with parentheses", "Nov 23 21:50:37 h pop(pam_unix)[4920]: x",
			true, utc(11, 23, 21, 50, 37, 0), "h", "pop(pam_unix)", "4920", "x"},
		// RFC 5424 lines in a file: rsyslog's
		// RSYSLOG_SyslogProtocol23Format, "<%PRI%>1 %TIMESTAMP:::date-
		// rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %MSGID%
		// %STRUCTURED-DATA% %msg%"; the examples of RFC 5424 §6.5.
		{"RFC 5424", "<38>1 2026-11-23T10:00:01.5+01:00 web1 sshd 4242 - - Failed password for root",
			true, utc(11, 23, 9, 0, 1, 500e6), "web1", "sshd", "4242", "Failed password for root"},
		{"RFC 5424 §6.5 example 1", "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8",
			true, time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC), "mymachine.example.com", "su", "", "'su root' failed for lonvick on /dev/pts/8"},
		{"RFC 5424 §6.5 example 3", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...`,
			true, time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC), "mymachine.example.com", "evntslog", "", "An application event log entry..."},
		{"RFC 5424 §6.5 example 4", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]`,
			true, time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC), "mymachine.example.com", "evntslog", "", ""},
		{"RFC 5424 escaped ]", `<38>1 2026-11-23T10:00:01Z h app - - [a x="q\]\"r"] m`,
			true, utc(11, 23, 10, 0, 1, 0), "h", "app", "", "m"},
		{"RFC 5424 nil time", "<38>1 - - - - - -",
			true, time.Time{}, "", "", "", ""},
		{"RFC 5424 unterminated SD", `<38>1 2026-11-23T10:00:01Z h app - - [a x="]`, false, time.Time{}, "", "", "", ""},
		{"RFC 5424 bad time", "<38>1 2026-11-23 h app - - - m", false, time.Time{}, "", "", "", ""},
		// Not understood: a timestamp and words without a tag.
		{"rsyslog mark", "Nov 23 21:50:37 web1 -- MARK --",
			false, utc(11, 23, 21, 50, 37, 0), "web1", "", "", "-- MARK --"},
		{"no tag, no host", "Nov 23 21:50:37 nothing",
			false, utc(11, 23, 21, 50, 37, 0), "", "", "", "nothing"},
		{"unterminated pid", "Nov 23 21:50:37 sshd[12: x",
			false, utc(11, 23, 21, 50, 37, 0), "sshd[12:", "", "", "x"},
		{"tag without a space after, first word", "Nov 23 21:50:37 sshd:x y",
			false, utc(11, 23, 21, 50, 37, 0), "sshd:x", "", "", "y"},
		{"unpadded day, no clock", "Jun 7 0110:56 myhost sshd[1]: x", false, time.Time{}, "", "", "", ""},
		{"year 1", "0001-01-01 00:00:00 sshd[1]: x", false, time.Time{}, "", "", "", ""},
	}
	for _, tt := range tests {
		h, ok := (&SyslogParser{}).Parse([]byte(tt.line), ref)
		if ok != tt.ok || !h.Time.Equal(tt.time) || string(h.Host) != tt.host || string(h.Program) != tt.prog || string(h.PID) != tt.pid || string(h.Message) != tt.message {
			t.Errorf("%s: %q:\n got %v %v %q %q %q %q\nwant %v %v %q %q %q %q", tt.name, tt.line, ok, h.Time, h.Host, h.Program, h.PID, h.Message,
				tt.ok, tt.time, tt.host, tt.prog, tt.pid, tt.message)
		}
	}
}
