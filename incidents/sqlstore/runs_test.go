package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// TestStartUnknownSettle: a start is kept across a reopen (the run is
// pending and started); an unknown outcome pages each channel once, even
// when recorded again; settling checks the state, keeps who and why, and
// "pending" clears the start so that the run acts once more.
func TestStartUnknownSettle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s := open(t, path)
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0, "mark")}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := out[0].Runs[0].ID
	if err := s.StartAction(ctx, id, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	pending, _ := s.PendingActions(ctx)
	if len(pending) != 1 || pending[0].StartedAt == nil || !pending[0].StartedAt.Equal(t0.Add(time.Second)) || pending[0].Attempts != 1 {
		t.Fatalf("after a reopen: %+v, want one pending run started at t0+1s", pending)
	}
	pages := []incidents.Page{{Route: "everything", Channel: "oncall"}, {Route: "everything", Channel: "mail"}}
	for range 2 {
		if err := s.FinishAndPage(ctx, id, incidents.ActionUnknown, "breachd stopped", pages, t0.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _ := s.Messages(ctx, out[0].IncidentID)
	if len(msgs) != 2 || msgs[0].Event != "action.unknown" || msgs[0].IdempotencyKey != "breachd-run-1-unknown-oncall" || msgs[0].Subject != "Action mark unknown" || msgs[0].Body != "breachd stopped" {
		t.Fatalf("outbox = %+v, want one action.unknown page per channel", msgs)
	}
	if err := s.StartAction(ctx, id, t0); !errors.Is(err, incidents.ErrConflict) {
		t.Errorf("starting an unknown run: %v, want ErrConflict", err)
	}
	if _, err := s.Settle(ctx, id, incidents.ActionSucceeded, incidents.Change{Actor: "rita", Reason: "x", At: t0}); !errors.Is(err, incidents.ErrInvalid) {
		t.Errorf("settle as succeeded: %v, want ErrInvalid", err)
	}
	if _, err := s.Settle(ctx, 999, incidents.ActionRan, incidents.Change{Actor: "rita", Reason: "x", At: t0}); !errors.Is(err, incidents.ErrNotFound) {
		t.Errorf("settle a missing run: %v, want ErrNotFound", err)
	}
	run, err := s.Settle(ctx, id, incidents.ActionPending, incidents.Change{Actor: "rita", Reason: "no trace of it", At: t0.Add(time.Minute)})
	if err != nil || run.State != incidents.ActionPending || run.StartedAt != nil || run.SettledBy != "rita" {
		t.Fatalf("settled to run again: %+v, %v", run, err)
	}
	if _, err := s.Settle(ctx, id, incidents.ActionRan, incidents.Change{Actor: "rita", Reason: "x", At: t0}); !errors.Is(err, incidents.ErrConflict) {
		t.Errorf("settle a pending run: %v, want ErrConflict", err)
	}
	tl, _ := s.Timeline(ctx, out[0].IncidentID)
	kinds := map[string]int{}
	for _, e := range tl {
		kinds[e.Kind]++
	}
	// opened; two unknown outcomes (the second recorded again); two pages; one settle.
	if kinds["opened"] != 1 || kinds["action"] != 2 || kinds["notification"] != 2 || kinds["settle"] != 1 {
		t.Errorf("timeline kinds = %v", kinds)
	}
	if last := tl[len(tl)-1]; last.Actor != "rita" || last.Data["outcome"] != "pending" || last.Data["reason"] != "no trace of it" {
		t.Errorf("settle entry = %+v", last)
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Errorf("chain: %+v, %v", v, err)
	}
}
