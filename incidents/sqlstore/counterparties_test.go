package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachd/breachd/incidents"
)

// TestCounterpartyObligationBeforeFanOut: an incident whose counterparty
// obligation was recorded before counterparties fanned out (keyed
// "counterparty"): a sent one stays as it was beside the new
// "counterparty:NAME"; an undecided one is replaced, with the reason.
func TestCounterpartyObligationBeforeFanOut(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, err := s.Record(ctx, []incidents.NewIncident{item("sent", t0), item("undecided", t0)}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	old := incidents.ObligationSpec{Policy: "contract-24h", Family: "counterparty", Recipient: "counterparty", Applies: true, Deadline: "24h from aware_at", Approval: true}
	fanned := old
	fanned.FanOut, fanned.Recipient = true, "counterparty:City of Springfield"
	states := func(id int64) map[string]incidents.Obligation {
		obs, err := s.Obligations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]incidents.Obligation{}
		for _, o := range obs {
			m[o.Recipient] = o
		}
		return m
	}
	for _, o := range out {
		if err := s.SyncObligations(ctx, o.IncidentID, []incidents.ObligationSpec{old}, t0); err != nil {
			t.Fatal(err)
		}
	}
	sent, undecided := out[0].IncidentID, out[1].IncidentID
	if _, err := s.DecideObligationByID(ctx, states(sent)["counterparty"].ID, incidents.ObligationSent, incidents.Change{Actor: "alice", Reason: "called the city", At: t0}, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{sent, undecided} {
		if err := s.SyncObligations(ctx, id, []incidents.ObligationSpec{fanned}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := states(sent); len(got) != 2 || got["counterparty"].State != incidents.ObligationSent || got["counterparty:City of Springfield"].State != incidents.ObligationPending {
		t.Errorf("sent before: %+v", got)
	}
	got := states(undecided)
	if len(got) != 2 || got["counterparty"].State != incidents.ObligationNotRequired || !strings.Contains(got["counterparty"].Reason, "replaced by one obligation per party") ||
		got["counterparty:City of Springfield"].State != incidents.ObligationPending {
		t.Errorf("undecided before: %+v", got)
	}
}
