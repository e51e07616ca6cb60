package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A sample in fail2ban's annotation language (tests/samplestestcase.py):
// the lines each tool would read, and which are scored for a jail whose
// default mode is "normal".
const testSample = `# comment
# failJSON: { "time": "2005-01-01T00:00:01", "match": true , "host": "192.0.2.1", "user": "root" }
Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2
# failJSON: { "match": false }
Jan  1 00:00:02 h sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2
Jan  1 00:00:03 h sshd[1]: an unannotated line must not match

# filterOptions: [{"mode": "ddos"}, {"mode": "aggressive"}]
# failJSON: { "match": true , "host": "192.0.2.2" }
Jan  1 00:00:04 h sshd[2]: Did not receive identification string from 192.0.2.2

# filterOptions: [{}, {"mode": "aggressive"}]
# failJSON: { "constraint": "opts.get('mode') == 'aggressive'", "match": true , "host": "192.0.2.3" }
Jan  1 00:00:05 h sshd[3]: Connection closed by 192.0.2.3 [preauth]
# failJSON: { "constraint": "opts.get('mode') != 'aggressive'", "match": false }
Jan  1 00:00:06 h sshd[3]: Connection closed by 192.0.2.3 [preauth]
# failJSON: { "constraint": "name == 'other'", "match": true , "host": "192.0.2.4" }
Jan  1 00:00:07 h sshd[4]: Invalid user x from 192.0.2.4
# failJSON: { "match": true , "host": "192.0.2.5" }
# a comment line right after an annotation is the annotated line
`

func TestReadSample(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sshd")
	if err := os.WriteFile(path, []byte(testSample), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readSample(path, "sshd", "normal", "normal")
	if err != nil {
		t.Fatal(err)
	}
	want := []sampleLine{
		{text: "Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2", fileNo: 3, scored: true, fail: true, host: "192.0.2.1", user: "root"},
		{text: "Jan  1 00:00:02 h sshd[1]: Accepted password for root from 192.0.2.1 port 22 ssh2", fileNo: 5, scored: true},
		{text: "Jan  1 00:00:03 h sshd[1]: an unannotated line must not match", fileNo: 6, scored: true},
		{text: "Jan  1 00:00:04 h sshd[2]: Did not receive identification string from 192.0.2.2", fileNo: 10, fail: true, host: "192.0.2.2"},
		{text: "Jan  1 00:00:05 h sshd[3]: Connection closed by 192.0.2.3 [preauth]", fileNo: 14, fail: true, host: "192.0.2.3"},
		{text: "Jan  1 00:00:06 h sshd[3]: Connection closed by 192.0.2.3 [preauth]", fileNo: 16, scored: true},
		{text: "Jan  1 00:00:07 h sshd[4]: Invalid user x from 192.0.2.4", fileNo: 18, fail: true, host: "192.0.2.4"},
		{text: "# a comment line right after an annotation is the annotated line", fileNo: 20, scored: true, fail: true, host: "192.0.2.5"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("readSample:\n got %+v\nwant %+v", got, want)
	}

	// The same sample for a jail whose mode is not the filter's default
	// (postfix-sasl is postfix[mode=auth]): no section is its default.
	got, err = readSample(path, "sshd", "auth", "more")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range got {
		if l.scored {
			t.Errorf("mode auth: line %d scored", l.fileNo)
		}
	}
}

func TestPyCondition(t *testing.T) {
	opts := map[string]any{"mode": "aggressive"}
	for _, tc := range []struct {
		cond string
		want bool
	}{
		{"name == 'sshd'", true},
		{"name=='sshd'", true},
		{"name == 'sshd-journal'", false},
		{"opts.get('mode') == 'aggressive'", true},
		{"opts.get('mode') != 'aggressive'", false},
		{"opts.get('logtype') == 'journal'", false},
	} {
		got, err := pyCondition(tc.cond, "sshd", opts)
		if err != nil || got != tc.want {
			t.Errorf("pyCondition(%q) = %v, %v; want %v", tc.cond, got, err, tc.want)
		}
	}
	if _, err := pyCondition("sys.version_info >= (3,)", "sshd", opts); err == nil {
		t.Error("an unknown condition form was accepted")
	}
}

func TestIsDefault(t *testing.T) {
	for _, tc := range []struct {
		opts             map[string]any
		mode, filterMode string
		want             bool
	}{
		{map[string]any{}, "normal", "normal", true},
		{map[string]any{"mode": "normal"}, "normal", "normal", true},
		{map[string]any{"mode": "aggressive"}, "normal", "normal", false},
		{map[string]any{}, "auth", "more", false},
		{map[string]any{"mode": "auth"}, "auth", "more", true},
		{map[string]any{"logtype": "file"}, "", "", true},
		{map[string]any{"logtype": "journal"}, "", "", false},
		{map[string]any{"test.condition": "name=='sshd'"}, "normal", "normal", true},
		{map[string]any{"logging": "webapp"}, "", "", false},
	} {
		if got := isDefault(tc.opts, tc.mode, tc.filterMode); got != tc.want {
			t.Errorf("isDefault(%v, %q, %q) = %v, want %v", tc.opts, tc.mode, tc.filterMode, got, tc.want)
		}
	}
}

func TestF2bFailures(t *testing.T) {
	lines := []sampleLine{
		{text: "Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2"},
		{text: "Jan  1 00:00:02 h sshd[9]: Disconnecting: Too many authentication failures for root [preauth]"},
		{text: "Jan  1 00:00:03 h sshd[9]: Connection closed by 192.0.2.9 [preauth]"},
		{text: "Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2"},
	}
	// A multi-line failure is reported with every line it matched, the
	// last being the one that completed it; a repeated line is the next
	// one in the file.
	out := "@@F2B 192.0.2.1\n" + lines[0].text + "\n" +
		"@@F2B 192.0.2.9\n" + lines[1].text + "\n" + lines[2].text + "\n" +
		"@@F2B 192.0.2.1\n" + lines[3].text + "\n"
	got, err := f2bFailures([]byte(out), lines)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]string{0: {"192.0.2.1"}, 2: {"192.0.2.9"}, 3: {"192.0.2.1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("f2bFailures = %v, want %v", got, want)
	}
	if _, err := f2bFailures([]byte("@@F2B 192.0.2.1\nnot a line of the file\n"), lines); err == nil {
		t.Error("a failure on a line not in the file was accepted")
	}
}

func TestJudge(t *testing.T) {
	l := sampleLine{text: "Failed password for invalid user x from 10.0.0.1 port 22 ssh2 from 192.0.2.1 port 4 ssh2", fail: true, host: "192.0.2.1"}
	for _, tc := range []struct {
		got             []string
		found, injected bool
	}{
		{[]string{"192.0.2.1"}, true, false},
		{[]string{"10.0.0.1"}, false, true},
		{nil, false, false},
		{[]string{"198.51.100.1"}, false, false},
	} {
		found, injected := judge(l, tc.got)
		if found != tc.found || injected != tc.injected {
			t.Errorf("judge(%v) = %v, %v; want %v, %v", tc.got, found, injected, tc.found, tc.injected)
		}
	}
	// An address after the annotated one is a miss, not an injection
	// through the user name.
	l2 := sampleLine{text: "Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2", fail: true, host: "127.0.0.1"}
	if found, injected := judge(l2, []string{"10.10.1.2"}); found || injected {
		t.Errorf("judge(after the annotated address) = %v, %v; want false, false", found, injected)
	}
	// The IPv4-mapped form of the annotated address is a miss.
	l3 := sampleLine{text: "ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4", fail: true, host: "1.2.3.4"}
	if found, injected := judge(l3, []string{"::ffff:1.2.3.4"}); found || injected {
		t.Errorf("judge(IPv4-mapped) = %v, %v; want false, false", found, injected)
	}
}

// TestAccessLine: nginx-botsearch's sample mixes access-log lines, which
// breachd reads as the access log, with error-log lines.
func TestAccessLine(t *testing.T) {
	for line, want := range map[string]bool{
		`12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] "GET //pma/scripts/setup.php HTTP/1.1" 404 47 "-" "-" "-"`:                                                                                                           true,
		`7.8.9.10 - root [20/Jan/2015:01:17:07 +0100] "GET /cgi-bin/recent.cgi HTTP/1.1" 404 162 "-" "-" "-"`:                                                                                                              true,
		`2015/01/21 10:56:10 [error] 2833#0: *16336 open() "/var/www/site/cgi-bin/php4" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: "GET /cgi-bin/php4 HTTP/1.1", host: "1.2.3.4"`: false,
		`[Sat Jun 01 11:23:08 2013] [error] [client 1.2.3.4] File does not exist: /xxx/~`:                                                                                                                                  false,
	} {
		if got := accessLine.MatchString(line); got != want {
			t.Errorf("accessLine(%q) = %v, want %v", line, got, want)
		}
	}
}
