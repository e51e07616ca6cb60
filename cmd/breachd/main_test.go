package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestValidateGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/validate/*.hcl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli(context.Background(), []string{"validate", file}, &stdout, &stderr)
			golden := strings.TrimSuffix(file, ".hcl") + ".golden"
			if *update {
				if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := stdout.String(); got != string(want) {
				t.Errorf("breachd validate %s printed:\n%s\nwant:\n%s", file, got, want)
			}
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
		})
	}
}

func TestValidateThreeMistakesHavePositions(t *testing.T) {
	var stdout, stderr bytes.Buffer
	cli(context.Background(), []string{"validate", "testdata/validate/three-mistakes.hcl"}, &stdout, &stderr)
	out := stdout.String()
	// Each mistake is reported with its exact file:line:column.
	for _, want := range []string{
		"testdata/validate/three-mistakes.hcl:8:12: error: Unknown source",
		`did you mean "auth"?`,
		"testdata/validate/three-mistakes.hcl:14:16: error: Invalid within duration",
		"testdata/validate/three-mistakes.hcl:10:13: error: Invalid where condition",
		"unknown name usr",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestValidateReportsEverythingAtOnce: a value of the wrong type in a
// block does not hide the unknown source and the invalid regular
// expression of the same block: five mistakes, five diagnostics.
func TestValidateReportsEverythingAtOnce(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"validate", "testdata/validate/mixed-mistakes.hcl"}, &stdout, &stderr)
	out := stdout.String()
	const f = "testdata/validate/mixed-mistakes.hcl"
	for _, want := range []string{
		f + ":5:15: error: Unknown source",
		f + ":6:15: error: Invalid match expression",
		f + ":7:13: error: Missing required argument",
		f + ":8:15: error: Unsuitable value type",
		f + ":9:5: error: Unsupported argument",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, ": error: "); n != 5 || code != 1 {
		t.Errorf("exit %d, %d errors, want 1 and 5:\n%s", code, n, out)
	}
}

func TestValidateShippedExamples(t *testing.T) {
	all, err := filepath.Glob("../../configs/examples/*.hcl")
	deploy, _ := filepath.Glob("../../configs/deploy/*.hcl") // the package's default config
	all = append(all, deploy...)
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.hcl") { // rule tests, run by TestShippedRuleTests
			files = append(files, f)
		}
	}
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), append([]string{"validate"}, files...), &stdout, &stderr); code != 0 {
		t.Errorf("shipped examples do not validate (exit %d):\n%s%s", code, stdout.String(), stderr.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"validate"},
		{"incidents"},
		{"incidents", "show"},
		{"incidents", "show", "abc"},
		{"incidents", "list", "extra"},
		{"run", "--log-level", "loud"},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("breachd %q: exit %d, want 2 (usage error)", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("breachd %q: no message on stderr", args)
		}
	}
}

func TestTestCommandExitCodes(t *testing.T) {
	const dir = "internal/ruletest/testdata/"
	for _, tt := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"test", dir + "pass_test.hcl"}, 0, "PASS"},
		{[]string{"test", dir + "pass_test.hcl", dir + "fail_test.hcl"}, 1, "--- FAIL: fail_test.hcl/expects the wrong address"},
		{[]string{"test", dir + "nope_test.hcl"}, 1, "[load failed]"},
		{[]string{"test"}, 2, ""},
		// Directories and patterns, as go test users expect.
		{[]string{"test", "internal/ruletest/testdata"}, 1, "ok  \t" + dir + "pass_test.hcl"},
		{[]string{"test", dir + "pass*"}, 0, "ok  \t" + dir + "pass_test.hcl"},
		{[]string{"test", "../../configs/..."}, 0, "ok  \t../../configs/rules/sshd_test.hcl"},
		{[]string{"test", "../../configs/rules"}, 0, "ok  \t../../configs/rules/mail_variants_test.hcl"},
		{[]string{"test", dir + "nothing*"}, 1, ""},
		{[]string{"test", dir + "pass_test.hcl", dir + "pass*"}, 0, "ok  \t" + dir + "pass_test.hcl"},
		{[]string{"test", "internal"}, 1, ""},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli(context.Background(), tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stdout.String(), tt.out) {
			t.Errorf("%v: exit %d, want %d; output:\n%s%s", tt.args, code, tt.code, stdout.String(), stderr.String())
		}
	}
}

// TestShippedRuleTests runs every rule test file shipped under configs/, so
// the README's test command checks the shipped rules too.
func TestShippedRuleTests(t *testing.T) {
	var files []string
	filepath.WalkDir("../../configs", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, "_test.hcl") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no rule test files under configs/")
	}
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), append([]string{"test"}, files...), &stdout, &stderr); code != 0 {
		t.Errorf("breachd test %v: exit %d\n%s%s", files, code, stdout.String(), stderr.String())
	}
}

// TestReplayWithShippedPacks: breachd replay FILE works with no config,
// through the rule packs built into the binary.
func TestReplayWithShippedPacks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth.log")
	var b strings.Builder
	for i := range 6 {
		fmt.Fprintf(&b, "Mar  1 10:00:%02d web1 sshd[42]: Failed password for invalid user admin from 2001:db8::66 port %d ssh2\n", i, 40000+i)
	}
	os.WriteFile(path, []byte(b.String()), 0o600)
	mtime := time.Date(2026, 3, 1, 12, 0, 0, 0, time.Local)
	os.Chtimes(path, mtime, mtime)
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"replay", "--findings", path}, &stdout, &stderr)
	want := `{"rule":"sshd-brute-force","time":"2026-03-01T10:00:04`
	if code != 0 || !strings.HasPrefix(stdout.String(), want) || !strings.Contains(stdout.String(), `"key":{"ip":"2001:db8::66"}`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
}

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	messy := filepath.Join(dir, "messy.hcl")
	broken := filepath.Join(dir, "broken.hcl")
	os.WriteFile(messy, []byte("rule \"r\" {\nsource=\"a\"\n  match    =   \"x\"\n}\n"), 0o640)
	os.WriteFile(broken, []byte("rule \"r\" {\nsource=\"a\"\n"), 0o600)
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"fmt", "--check", messy}, &stdout, &stderr); code != 1 || stdout.String() != messy+"\n" {
		t.Errorf("-check: exit %d, %q", code, stdout.String())
	}
	if b, _ := os.ReadFile(messy); !strings.Contains(string(b), "source=\"a\"") {
		t.Error("-check changed the file")
	}
	stdout.Reset()
	if code := cli(context.Background(), []string{"fmt", messy, broken}, &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1 (broken.hcl)", code)
	}
	got, _ := os.ReadFile(messy)
	if want := "rule \"r\" {\n  source = \"a\"\n  match  = \"x\"\n}\n"; string(got) != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	if st, _ := os.Stat(messy); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(broken); string(b) != "rule \"r\" {\nsource=\"a\"\n" || !strings.Contains(stderr.String(), "has syntax errors; it was not changed") {
		t.Errorf("broken file: %q, stderr %s", b, stderr.String())
	}
	// Formatting is stable, and every shipped file is formatted.
	shipped, _ := filepath.Glob("../../configs/*/*.hcl")
	stdout.Reset()
	if code := cli(context.Background(), append([]string{"fmt", "--check", messy}, shipped...), &stdout, &stderr); code != 0 {
		t.Errorf("not formatted: %s", stdout.String())
	}
}

// TestReplayPicksThePackSourceByName: an access log is read as a web log.
// TestReplayReadsWebServerErrorLogs: Apache's and nginx's error logs,
// under the names Debian gives them, are read by the sources apache.hcl and
// nginx.hcl declare (not as MySQL's error.log), each event at its line's
// own time in local time, and five failures from one client are a finding.
func TestReplayReadsWebServerErrorLogs(t *testing.T) {
	dir := t.TempDir()
	apache := filepath.Join(dir, "var/log/apache2/error.log")
	nginx := filepath.Join(dir, "var/log/nginx/error.log")
	os.MkdirAll(filepath.Dir(apache), 0o755)
	os.MkdirAll(filepath.Dir(nginx), 0o755)
	var a, n strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&a, "[Sun Mar 01 10:00:0%d.123456 2026] [auth_basic:error] [pid 17512:tid 140123079128832] [client 2001:db8::7:5138%d] AH01618: user admin not found: /admin\n", i, i)
		fmt.Fprintf(&n, "2026/03/01 10:00:0%d [error] 2865#2865: *6%d user \"admin\": password mismatch, client: 203.0.113.9, server: example.com, request: \"GET /admin HTTP/1.1\", host: \"example.com\"\n", i, i)
	}
	os.WriteFile(apache, []byte(a.String()), 0o600)
	os.WriteFile(nginx, []byte(n.String()), 0o600)
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"replay", "--findings", apache, nginx}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := []string{
		`apache-auth-failures {"ip":"2001:db8::7"} ` + time.Date(2026, 3, 1, 10, 0, 4, 123456000, time.Local).UTC().Format(time.RFC3339Nano),
		`nginx-auth-failures {"ip":"203.0.113.9"} ` + time.Date(2026, 3, 1, 10, 0, 4, 0, time.Local).UTC().Format(time.RFC3339Nano),
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var f struct {
			Rule string
			Time time.Time
			Key  json.RawMessage
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, f.Rule+" "+string(f.Key)+" "+f.Time.UTC().Format(time.RFC3339Nano))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings:\n got %q\nwant %q\nstderr: %s", got, want, stderr.String())
	}
}

func TestReplayPicksThePackSourceByName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "access.log")
	os.WriteFile(path, []byte(`203.0.113.9 - - [01/Mar/2026:10:00:00 +0000] "GET /download?f=../../etc/passwd HTTP/1.1" 400 1 "-" "curl/8.0"`+"\n"), 0o600)
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"replay", "--findings", path}, &stdout, &stderr)
	if want := `{"rule":"web-path-traversal","time":"2026-03-01T10:00:00Z","key":{"ip":"203.0.113.9"}}`; code != 0 || strings.TrimSpace(stdout.String()) != want {
		t.Errorf("exit %d\nstdout: %s\nwant: %s\nstderr: %s", code, stdout.String(), want, stderr.String())
	}
}

// TestShippedRuleTestsOnRegexp: every shipped rule test passes with every
// expression on Go's regexp alone (BREACHD_MATCHER=regexp), the way back
// should breachd's own matcher be in doubt: the two agree on the packs.
func TestShippedRuleTestsOnRegexp(t *testing.T) {
	t.Setenv("BREACHD_MATCHER", "regexp")
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"test", "../../configs/..."}, &stdout, &stderr); code != 0 || !strings.HasSuffix(stdout.String(), "PASS\n") {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	t.Setenv("BREACHD_MATCHER", "pcre")
	if code := cli(context.Background(), []string{"test", "../../configs/..."}, &stdout, &stderr); code != 2 {
		t.Errorf("an unknown matcher: exit %d", code)
	}
}
