package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// TestCaseIsTheSeparateReads: Case, the one-transaction read behind the
// incident detail, answers what the separate reads answer.
func TestCaseIsTheSeparateReads(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0, "block", "page"), item("b", t0)}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := out[0].IncidentID
	if _, err := s.Note(ctx, id, "note", "looked at it", nil, incidents.Change{Actor: "alice", At: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	inc, _ := s.Incident(ctx, id)
	tl, _ := s.Timeline(ctx, id)
	runs, _ := s.ActionRuns(ctx, id)
	ev, _ := s.Evidence(ctx, id)
	rel, _ := s.Related(ctx, id)
	obs, _ := s.Obligations(ctx, id)
	cons, _ := s.Containments(ctx, id)
	msgs, _ := s.Messages(ctx, id)
	want := &incidents.Case{Incident: *inc, Timeline: tl, Actions: runs, Evidence: ev, Related: rel, Obligations: obs, Containments: cons, Messages: msgs}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Case = %+v\nwant %+v", c, want)
	}
	if len(c.Timeline) < 2 || len(c.Actions) != 2 || len(c.Evidence) != 1 {
		t.Errorf("case holds %d timeline entries, %d runs, %d evidence lines; want the opening and the note, 2 runs, 1 line", len(c.Timeline), len(c.Actions), len(c.Evidence))
	}
	if _, err := s.Case(ctx, 999); !errors.Is(err, incidents.ErrNotFound) {
		t.Errorf("missing incident: %v", err)
	}
}
