package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/detector/journal/journaltest"
)

// authConfig has a syslog source (auth) and a raw one (app), with rules
// that need the program the header gives; replayConfig adds a source
// without format (mail: auto).
const authConfig = `
source "file" "auth" {
  paths    = ["./auth.log"]
  format   = "syslog"
  timezone = "UTC"
}
source "file" "app" {
  paths  = ["./app.log"]
  format = "raw"
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd'"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
rule "app" {
  source = "app"
  match  = "login failed from (?P<ip>\\S+)"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
`

const replayConfig = authConfig + `
source "file" "mail" {
  paths    = ["./dovecot.log", "./mail-*.log"]
  timezone = "UTC"
}
rule "pop3" {
  source = "mail"
  match  = "^Info: Disconnected \\(auth failed, \\d+ attempts[^)]*\\): user=<[^>]*>, .*rip=(?P<ip>[0-9A-Fa-f.:]+),"
  where  = "program == 'pop3-login'"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
rule "mail-ssh" {
  source = "mail"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd'"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
`

// replayFiles writes the config cfg and the files (name → lines, each dated
// mtime) to a temp dir and runs breachd replay --findings on them; it
// returns the exit code, the findings and the summary with warnings.
func replayFiles(t *testing.T, cfg string, mtime time.Time, files map[string][]string, order ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"replay", "--findings", "--config", config}
	for _, name := range order {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(files[name], "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(path, mtime, mtime)
		args = append(args, path)
	}
	var stdout, stderr strings.Builder
	code := cli(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), strings.ReplaceAll(stderr.String(), dir+"/", "")
}

// failures returns n sshd failures from ip, a second apart from at, in the
// header shape format gives (a time.Format layout and the rest before the
// tag's message).
func failures(n int, at time.Time, ip string, header func(time.Time, int) string) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%sFailed password for root from %s port %d ssh2", header(at.Add(time.Duration(i)*time.Second), i), ip, 40000+i))
	}
	return out
}

// TestReplayReadsUnpaddedDays (issue 20): "Jun 7 01:10:56", which
// programs writing "%b %e" without padding give, parses; the rule's
// program condition holds.
func TestReplayReadsUnpaddedDays(t *testing.T) {
	at := time.Date(2026, 6, 7, 1, 10, 56, 0, time.UTC)
	lines := failures(3, at, "203.0.113.7", func(t time.Time, i int) string {
		return t.Format("Jan 2 15:04:05") + fmt.Sprintf(" myhost sshd[%d]: ", 100+i)
	})
	code, out, errs := replayFiles(t, authConfig, at.Add(time.Hour), map[string][]string{"auth.log": lines}, "auth.log")
	want := `{"rule":"ssh","time":"2026-06-07T01:10:58Z","key":{"ip":"203.0.113.7"}}` + "\n"
	if code != 0 || out != want || !strings.Contains(errs, "3 lines") || !strings.Contains(errs, "0 did not parse") {
		t.Errorf("exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplayReadsLinesWithoutHost (issue 20): "Nov 23 21:50:37
// sshd[8148]: ..." (busybox syslogd -S, journalctl for entries without a
// host) gives program sshd and no host; "[sshd]:" too; a line whose header
// has no tag is counted as not parsed.
func TestReplayReadsLinesWithoutHost(t *testing.T) {
	at := time.Date(2026, 11, 23, 21, 50, 37, 0, time.UTC)
	lines := failures(2, at, "203.0.113.8", func(t time.Time, i int) string {
		return t.Format(time.Stamp) + " sshd[8148]: "
	})
	lines = append(lines, at.Add(2*time.Second).Format(time.Stamp)+" [sshd]: Failed password for root from 203.0.113.8 port 40002 ssh2",
		at.Add(3*time.Second).Format(time.Stamp)+" web1 last message repeated 2 times")
	code, out, errs := replayFiles(t, authConfig, at.Add(time.Hour), map[string][]string{"auth.log": lines}, "auth.log")
	want := `{"rule":"ssh","time":"2026-11-23T21:50:39Z","key":{"ip":"203.0.113.8"}}` + "\n"
	if code != 0 || out != want || !strings.Contains(errs, "4 lines") || !strings.Contains(errs, "1 did not parse") {
		t.Errorf("exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplayDropsSolarisMessageIDs (issue 20): Solaris syslogd's "[ID
// 800047 auth.info]" after the tag is not part of the message, so an
// anchored match holds.
func TestReplayDropsSolarisMessageIDs(t *testing.T) {
	at := time.Date(2026, 4, 25, 20, 59, 15, 0, time.UTC)
	lines := failures(3, at, "172.16.224.11", func(t time.Time, i int) string {
		return t.Format(time.Stamp) + " srvweb8 sshd[10849]: [ID 800047 auth.info] "
	})
	code, out, errs := replayFiles(t, authConfig, at.Add(time.Hour), map[string][]string{"auth.log": lines}, "auth.log")
	want := `{"rule":"ssh","time":"2026-04-25T20:59:17Z","key":{"ip":"172.16.224.11"}}` + "\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplayReadsRFC5424Files (issue 20): RFC 5424 lines in a file (rsyslog's
// RSYSLOG_SyslogProtocol23Format) parse in the syslog format and are
// recognised by auto.
func TestReplayReadsRFC5424Files(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 1, 0, time.UTC)
	header := func(t time.Time, i int) string {
		return fmt.Sprintf("<38>1 %s web1 sshd %d - - ", t.Format(time.RFC3339Nano), 4242+i)
	}
	files := map[string][]string{
		"auth.log":       failures(3, at, "203.0.113.9", header),
		"mail-5424.log":  failures(3, at, "203.0.113.10", header),
		"mail-other.log": {"<38>1 2026-11-23T10:00:01Z web1 app - - [meta x=\"]\"] not ssh"},
	}
	// The syslog format.
	code, out, errs := replayFiles(t, authConfig, at.Add(time.Hour), files, "auth.log")
	want := `{"rule":"ssh","time":"2026-11-23T10:00:03Z","key":{"ip":"203.0.113.9"}}` + "\n"
	if code != 0 || out != want || fileRow(errs, "auth.log") != "auth syslog 3 0 0" {
		t.Errorf("syslog: exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
	// Auto.
	code, out, errs = replayFiles(t, replayConfig, at.Add(time.Hour), files, "mail-5424.log", "mail-other.log")
	want = `{"rule":"mail-ssh","time":"2026-11-23T10:00:03Z","key":{"ip":"203.0.113.10"}}` + "\n"
	if code != 0 || out != want || fileRow(errs, "mail-5424.log") != "mail auto: rfc5424 3 0 0" || fileRow(errs, "mail-other.log") != "mail auto: rfc5424 1 0 0" {
		t.Errorf("auto: exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplayReadsDovecotsOwnLog (issue 20): dovecot's log_path file, with
// its default "%b %d %H:%M:%S " stamps and with "%Y-%m-%d %H:%M:%S ", gives
// the program (pop3-login) and the message, in a source without format.
func TestReplayReadsDovecotsOwnLog(t *testing.T) {
	at := time.Date(2026, 1, 29, 9, 33, 58, 0, time.UTC)
	line := func(t time.Time, layout, ip string) string {
		return t.Format(layout) + " pop3-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=" + ip + ", lip=192.0.2.1, session=<x>"
	}
	var traditional, iso []string
	for i := range 3 {
		traditional = append(traditional, line(at.Add(time.Duration(i)*time.Second), time.Stamp, "203.0.113.11"))
		iso = append(iso, line(at.Add(time.Duration(i)*time.Second), time.DateTime, "2001:db8::11"))
	}
	iso = append(iso, at.Add(3*time.Second).Format(time.DateTime)+" auth-worker(4521): Info: pam(bob,2001:db8::11,<x>): pam_authenticate() failed")
	files := map[string][]string{"dovecot.log": traditional, "mail-iso.log": iso}
	code, out, errs := replayFiles(t, replayConfig, at.Add(time.Hour), files, "dovecot.log", "mail-iso.log")
	want := `{"rule":"pop3","time":"2026-01-29T09:34:00Z","key":{"ip":"203.0.113.11"}}` + "\n" +
		`{"rule":"pop3","time":"2026-01-29T09:34:00Z","key":{"ip":"2001:db8::11"}}` + "\n"
	if code != 0 || out != want || fileRow(errs, "dovecot.log") != "mail auto: syslog 3 0 0" || fileRow(errs, "mail-iso.log") != "mail auto: syslog 4 0 0" {
		t.Errorf("exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplaySaysWhichFormatAutoChose (issue 20): a source without format
// reads each file in the format of its first lines, garbage lines
// notwithstanding, and the summary names it per file.
func TestReplaySaysWhichFormatAutoChose(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	syslog := append([]string{"\x00\x00 garbage", "-- cut --"}, failures(3, at, "203.0.113.12", func(t time.Time, i int) string {
		return t.Format(time.Stamp) + fmt.Sprintf(" web1 sshd[%d]: ", i)
	})...)
	var js []string
	for i := range 3 {
		js = append(js, fmt.Sprintf(`{"time":"2026-11-23T10:00:0%dZ","message":"login ok","user":"u%d"}`, i, i))
	}
	files := map[string][]string{"mail-syslog.log": syslog, "mail-json.log": js, "mail-text.log": {"just words", "more words"}}
	code, out, errs := replayFiles(t, replayConfig, at.Add(time.Hour), files, "mail-syslog.log", "mail-json.log", "mail-text.log")
	want := `{"rule":"mail-ssh","time":"2026-11-23T10:00:02Z","key":{"ip":"203.0.113.12"}}` + "\n"
	rows := map[string]string{ // file source format lines, not parsed, untimed
		"mail-syslog.log": "mail auto: syslog 5 2 2",
		"mail-json.log":   "mail auto: json 3 0 0",
		"mail-text.log":   "mail auto: raw 2 2 2",
	}
	// The 2 garbage lines did not read as syslog: said as that, not as
	// lines without a time.
	warn := `breachd replay: warning: mail-syslog.log: 2 of 5 lines do not read in source "mail"'s format (auto: syslog): ` +
		"their fields (the address among them) are empty, so the rules that need them skip those lines; if the file is another log, name its source with --source NAME\n"
	if code != 0 || out != want || !strings.HasPrefix(errs, warn) {
		t.Errorf("exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s\nwant first:\n%s", code, out, want, errs, warn)
	}
	for file, want := range rows {
		if got := fileRow(errs, file); got != want {
			t.Errorf("summary row of %s: %q, want %q\n%s", file, got, want, errs)
		}
	}
}

// fileRow returns the summary's row for file, without the file, its
// columns joined by one space.
func fileRow(summary, file string) string {
	for _, l := range strings.Split(summary, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == file {
			return strings.Join(f[1:], " ")
		}
	}
	return ""
}

// TestReplayWarnsOfUnclaimedFiles (issue 20): a file no source's paths
// match is read in a default source's format, with a warning that names
// the file and how to map it.
func TestReplayWarnsOfUnclaimedFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secure")
	os.WriteFile(path, []byte("Mar  1 10:00:00 web1 sshd[1]: Accepted publickey for deploy from 192.0.2.1 port 22 ssh2\n"), 0o600)
	var stdout, stderr strings.Builder
	code := cli(context.Background(), []string{"replay", path}, &stdout, &stderr)
	want := "breachd replay: warning: " + path + `: no source's paths match it, so it is read as source "auth" (format syslog) and only that source's rules run on it; ` +
		"if it is another log, name its source with --source NAME, or rename the file as that source's paths name it (sources: auth (/var/log/auth.log); "
	if code != 0 || !strings.HasPrefix(stderr.String(), want) || fileRow(stdout.String(), path) != "auth (default) syslog 1 0 0" ||
		!strings.Contains(stdout.String(), "1 warnings, written to standard error as they were found") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant stderr to start with:\n%s", code, stdout.String(), stderr.String(), want)
	}
	// A file a source claims has no warning.
	claimed := filepath.Join(t.TempDir(), "auth.log")
	os.WriteFile(claimed, []byte("Mar  1 10:00:00 web1 sshd[1]: Accepted publickey for deploy from 192.0.2.1 port 22 ssh2\n"), 0o600)
	stdout.Reset()
	stderr.Reset()
	if code := cli(context.Background(), []string{"replay", claimed}, &stdout, &stderr); code != 0 || stderr.Len() != 0 || strings.Contains(stdout.String(), "warning") {
		t.Errorf("claimed file: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}

// TestReplayWarnsOfUntimedLines (issue 20): lines without a time of
// their own (a raw source) are all timed at the file's last change, so
// windows mean nothing: replay says so.
func TestReplayWarnsOfUntimedLines(t *testing.T) {
	mtime := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	lines := []string{"login failed from 192.0.2.7", "login failed from 192.0.2.7", "login failed from 192.0.2.7"}
	code, out, errs := replayFiles(t, authConfig, mtime, map[string][]string{"app.log": lines}, "app.log")
	wantOut := `{"rule":"app","time":"2026-11-23T12:00:00Z","key":{"ip":"192.0.2.7"}}` + "\n"
	wantWarn := `breachd replay: warning: app.log: its lines have no time of their own (source "app", format raw), so they are all timed at the file's last change (2026-11-23T12:00:00Z): ` +
		"the windows of rules (within) measure nothing in this replay; give the source a format that reads the lines' times"
	if code != 0 || out != wantOut || !strings.Contains(errs, wantWarn) {
		t.Errorf("exit %d\nfindings:\n%s\nsummary:\n%s\nwant warning:\n%s", code, out, errs, wantWarn)
	}
}

// TestReplayNeverRestampsTimes (issue 20): an RFC 3339 log from two years
// before the file's last change keeps its times (three failures ten minutes
// apart are no burst); a year-less stamp takes the year that puts it at or
// before the file's last change (December lines in a file closed on New
// Year's Day are last year's).
func TestReplayNeverRestampsTimes(t *testing.T) {
	old := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	var lines []string
	for i := range 3 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 203.0.113.13 port 22 ssh2", old.Add(time.Duration(i)*10*time.Minute).Format(time.RFC3339), i))
	}
	code, out, errs := replayFiles(t, authConfig, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), map[string][]string{"auth.log": lines}, "auth.log")
	if code != 0 || out != "" || !strings.Contains(errs, "3 lines") {
		t.Errorf("old RFC 3339 log: exit %d\nfindings:\n%s\nsummary:\n%s", code, out, errs)
	}
	nye := time.Date(2026, 12, 31, 23, 59, 57, 0, time.UTC)
	lines = failures(3, nye, "203.0.113.14", func(t time.Time, i int) string { return t.Format(time.Stamp) + " web1 sshd[1]: " })
	code, out, errs = replayFiles(t, authConfig, time.Date(2027, 1, 1, 0, 10, 0, 0, time.UTC), map[string][]string{"auth.log": lines}, "auth.log")
	if want := `{"rule":"ssh","time":"2026-12-31T23:59:59Z","key":{"ip":"203.0.113.14"}}` + "\n"; code != 0 || out != want {
		t.Errorf("December lines, file closed in January: exit %d\nfindings:\n%s\nwant:\n%s\nsummary:\n%s", code, out, want, errs)
	}
}

// TestReplayTheJournal: on a host whose only log is the journal, replay
// reads sshd's lines from it (journalctl, here on a journal file written
// by systemd-journal-remote) with their own times: five failures are one
// brute-force finding; what is not sshd's or the auth facility's is left.
func TestReplayTheJournal(t *testing.T) {
	journaltest.Require(t)
	j := journaltest.New(t)
	var entries [][]journaltest.Field
	for i := range 5 {
		entries = append(entries, append(journaltest.Syslog("web1", "sshd", "4242", "ssh.service",
			fmt.Sprintf("Failed password for root from 203.0.113.9 port %d ssh2", 40000+i)), journaltest.Field{Name: "_COMM", Value: "sshd"}, journaltest.Field{Name: "_UID", Value: "0"}))
	}
	entries = append(entries, append(journaltest.Syslog("web1", "cron", "1", "cron.service", "Failed password for root from 198.51.100.1 port 1 ssh2"), journaltest.Field{Name: "_COMM", Value: "cron"}, journaltest.Field{Name: "_UID", Value: "0"}))
	// A user's `logger -p auth.info -t sshd`: the identifier and facility
	// are the user's to choose, the process and uid are journald's.
	for i := range 5 {
		entries = append(entries, append(journaltest.Syslog("web1", "sshd", "777", "session-3.scope",
			fmt.Sprintf("Failed password for root from 198.51.100.71 port %d ssh2", 40000+i)), journaltest.Field{Name: "_COMM", Value: "logger"}, journaltest.Field{Name: "_UID", Value: "1000"}, journaltest.Field{Name: "SYSLOG_FACILITY", Value: "4"}))
	}
	j.Append(t, entries...)
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"replay", "--findings", "--journal-file", j.Path}, &stdout, &stderr)
	if code != 0 || strings.Count(stdout.String(), "\n") != 1 || !strings.Contains(stdout.String(), `"rule":"sshd-brute-force"`) ||
		!strings.Contains(stdout.String(), "203.0.113.9") || strings.Contains(stdout.String(), "198.51.100.1") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "\n5 lines") {
		t.Errorf("summary:\n%s", stderr.String())
	}
	if code := cli(context.Background(), []string{"replay", "--journal", "x.log"}, &stdout, &stderr); code != 2 {
		t.Errorf("--journal with a file: exit %d", code)
	}
	stderr.Reset()
	if code := cli(context.Background(), []string{"replay", "--journal-file", filepath.Join(t.TempDir(), "none.journal")}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "journalctl") {
		t.Errorf("a journal file that is not there: exit %d, %s", code, stderr.String())
	}
}

// TestReplayDefaultInput: with no file named, replay reads the auth log
// when there is one, else the journal when journalctl is installed.
func TestReplayDefaultInput(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.log")
	found := func(string) (string, error) { return "/usr/bin/journalctl", nil }
	missing := func(string) (string, error) { return "", exec.ErrNotFound }
	if got := defaultReplayInput(auth, found); got != journalInput {
		t.Errorf("no auth log, journalctl: %q", got)
	}
	if got := defaultReplayInput(auth, missing); got != "" {
		t.Errorf("no auth log, no journalctl: %q", got)
	}
	os.WriteFile(auth, nil, 0o600)
	if got := defaultReplayInput(auth, found); got != auth {
		t.Errorf("an auth log: %q", got)
	}
}

// TestReplayMatchesMaskSensitiveValues: --matches prints a sensitive
// rule's captures masked, as the findings hold them (docs/rules.md,
// "Sensitive rules"): no card number, SSN or IBAN in clear.
func TestReplayMatchesMaskSensitiveValues(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "log", "app")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "shop.log")
	os.WriteFile(path, []byte("2026-12-03T10:00:01Z INFO order paid card=4111 1111 1111 1111 ssn=123-45-6789 iban=DE89370400440532013000\n"), 0o600)
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", "--matches", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, clear := range []string{"4111 1111 1111 1111", "123-45-6789", "DE89370400440532013000", `"6789"`, `"123"`} {
		if strings.Contains(out, clear) {
			t.Errorf("--matches holds %q in clear:\n%s", clear, out)
		}
	}
	if strings.Count(out, "\n") != 3 || !strings.Contains(out, `"card":"**** **** **** 1111"`) {
		t.Errorf("want 3 masked matches:\n%s", out)
	}
	// --findings names where the data was seen, as the default report does.
	stdout.Reset()
	if code := cli(context.Background(), []string{"replay", "--findings", path}, &stdout, &stderr); code != 0 || strings.Count(stdout.String(), `"key":{"seen_in":"app"}`) != 3 {
		t.Errorf("--findings: exit %d\n%s", code, stdout.String())
	}
}

// writeLog writes lines to dir/rel and returns the path.
func writeLog(t *testing.T, dir, rel string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReplayWebAccessLogShapes: Debian's vhost_combined log and a basic
// auth user name holding a space are read as the access log (31 401s
// from one client are a finding); a line the format does not read never
// fires a web rule with an empty address.
func TestReplayWebAccessLogShapes(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 31 {
		lines = append(lines, fmt.Sprintf(`198.51.100.1 - a b [03/Dec/2026:10:00:%02d +0000] "GET /admin HTTP/1.1" 401 179 "-" "Mozilla/5.0"`, i))
	}
	spaced := writeLog(t, dir, "var/log/nginx/access.log", lines...)
	vhost := writeLog(t, dir, "var/log/apache2/other_vhosts_access.log",
		`example.com:443 198.51.100.5 - - [03/Dec/2026:10:02:00 +0000] "GET /../../etc/passwd HTTP/1.1" 404 179 "-" "Mozilla/5.0"`,
		`junk line with ../../etc/passwd and union select and <script>`)
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", "--findings", spaced, vhost}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{`"rule":"web-auth-failures"`, `"ip":"198.51.100.1"`, `"rule":"web-path-traversal"`, `"ip":"198.51.100.5"`} {
		if !strings.Contains(out, want) {
			t.Errorf("findings lack %s:\n%s\n%s", want, out, stderr.String())
		}
	}
	if strings.Contains(out, `"ip":""`) || strings.Count(out, "\n") != 2 {
		t.Errorf("want 2 findings, none with an empty address:\n%s", out)
	}
	if !strings.Contains(stderr.String(), `other_vhosts_access.log: 1 of 2 lines do not read in source "web"'s format`) {
		t.Errorf("no word on the junk line:\n%s", stderr.String())
	}
}

// TestReplayClaimsByPath: a rotated log is its log; a generic glob
// (/var/log/app/*.log) claims no file outside its directory; a file name
// with a newline cannot forge a warning line; a rule of a source no file
// is read as is refused, not listed as if it ran.
func TestReplayClaimsByPath(t *testing.T) {
	dir := t.TempDir()
	at := "Dec  3 10:00:0%d mx1 postfix/smtpd[1]: warning: unknown[192.0.2.9]: SASL LOGIN authentication failed: authentication failure"
	var mail []string
	for i := range 5 {
		mail = append(mail, fmt.Sprintf(at, i))
	}
	for _, rel := range []string{"var/log/mail.log.1", "var/log/mail.log-20261203"} {
		var stdout, stderr bytes.Buffer
		p := writeLog(t, dir, rel, mail...)
		if code := cli(context.Background(), []string{"replay", "--findings", p}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), `"rule":"postfix-sasl-failures"`) || strings.Contains(stderr.String(), "no source's paths match") {
			t.Errorf("%s: exit %d\n%s\n%s", rel, code, stdout.String(), stderr.String())
		}
	}
	// logrotate's compressed rotation is read through gzip.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Join(mail, "\n") + "\n"))
	zw.Close()
	zpath := filepath.Join(dir, "var/log/mail.log.2.gz")
	os.WriteFile(zpath, gz.Bytes(), 0o600)
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", "--findings", zpath}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), `"rule":"postfix-sasl-failures"`) {
		t.Errorf("mail.log.2.gz: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	vhosts := writeLog(t, dir, "var/log/apache2/example.com-error.log.x.log", "x")
	cli(context.Background(), []string{"replay", vhosts}, &stdout, &stderr)
	if strings.Contains(stdout.String(), " app ") {
		t.Errorf("a *.log outside /var/log/app read as the app log:\n%s", stdout.String())
	}
	stdout.Reset()
	stderr.Reset()
	odd := writeLog(t, dir, "odd\nbreachd replay: warning: forged.log", "x")
	cli(context.Background(), []string{"replay", odd}, &stdout, &stderr)
	if strings.Contains(stderr.String(), "\nbreachd replay: warning: forged.log") {
		t.Errorf("a file name forged a warning line:\n%s", stderr.String())
	}
	stderr.Reset()
	auth := writeLog(t, dir, "var/log/auth.log", "Dec  3 10:00:00 web1 sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2")
	if code := cli(context.Background(), []string{"replay", "--rule", "dovecot-auth-failures", auth}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `reads source "mail", and no file is read as it`) {
		t.Errorf("--rule of another source: exit %d, %s", code, stderr.String())
	}
}

// TestReplayCountsCutLines: a line longer than max_line_bytes is read cut,
// and replay says how many were.
func TestReplayCountsCutLines(t *testing.T) {
	dir := t.TempDir()
	long := "Dec  3 10:00:00 web1 sshd[1]: Failed password for " + strings.Repeat("x", 300_000) + " from 192.0.2.1 port 22 ssh2"
	p := writeLog(t, dir, "var/log/auth.log", long, "Dec  3 10:00:01 web1 sshd[1]: ok")
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", p}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "auth.log: 1 lines were longer than max_line_bytes") {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
}

// TestReplaySilenceIsTimedWhenItBegan: a silence found at the next line
// (11:30) is reported at the time it began to count (the last line plus
// the rule's 2 hours: 10:00), not when replay noticed it.
func TestReplaySilenceIsTimedWhenItBegan(t *testing.T) {
	dir := t.TempDir()
	p := writeLog(t, dir, "var/log/auth.log",
		"Dec  3 08:00:00 web1 CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)",
		"Dec  3 11:30:00 web1 CRON[2]: pam_unix(cron:session): session opened for user root by (uid=0)")
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", "--findings", p}, &stdout, &stderr); code != 0 ||
		!strings.Contains(stdout.String(), `{"rule":"auth-log-silent","time":"`) || !strings.Contains(stdout.String(), `T10:00:00Z"`) {
		t.Errorf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
}
