package daemon_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestResponderCannotOverrideDPORisk: a responder may assess an incident
// before the DPO; once the DPO has made a risk decision, a responder's
// next one is 403 naming the DPO's decision and saying to add a note
// instead, and nothing changes (risk, obligations, register); the note
// is accepted; the DPO may re-assess.
func TestResponderCannotOverrideDPORisk(t *testing.T) {
	const rita = "rita-token"
	h := start(t, recipientsTeam+fmt.Sprintf(`
incidents {
  policy_packs = ["gdpr", "company"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
`+registerTokens, hashOf(rita)))
	as := func(token, path string, body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = token
		defer func() { h.bearer = "" }()
		code, out := h.send(path, body)
		return code, string(out)
	}
	id := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	assess := fmt.Sprintf("/api/v1/incidents/%d/assess", id)
	if code, out := as(rita, assess, map[string]any{"risk": "high", "reason": "rows were read"}); code != 200 {
		t.Fatalf("the responder's assessment before the DPO's: %d %s, want 200", code, out)
	}
	if code, out := as(harnessDPOToken, assess, map[string]any{"risk": "risk", "reason": "rows read, no special categories"}); code != 200 {
		t.Fatalf("the DPO's assessment: %d %s", code, out)
	}
	before := h.obligationsOf(id)
	var d0 httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d0)

	code, out := as(rita, assess, map[string]any{"risk": "none", "personal_data": false, "reason": "nothing was reached"})
	if code != 403 {
		t.Fatalf("the responder's assessment after the DPO's: %d %s, want 403", code, out)
	}
	for _, want := range []string{"the DPO harness-dpo decided incident", "risk (risk, personal data true)", "only the DPO makes the next risk decision",
		fmt.Sprintf("breachd incidents note %d", id)} {
		if !strings.Contains(out, want) {
			t.Errorf("the 403 says %s; want it to say %q", out, want)
		}
	}
	var d1 httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d1)
	if d1.Incident.Risk != incidents.RiskRisk || !d1.Incident.PersonalDataBreach || len(d1.Timeline) != len(d0.Timeline) {
		t.Errorf("after the refused assessment: risk %s, personal-data breach %t, %d timeline entries; want risk, true, %d", d1.Incident.Risk, d1.Incident.PersonalDataBreach, len(d1.Timeline), len(d0.Timeline))
	}
	for k, o := range h.obligationsOf(id) {
		if o.State != before[k].State {
			t.Errorf("after the refused assessment: %s is %s, was %s", k, o.State, before[k].State)
		}
	}
	if code, out := as(rita, fmt.Sprintf("/api/v1/incidents/%d/notes", id), map[string]any{"text": "I think nothing was reached"}); code/100 != 2 {
		t.Errorf("the responder's note: %d %s", code, out)
	}
	if code, out := as(harnessDPOToken, assess, map[string]any{"risk": "none", "reason": "confirmed by the logs"}); code != 200 {
		t.Errorf("the DPO's re-assessment: %d %s", code, out)
	}
}
