package daemon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// The torture schedule, in seq numbers: 10 rotations evenly spread,
// alternating rename+create (odd) and copytruncate (even); three SIGKILLs,
// each followed by downLines lines written while breachd is down. The first
// kill spans a rename, the second a copytruncate, the third nothing.
type schedule struct {
	lines, rotationEvery, lateWrites, downLines int
	kills                                       []int
}

func tortureSchedule() schedule {
	if raceEnabled {
		return schedule{lines: 9000, rotationEvery: 818, lateWrites: 20, downLines: 150, kills: []int{2400, 4800, 6900}}
	}
	return schedule{lines: 30000, rotationEvery: 2727, lateWrites: 50, downLines: 500, kills: []int{8000, 16000, 23000}}
}

const tortureTimeout = 5 * time.Minute

// daemonProcess is breachd running as a child process.
type daemonProcess struct {
	t      *testing.T
	config string
	addr   string
	cmd    *exec.Cmd
	log    string
	n      int
}

// startProcess starts breachd as a child process on config in dir; it is
// killed at the end of the test if it still runs (woken first, should the
// test have stopped it with SIGSTOP).
func startProcess(t *testing.T, dir, addr, config string) *daemonProcess {
	t.Helper()
	p := &daemonProcess{t: t, config: config, addr: addr, log: filepath.Join(dir, "daemon")}
	p.start()
	t.Cleanup(func() {
		if p.running() {
			p.cmd.Process.Signal(syscall.SIGCONT)
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

func (p *daemonProcess) start() {
	p.t.Helper()
	p.n++
	logFile, err := os.Create(fmt.Sprintf("%s.%d.log", p.log, p.n))
	if err != nil {
		p.t.Fatal(err)
	}
	p.cmd = exec.Command(testBinary(p.t), "daemon", p.config)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	logFile.Close()
}

func (p *daemonProcess) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL
		p.t.Fatal(err)
	}
	p.cmd.Wait()
}

func (p *daemonProcess) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		p.t.Errorf("daemon exited with %v; see %s.%d.log", err, p.log, p.n)
	}
}

// running reports whether the child is up (started and not killed).
func (p *daemonProcess) running() bool { return p.cmd != nil && p.cmd.ProcessState == nil }

// progress returns the highest seq the daemon has committed (incidents are
// opened in line order), or -1 when it does not answer.
func (p *daemonProcess) progress() int {
	title := p.newestTitle()
	if title == "" {
		return -1
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(title, "seq "))
	return n
}

// waitProgress waits until the daemon has committed seq or more.
func (p *daemonProcess) waitProgress(seq int) {
	p.t.Helper()
	deadline := time.Now().Add(tortureTimeout)
	for p.progress() < seq {
		if time.Now().After(deadline) {
			p.t.Fatalf("daemon stuck before seq %d (at %d)", seq, p.progress())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *daemonProcess) waitReady() {
	p.t.Helper()
	deadline := time.Now().Add(tortureTimeout)
	for {
		resp, err := http.Get("http://" + p.addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatal("daemon not ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newestTitle returns the title of the newest incident, "" if none or if
// the daemon does not answer yet.
func (p *daemonProcess) newestTitle() string {
	resp, err := http.Get("http://" + p.addr + "/api/v1/incidents?limit=1")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var list httpapi.IncidentList
	body, _ := io.ReadAll(resp.Body)
	if err := jsonUnmarshal(body, &list); err != nil || len(list.Incidents) == 0 {
		return ""
	}
	return list.Incidents[0].Title
}

// TestTortureRotationAndKill follows a file written as fast as possible
// while it is rotated 10 times (alternating rename+create and copytruncate)
// and breachd is killed with SIGKILL and restarted 3 times. Every line is
// one incident (rule grouped by seq), so the store shows which lines were
// processed and how often.
func TestTortureRotationAndKill(t *testing.T) {
	if testing.Short() {
		t.Skip("torture test skipped in -short mode")
	}
	sc := tortureSchedule()
	tortureLines, rotationEvery, lateWrites, downLines := sc.lines, sc.rotationEvery, sc.lateWrites, sc.downLines
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	config := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`
server {
  listen         = %q
  anonymous_role = "viewer"
}
source "file" "app" {
  paths    = ["./var/app.log"]
  start_at = "beginning"
}
rule "seq" {
  source = "app"
  match  = "^seq=(?P<seq>\\d+)$"
  threshold {
    count    = 1
    within   = "1s"
    group_by = ["seq"]
  }
  incident { title = "seq ${seq}" }
}
`, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "var", "app.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o700); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, dir, addr, config)
	p.waitReady()

	// segments[k] is the last seq written before rotation k+1; copytruncated
	// segments may lose lines, renamed ones must not.
	type segment struct {
		first, last  int
		copytruncate bool
	}
	var segments []segment
	segStart := 1
	w, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	write := func(f *os.File, seq int) {
		if _, err := f.WriteString("seq=" + strconv.Itoa(seq) + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	killAt := map[int]bool{}
	restartAt := map[int]bool{}
	for _, k := range sc.kills {
		killAt[k] = true
		restartAt[k+downLines] = true
	}
	// The writer never waits for the daemon, with two exceptions that keep
	// the schedule meaningful: a kill waits until the daemon has committed
	// something since it was started (so it is killed mid-work), and a
	// rotation waits until the daemon reads the current file (a tailer
	// more than one rotation behind loses the file in between, whatever
	// the tool: see docs/sources.md).
	rotation, lastRotation, lastStart := 0, 0, 0
	for seq := 1; seq <= tortureLines; seq++ {
		write(w, seq)
		switch {
		case killAt[seq]:
			p.waitProgress(lastStart + 1)
			p.kill()
		case restartAt[seq]:
			p.start()
			lastStart = seq
		}
		if seq%rotationEvery != 0 || rotation == 10 {
			continue
		}
		if p.running() {
			p.waitProgress(lastRotation + 1)
		}
		rotation++
		lastRotation = seq
		rotated := fmt.Sprintf("%s.%d", logPath, rotation)
		if rotation%2 == 1 {
			// rename+create; the writer still appends to the old file for
			// a moment, as loggers do until they reopen.
			if err := os.Rename(logPath, rotated); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < lateWrites; i++ {
				seq++
				write(w, seq)
			}
			w.Close()
			if w, err = os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err != nil {
				t.Fatal(err)
			}
			segments = append(segments, segment{segStart, seq, false})
			lastRotation = seq
		} else {
			// copytruncate: copy, then truncate the file the writer keeps
			// open with O_APPEND.
			src, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(rotated, src, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(logPath, 0); err != nil {
				t.Fatal(err)
			}
			segments = append(segments, segment{segStart, seq, true})
		}
		segStart = seq + 1
	}
	w.Close()
	segments = append(segments, segment{segStart, tortureLines, false})

	// Wait until the daemon has processed the last line, then stop it.
	want := fmt.Sprintf("seq %d", tortureLines)
	deadline := time.Now().Add(tortureTimeout)
	for p.newestTitle() != want {
		if time.Now().After(deadline) {
			t.Fatalf("daemon did not reach the last line; newest incident %q", p.newestTitle())
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.stop()

	store, err := sqlstore.Open(context.Background(), filepath.Join(dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	list, err := store.List(context.Background(), incidents.ListOptions{Limit: 2 * tortureLines})
	if err != nil {
		t.Fatal(err)
	}
	count := make(map[int]int64, len(list))
	for _, inc := range list {
		n, err := strconv.Atoi(strings.TrimPrefix(inc.Title, "seq "))
		if err != nil {
			t.Fatalf("unexpected incident %q", inc.Title)
		}
		count[n] += inc.FindingCount
	}
	var lostRename, lostCopy, duplicates int
	var perCopy []string
	for _, sg := range segments {
		lostHere := 0
		for seq := sg.first; seq <= sg.last; seq++ {
			switch c := count[seq]; {
			case c == 0 && sg.copytruncate:
				lostCopy++
				lostHere++
			case c == 0:
				lostRename++
				if lostRename <= 10 {
					t.Errorf("seq %d (in a rename+create segment %d-%d) was never processed", seq, sg.first, sg.last)
				}
			case c > 1:
				duplicates++
			}
		}
		if sg.copytruncate {
			perCopy = append(perCopy, fmt.Sprintf("%d-%d: %d", sg.first, sg.last, lostHere))
		}
	}
	if lostRename > 0 {
		t.Errorf("%d lines lost outside copytruncate segments", lostRename)
	}
	if t.Failed() {
		for i := 1; i <= p.n; i++ {
			b, _ := os.ReadFile(fmt.Sprintf("%s.%d.log", p.log, i))
			for _, l := range strings.Split(string(b), "\n") {
				if !strings.Contains(l, "incident opened") && l != "" {
					t.Logf("daemon run %d: %s", i, l)
				}
			}
		}
	}
	// Positions are committed in the same transaction as the findings, so
	// nothing committed is processed twice.
	if duplicates > 0 {
		t.Errorf("%d lines processed more than once", duplicates)
	}
	t.Logf("torture: %d lines, 10 rotations, 3 SIGKILLs: lost in rename+create segments: %d; duplicates: %d; lost to copytruncate: %d (per copytruncated segment: %s)",
		tortureLines, lostRename, duplicates, lostCopy, strings.Join(perCopy, "; "))
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
