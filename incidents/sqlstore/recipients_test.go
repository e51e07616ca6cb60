package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachd/breachd/incidents"
)

// TestFanOutFollowsTheParties: a fan-out family has one obligation per
// party; a party that leaves is no longer required, with the reason; the
// family's condition failing rules every one out; a person's decision
// stands.
func TestFanOutFollowsTheParties(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0)}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := out[0].IncidentID
	spec := func(recipient string, applies bool) incidents.ObligationSpec {
		return incidents.ObligationSpec{Policy: "company", Family: "customer", FanOut: true, Recipient: recipient, Applies: applies,
			Deadline: "without undue delay from contained_at", Approval: true, Reason: "its condition does not hold: risk none"}
	}
	states := func() map[string]incidents.Obligation {
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
	sync := func(specs ...incidents.ObligationSpec) {
		t.Helper()
		if err := s.SyncObligations(ctx, id, specs, t0); err != nil {
			t.Fatal(err)
		}
	}
	// No customer yet: the family's placeholder; then two customers
	// replace it.
	sync(spec("customer", true))
	sync(spec("customer:Acme Corp", true), spec("customer:Globex Inc", true))
	got := states()
	if len(got) != 3 || got["customer"].State != incidents.ObligationNotRequired || !strings.Contains(got["customer"].Reason, "replaced by one obligation per party") ||
		got["customer:Acme Corp"].State != incidents.ObligationPending || got["customer:Globex Inc"].State != incidents.ObligationPending {
		t.Fatalf("two customers: %+v", got)
	}
	// Globex leaves the scope.
	sync(spec("customer:Acme Corp", true))
	got = states()
	if g := got["customer:Globex Inc"]; g.State != incidents.ObligationNotRequired || !strings.Contains(g.Reason, "customer:Globex Inc is no longer among the parties") ||
		got["customer:Acme Corp"].State != incidents.ObligationPending {
		t.Fatalf("Globex left: %+v", got)
	}
	// A person sends Acme's; then the condition fails: the sent one
	// stands, nothing else is pending.
	if _, err := s.DecideObligationByID(ctx, got["customer:Acme Corp"].ID, incidents.ObligationSent, incidents.Change{Actor: "dora", Reason: "mailed by hand", At: t0}, nil); err != nil {
		t.Fatal(err)
	}
	sync(spec("", false))
	got = states()
	if a := got["customer:Acme Corp"]; a.Proof != "recorded by dora: mailed by hand" {
		t.Errorf("sent by hand with proof %q, want the person's word", a.Proof)
	}
	if got["customer:Acme Corp"].State != incidents.ObligationSent || got["customer:Globex Inc"].State != incidents.ObligationNotRequired {
		t.Errorf("condition failed: %+v", got)
	}
	// It holds again with Globex back: Globex's is pending again.
	sync(spec("customer:Acme Corp", true), spec("customer:Globex Inc", true))
	if g := states()["customer:Globex Inc"]; g.State != incidents.ObligationPending {
		t.Errorf("Globex back: %+v", g)
	}
}
