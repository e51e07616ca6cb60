package sqlstore

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// TestListByDue: sort=due puts the incidents owing a notice with a due
// time first, the soonest first, then those owing one without a due
// time, then the rest, each the most recently seen first; a decided
// notice counts for nothing; Offset and Limit page through that order.
func TestListByDue(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	// Opened in this order, each seen a minute after the one before.
	names := []string{"late-due", "no-notice", "undated", "soon-due", "decided"}
	id := map[string]int64{}
	for i, n := range names {
		out, err := s.Record(ctx, []incidents.NewIncident{item(n, t0.Add(time.Duration(i)*time.Minute))}, incidents.Progress{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		id[n] = out[0].IncidentID
	}
	soon, late := t0.Add(24*time.Hour), t0.Add(72*time.Hour)
	owe := func(n string, due *time.Time) {
		t.Helper()
		if err := s.SyncObligations(ctx, id[n], []incidents.ObligationSpec{{Policy: "p", Recipient: "r", Family: "r", Applies: true, DueAt: due}}, t0); err != nil {
			t.Fatal(err)
		}
	}
	owe("late-due", &late)
	owe("soon-due", &soon)
	owe("undated", nil)
	owe("decided", &soon)
	obs, err := s.Obligations(ctx, id["decided"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideObligationByID(ctx, obs[0].ID, incidents.ObligationNotRequired, incidents.Change{Actor: "dora", Reason: "r", At: t0}, nil); err != nil {
		t.Fatal(err)
	}
	order := func(opts incidents.ListOptions) []string {
		t.Helper()
		opts.Order = incidents.ListDue
		list, err := s.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inc := range list {
			out = append(out, inc.Fingerprint)
		}
		return out
	}
	want := []string{"soon-due", "late-due", "undated", "decided", "no-notice"}
	if got := order(incidents.ListOptions{}); !slices.Equal(got, want) {
		t.Errorf("by due: %v, want %v", got, want)
	}
	if got := order(incidents.ListOptions{Limit: 2, Offset: 2}); !slices.Equal(got, want[2:4]) {
		t.Errorf("the second page of 2: %v, want %v", got, want[2:4])
	}
}
