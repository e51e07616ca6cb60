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

// handoffFixture is a running Runner on a stalling real store with one
// gated action, and one committed incident whose run it has not seen.
type handoffFixture struct {
	t     *testing.T
	r     *Runner
	store *stallingStore
	act   *gatedAction
	out   incidents.Outcome
	stop  func() error
}

func newHandoffFixture(t *testing.T) *handoffFixture {
	t.Helper()
	ctx := context.Background()
	real, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { real.Close() })
	f := &handoffFixture{t: t, store: &stallingStore{Store: real, reads: make(chan int)},
		act: &gatedAction{started: make(chan struct{}, 2), gate: make(chan struct{})}}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	f.r = NewRunner(RunnerOptions{Store: f.store, Actions: map[string]Action{"count": f.act}, Now: func() time.Time { return now }})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.r.Run(runCtx) }()
	f.stop = func() error { cancel(); return <-done }
	if n := <-f.store.reads; n != 0 { // the first read, at start
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
	f.out = out[0]
	return f
}

func (f *handoffFixture) hand() {
	f.r.Hand([]incidents.Handoff{{Incident: *f.out.Incident, Runs: f.out.Runs}})
}

// idle waits until no run is in flight.
func (f *handoffFixture) idle() {
	for {
		f.r.mu.Lock()
		idle := len(f.r.inflight) == 0
		f.r.mu.Unlock()
		if idle {
			return
		}
		runtime.Gosched()
	}
}

// TestHandedRunIsNotRunAgainByAStaleRead: a run handed to the runner in
// memory finishes while a read of the pending runs that began before its
// result was committed is still returning; that read lists it pending, and
// the runner must not run it a second time.
func TestHandedRunIsNotRunAgainByAStaleRead(t *testing.T) {
	f := newHandoffFixture(t)
	f.store.mu.Lock()
	f.store.hold = make(chan struct{})
	hold := f.store.hold
	f.store.mu.Unlock()
	f.hand()
	<-f.act.started
	f.r.Wake()
	if n := <-f.store.reads; n != 1 {
		t.Fatalf("the read during the run lists %d pending, want the run", n)
	}
	close(f.act.gate) // the run finishes while that read is held
	f.idle()
	close(hold)
	f.r.Wake()
	if n := <-f.store.reads; n != 0 { // the loop is past the stale read
		t.Fatalf("after the run: %d pending", n)
	}
	if err := f.stop(); err != nil {
		t.Fatal(err)
	}
	if n := f.act.n.Load(); n != 1 {
		t.Errorf("the action ran %d times, want once", n)
	}
	runs, _ := f.store.ActionRuns(context.Background(), f.out.IncidentID)
	if len(runs) != 1 || runs[0].State != incidents.ActionSucceeded {
		t.Errorf("runs = %+v, want one succeeded", runs)
	}
}

// TestRunReadFirstIsNotRunAgainWhenHanded: a read of the pending runs
// can take a run between its commit and its incident's hand-off and run
// it; the hand-off that comes after must not run it again.
func TestRunReadFirstIsNotRunAgainWhenHanded(t *testing.T) {
	f := newHandoffFixture(t)
	f.r.Wake() // a read comes first and runs it
	if n := <-f.store.reads; n != 1 {
		t.Fatalf("the read lists %d pending, want the run", n)
	}
	<-f.act.started
	close(f.act.gate)
	f.idle()
	f.act.gate = make(chan struct{}) // a second run would wait here
	f.hand()
	f.r.mu.Lock()
	claimed := f.r.inflight[f.out.Runs[0].ID]
	f.r.mu.Unlock()
	if claimed || len(f.r.handed) != 0 {
		t.Errorf("the late hand-off was taken (claimed %v, %d queued); the run is done", claimed, len(f.r.handed))
	}
	close(f.act.gate)
	if err := f.stop(); err != nil {
		t.Fatal(err)
	}
	if n := f.act.n.Load(); n != 1 {
		t.Errorf("the action ran %d times, want once", n)
	}
}
