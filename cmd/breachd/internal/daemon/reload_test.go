package daemon_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// reloadConfig is a file source and an SSH threshold of count failures in
// 10 minutes, plus extra.
func reloadConfig(count int, extra string) string {
	return fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port"
  threshold {
    count    = %d
    within   = "10m"
    group_by = ["ip"]
  }
}
%s`, count, extra)
}

// sudoRule adds a rule, a source and an action, which a later reload
// removes.
const sudoRule = `
rule "sudo" {
  source = "auth"
  match  = "sudo: .* authentication failure"
}
source "file" "app" {
  paths = ["./var/app.log"]
}
action "exec" "noop" {
  argv = ["/bin/true"]
}
`

// rewrite replaces the harness's config, keeping its admin token.
func (h *harness) rewrite(config string) {
	h.t.Helper()
	config += fmt.Sprintf("\ntoken \"harness\" {\n  role   = \"admin\"\n  sha256 = %q\n}\n", harnessTokenHash())
	if err := os.WriteFile(filepath.Join(h.dir, "breachd.hcl"), []byte(config), 0o600); err != nil {
		h.t.Fatal(err)
	}
}

// reload posts /-/reload with token and returns the status and body.
func (h *harness) reload(token string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest("POST", "http://"+h.addr+"/-/reload", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func failuresNow(ip string, n int) []string {
	now := time.Now().Format(time.Stamp)
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2", now, 100+i, ip, 40000+i)
	}
	return out
}

func (h *harness) incidentsFor(ip string) int {
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	n := 0
	for _, inc := range list.Incidents {
		if inc.GroupKey == "ip="+ip {
			n++
		}
	}
	return n
}

// TestReloadKeepsWindowAndIncidents: three failures from an address, then
// a reload that lowers the threshold from 5 to 4 and adds a rule: the
// fourth failure opens the incident, so the window survived; the incident
// opened before the reload is still there, the line counter kept counting,
// the new rule's series start at zero. A broken config is refused with
// its file:line:column and the old one keeps detecting; a rule removed by
// a later reload leaves the metrics.
func TestReloadKeepsWindowAndIncidents(t *testing.T) {
	h := start(t, reloadConfig(5, ""))
	h.appendLines(failuresNow("198.51.100.1", 5)...)
	h.appendLines(failuresNow("203.0.113.7", 3)...)
	h.waitFor("8 lines", func() bool { return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 8 })
	if n := h.incidentsFor("198.51.100.1"); n != 1 {
		t.Fatalf("%d incidents for 198.51.100.1 before the reload, want 1", n)
	}
	before := h.metrics()
	if got := before[`breachd_alerts{rule="ssh",severity="medium",state="firing"}`]; got != 1 {
		t.Errorf("breachd_alerts firing = %v, want 1", got)
	}
	if got := before[`breachd_alerts{rule="ssh",severity="medium",state="pending"}`]; got != 2 {
		t.Errorf("breachd_alerts pending = %v, want 2 (the window's keys)", got)
	}
	if got := before["breachd_config_last_reload_successful{}"]; got != 1 {
		t.Errorf("breachd_config_last_reload_successful = %v at start, want 1", got)
	}

	h.rewrite(reloadConfig(4, sudoRule))
	if code, body := h.reload(""); code != http.StatusUnauthorized {
		t.Errorf("reload without a token: %d %s, want 401", code, body)
	}
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload: %d %s", code, body)
	}
	after := h.metrics()
	if after["breachd_config_hash{}"] == before["breachd_config_hash{}"] {
		t.Error("breachd_config_hash did not change with the config")
	}
	if got := after[`breachd_config_reloads_total{result="success"}`]; got != 1 {
		t.Errorf("breachd_config_reloads_total{success} = %v, want 1", got)
	}
	if _, ok := after[`breachd_incidents_opened_total{rule="sudo"}`]; !ok {
		t.Error("the new rule sudo has no breachd_incidents_opened_total series")
	}
	for _, k := range []string{`breachd_rules_matches_total{rule="sudo"}`, `breachd_detector_lines_read_total{source="app"}`,
		`breachd_actions_executions_total{action="noop",result="succeeded"}`} {
		if v, ok := after[k]; !ok || v != 0 {
			t.Errorf("%s = %v, %v after the reload that added it, want 0", k, v, ok)
		}
	}

	h.appendLines(failuresNow("203.0.113.7", 1)...)
	h.waitFor("the fourth failure to open an incident", func() bool { return h.incidentsFor("203.0.113.7") == 1 })
	if n := h.incidentsFor("198.51.100.1"); n != 1 {
		t.Errorf("%d incidents for 198.51.100.1 after the reload, want the 1 from before", n)
	}
	if got := h.metrics()[`breachd_detector_lines_read_total{source="auth"}`]; got != 9 {
		t.Errorf("lines read = %v after the reload, want 9 (the counter goes on)", got)
	}

	// A broken config: refused, reported, the running one stays.
	hash := h.metrics()["breachd_config_hash{}"]
	h.rewrite(strings.Replace(reloadConfig(4, ""), "count    = 4", `count    = "four"`, 1))
	code, body := h.reload(harnessToken)
	if code != http.StatusInternalServerError || !strings.Contains(body, "breachd.hcl:") || !strings.Contains(body, "count") {
		t.Errorf("broken reload: %d %s, want 500 naming breachd.hcl:line:column and count", code, body)
	}
	m := h.metrics()
	if m["breachd_config_last_reload_successful{}"] != 0 || m[`breachd_config_reloads_total{result="failure"}`] != 1 || m["breachd_config_hash{}"] != hash {
		t.Errorf("after a failed reload: successful=%v failures=%v hash changed=%v", m["breachd_config_last_reload_successful{}"],
			m[`breachd_config_reloads_total{result="failure"}`], m["breachd_config_hash{}"] != hash)
	}
	h.appendLines(failuresNow("192.0.2.9", 4)...)
	h.waitFor("the running config to keep detecting", func() bool { return h.incidentsFor("192.0.2.9") == 1 })

	// sudo, app and noop leave the config: their series leave the metrics.
	h.rewrite(reloadConfig(4, ""))
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload: %d %s", code, body)
	}
	for k := range h.metrics() {
		if strings.Contains(k, `rule="sudo"`) || strings.Contains(k, `source="app"`) || strings.Contains(k, `action="noop"`) {
			t.Errorf("%s is still exported after it left the config", k)
		}
	}
	if got := h.metrics()["breachd_config_last_reload_successful{}"]; got != 1 {
		t.Errorf("breachd_config_last_reload_successful = %v after a good reload, want 1", got)
	}
}

// TestReloadRefusesStdin: standard input cannot be read again from where
// the old detector was, so a config with a stdin source is not reloaded,
// and the answer says why.
func TestReloadRefusesStdin(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	h := startWith(t, t.TempDir(), `
source "stdin" "in" {}
rule "x" {
  source = "in"
  match  = "boom"
}
`, daemon.Options{Stdin: pr})
	code, body := h.reload(harnessToken)
	if code != http.StatusInternalServerError || !strings.Contains(body, "standard input") {
		t.Errorf("reload with a stdin source: %d %s, want 500 saying standard input cannot be read again", code, body)
	}
}

// TestReadyWaitsForSources: /-/ready is 503 while a source is not yet
// followed (a journalctl that blocks until the test lets it go) and 200
// from then on; /-/healthy is 200 throughout.
func TestReadyWaitsForSources(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "gate")
	if err := syscall.Mkfifo(gate, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "journalctl")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nread x < "+gate+"\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "journald" "j" {
  journalctl = %q
}
`, script)), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := daemon.New(ctx, daemon.Options{ConfigFile: config, Now: time.Now, Listen: "127.0.0.1:0"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon: %v", err)
		}
	}()
	get := func(path string) int {
		resp, err := http.Get("http://" + d.Addr() + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	h := &harness{t: t}
	h.waitFor("the HTTP server", func() bool { return get("/-/healthy") == http.StatusOK })
	if code := get("/-/ready"); code != http.StatusServiceUnavailable {
		t.Fatalf("/-/ready = %d while journalctl has not started, want 503", code)
	}
	// Let journalctl go: it fails, which must not hold readiness.
	f, err := os.OpenFile(gate, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
	h.waitFor("/-/ready 200", func() bool { return get("/-/ready") == http.StatusOK })
}
