package daemon_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// mergeCities are the city contract's pack on an asset of each city, and
// the company's CRM, personal data, under GDPR.
const mergeCities = `
incidents {
  policy_packs = ["gdpr", "contract-24h"]
}
asset "austin-files" {
  hosts                = ["files1"]
  non_public_data      = true
  records              = 120
  counterparty         = "City of Austin"
  counterparty_address = "301 W 2nd St, Austin, TX 78701"
  counterparty_phone   = "+1 512 555 0200"
}
asset "sa-files" {
  hosts                = ["files2"]
  non_public_data      = true
  records              = 80
  counterparty         = "City of San Antonio"
  counterparty_address = "100 Military Plaza, San Antonio, TX 78205"
  counterparty_phone   = "+1 210 555 0100"
}
asset "crm" {
  hosts           = ["files2"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["DE"]
}
`

func (h *harness) incident(id int64) httpapi.IncidentDetail {
	h.t.Helper()
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	return d
}

// TestMergeMovesNoDeadlineLater (N1 a): the older incident merged into
// one opened 20 hours later, the survivor takes the older clocks, so the
// City of Austin's 24 hours still run from the first awareness; the
// timeline says where each clock came from.
func TestMergeMovesNoDeadlineLater(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 20, 10, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), recipientsTeam+mergeCities, daemon.Options{Now: clk.Now})
	first := clk.Now()
	older := h.openManual("Case files copied", "files1", first.Add(-time.Hour))
	due := h.obligationsOf(older)["counterparty:City of Austin"].DueAt
	if due == nil {
		t.Fatal("the city's notice has no due time")
	}
	clk.Add(20 * time.Hour)
	newer := h.openManual("More case files copied", "files1", clk.Now().Add(-3*time.Minute))
	h.post(fmt.Sprintf("/api/v1/incidents/%d/merge", newer), map[string]any{"from": []int64{older}, "reason": "same share"})
	d := h.incident(newer)
	if !d.Incident.AwareAt.Equal(first) || d.Incident.OccurredAt == nil || !d.Incident.OccurredAt.Equal(first.Add(-time.Hour)) {
		t.Errorf("survivor aware_at %v, occurred_at %v; want %v and %v (the older incident's)", d.Incident.AwareAt, d.Incident.OccurredAt, first, first.Add(-time.Hour))
	}
	got := h.obligationsOf(newer)["counterparty:City of Austin"]
	if got.DueAt == nil || !got.DueAt.Equal(*due) || got.State != incidents.ObligationPending {
		t.Errorf("the survivor's City of Austin notice: due %v (%s), want %v as on the older incident, pending", got.DueAt, got.State, *due)
	}
	want := fmt.Sprintf("aware_at set to %s (was %s): the earliest of the merged incidents, incident %d's; reason: same share",
		first.Format(time.RFC3339), clk.Now().Format(time.RFC3339), older)
	if !slices.ContainsFunc(d.Timeline, func(e incidents.TimelineEntry) bool { return e.Kind == "clock" && e.Message == want }) {
		t.Errorf("the survivor's timeline lacks %q", want)
	}
}

// TestMergeKeepsTheDPOsDecision (N1 b): an incident the DPO assessed
// high, with its assets, merged into one assessed none with no asset: the
// merge is the DPO's (403 for the admin, naming the decision, nothing
// changed); merged by the DPO, the survivor holds both scopes, the
// DPO's high (its register entry records it), and the next risk
// decision is the DPO's.
func TestMergeKeepsTheDPOsDecision(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 20, 10, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), recipientsTeam+mergeCities, daemon.Options{Now: clk.Now})
	assessed := h.openManual("CRM and case files copied", "files2", clk.Now().Add(-time.Hour))
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", assessed), map[string]any{"risk": "high", "reason": "rows readable"})
	})
	clk.Add(time.Hour)
	other := h.openManual("Odd login on the web host", "web9", clk.Now())
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", other), map[string]any{"risk": "none", "reason": "nothing reached"})
	path := fmt.Sprintf("/api/v1/incidents/%d/merge", other)
	code, body := h.send(path, map[string]any{"from": []int64{assessed}, "reason": "same attacker"})
	want := fmt.Sprintf("forbidden: the DPO harness-dpo decided incident %d's risk (high); a merge decides the survivor's risk, clocks and scope, so merging incident %d is the DPO's: ask the DPO to run the merge (nothing was merged)", assessed, assessed)
	if code != http.StatusForbidden || errMessage(string(body)) != want {
		t.Errorf("merge by the admin: %d %s\nwant 403 saying %q", code, body, want)
	}
	if d := h.incident(assessed); d.Incident.MergedInto != nil || h.incident(other).Incident.Risk != incidents.RiskNone {
		t.Errorf("the refused merge changed something: merged_into %v", d.Incident.MergedInto)
	}
	h.asDPO(func() { h.post(path, map[string]any{"from": []int64{assessed}, "reason": "same attacker"}) })
	d := h.incident(other)
	if d.Incident.Risk != incidents.RiskHigh || d.Incident.RiskBy != "harness-dpo" || !slices.Equal(d.Incident.Scope.Assets, []string{"sa-files", "crm"}) {
		t.Errorf("survivor: risk %s by %s, assets %v; want high by harness-dpo, [sa-files crm]", d.Incident.Risk, d.Incident.RiskBy, d.Incident.Scope.Assets)
	}
	if reg := h.registerOf(other); len(reg) != 1 || reg[0].Record.Risk != incidents.RiskHigh || reg[0].Actor != "harness-dpo" || reg[0].Kind != incidents.RegisterBreach {
		t.Errorf("the survivor's register entries: %+v, want one breach, high, by harness-dpo", reg)
	}
	if d.Incident.SuggestedRisk == incidents.RiskUnassessed {
		t.Errorf("survivor's suggested risk not judged again: %s", d.Incident.SuggestedRisk)
	}
	code, body = h.send(fmt.Sprintf("/api/v1/incidents/%d/assess", other), map[string]any{"risk": "none", "reason": "nothing reached"})
	if code != http.StatusForbidden || !strings.Contains(string(body), "only the DPO makes the next risk decision") {
		t.Errorf("the admin's risk decision after the DPO's merge: %d %s, want 403", code, body)
	}
}

// TestMergeTakesOverANoticeGiven (N1 c): the City of San Antonio was
// called on the merged incident; the survivor's notice to the City is
// recorded sent with that call's proof and time, not asked again.
func TestMergeTakesOverANoticeGiven(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 20, 10, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), recipientsTeam+mergeCities, daemon.Options{Now: clk.Now})
	called := h.openManual("Case files copied", "files2", clk.Now().Add(-time.Hour))
	cp := h.obligationsOf(called)["counterparty:City of San Antonio"]
	clk.Add(10 * time.Minute)
	h.post(fmt.Sprintf("/api/v1/obligations/%d/call", cp.ID), map[string]any{"caller": "lea", "callee": "Jane Roe", "number": "+1 210 555 0100", "at": clk.Now(), "said": "the case files were copied"})
	sent := h.obligationsOf(called)["counterparty:City of San Antonio"]
	clk.Add(time.Hour)
	survivor := h.openManual("More case files copied", "files2", clk.Now())
	if o := h.obligationsOf(survivor)["counterparty:City of San Antonio"]; o.State != incidents.ObligationPending {
		t.Fatalf("the survivor's notice to the City before the merge: %s, want pending", o.State)
	}
	h.post(fmt.Sprintf("/api/v1/incidents/%d/merge", survivor), map[string]any{"from": []int64{called}, "reason": "same share"})
	o := h.obligationsOf(survivor)["counterparty:City of San Antonio"]
	why := fmt.Sprintf("given on incident %d before the merge", called)
	if o.State != incidents.ObligationSent || o.Proof != sent.Proof || o.DeliveredAt == nil || !o.DeliveredAt.Equal(*sent.DeliveredAt) || o.Reason != why {
		t.Errorf("the survivor's notice to the City: %s, proof %q, delivered %v, %q; want sent, %q, %v, %q", o.State, o.Proof, o.DeliveredAt, o.Reason, sent.Proof, sent.DeliveredAt, why)
	}
	if !slices.ContainsFunc(h.incident(survivor).Timeline, func(e incidents.TimelineEntry) bool {
		return e.Kind == "obligation" && strings.Contains(e.Message, "counterparty:City of San Antonio: sent "+why)
	}) {
		t.Errorf("the survivor's timeline does not say the notice was %s", why)
	}
}
