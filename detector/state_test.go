package detector

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/rules"
)

// fakeStore keeps what a sink acknowledged: positions and rule state, as
// the store's transaction would. A process marked dead gets nothing
// acknowledged any more.
type fakeStore struct {
	mu        sync.Mutex
	dead      map[int]bool
	attempts  int // batches offered by dead processes
	positions map[string]logtail.Position
	state     map[[2]string]rules.KeyState
	findings  []rules.Finding
}

func (s *fakeStore) sink(process int) FindingSink {
	return func(ctx context.Context, b Batch) error { return s.commit(process, b) }
}

func (s *fakeStore) commit(process int, b Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead[process] {
		s.attempts++
		return errors.New("killed")
	}
	for _, p := range b.Positions {
		s.positions[p.Path] = p
	}
	for _, st := range b.State {
		if st.State == nil {
			delete(s.state, [2]string{st.Rule, st.Key})
		} else {
			s.state[[2]string{st.Rule, st.Key}] = st
		}
	}
	s.findings = append(s.findings, b.Findings...)
	return nil
}

func (s *fakeStore) offset(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.positions[path].Offset
}

// TestStateIsCommittedWithPositions: three failures are committed with
// their positions and state; a fourth is read but its batch is never
// acknowledged (the process dies); a new detector on a new engine that
// imports the committed state and resumes at the committed positions reads
// the fourth again and a fifth: exactly one finding, on the fifth. The
// state committed is the state of the lines up to the committed position,
// no further, so the fourth counts once.
func TestStateIsCommittedWithPositions(t *testing.T) {
	dir := t.TempDir()
	cfg, diags := configs.Parse("t.hcl", []byte(`
source "file" "auth" {
  paths    = ["./auth.log"]
  start_at = "beginning"
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for \\S+ from (?P<ip>\\S+)"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
}`), dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	path := filepath.Join(dir, "auth.log")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	st := &fakeStore{dead: map[int]bool{}, positions: map[string]logtail.Position{}, state: map[[2]string]rules.KeyState{}}
	run := func(process int) (context.CancelFunc, chan error) {
		engine, diags := rules.Compile(cfg, rules.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		engine.TrackChanges()
		stored := slices.SortedFunc(maps.Values(st.state), func(a, b rules.KeyState) int { return cmp.Compare(a.Used, b.Used) })
		if _, err := engine.Import(stored); err != nil {
			t.Fatal(err)
		}
		d, err := New(Options{Sources: cfg.Sources, Engine: engine, Sink: st.sink(process), Positions: maps.Clone(st.positions),
			Now: func() time.Time { return now }, PollInterval: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx) }()
		<-d.Ready()
		return cancel, done
	}
	line := "Failed password for root from 203.0.113.7 port 22\n"
	appendLine := func(n int) int64 {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for range n {
			f.WriteString(line)
		}
		fi, _ := f.Stat()
		return fi.Size()
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	cancel, _ := run(1)
	size := appendLine(3)
	waitFor("3 lines committed", func() bool { return st.offset(path) == size })
	st.mu.Lock()
	st.dead[1] = true
	st.mu.Unlock()
	appendLine(1)
	waitFor("the 4th line's batch offered", func() bool { st.mu.Lock(); defer st.mu.Unlock(); return st.attempts > 0 })
	cancel() // the first process is abandoned, as a killed one is: nothing more of it is acknowledged

	cancel2, done2 := run(2)
	size = appendLine(1)
	waitFor("5 lines committed", func() bool { return st.offset(path) == size })
	cancel2()
	if err := <-done2; err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var got []string
	for _, f := range st.findings {
		got = append(got, fmt.Sprintf("%s %s count=%d", f.Rule, f.GroupKey, f.Count))
	}
	if fmt.Sprint(got) != "[ssh ip=203.0.113.7 count=5]" {
		t.Errorf("findings %v, want one with count 5", got)
	}
}
