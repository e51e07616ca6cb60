//go:build chaos

// The chaos group drives the built breachd binary through what a server
// does to it (rotations, kills, reloads under load, an attack on its API,
// an attacker spraying addresses) and asserts exact counts: lines seen,
// incidents, actions run, kernel elements. It is the one group that waits
// in real time, each wait bounded by a deadline. Run it with
//
//	go test -tags chaos -run Chaos -count=1 -v ./cmd/breachd/
//
// (.ci/run does). Its figures are in docs/operations.md, "What breachd
// survives".
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/breachd/breachd/actions/nftables/netnstest"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

var built struct {
	once sync.Once
	path string
	err  error
}

// chaosBinary builds breachd once for the group.
func chaosBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "breachd-chaos-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "breachd")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

const chaosToken = "chaos-admin-token"

// chaosDaemon is the built binary run on a config in a temp dir, in the
// root network namespace or in a test pair's host namespace.
type chaosDaemon struct {
	t      *testing.T
	bin    string
	dir    string
	config string
	addr   string
	ns     *netnstest.Pair
	server string // more attributes of the server block
	cmd    *exec.Cmd
	exited chan error
	client *http.Client
}

// newChaos writes config (with a server block on a free loopback port and
// an admin token added) and starts the daemon on it.
func newChaos(t *testing.T, config string, ns *netnstest.Pair) *chaosDaemon {
	t.Helper()
	return newChaosWith(t, "", config, ns)
}

// newChaosWith is newChaos with more attributes for the server block.
func newChaosWith(t *testing.T, server, config string, ns *netnstest.Pair) *chaosDaemon {
	t.Helper()
	c := &chaosDaemon{t: t, bin: chaosBinary(t), dir: t.TempDir(), ns: ns, server: server, client: &http.Client{Timeout: 10 * time.Second}}
	if ns != nil {
		// The daemon's loopback is the namespace's.
		c.addr = "127.0.0.1:9731"
		c.client.Transport = &http.Transport{DialContext: ns.DialHost}
	} else {
		c.addr = freeAddr(t)
	}
	if err := os.MkdirAll(filepath.Join(c.dir, "var"), 0o755); err != nil {
		t.Fatal(err)
	}
	c.config = filepath.Join(c.dir, "breachd.hcl")
	c.write(config)
	c.start()
	t.Cleanup(func() {
		if c.cmd != nil {
			c.cmd.Process.Kill()
			<-c.exited
		}
		if t.Failed() {
			if b, err := os.ReadFile(filepath.Join(c.dir, "daemon.log")); err == nil {
				t.Logf("daemon log (last 4 KiB):\n%s", tail(b, 4096))
			}
		}
	})
	return c
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// write replaces the config, keeping the server block and the token.
func (c *chaosDaemon) write(config string) {
	c.t.Helper()
	sum := sha256.Sum256([]byte(chaosToken))
	full := fmt.Sprintf("server {\n  listen   = %q\n  data_dir = \"./var\"\n%s}\ntoken \"chaos\" {\n  role   = \"admin\"\n  sha256 = %q\n}\n%s",
		c.addr, c.server, hex.EncodeToString(sum[:]), config)
	if err := os.WriteFile(c.config, []byte(full), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// start runs the binary and waits until it is ready.
func (c *chaosDaemon) start() {
	c.t.Helper()
	args := []string{c.bin, "run", "--config", c.config}
	if c.ns != nil {
		args = append([]string{"ip", "netns", "exec", c.ns.Host}, args...)
	}
	logf, err := os.OpenFile(filepath.Join(c.dir, "daemon.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = c.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	logf.Close()
	c.cmd, c.exited = cmd, make(chan error, 1)
	go func() { c.exited <- cmd.Wait() }()
	c.waitFor("ready", 30*time.Second, func() bool {
		select {
		case err := <-c.exited:
			c.exited <- err
			c.t.Fatalf("breachd exited before it was ready: %v", err)
		default:
		}
		resp, err := c.client.Get("http://" + c.addr + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// kill ends the daemon with SIGKILL.
func (c *chaosDaemon) kill() {
	c.t.Helper()
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
	c.cmd = nil
}

// stop ends the daemon with SIGTERM and checks it exits 0.
func (c *chaosDaemon) stop() {
	c.t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.exited:
		if err != nil {
			c.t.Errorf("breachd exited on SIGTERM with %v, want 0", err)
		}
	case <-time.After(30 * time.Second):
		c.t.Fatal("breachd did not exit within 30s of SIGTERM")
	}
	c.cmd = nil
}

func (c *chaosDaemon) signal(s os.Signal) {
	c.t.Helper()
	if err := c.cmd.Process.Signal(s); err != nil {
		c.t.Fatal(err)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func (c *chaosDaemon) waitFor(what string, within time.Duration, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *chaosDaemon) do(method, path string, body any, v any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+c.addr+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+chaosToken)
	resp, err := c.client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			c.t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// incidents lists every incident with its details.
func (c *chaosDaemon) incidents() []httpapi.IncidentDetail {
	c.t.Helper()
	var list httpapi.IncidentList
	if code := c.do("GET", "/api/v1/incidents?limit=10000", nil, &list); code != http.StatusOK {
		c.t.Fatalf("list incidents: %d", code)
	}
	var out []httpapi.IncidentDetail
	for _, inc := range list.Incidents {
		var d httpapi.IncidentDetail
		if code := c.do("GET", fmt.Sprintf("/api/v1/incidents/%d", inc.ID), nil, &d); code != http.StatusOK {
			c.t.Fatalf("incident %d: %d", inc.ID, code)
		}
		out = append(out, d)
	}
	return out
}

func (c *chaosDaemon) incidentCount() int {
	c.t.Helper()
	var list httpapi.IncidentList
	if code := c.do("GET", "/api/v1/incidents?limit=10000", nil, &list); code != http.StatusOK {
		c.t.Fatalf("list incidents: %d", code)
	}
	return len(list.Incidents)
}

// metric returns one sample of /metrics ("name{label="v"}"), 0 if absent.
func (c *chaosDaemon) metric(key string) float64 {
	c.t.Helper()
	resp, err := c.client.Get("http://" + c.addr + "/metrics")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	name, labels, _ := strings.Cut(strings.TrimSuffix(key, "}"), "{")
	fam := families[name]
	if fam == nil {
		return 0
	}
	for _, m := range fam.GetMetric() {
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
		}
		if strings.Join(ls, ",") != labels {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// appendLines appends lines to a file under the daemon's folder.
func (c *chaosDaemon) appendLines(name string, lines ...string) {
	c.t.Helper()
	f, err := os.OpenFile(filepath.Join(c.dir, name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
		c.t.Fatal(err)
	}
}

// eventConfig opens one incident per event id: a line processed twice
// shows as a finding_count of 2, a lost one as a missing incident.
const eventConfig = `
source "file" "app" {
  paths = ["./var/app.log"]
}
rule "event" {
  source = "app"
  match  = "^EVENT id=(?P<id>\\d+) from (?P<ip>\\S+)$"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["id"]
  }
}
`

func events(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("EVENT id=%d from 192.0.2.%d", i, i%250+1))
	}
	return out
}

// exactlyOnce checks there are n incidents, each with one finding.
func (c *chaosDaemon) exactlyOnce(n int) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf("%d incidents", n), time.Minute, func() bool { return c.incidentCount() >= n })
	var list httpapi.IncidentList
	c.do("GET", "/api/v1/incidents?limit=10000", nil, &list)
	seen := map[string]int{}
	for _, inc := range list.Incidents {
		seen[inc.Fields["id"]] += int(inc.FindingCount)
	}
	twice, lost := 0, 0
	for i := range n {
		switch seen[fmt.Sprint(i)] {
		case 0:
			lost++
		case 1:
		default:
			twice++
		}
	}
	if len(list.Incidents) != n || twice != 0 || lost != 0 {
		c.t.Fatalf("%d incidents for %d lines: %d lines processed twice, %d lost", len(list.Incidents), n, twice, lost)
	}
	c.t.Logf("figures: %d lines written, %d incidents, %d processed twice, %d lost", n, len(list.Incidents), twice, lost)
}

// TestChaosKill: three SIGKILLs, each right after a batch of lines is
// written (while they are being processed): every line is processed
// exactly once.
func TestChaosKill(t *testing.T) {
	c := newChaos(t, eventConfig, nil)
	const batch = 200
	for k := range 3 {
		c.appendLines("var/app.log", events(k*batch, (k+1)*batch)...)
		c.kill()
		c.start()
	}
	c.exactlyOnce(3 * batch)
	c.stop()
}

// TestChaosReloadUnderLoad: lines keep arriving while the config is
// reloaded five times with SIGHUP; every line is read and evaluated once
// (lines_read and findings count across reloads).
func TestChaosReloadUnderLoad(t *testing.T) {
	c := newChaos(t, eventConfig, nil)
	const total, chunk = 2000, 50
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < total; i += chunk {
			c.appendLines("var/app.log", events(i, i+chunk)...)
			time.Sleep(5 * time.Millisecond) // a steady writer, not a timing assertion
		}
	}()
	reloads := 0
	for reloads < 5 {
		before := c.metric(`breachd_config_reloads_total{result="success"}`)
		c.signal(syscall.SIGHUP)
		c.waitFor("the reload", 20*time.Second, func() bool {
			return c.metric(`breachd_config_reloads_total{result="success"}`) > before
		})
		reloads++
	}
	<-done
	c.waitFor("every line read", time.Minute, func() bool {
		return c.metric(`breachd_detector_lines_read_total{source="app"}`) == total
	})
	if got := c.metric(`breachd_rules_findings_total{rule="event"}`); got != total {
		t.Errorf("findings = %v, want %d", got, total)
	}
	c.exactlyOnce(total)
	c.stop()
}

// attackLines are five failed logins from each of n documentation
// addresses, never adjacent.
func attackLines(n int) []string {
	var out []string
	at := time.Now()
	for i := 1; i <= n; i++ {
		for k := range 5 {
			out = append(out, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 198.51.100.%d port %d ssh2",
				at.Add(time.Duration(k)*time.Second).Format(time.Stamp), 100+k, i*7, 40000+k))
		}
	}
	return out
}

const sshBlock = `
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "ssh-brute-force" {
  source = "auth"
  match  = "^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?$"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  actions = ["block-ip"]
}
action "nftables" "block-ip" {
  ttl = "1h"
}
`

// kernelCount counts the documentation addresses in the block sets.
func kernelCount(t *testing.T, p *netnstest.Pair) int {
	t.Helper()
	out, err := p.HostCommand("nft", "list", "table", "inet", "breachd")
	if err != nil {
		t.Fatalf("nft list set: %v: %s", err, out)
	}
	return strings.Count(out, "198.51.100.")
}

func runStates(ds []httpapi.IncidentDetail) map[incidents.ActionState]int {
	states := map[incidents.ActionState]int{}
	for _, d := range ds {
		for _, a := range d.Actions {
			states[a.State]++
		}
	}
	return states
}

// TestChaosBlastRadius: 30 attackers against max_targets_per_hour = 5:
// five kernel elements, 25 runs held for approval.
func TestChaosBlastRadius(t *testing.T) {
	p := netnstest.New(t)
	c := newChaos(t, sshBlock+"containment {\n  max_targets_per_hour = 5\n}\n", p)
	c.appendLines("var/auth.log", attackLines(30)...)
	c.waitFor("30 incidents with their runs settled", time.Minute, func() bool {
		ds := c.incidents()
		s := runStates(ds)
		return len(ds) == 30 && s[incidents.ActionPending] == 0 && len(s) > 0
	})
	s := runStates(c.incidents())
	if s[incidents.ActionSucceeded] != 5 || s[incidents.ActionAwaitingApproval] != 25 {
		t.Errorf("runs = %v, want 5 succeeded, 25 awaiting approval", s)
	}
	if n := kernelCount(t, p); n != 5 {
		t.Errorf("kernel elements = %d, want 5", n)
	}
	t.Logf("figures: 30 attackers, cap 5: runs %v, %d kernel elements", s, kernelCount(t, p))
	c.stop()
}

// TestChaosApproval: an action that needs approval runs only once
// approved, exactly once.
func TestChaosApproval(t *testing.T) {
	p := netnstest.New(t)
	c := newChaos(t, strings.Replace(sshBlock, `ttl = "1h"`, "ttl = \"1h\"\n  require_approval = true", 1), p)
	c.appendLines("var/auth.log", attackLines(3)...)
	c.waitFor("3 held runs", time.Minute, func() bool {
		return runStates(c.incidents())[incidents.ActionAwaitingApproval] == 3
	})
	if n := kernelCount(t, p); n != 0 {
		t.Fatalf("kernel elements before approval = %d, want 0", n)
	}
	ds := c.incidents()
	run := ds[0].Actions[0].ID
	if code := c.do("POST", fmt.Sprintf("/api/v1/actions/%d/approve", run), map[string]string{"reason": "confirmed"}, nil); code/100 != 2 {
		t.Fatalf("approve: %d", code)
	}
	c.waitFor("the approved block", 20*time.Second, func() bool { return kernelCount(t, p) == 1 })
	s := runStates(c.incidents())
	if s[incidents.ActionSucceeded] != 1 || s[incidents.ActionAwaitingApproval] != 2 {
		t.Errorf("runs = %v, want 1 succeeded, 2 awaiting", s)
	}
	t.Logf("figures: 3 attackers, approval required: 0 kernel elements before, 1 after one approval; runs %v", s)
	c.stop()
}

// writer appends numbered events to a log file the way a daemon does: it
// keeps its descriptor until told to reopen.
type writer struct {
	t    *testing.T
	path string
	f    *os.File
	next int
}

func newWriter(t *testing.T, path string) *writer {
	w := &writer{t: t, path: path}
	w.reopen()
	t.Cleanup(func() { w.f.Close() })
	return w
}

func (w *writer) reopen() {
	w.t.Helper()
	if w.f != nil {
		w.f.Close()
	}
	f, err := os.OpenFile(w.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		w.t.Fatal(err)
	}
	w.f = f
}

// write appends n events, one write each.
func (w *writer) write(n int) {
	w.t.Helper()
	for range n {
		if _, err := fmt.Fprintf(w.f, "EVENT id=%d from 192.0.2.%d\n", w.next, w.next%250+1); err != nil {
			w.t.Fatal(err)
		}
		w.next++
	}
}

// linesExactly waits until the source has read n lines and checks that
// the rule found each once (a line read twice counts twice).
func (c *chaosDaemon) linesExactly(n int) {
	c.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for c.metric(`breachd_detector_lines_read_total{source="app"}`) < float64(n) {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %d lines read: %v read, %v findings", n,
				c.metric(`breachd_detector_lines_read_total{source="app"}`), c.metric(`breachd_rules_findings_total{rule="event"}`))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := c.metric(`breachd_detector_lines_read_total{source="app"}`); got != float64(n) {
		c.t.Errorf("lines read = %v, want %d", got, n)
	}
	if got := c.metric(`breachd_rules_findings_total{rule="event"}`); got != float64(n) {
		c.t.Errorf("findings = %v, want %d", got, n)
	}
	c.t.Logf("figures: %d lines written, %v read, %v findings", n,
		c.metric(`breachd_detector_lines_read_total{source="app"}`), c.metric(`breachd_rules_findings_total{rule="event"}`))
}

// TestChaosRenameRotation: ten logrotate-style rotations (rename, create)
// where the writer goes on appending to the renamed file for a while
// before it reopens, as a daemon does until logrotate's postrotate signal
// reaches it: no line is lost or read twice.
func TestChaosRenameRotation(t *testing.T) {
	c := newChaos(t, eventConfig, nil)
	path := filepath.Join(c.dir, "var", "app.log")
	w := newWriter(t, path)
	for k := range 10 {
		// Rotations come hours apart in life: breachd follows the file
		// when it is rotated (one more than a rotation behind, a reader
		// loses the files in between: docs/sources.md).
		w.write(50)
		c.waitFor("the file followed", 20*time.Second, func() bool {
			return c.metric(`breachd_detector_lines_read_total{source="app"}`) == float64(w.next)
		})
		if err := os.Rename(path, fmt.Sprintf("%s.%d", path, k+1)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil { // logrotate's create
			t.Fatal(err)
		}
		// The writer has not reopened yet: 100 lines over about 100 ms
		// go to the renamed file.
		for range 10 {
			w.write(10)
			time.Sleep(10 * time.Millisecond)
		}
		w.reopen()
	}
	w.write(50)
	c.linesExactly(w.next)
	c.stop()
}

// TestChaosCopyTruncate: five copytruncate rotations, each right after a
// burst breachd has not read yet: the lines between its position and the
// truncation are read from the copy, once. (A file copied and truncated
// before breachd read any of it has no fingerprint to know the copy by:
// docs/sources.md says so.)
func TestChaosCopyTruncate(t *testing.T) {
	c := newChaos(t, eventConfig, nil)
	path := filepath.Join(c.dir, "var", "app.log")
	w := newWriter(t, path)
	for k := range 5 {
		// breachd has read the start of the file (it has a fingerprint to
		// know the copy by), then a burst it has not read yet comes just
		// before the copy and the truncation.
		w.write(10)
		c.waitFor("the start of the file read", 20*time.Second, func() bool {
			return c.metric(`breachd_detector_lines_read_total{source="app"}`) == float64(w.next)
		})
		w.write(200)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fmt.Sprintf("%s.%d", path, k+1), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
	}
	w.write(10)
	c.linesExactly(w.next)
	c.stop()
}

// TestChaosRestartMidAttack: three failures, a restart (SIGTERM, then in
// a second round SIGKILL), two more: the attack is caught, once per
// attacker.
func TestChaosRestartMidAttack(t *testing.T) {
	config := strings.Replace(sshBlock, `  actions = ["block-ip"]`, "", 1)
	config = config[:strings.Index(config, `action "nftables"`)]
	c := newChaos(t, config, nil)
	attack := func(ip string, from, to int) {
		var lines []string
		at := time.Now()
		for k := from; k < to; k++ {
			lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2",
				at.Add(time.Duration(k)*time.Second).Format(time.Stamp), 100+k, ip, 40000+k))
		}
		c.appendLines("var/auth.log", lines...)
	}
	// attackRead attacks and waits until the lines are read (the
	// counter starts at 0 with each process).
	attackRead := func(ip string, from, to int) {
		base := c.metric(`breachd_detector_lines_read_total{source="auth"}`)
		attack(ip, from, to)
		c.waitFor("the failures read", 20*time.Second, func() bool {
			return c.metric(`breachd_detector_lines_read_total{source="auth"}`) == base+float64(to-from)
		})
	}
	attackRead("198.51.100.20", 0, 3)
	c.stop()
	c.start()
	attack("198.51.100.20", 3, 5)
	c.waitFor("the incident after a SIGTERM restart", 20*time.Second, func() bool { return c.incidentCount() == 1 })

	attackRead("198.51.100.21", 0, 3)
	c.kill()
	c.start()
	attack("198.51.100.21", 3, 5)
	c.waitFor("the incident after a SIGKILL restart", 20*time.Second, func() bool { return c.incidentCount() == 2 })
	t.Logf("figures: 3 failures, restart (SIGTERM, then SIGKILL), 2 more: %d incidents, want 2", c.incidentCount())
	c.stop()
}

// TestChaosOverlappingBlocks: an attacker's /32, then its /24 from a
// second rule, then a neighbour's /32 inside that /24: three elements in
// the kernel, none refused.
func TestChaosOverlappingBlocks(t *testing.T) {
	p := netnstest.New(t)
	config := sshBlock + `
rule "ssh-brute-force-network" {
  source = "auth"
  match  = "^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?$"
  threshold {
    count    = 6
    within   = "1m"
    group_by = ["ip"]
  }
  actions = ["block-net"]
}
action "nftables" "block-net" {
  ttl         = "30m"
  ipv4_prefix = 24
}
`
	c := newChaos(t, config, p)
	attack := func(ip string) {
		var lines []string
		at := time.Now()
		for k := range 6 {
			lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from %s port %d ssh2",
				at.Add(time.Duration(k)*time.Second).Format(time.Stamp), 100+k, ip, 40000+k))
		}
		c.appendLines("var/auth.log", lines...)
	}
	settled := func(n int) map[incidents.ActionState]int {
		var s map[incidents.ActionState]int
		c.waitFor(fmt.Sprintf("%d runs settled", n), time.Minute, func() bool {
			s = runStates(c.incidents())
			return s[incidents.ActionPending] == 0 && s[incidents.ActionSucceeded]+s[incidents.ActionFailed]+s[incidents.ActionRejected] == n
		})
		return s
	}
	attack("198.51.100.7")
	if s := settled(2); s[incidents.ActionSucceeded] != 2 {
		t.Fatalf("the /32 and the /24: runs %v, want 2 succeeded", s)
	}
	attack("198.51.100.14")
	if s := settled(4); s[incidents.ActionSucceeded] != 4 {
		t.Fatalf("a neighbour inside the /24: runs %v, want 4 succeeded", s)
	}
	if n := kernelCount(t, p); n != 3 {
		t.Errorf("kernel elements = %d, want 3 (198.51.100.0/24, .7/32, .14/32)", n)
	}
	t.Logf("figures: /32, /24 around it, a neighbour's /32: %d kernel elements", kernelCount(t, p))
	c.stop()
}

// TestChaosSlowloris: 150 connections that never finish their headers,
// stall their bodies or idle between requests: the API still answers
// meanwhile, the server closes all 150 within its timeouts, and SIGTERM
// with them open exits 0.
func TestChaosSlowloris(t *testing.T) {
	c := newChaosWith(t, "  read_header_timeout = \"2s\"\n  read_timeout = \"2s\"\n  idle_timeout = \"2s\"\n", eventConfig, nil)
	var conns []net.Conn
	for i := range 150 {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		switch i % 3 {
		case 0: // headers never finished
			fmt.Fprintf(conn, "GET /api/v1/incidents HTTP/1.1\r\nHost: x\r\n")
		case 1: // a body that stalls
			fmt.Fprintf(conn, "POST /api/v1/incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
		case 2: // an idle keep-alive after one request
			fmt.Fprintf(conn, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n")
		}
	}
	defer func() {
		for _, conn := range conns {
			conn.Close()
		}
	}()
	// The API answers while they are held.
	if n := c.incidentCount(); n != 0 {
		t.Fatalf("incidents = %d", n)
	}
	// Every one is closed by the server: a read ends (EOF or reset)
	// instead of blocking past the deadline.
	closed := 0
	for _, conn := range conns {
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		buf := make([]byte, 4096)
		for {
			if _, err := conn.Read(buf); err != nil {
				if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
					closed++
				}
				break
			}
		}
	}
	if closed != 150 {
		t.Errorf("the server closed %d of 150 stalled connections", closed)
	}
	t.Logf("figures: 150 stalled connections (headers, bodies, idle keep-alives), %d closed by the server; the API answered meanwhile", closed)
	c.stop()
}
