package actions

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// stallingStore is the real store whose pending-runs read can be held
// after it has read its rows: it stands for a read that began before a run
// finished and returns after.
type stallingStore struct {
	incidents.Store
	reads chan int // rows of each read, sent before it returns

	mu   sync.Mutex
	hold chan struct{} // the next read waits on it
}

func (s *stallingStore) PendingActions(ctx context.Context) ([]incidents.ActionRun, error) {
	runs, err := s.Store.PendingActions(ctx)
	s.mu.Lock()
	hold := s.hold
	s.hold = nil
	s.mu.Unlock()
	s.reads <- len(runs)
	if hold != nil {
		<-hold
	}
	return runs, err
}

// gatedAction counts its runs; each waits for gate.
type gatedAction struct {
	started chan struct{}
	gate    chan struct{}
	n       atomic.Int32
}

func (a *gatedAction) Fields() []string { return nil }

func (a *gatedAction) Run(ctx context.Context, req Request) (string, error) {
	a.n.Add(1)
	a.started <- struct{}{}
	<-a.gate
	return "done", nil
}

// TestHandedRunIsNotRunAgainByAStaleRead: a run handed to the runner in
// memory finishes while a read of the pending runs that began before its
// result was committed is still returning; that read lists it pending, and
// the runner must not run it a second time.
func TestHandedRunIsNotRunAgainByAStaleRead(t *testing.T) {
	ctx := context.Background()
	real, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	store := &stallingStore{Store: real, reads: make(chan int)}
	act := &gatedAction{started: make(chan struct{}, 2), gate: make(chan struct{})}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	r := NewRunner(RunnerOptions{Store: store, Actions: map[string]Action{"count": act}, Now: func() time.Time { return now }})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	if n := <-store.reads; n != 0 { // the first read, at start
		t.Fatalf("pending at start: %d", n)
	}

	out, err := real.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: "f", Rule: "r", Fields: map[string]string{"ip": "192.0.2.1"},
			FindingCount: 1, FirstSeen: now, LastSeen: now},
		Actions: []string{"count"},
	}}, incidents.Progress{}, now)
	if err != nil || out[0].Incident == nil || len(out[0].Runs) != 1 {
		t.Fatalf("record: %+v, %v", out, err)
	}
	store.mu.Lock()
	store.hold = make(chan struct{})
	hold := store.hold
	store.mu.Unlock()
	r.Hand([]incidents.Handoff{{Incident: *out[0].Incident, Runs: out[0].Runs}})
	<-act.started
	r.Wake()
	if n := <-store.reads; n != 1 {
		t.Fatalf("the read during the run lists %d pending, want the run", n)
	}
	close(act.gate) // the run finishes while that read is held
	for {
		r.mu.Lock()
		idle := len(r.inflight) == 0
		r.mu.Unlock()
		if idle {
			break
		}
		runtime.Gosched()
	}
	close(hold)
	r.Wake()
	if n := <-store.reads; n != 0 { // the loop is past the stale read
		t.Fatalf("after the run: %d pending", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := act.n.Load(); n != 1 {
		t.Errorf("the action ran %d times, want once", n)
	}
	runs, _ := real.ActionRuns(ctx, out[0].IncidentID)
	if len(runs) != 1 || runs[0].State != incidents.ActionSucceeded {
		t.Errorf("runs = %+v, want one succeeded", runs)
	}
}

// TestRunReadFirstIsNotRunAgainWhenHanded: a read of the pending runs
// can take a run between its commit and its incident's hand-off and run
// it; the hand-off that comes after must not run it again.
func TestRunReadFirstIsNotRunAgainWhenHanded(t *testing.T) {
	ctx := context.Background()
	real, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	store := &stallingStore{Store: real, reads: make(chan int)}
	act := &gatedAction{started: make(chan struct{}, 2), gate: make(chan struct{})}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	r := NewRunner(RunnerOptions{Store: store, Actions: map[string]Action{"count": act}, Now: func() time.Time { return now }})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	<-store.reads // the first read, at start
	out, err := real.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: "f", Rule: "r", Fields: map[string]string{"ip": "192.0.2.1"},
			FindingCount: 1, FirstSeen: now, LastSeen: now},
		Actions: []string{"count"},
	}}, incidents.Progress{}, now)
	if err != nil || len(out[0].Runs) != 1 {
		t.Fatalf("record: %+v, %v", out, err)
	}
	r.Wake() // a read comes first and runs it
	if n := <-store.reads; n != 1 {
		t.Fatalf("the read lists %d pending, want the run", n)
	}
	<-act.started
	close(act.gate)
	for {
		r.mu.Lock()
		idle := len(r.inflight) == 0
		r.mu.Unlock()
		if idle {
			break
		}
		runtime.Gosched()
	}
	act.gate = make(chan struct{}) // a second run would wait here
	r.Hand([]incidents.Handoff{{Incident: *out[0].Incident, Runs: out[0].Runs}})
	r.mu.Lock()
	claimed := r.inflight[out[0].Runs[0].ID]
	r.mu.Unlock()
	if claimed || len(r.handed) != 0 {
		t.Errorf("the late hand-off was taken (claimed %v, %d queued); the run is done", claimed, len(r.handed))
	}
	close(act.gate)
	cancel()
	<-done
	if n := act.n.Load(); n != 1 {
		t.Errorf("the action ran %d times, want once", n)
	}
}
