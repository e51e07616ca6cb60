package daemon_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// stateRules are a 5-failure threshold per address, a threshold of 3
// distinct users per address, and a sequence (3 failures, then a login,
// per address) on a raw file source: events carry the daemon's clock.
const stateRules = `
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  incident { title = "brute force from ${ip}" }
}
rule "spray" {
  source = "auth"
  match  = "^Invalid user (?P<user>\\S+) from (?P<ip>\\S+) port"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
    distinct = "user"
  }
  incident { title = "user spray from ${ip}" }
}
rule "compromised" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "5m"
    step "failures" {
      match = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port"
      count = 3
    }
    step "success" {
      match = "^Accepted password for (?P<user>\\S+) from (?P<ip>\\S+) port"
    }
  }
  incident { title = "${user} compromised from ${ip}" }
}
`

func failed(ip string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Failed password for root from %s port %d ssh2", ip, 40000+i)
	}
	return out
}

// ruleIncidents counts the incidents of rule whose group key is key.
func (h *harness) ruleIncidents(rule, key string) int {
	h.t.Helper()
	var list httpapi.IncidentList
	h.get("/api/v1/incidents?rule="+rule, &list)
	n := 0
	for _, inc := range list.Incidents {
		if inc.Rule == rule && inc.GroupKey == key {
			n++
		}
	}
	return n
}

// waitLines waits until the daemon has committed n lines of source auth
// (since it started).
func (h *harness) waitLines(n int) {
	h.t.Helper()
	h.waitFor(fmt.Sprintf("%d lines committed", n), func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == float64(n)
	})
}

// TestAttackSurvivesRestart: three failures, the daemon stopped (its Run
// cancelled, as SIGTERM does) and started again on the same data, two more
// failures: exactly one incident, as without the restart. The same for a
// distinct-users threshold (two users before, a repeated one and a third
// after: the repeat does not count, the third fires) and for a sequence
// (three failures before, the login after). An address whose failures are
// more than a minute old by the daemon's clock when the next two come is
// not caught: restored windows keep their events' times.
func TestAttackSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	opts := daemon.Options{Now: clk.Now}
	h := startWith(t, dir, stateRules, opts)
	h.appendLines(failed("192.0.2.66", 3)...) // t0: expired by the time its next two come
	h.waitLines(3)                            // read, so stamped t0
	clk.Add(50 * time.Second)
	h.appendLines(failed("203.0.113.7", 3)...)
	h.appendLines("Invalid user alice from 198.51.100.4 port 1", "Invalid user bob from 198.51.100.4 port 2")
	h.waitLines(8)
	h.shutdown()

	clk.Add(20 * time.Second) // t0+70s
	h = startWith(t, dir, stateRules, opts)
	h.appendLines(failed("203.0.113.7", 2)...)
	h.appendLines("Invalid user bob from 198.51.100.4 port 3")
	h.waitLines(3)
	if n := h.ruleIncidents("ssh", "ip=203.0.113.7"); n != 1 {
		t.Errorf("%d brute-force incidents for 203.0.113.7 (3 failures, restart, 2 more), want 1", n)
	}
	if n := h.ruleIncidents("spray", "ip=198.51.100.4"); n != 0 {
		t.Errorf("%d spray incidents after users alice, bob, bob, want 0", n)
	}
	h.appendLines("Invalid user carol from 198.51.100.4 port 4")
	h.appendLines(failed("192.0.2.66", 2)...)
	h.appendLines("Accepted password for root from 203.0.113.7 port 5 ssh2")
	h.waitLines(7)
	if n := h.ruleIncidents("spray", "ip=198.51.100.4"); n != 1 {
		t.Errorf("%d spray incidents after users alice, bob (restart), bob, carol, want 1", n)
	}
	if n := h.ruleIncidents("ssh", "ip=192.0.2.66"); n != 0 {
		t.Errorf("%d brute-force incidents for 192.0.2.66, whose first 3 failures were 70s old, want 0", n)
	}
	if n := h.ruleIncidents("compromised", "ip=203.0.113.7"); n != 1 {
		t.Errorf("%d sequence incidents for 203.0.113.7 (3+2 failures, restart between, then a login), want 1", n)
	}
	if n := h.ruleIncidents("compromised", "ip=192.0.2.66"); n != 0 {
		t.Errorf("%d sequence incidents for 192.0.2.66 (no login), want 0", n)
	}
}

// TestAttackSurvivesReloadThenRestart: three failures, a reload that
// changes the rule's title (its window is kept), a fourth failure, a
// restart, a fifth: one incident. The failure after the reload was stored
// too.
func TestAttackSurvivesReloadThenRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	opts := daemon.Options{Now: clk.Now}
	h := startWith(t, dir, stateRules, opts)
	h.appendLines(failed("203.0.113.7", 3)...)
	h.waitLines(3)
	h.rewrite(strings.Replace(stateRules, "brute force from", "SSH brute force from", 1))
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload: %d %s", code, body)
	}
	clk.Add(time.Second)
	h.appendLines(failed("203.0.113.7", 1)...)
	h.waitLines(4)
	h.shutdown()

	clk.Add(time.Second)
	h = startWith(t, dir, strings.Replace(stateRules, "brute force from", "SSH brute force from", 1), opts)
	if n := h.ruleIncidents("ssh", "ip=203.0.113.7"); n != 0 {
		t.Fatalf("%d incidents after 4 failures, want 0", n)
	}
	h.appendLines(failed("203.0.113.7", 1)...)
	h.waitLines(1)
	if n := h.ruleIncidents("ssh", "ip=203.0.113.7"); n != 1 {
		t.Errorf("%d incidents after 3 failures, a reload, 1 failure, a restart and 1 more, want 1", n)
	}
}

// TestAttackSurvivesKill: breachd as a child process reads three failures
// (syslog lines, stamped now), commits them, and is killed with SIGKILL;
// started again, it reads a fourth and is stopped with SIGTERM; started
// again, it reads a fifth: exactly one incident. What it had committed
// before each stop is what it resumes from.
func TestAttackSurvivesKill(t *testing.T) {
	dir, addr, config := processConfig(t, fmt.Sprintf(`
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
}
token "harness" {
  role   = "admin"
  sha256 = %q
}
`, harnessTokenHash()))
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	h := &harness{t: t, dir: dir, addr: addr, log: filepath.Join(dir, "var", "auth.log")}
	h.appendLines(failuresNow("203.0.113.7", 3)...)
	h.waitLines(3)
	p.kill()

	p.start()
	p.waitReady()
	h.appendLines(failuresNow("203.0.113.7", 1)...)
	h.waitLines(1)
	p.stop() // SIGTERM

	p.start()
	p.waitReady()
	if n := h.incidentsFor("203.0.113.7"); n != 0 {
		t.Fatalf("%d incidents after 4 failures, want 0", n)
	}
	h.appendLines(failuresNow("203.0.113.7", 1)...)
	h.waitLines(1)
	if n := h.incidentsFor("203.0.113.7"); n != 1 {
		t.Errorf("%d incidents for 3 failures, SIGKILL, 1 failure, SIGTERM, 1 failure; want 1", n)
	}
	p.stop()
}

// TestSilenceSurvivesRestart: an absent rule (1m) sees its log's last
// line at t0; the daemon is stopped at t0+30s and started again; at
// t0+70s by its clock the silence, a minute after the last line, opens
// exactly one incident: the restart did not restart the minute.
func TestSilenceSurvivesRestart(t *testing.T) {
	const absent = `
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "auth-silent" {
  source = "auth"
  absent {
    within = "1m"
  }
  incident { title = "auth log went silent" }
}
`
	dir := t.TempDir()
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	opts := daemon.Options{Now: clk.Now, TickInterval: 10 * time.Millisecond}
	h := startWith(t, dir, absent, opts)
	h.appendLines("a sign of life")
	h.waitLines(1)
	clk.Add(30 * time.Second)
	h.shutdown()

	h = startWith(t, dir, absent, opts)
	clk.Add(40 * time.Second) // t0+70s
	h.waitFor("the silence incident", func() bool { return h.ruleIncidents("auth-silent", "") == 1 })
}
