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

// stateConfig is a 5-failure threshold on a file read from its start.
const stateConfig = `
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
}`

// stateRig runs detectors, one after the other, on a file and a
// fakeStore, each on a new engine that imports the stored state and
// resumes at the stored positions, as the daemon does at start.
type stateRig struct {
	t    *testing.T
	cfg  *configs.Config
	path string
	st   *fakeStore
}

func newStateRig(t *testing.T) *stateRig {
	dir := t.TempDir()
	cfg, diags := configs.Parse("t.hcl", []byte(stateConfig), dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return &stateRig{t: t, cfg: cfg, path: filepath.Join(dir, "auth.log"),
		st: &fakeStore{dead: map[int]bool{}, positions: map[string]logtail.Position{}, state: map[[2]string]rules.KeyState{}}}
}

func (r *stateRig) run(sink FindingSink) (context.CancelFunc, chan error) {
	t := r.t
	engine, diags := rules.Compile(r.cfg, rules.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	engine.TrackChanges()
	r.st.mu.Lock()
	stored := slices.SortedFunc(maps.Values(r.st.state), func(a, b rules.KeyState) int { return cmp.Compare(a.Used, b.Used) })
	positions := maps.Clone(r.st.positions)
	r.st.mu.Unlock()
	if _, err := engine.Import(stored); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	d, err := New(Options{Sources: r.cfg.Sources, Engine: engine, Sink: sink, Positions: positions,
		Now: func() time.Time { return now }, PollInterval: 10 * time.Millisecond, FlushTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stopped := make(chan struct{})
	go func() { done <- d.Run(ctx); close(stopped) }()
	// An abandoned detector still tries its final commit: the test ends
	// after it gives up.
	t.Cleanup(func() { cancel(); <-stopped })
	<-d.Ready()
	return cancel, done
}

// appendFailures appends n failures and returns the file's size.
func (r *stateRig) appendFailures(n int) int64 {
	f, err := os.OpenFile(r.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		r.t.Fatal(err)
	}
	defer f.Close()
	for range n {
		f.WriteString("Failed password for root from 203.0.113.7 port 22\n")
	}
	fi, _ := f.Stat()
	return fi.Size()
}

func (r *stateRig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// findings lists the committed findings as "rule key count=N".
func (r *stateRig) findings() string {
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	var got []string
	for _, f := range r.st.findings {
		got = append(got, fmt.Sprintf("%s %s count=%d", f.Rule, f.GroupKey, f.Count))
	}
	return fmt.Sprint(got)
}

// TestStateIsCommittedWithPositions: three failures are committed with
// their positions and state; a fourth is read but its batch is never
// acknowledged (the process dies); a new detector on a new engine that
// imports the committed state and resumes at the committed positions reads
// the fourth again and a fifth: exactly one finding, on the fifth. The
// state committed is the state of the lines up to the committed position,
// no further, so the fourth counts once.
func TestStateIsCommittedWithPositions(t *testing.T) {
	r := newStateRig(t)
	st := r.st
	cancel, _ := r.run(st.sink(1))
	size := r.appendFailures(3)
	r.waitFor("3 lines committed", func() bool { return st.offset(r.path) == size })
	st.mu.Lock()
	st.dead[1] = true
	st.mu.Unlock()
	r.appendFailures(1)
	r.waitFor("the 4th line's batch offered", func() bool { st.mu.Lock(); defer st.mu.Unlock(); return st.attempts > 0 })
	cancel() // the first process is abandoned, as a killed one is: nothing more of it is acknowledged

	cancel2, done2 := r.run(st.sink(2))
	size = r.appendFailures(1)
	r.waitFor("5 lines committed", func() bool { return st.offset(r.path) == size })
	cancel2()
	if err := <-done2; err != nil {
		t.Fatal(err)
	}
	if got := r.findings(); got != "[ssh ip=203.0.113.7 count=5]" {
		t.Errorf("findings %v, want one with count 5", got)
	}
}

// TestStateOfAFailedCommitIsCommittedLater: the commit of three failures
// fails as the detector stops (its context ends during the commit); the
// final commit then carries their positions and their state together, so
// the next start, importing it, fires on two more.
func TestStateOfAFailedCommitIsCommittedLater(t *testing.T) {
	r := newStateRig(t)
	st := r.st
	var once sync.Once
	blocked := make(chan struct{})
	cancel, done := r.run(func(ctx context.Context, b Batch) error {
		first := false
		if len(b.State) > 0 {
			once.Do(func() { first = true })
		}
		if first {
			close(blocked)
			<-ctx.Done()
			return ctx.Err()
		}
		return st.commit(1, b)
	})
	size := r.appendFailures(3)
	<-blocked
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := st.offset(r.path); got != size {
		t.Fatalf("offset %d committed at the stop, want %d", got, size)
	}
	cancel2, done2 := r.run(st.sink(2))
	size = r.appendFailures(2)
	r.waitFor("5 lines committed", func() bool { return st.offset(r.path) == size })
	cancel2()
	if err := <-done2; err != nil {
		t.Fatal(err)
	}
	if got := r.findings(); got != "[ssh ip=203.0.113.7 count=5]" {
		t.Errorf("findings %v, want one with count 5", got)
	}
}
