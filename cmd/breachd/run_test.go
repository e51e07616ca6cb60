package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the daemon's logger and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunReloadsOnSIGHUP: breachd run logs in the config's log_format
// (JSON here) at its log_level, and SIGHUP reloads the config: a rule
// added to the file gets its series, and the level the new config sets
// applies (warn at start hides "breachd started"; info after the reload
// shows "config reloaded").
func TestRunReloadsOnSIGHUP(t *testing.T) {
	// The test process receives the SIGHUP; this keeps it from ending the
	// process should the daemon not have subscribed yet.
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, syscall.SIGHUP)
	defer signal.Stop(guard)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "breachd.hcl")
	config := func(level, extra string) {
		t.Helper()
		c := fmt.Sprintf(`
server {
  listen         = %q
  data_dir       = "./var"
  anonymous_role = "viewer"
  log_format     = "json"
  log_level      = %q
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
}
%s`, addr, level, extra)
		if err := os.WriteFile(path, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	config("warn", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- cli(ctx, []string{"run", "--config", path}, io.Discard, &stderr) }()

	metrics := func() string {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			select {
			case code := <-done:
				t.Fatalf("breachd run exited (%d) while waiting for %s:\n%s", code, what, stderr.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s:\n%s", what, stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("/-/ready", func() bool {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if strings.Contains(metrics(), `rule="sudo"`) {
		t.Fatal("sudo has series before it is configured")
	}
	config("info", `
rule "sudo" {
  source = "auth"
  match  = "sudo: .* authentication failure"
}
`)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor("the reload", func() bool {
		m := metrics()
		return strings.Contains(m, `breachd_config_reloads_total{result="success"} 1`) && strings.Contains(m, `breachd_rules_matches_total{rule="sudo"} 0`)
	})
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("breachd run exited %d, want 0:\n%s", code, stderr.String())
	}
	var reloaded, started bool
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON (log_format = \"json\"): %q", sc.Text())
		}
		reloaded = reloaded || rec["msg"] == "config reloaded"
		started = started || rec["msg"] == "breachd started"
	}
	if !reloaded {
		t.Errorf("no \"config reloaded\" in the log:\n%s", stderr.String())
	}
	if started {
		t.Errorf("\"breachd started\" (info) was logged at log_level warn:\n%s", stderr.String())
	}
}

// runFails runs breachd run on a minimal config (listen, data_dir) that
// must not start, and returns its exit code and stderr.
func runFails(t *testing.T, listen, dataDir string, extra ...string) (int, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "breachd.hcl")
	c := fmt.Sprintf(`
server {
  listen   = %q
  data_dir = %q
}
source "file" "auth" {
  paths = [%q]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
}
`, listen, dataDir, filepath.Join(dataDir, "auth.log")) + strings.Join(extra, "\n")
	if err := os.WriteFile(path, []byte(c), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := cli(context.Background(), []string{"run", "--config", path}, io.Discard, &stderr)
	return code, stderr.String()
}

// TestRunThatCannotStartWritesNothing: a daemon whose port is taken stops
// before it creates its database (run as root, it would be root's and the
// service's user could not write it).
func TestRunThatCannotStartWritesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "data")
	code, errOut := runFails(t, ln.Addr().String(), data)
	if code != 1 || !strings.Contains(errOut, "address already in use") {
		t.Fatalf("run on a taken port: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("run that could not listen left %s behind (%v)", data, err)
	}
}

// TestRunAsRootOnTheServiceUsersDataDir: root running breachd on a data_dir
// that belongs to another user (the package's breachd) is refused, with
// what to run instead, and writes nothing there.
func TestRunAsRootOnTheServiceUsersDataDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, as CI runs")
	}
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(data, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	code, errOut := runFails(t, "127.0.0.1:0", data)
	if code != 1 || !strings.Contains(errOut, "belongs to user") || !strings.Contains(errOut, "runuser -u") {
		t.Fatalf("root on another user's data_dir: exit %d, %s", code, errOut)
	}
	if entries, _ := os.ReadDir(data); len(entries) > 0 {
		t.Errorf("refused run wrote %v into the data_dir", entries)
	}
}

// TestRunWithATakenSyslogPortWritesNothing: a daemon whose syslog
// receiver cannot bind stops, says why once, and removes the database it
// had just created.
func TestRunWithATakenSyslogPortWritesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "data")
	code, errOut := runFails(t, "127.0.0.1:0", data, fmt.Sprintf(`source "syslog" "net" {
  listen_tcp = %q
}`, ln.Addr().String()))
	if code != 1 || !strings.Contains(errOut, "address already in use") || strings.Count(errOut, "listen tcp") != 1 {
		t.Fatalf("run on a taken syslog port: exit %d, %s", code, errOut)
	}
	if entries, _ := os.ReadDir(data); len(entries) > 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("run that could not start left %v in its data_dir", names)
	}
}

// TestReadmeQuickStart follows the README's quick start at the command
// line: breachd run on the shipped quickstart config (its listen address
// moved to a free port), the README's nine lines appended to its log; then
// one incident, for 203.0.113.7 only, its containment record, and the
// console at / showing it to anyone on loopback.
func TestReadmeQuickStart(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../configs/examples/quickstart.hcl")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	config := strings.Replace(string(src), `"127.0.0.1:9731"`, fmt.Sprintf("%q", addr), 1)
	path := filepath.Join(dir, "quickstart.hcl")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() { done <- cli(ctx, []string{"run", "--config", path}, io.Discard, &stderr) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("breachd run: exit %d\n%s", code, stderr.String())
		}
	}()
	get := func(p string) (int, string) {
		resp, err := http.Get("http://" + addr + p)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := get("/-/ready"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("breachd did not become ready:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond) // a poll, as the daemon tests' waitFor
	}
	var lines strings.Builder
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&lines, "Nov 23 10:00:0%d web1 sshd[100%d]: Failed password for invalid user admin from 203.0.113.7 port 4000%d ssh2\n", i, i, i)
	}
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&lines, "Nov 23 10:00:0%d web1 sshd[200%d]: Failed password for root from 198.51.100.9 port 5000%d ssh2\n", i, i, i)
	}
	f, err := os.OpenFile(filepath.Join(dir, "var", "auth.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(lines.String()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	record := filepath.Join(dir, "var", "blocked-203.0.113.7")
	for {
		if _, err := os.Stat(record); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no containment record %s:\n%s", record, stderr.String())
		}
		time.Sleep(10 * time.Millisecond) // a poll, as the daemon tests' waitFor
	}
	var out bytes.Buffer
	if code := cli(context.Background(), []string{"incidents", "list", "--config", path, "--json"}, &out, io.Discard); code != 0 {
		t.Fatalf("incidents list: exit %d", code)
	}
	var list struct{ Incidents []struct{ Title string } }
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list.Incidents) != 1 || !strings.Contains(list.Incidents[0].Title, "203.0.113.7") {
		t.Fatalf("incidents after the quick start: %s (%v)", out.String(), err)
	}
	if code, page := get("/"); code != http.StatusOK || !strings.Contains(page, "203.0.113.7") || strings.Contains(page, "198.51.100.9") {
		t.Errorf("the console after the quick start: %d\n%s", code, page)
	}
}
