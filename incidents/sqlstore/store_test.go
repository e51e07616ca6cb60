package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func item(fp string, at time.Time, actions ...string) incidents.NewIncident {
	return incidents.NewIncident{
		Incident: incidents.Incident{
			Fingerprint: fp, Rule: "ssh", GroupKey: "ip=x", Title: "t " + fp, Category: "c", Severity: "high",
			Status: incidents.StatusOpen, Fields: map[string]string{"ip": "203.0.113.7"}, Evidence: "line",
			FindingCount: 1, FirstSeen: at, LastSeen: at,
		},
		Actions: actions,
	}
}

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDedupByFingerprint(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0, "block"), item("b", t0), item("a", t0.Add(time.Minute), "block")}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !out[0].Opened || !out[1].Opened || out[2].Opened || out[2].IncidentID != out[0].IncidentID {
		t.Fatalf("outcomes = %+v, want a and b opened, the second a attached to the first", out)
	}
	inc, err := s.Incident(ctx, out[0].IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.FindingCount != 2 || !inc.LastSeen.Equal(t0.Add(time.Minute)) || !inc.FirstSeen.Equal(t0) || inc.Fields["ip"] != "203.0.113.7" {
		t.Errorf("incident = %+v", inc)
	}
	list, err := s.List(ctx, incidents.ListOptions{})
	if err != nil || len(list) != 2 || list[0].ID != out[1].IncidentID {
		t.Errorf("list = %+v, %v; want 2 incidents, newest first", list, err)
	}
	// The attached finding queued no second run of the action.
	runs, _ := s.PendingActions(ctx)
	if len(runs) != 1 || runs[0].Action != "block" || runs[0].IncidentID != out[0].IncidentID {
		t.Errorf("pending = %+v, want one block run", runs)
	}
	if _, err := s.Incident(ctx, 999); !errors.Is(err, incidents.ErrNotFound) {
		t.Errorf("missing incident: %v", err)
	}
}

func TestPendingActionsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s := open(t, path)
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0, "block", "notify")}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := s.PendingActions(ctx)
	if err := s.FinishAction(ctx, runs[0].ID, incidents.ActionSucceeded, "done", t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path) // a restart: migrations are not re-applied
	defer s.Close()
	runs, err = s.PendingActions(ctx)
	if err != nil || len(runs) != 1 || runs[0].Action != "notify" || runs[0].Fields["ip"] != "203.0.113.7" {
		t.Fatalf("pending after restart = %+v, %v; want notify still pending", runs, err)
	}
	all, _ := s.ActionRuns(ctx, out[0].IncidentID)
	if len(all) != 2 || all[0].State != incidents.ActionSucceeded || all[0].Result != "done" || all[0].FinishedAt == nil {
		t.Errorf("runs = %+v", all)
	}
	tl, _ := s.Timeline(ctx, out[0].IncidentID)
	if len(tl) != 2 || tl[0].Kind != "opened" || tl[1].Kind != "action" || tl[1].Message != "Action block succeeded: done" {
		t.Errorf("timeline = %+v", tl)
	}
}

func TestClosedIncidentDoesNotAbsorbNewFindings(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, _ := s.Record(ctx, []incidents.NewIncident{item("a", t0)}, incidents.Progress{}, t0)
	if _, err := s.w.ExecContext(ctx, `UPDATE incidents SET status = 'closed' WHERE id = ?`, out[0].IncidentID); err != nil {
		t.Fatal(err)
	}
	out2, err := s.Record(ctx, []incidents.NewIncident{item("a", t0.Add(time.Hour))}, incidents.Progress{}, t0)
	if err != nil || !out2[0].Opened || out2[0].IncidentID == out[0].IncidentID {
		t.Errorf("after close: %+v, %v; want a new incident", out2, err)
	}
}

func TestProgressCommitsWithFindings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	s := open(t, path)
	fp := make([]byte, 32)
	fp[0] = 0xab
	pos := incidents.FilePosition{Path: "/var/log/auth.log", Dev: 1<<63 + 5, Ino: 42, Offset: 1234, FPLen: 1024, FP: fp}
	cur := incidents.SourceCursor{Source: "journal", Cursor: "s=1;i=1"}
	if _, err := s.Record(ctx, []incidents.NewIncident{item("a", t0)}, incidents.Progress{Files: []incidents.FilePosition{pos}, Cursors: []incidents.SourceCursor{cur}}, t0); err != nil {
		t.Fatal(err)
	}
	pos.Offset = 2000
	cur.Cursor = "s=1;i=2"
	if _, err := s.Record(ctx, nil, incidents.Progress{Files: []incidents.FilePosition{pos}, Cursors: []incidents.SourceCursor{cur}}, t0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	prog, err := s.Progress(ctx)
	got := prog.Files
	if err != nil || len(got) != 1 {
		t.Fatalf("positions = %+v, %v", got, err)
	}
	if len(prog.Cursors) != 1 || prog.Cursors[0] != cur {
		t.Errorf("cursors = %+v, want [%+v]", prog.Cursors, cur)
	}
	if g := got[0]; g.Path != pos.Path || g.Dev != pos.Dev || g.Ino != 42 || g.Offset != 2000 || g.FPLen != 1024 || g.FP[0] != 0xab || len(g.FP) != 32 {
		t.Errorf("position = %+v, want %+v", g, pos)
	}
}

// TestVolatileContainmentLeavesCommitsSynced: a volatile containment's
// record is committed unsynced, and the writer is back to synchronous FULL
// for every commit after it; the record survives reopening (it was
// written, only not waited for); the run's start is counted in it.
func TestVolatileContainmentLeavesCommitsSynced(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	s := open(t, path)
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0, "block")}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := s.PendingActions(ctx)
	for _, volatile := range []bool{true, false} {
		target := map[bool]string{true: "203.0.113.7/32", false: "user:bob"}[volatile]
		if _, _, err := s.RecordContainment(ctx, incidents.Containment{RunID: runs[0].ID, IncidentID: out[0].IncidentID, Action: "block",
			Target: target, Offense: 1, AppliedAt: t0, ExpiresAt: t0.Add(time.Hour), Volatile: volatile}, t0); err != nil {
			t.Fatal(err)
		}
		var mode int
		if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&mode); err != nil || mode != 2 {
			t.Fatalf("after a volatile=%v record the writer's synchronous is %d (%v), want 2 (FULL)", volatile, mode, err)
		}
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	active, err := s.ActiveContainments(ctx)
	if err != nil || len(active) != 2 {
		t.Fatalf("after reopening: %d active containments (%v), want both", len(active), err)
	}
	runs, _ = s.PendingActions(ctx)
	if len(runs) != 1 || runs[0].Attempts != 2 {
		t.Errorf("run = %+v, want its two starts counted", runs)
	}
}
