package daemon_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestResponderRulesOutNoDPONotice: a responder's risk decision or scope
// edit that makes the notice to the supervisory authority (decided by
// the DPO alone) stop applying does not rule it out: it stays owed, with
// its due time, and the timeline says once that only the DPO rules it
// out and how; a false positive leaves it owed too; so does the DPO's own
// risk decision: the DPO rules it out by deciding the obligation.
func TestResponderRulesOutNoDPONotice(t *testing.T) {
	const rita = "rita-token"
	h := start(t, recipientsTeam+fmt.Sprintf(`
incidents {
  policy_packs = ["gdpr"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
asset "wiki" {
  hosts = ["wiki1"]
}
`+registerTokens, hashOf(rita)))
	as := func(token, path string, body map[string]any) {
		h.t.Helper()
		h.bearer = token
		defer func() { h.bearer = "" }()
		if code, out := h.send(path, body); code/100 != 2 {
			h.t.Fatalf("POST %s: %d %s", path, code, out)
		}
	}
	held := func(id int64, after string, due *time.Time, noted bool) {
		t.Helper()
		sa := h.obligationsOf(id)["supervisory_authority"]
		if sa.State != incidents.ObligationPending || !sameDue(sa.DueAt, due) {
			t.Errorf("after %s: the authority's notice is %s (decided by %q: %s), due %v; want still pending, due %v", after, sa.State, sa.DecidedBy, sa.Reason, sa.DueAt, due)
		}
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		want := fmt.Sprintf("but only the dpo rules it out: it stays owed until the dpo decides it (breachd obligations decide %d not_required --reason ...)", sa.ID)
		n := 0
		for _, e := range d.Timeline {
			if e.Kind == "obligation" && strings.Contains(e.Message, want) {
				n++
			}
		}
		if (n == 1) != noted || n > 1 {
			t.Errorf("after %s: %d timeline entries saying %q, want one: %v (said once)", after, n, want, noted)
		}
	}

	one := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", one), map[string]any{"risk": "high", "reason": "rows were read"})
	sa := h.obligationsOf(one)["supervisory_authority"]
	if sa.State != incidents.ObligationPending || sa.DueAt == nil {
		t.Fatalf("the authority's notice after a high risk: %s, due %v; want pending with a due time", sa.State, sa.DueAt)
	}
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", one), map[string]any{"risk": "none", "reason": "x"})
	held(one, "the responder's risk none", sa.DueAt, true)
	// Nor does the DPO's own risk decision rule it out: the DPO decides
	// the obligation itself; the timeline said so once.
	as(harnessDPOToken, fmt.Sprintf("/api/v1/incidents/%d/assess", one), map[string]any{"risk": "none", "reason": "the rows were encrypted, keys safe"})
	held(one, "the DPO's risk none", sa.DueAt, true)
	as(harnessDPOToken, fmt.Sprintf("/api/v1/obligations/%d/decide", sa.ID), map[string]any{"state": "not_required", "reason": "risk none: encrypted, keys safe"})
	if got := h.obligationsOf(one)["supervisory_authority"]; got.State != incidents.ObligationNotRequired || got.DecidedBy != "harness-dpo" {
		t.Errorf("after the DPO's decision: the authority's notice is %s by %q, want not_required by harness-dpo", got.State, got.DecidedBy)
	}

	two := h.openManual("CRM export mailed to the wrong customer", "db1", time.Now().Add(-time.Hour).UTC())
	// Not assessed yet: the notice is owed on the suggested risk.
	due := h.obligationsOf(two)["supervisory_authority"].DueAt
	if h.obligationsOf(two)["supervisory_authority"].State != incidents.ObligationPending {
		t.Fatalf("the authority's notice before any risk decision: %+v", h.obligationsOf(two)["supervisory_authority"])
	}
	h.bearer = rita
	h.put(fmt.Sprintf("/api/v1/incidents/%d/scope", two), map[string]any{"assets": []string{"wiki"}, "reason": "it was the wiki"})
	h.bearer = ""
	held(two, "the responder's scope edit dropping the asset", due, true)

	three := h.openManual("Card dump on a forum", "db1", time.Now().Add(-time.Hour).UTC())
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", three), map[string]any{"risk": "high", "reason": "cards listed"})
	due = h.obligationsOf(three)["supervisory_authority"].DueAt
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", three), map[string]any{"to": "triaged", "reason": "looked"})
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", three), map[string]any{"to": "false_positive", "reason": "not ours"})
	held(three, "the responder's false positive", due, false) // the condition does not look at the status
}

func sameDue(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// TestResponderDropsNoControllersNotice: a responder's scope edit that
// drops a processor's asset leaves that controller's notice (a fan-out
// obligation the DPO alone decides) owed, through the DPO's own later
// risk decision too (said once on the timeline), until the DPO rules it
// out.
func TestResponderDropsNoControllersNotice(t *testing.T) {
	const rita = "rita-token"
	h := start(t, recipientsTeam+fmt.Sprintf(`
incidents {
  policy_packs = ["gdpr"]
}
asset "acme-payroll" {
  hosts              = ["mix1"]
  data_categories    = ["name", "iban"]
  data_subjects      = 120
  role               = "processor"
  controller         = "Acme Corp"
  controller_address = "1 Acme Way, Springfield"
  jurisdictions      = ["DE"]
}
asset "globex-hr" {
  hosts              = ["mix1"]
  data_categories    = ["health"]
  data_subjects      = 60
  role               = "processor"
  controller         = "Globex Inc"
  controller_address = "2 Globex Road, Shelbyville"
  jurisdictions      = ["FR"]
}
`+registerTokens, hashOf(rita)))
	id := h.openManual("Backup of mix1 on a public bucket", "mix1", time.Now().Add(-time.Hour).UTC())
	globex := h.obligationsOf(id)["controller:Globex Inc"]
	if globex.ID == 0 || globex.State != incidents.ObligationPending {
		t.Fatalf("Globex's notice: %+v, want pending", globex)
	}
	h.bearer = rita
	h.put(fmt.Sprintf("/api/v1/incidents/%d/scope", id), map[string]any{"assets": []string{"acme-payroll"}, "reason": "only payroll was in the backup"})
	h.bearer = ""
	if got := h.obligationsOf(id)["controller:Globex Inc"]; got.State != incidents.ObligationPending || !sameDue(got.DueAt, globex.DueAt) {
		t.Errorf("after the responder's scope edit: Globex's notice %s (%s), due %v; want pending, due %v", got.State, got.Reason, got.DueAt, globex.DueAt)
	}
	// The DPO's risk decision does not rule it out either (the DPO never
	// decided it): it stays owed, and the timeline said so once.
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "high", "reason": "payroll rows with IBANs"})
	})
	if got := h.obligationsOf(id)["controller:Globex Inc"]; got.State != incidents.ObligationPending || !sameDue(got.DueAt, globex.DueAt) {
		t.Errorf("after the DPO's risk decision: Globex's notice %s (%s), due %v; want pending, due %v", got.State, got.Reason, got.DueAt, globex.DueAt)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	said := 0
	for _, e := range d.Timeline {
		if strings.Contains(e.Message, fmt.Sprintf("but only the dpo rules it out: it stays owed until the dpo decides it (breachd obligations decide %d not_required --reason ...)", globex.ID)) {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the timeline says %d times that Globex's notice is held for the DPO, want once", said)
	}
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", globex.ID), map[string]any{"state": "not_required", "reason": "confirmed: only payroll was in the backup"})
	})
	if got := h.obligationsOf(id)["controller:Globex Inc"]; got.State != incidents.ObligationNotRequired {
		t.Errorf("after the DPO's decision: Globex's notice %s, want not_required", got.State)
	}
}
