package daemon_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// everyLine opens one incident that every line of var/auth.log attaches to.
const everyLine = `
source "file" "app" {
  paths = ["./var/auth.log"]
}
rule "line" {
  source = "app"
  match  = "^line \\d+$"
}
`

// TestRotationLateWritesReadOnce: the file is rotated by rename+create and
// the writer, which has not reopened yet, appends 100 more lines to the
// renamed file after breachd has switched to the new one. Every line is
// processed exactly once; once the renamed file has been idle for the
// grace on the daemon's clock it is let go (counted), and a line written
// to it afterwards is not read.
func TestRotationLateWritesReadOnce(t *testing.T) {
	clk := &clock{now: time.Now()}
	h := startWith(t, t.TempDir(), everyLine, daemon.Options{Now: clk.Now, PollInterval: 20 * time.Millisecond})
	read := func() float64 { return h.metrics()[`breachd_detector_lines_read_total{source="app"}`] }
	waitRead := func(n float64) {
		h.t.Helper()
		h.waitFor(fmt.Sprintf("%v lines read", n), func() bool { return read() >= n })
		if got := read(); got != n {
			t.Fatalf("%v lines read, want %v", got, n)
		}
	}
	w, err := os.OpenFile(h.log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { w.Close() }()
	seq := 0
	write := func(f *os.File, n int) {
		t.Helper()
		for range n {
			seq++
			if _, err := fmt.Fprintf(f, "line %d\n", seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(w, 10)
	waitRead(10)

	// logrotate: rename, create; breachd switches to the new file.
	if err := os.Rename(h.log, h.log+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.log, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the rotation", func() bool {
		return h.metrics()[`breachd_detector_file_rotations_total{source="app"}`] == 1
	})
	// The writer appends to the renamed file for a while, then reopens.
	write(w, 100)
	w.Close()
	if w, err = os.OpenFile(h.log, os.O_APPEND|os.O_WRONLY, 0); err != nil {
		t.Fatal(err)
	}
	write(w, 10)
	waitRead(120)
	released := `breachd_detector_rotated_files_released_total{source="app"}`
	if n := h.metrics()[released]; n != 0 {
		t.Fatalf("%v rotated files let go within the grace", n)
	}

	// Idle for the grace (5s by default) on the daemon's clock: let go.
	clk.Add(5 * time.Second)
	h.waitFor("the rotated file let go", func() bool { return h.metrics()[released] == 1 })
	old, err := os.OpenFile(h.log+".1", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	write(old, 1) // not read: written after the release
	old.Close()
	write(w, 1)
	waitRead(121)

	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].FindingCount != 121 {
		t.Errorf("incidents %+v, want one holding 121 findings", list.Incidents)
	}
}

// TestCopytruncateKeepsLinesWrittenBeforeTruncation: five copytruncate
// rotations, each with three lines written just before the truncation
// while breachd (a child process, stopped with SIGSTOP) has not read them.
// After SIGCONT they are read from the copy: every line has exactly one
// finding.
func TestCopytruncateKeepsLinesWrittenBeforeTruncation(t *testing.T) {
	if testing.Short() {
		t.Skip("process test skipped in -short mode")
	}
	dir, addr, config := processConfig(t, seqRule)
	logPath := filepath.Join(dir, "var", "app.log")
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	w, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	seq := 0
	write := func(n int) {
		t.Helper()
		for range n {
			seq++
			if _, err := fmt.Fprintf(w, "seq=%d user=u%d\n", seq, seq%3); err != nil {
				t.Fatal(err)
			}
		}
	}
	const rotations = 5
	for r := 1; r <= rotations; r++ {
		write(20)
		p.waitSeq(seq)
		if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		p.waitStopped()
		write(3) // just before the truncation, unread
		for i := r - 1; i >= 1; i-- {
			if err := os.Rename(fmt.Sprintf("%s.%d", logPath, i), fmt.Sprintf("%s.%d", logPath, i+1)); err != nil {
				t.Fatal(err)
			}
		}
		data, err := os.ReadFile(logPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(logPath+".1", data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(logPath, 0); err != nil {
			t.Fatal(err)
		}
		write(2)
		if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
	}
	write(1)
	p.waitSeq(seq)
	p.stop()

	perSeq := findingsPerTitle(t, dir, "seq ")
	for n := 1; n <= seq; n++ {
		if perSeq[n] != 1 {
			t.Errorf("seq %d: %d findings, want 1", n, perSeq[n])
		}
	}
	if len(perSeq) != seq || seq != rotations*25+1 {
		t.Errorf("%d seqs with findings, %d written", len(perSeq), seq)
	}
}

// findingsPerTitle reads the store of a stopped daemon in dir and sums the
// findings of the incidents titled prefix+N, by N.
func findingsPerTitle(t *testing.T, dir, prefix string) map[int]int64 {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenReadOnly(ctx, filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.List(ctx, incidents.ListOptions{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int64{}
	for _, inc := range list {
		if s, ok := strings.CutPrefix(inc.Title, prefix); ok {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("incident %q", inc.Title)
			}
			out[n] += inc.FindingCount
		}
	}
	return out
}

// TestCutLineProcessedOnceAcrossKill: a line longer than max_line_bytes
// whose newline is not written yet is cut and its finding committed; the
// daemon is killed with SIGKILL, the rest of the line is written, and the
// restarted daemon does not process the line again.
func TestCutLineProcessedOnceAcrossKill(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	rules := strings.Replace(seqRule, `start_at = "beginning"`, "start_at = \"beginning\"\n  max_line_bytes = 1024", 1) + `
rule "long" {
  source = "app"
  match  = "^long=(?P<seq>\\d+) "
  threshold {
    count    = 1
    within   = "1s"
    group_by = ["seq"]
  }
  incident { title = "long ${seq}" }
}
`
	dir, addr, config := processConfig(t, rules)
	logPath := filepath.Join(dir, "var", "app.log")
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	w, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString("long=1 " + strings.Repeat("x", 3000)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(tortureTimeout)
	for !p.hasIncident("long") {
		if time.Now().After(deadline) {
			t.Fatal("the cut line's incident was never committed")
		}
		time.Sleep(5 * time.Millisecond) // polling the daemon, not timing
	}
	p.kill()
	if _, err := w.WriteString(strings.Repeat("x", 100) + "\nseq=1 user=a\n"); err != nil {
		t.Fatal(err)
	}
	p.start()
	p.waitReady()
	for p.committedSeq() < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the line after the cut line was never processed")
		}
		time.Sleep(5 * time.Millisecond) // polling the daemon, not timing
	}
	p.stop()
	if got := findingsPerTitle(t, dir, "long "); len(got) != 1 || got[1] != 1 {
		t.Errorf("cut line's findings %v, want {1: 1}", got)
	}
	if got := findingsPerTitle(t, dir, "seq "); len(got) != 1 || got[1] != 1 {
		t.Errorf("findings after the cut line %v, want {1: 1}", got)
	}
}

// hasIncident reports whether the daemon shows an incident of rule.
func (p *daemonProcess) hasIncident(rule string) bool {
	resp, err := http.Get("http://" + p.addr + "/api/v1/incidents?limit=1&rule=" + rule)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var list httpapi.IncidentList
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || jsonUnmarshal(body, &list) != nil {
		return false
	}
	return len(list.Incidents) > 0
}

// waitSeq waits until the daemon has committed the incident of seq n (or a
// later one); it fails the test after 30 seconds.
func (p *daemonProcess) waitSeq(n int) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for p.committedSeq() < n {
		if time.Now().After(deadline) {
			p.t.Fatalf("daemon stuck at seq %d, want %d", p.committedSeq(), n)
		}
		time.Sleep(5 * time.Millisecond) // polling the daemon, not timing
	}
}

// metricIs reports whether the daemon's /metrics shows sample (name{labels})
// with value v.
func (p *daemonProcess) metricIs(sample string, v float64) bool {
	resp, err := http.Get("http://" + p.addr + "/metrics")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return false
	}
	return strings.Contains(string(body), "\n"+sample+" "+strconv.FormatFloat(v, 'g', -1, 64)+"\n")
}

// TestRotatedDrainSurvivesKill: after a rename rotation the daemon reads
// late lines from the renamed file and commits them; it is killed with
// SIGKILL; while it is down the writer appends more to the renamed file,
// then reopens and writes to the new one. The restarted daemon reads the
// renamed file on from its committed position, then the new file: every
// line exactly once.
func TestRotatedDrainSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir, addr, config := processConfig(t, seqRule)
	logPath := filepath.Join(dir, "var", "app.log")
	p := startProcess(t, dir, addr, config)
	p.waitReady()
	w, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { w.Close() }()
	seq := 0
	write := func(n int) {
		t.Helper()
		for range n {
			seq++
			if _, err := fmt.Fprintf(w, "seq=%d user=u%d\n", seq, seq%3); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(10)
	p.waitSeq(10)
	if err := os.Rename(logPath, logPath+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !p.metricIs(`breachd_detector_file_rotations_total{source="app"}`, 1) {
		if time.Now().After(deadline) {
			t.Fatal("the rotation was not noticed")
		}
		time.Sleep(5 * time.Millisecond) // polling the daemon, not timing
	}
	write(20) // to the renamed file, after the switch
	p.waitSeq(seq)
	p.kill()
	write(20) // to the renamed file, while breachd is down
	w.Close()
	if w, err = os.OpenFile(logPath, os.O_APPEND|os.O_WRONLY, 0); err != nil {
		t.Fatal(err)
	}
	write(10)
	p.start()
	p.waitReady()
	p.waitSeq(seq)
	write(1)
	p.waitSeq(seq)
	p.stop()
	perSeq := findingsPerTitle(t, dir, "seq ")
	for n := 1; n <= seq; n++ {
		if perSeq[n] != 1 {
			t.Errorf("seq %d: %d findings, want 1", n, perSeq[n])
		}
	}
	if len(perSeq) != seq || seq != 61 {
		t.Errorf("%d seqs with findings, %d written", len(perSeq), seq)
	}
}

// waitStopped waits until the kernel shows every thread of the child
// stopped (state T), so that nothing written from now on is read before
// SIGCONT.
func (p *daemonProcess) waitStopped() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !p.allThreadsStopped() {
		if time.Now().After(deadline) {
			p.t.Fatal("daemon not stopped")
		}
		time.Sleep(time.Millisecond) // polling the kernel, not timing
	}
}

func (p *daemonProcess) allThreadsStopped() bool {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", p.cmd.Process.Pid))
	if err != nil || len(tasks) == 0 {
		return false
	}
	for _, task := range tasks {
		stat, err := os.ReadFile(task)
		if err != nil {
			return false
		}
		// pid (comm) state ...: the state follows the last ')'.
		i := strings.LastIndexByte(string(stat), ')')
		if i < 0 || !strings.HasPrefix(string(stat[i+1:]), " T") {
			return false
		}
	}
	return true
}

// TestRotateGraceFromConfig: a source's rotate_grace is the idle time after
// which its rotated file is let go, on the daemon's clock: at 29s idle the
// file is still read, at 30s it is let go.
func TestRotateGraceFromConfig(t *testing.T) {
	clk := &clock{now: time.Now()}
	config := strings.Replace(everyLine, `paths = ["./var/auth.log"]`, "paths        = [\"./var/auth.log\"]\n  rotate_grace = \"30s\"", 1)
	h := startWith(t, t.TempDir(), config, daemon.Options{Now: clk.Now, PollInterval: 20 * time.Millisecond})
	read := func() float64 { return h.metrics()[`breachd_detector_lines_read_total{source="app"}`] }
	released := func() float64 { return h.metrics()[`breachd_detector_rotated_files_released_total{source="app"}`] }
	h.appendLines("line 1")
	h.waitFor("line 1", func() bool { return read() == 1 })
	if err := os.Rename(h.log, h.log+".1"); err != nil {
		t.Fatal(err)
	}
	h.appendLines("line 2") // creates the new file
	h.waitFor("line 2", func() bool { return read() == 2 })

	clk.Add(29 * time.Second)
	// A line in the new file: the pass that reads it checks the grace.
	h.appendLines("line 3")
	h.waitFor("line 3", func() bool { return read() == 3 })
	if n := released(); n != 0 {
		t.Fatalf("let go after 29s idle with rotate_grace 30s (%v)", n)
	}
	appendFile(t, h.log+".1", "line 4\n")
	h.appendLines("line 5")
	h.waitFor("lines 4 and 5", func() bool { return read() == 5 })

	clk.Add(30 * time.Second)
	h.waitFor("the rotated file let go", func() bool { return released() == 1 })
	appendFile(t, h.log+".1", "line 6\n")
	h.appendLines("line 7")
	h.waitFor("line 7", func() bool { return read() >= 6 })
	if n := read(); n != 6 {
		t.Errorf("%v lines read, want 6 (line 6 was written to the file let go)", n)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}
