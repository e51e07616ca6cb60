package daemon_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
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

// TestRegisterKindAgreesWithIncident: a breach or near_miss entry must
// agree with whether the incident is a personal-data breach: as its risk
// decision says, or, unassessed, as the decision would default (a
// card-number incident is one, whatever its asset declares); else 409
// saying to re-assess with --personal-data, and nothing is written.
func TestRegisterKindAgreesWithIncident(t *testing.T) {
	pack, err := os.ReadFile("../../../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "file" "app" {
  paths = ["./var/auth.log"]
}
source "file" "web" {
  paths = ["./var/access.log"]
}
%s`, pack)+recipientsTeam)
	h.appendLines("2026-11-23 10:00:00 INFO payment card=4111 1111 1111 1111 charged")
	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	id := list.Incidents[0].ID
	file := func(body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = harnessDPOToken
		defer func() { h.bearer = "" }()
		code, out := h.send("/api/v1/register", body)
		return code, string(out)
	}
	refused := func(what string, body map[string]any, want string) {
		t.Helper()
		before := h.registerLen()
		code, out := file(body)
		if code != http.StatusConflict || !strings.Contains(out, want) {
			t.Errorf("%s: %d %s\nwant 409 saying %s", what, code, out, want)
		}
		if n := h.registerLen(); n != before {
			t.Errorf("%s: a refused entry wrote %d entries", what, n-before)
		}
	}
	refused("a near miss for the unassessed card-number incident",
		map[string]any{"incident_id": id, "kind": "near_miss", "record": map[string]any{"nature": "card in a log"}, "reason": "r"},
		fmt.Sprintf("incident %d is not assessed yet; its scope or evidence makes it a personal-data breach, so its register entry is a breach, not a near_miss: re-assess it first with --personal-data false (breachd incidents assess %d none|risk|high --personal-data false --reason ...)", id, id))
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "a card number in clear"})
	})
	first := h.registerOf(id)
	if len(first) != 1 || first[0].Kind != incidents.RegisterBreach {
		t.Fatalf("the register after the DPO's decision: %+v, want one breach", first)
	}
	refused("a near miss superseding the breach",
		map[string]any{"incident_id": id, "kind": "near_miss", "supersedes": first[0].ID, "record": map[string]any{"nature": "test card"}, "reason": "r"},
		fmt.Sprintf("incident %d is assessed as a personal-data breach, so its register entry is a breach, not a near_miss: re-assess it first with --personal-data false", id))
	refused("a near miss superseding the breach, without incident_id",
		map[string]any{"kind": "near_miss", "supersedes": first[0].ID, "record": map[string]any{"nature": "test card"}, "reason": "r"},
		"so its register entry is a breach, not a near_miss")
	refused("a correction of the risk the DPO decided",
		map[string]any{"incident_id": id, "kind": "correction", "supersedes": first[0].ID, "record": map[string]any{"risk": "none"}, "reason": "r"},
		fmt.Sprintf("incident %d is assessed risk (by harness-dpo), so its register entry says risk risk, not none: assess it again to change it", id))
	// The DPO re-assesses: a near miss; then a breach entry contradicts it.
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "none", "personal_data": false, "reason": "the test card of the payment provider"})
	})
	second := h.registerOf(id)
	if len(second) != 2 || second[1].Kind != incidents.RegisterNearMiss {
		t.Fatalf("the register after the re-assessment: %+v, want a near_miss last", second)
	}
	refused("a breach superseding the near miss",
		map[string]any{"incident_id": id, "kind": "breach", "supersedes": second[1].ID, "record": map[string]any{"nature": "card"}, "reason": "r"},
		fmt.Sprintf("incident %d is assessed as no personal-data breach (a near miss), so its register entry is a near_miss, not a breach: re-assess it first with --personal-data true", id))
	// A correction, and an entry that agrees, are written.
	if code, out := file(map[string]any{"kind": "near_miss", "supersedes": second[1].ID, "record": map[string]any{"nature": "the provider's test card"}, "reason": "clearer"}); code != http.StatusCreated {
		t.Errorf("a near miss that agrees: %d %s, want 201", code, out)
	}
}

// TestNoticeToNobodyIsNeverSent: the data subjects' notice before a list
// is uploaded (the fan-out family's placeholder) cannot be recorded sent,
// approved, called, posted or published: 409 saying it has no recipient
// yet and what to do, nothing changed; ruling it out stays possible.
func TestNoticeToNobodyIsNeverSent(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["gdpr"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
`)
	id := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "high", "reason": "rows were read"})
	})
	ds := h.obligationsOf(id)["data_subjects"]
	if ds.ID == 0 || ds.State.Decided() {
		t.Fatalf("the data subjects' placeholder: %+v, want owed", ds)
	}
	at := time.Now().UTC().Format(time.RFC3339)
	want := fmt.Sprintf("this notice has no recipient yet: obligation %d (gdpr → data_subjects) goes to each of the data_subjects affected and none is known yet; upload the list of data subjects (breachd incidents subjects %d --file FILE.csv)", ds.ID, id)
	for _, c := range []struct {
		path string
		body map[string]any
		want string
	}{
		{"decide", map[string]any{"state": "sent", "reason": "told them"}, want},
		{"decide", map[string]any{"state": "approved", "reason": "ok"}, want},
		{"call", map[string]any{"caller": "Dora", "callee": "someone", "said": "a breach", "at": at}, want},
		{"posting", map[string]any{"posted_by": "Dora", "address": "1 Main St", "at": at}, "is not a notice to one data subject on the list"},
		{"publication", map[string]any{"published_by": "Dora", "where": "our site", "at": at}, "is not a public communication"},
	} {
		h.bearer = harnessDPOToken
		code, out := h.send(fmt.Sprintf("/api/v1/obligations/%d/%s", ds.ID, c.path), c.body)
		h.bearer = ""
		if code != http.StatusConflict || !strings.Contains(string(out), c.want) {
			t.Errorf("%s %v: %d %s\nwant 409 saying %s", c.path, c.body, code, out, c.want)
		}
		if got := h.obligationsOf(id)["data_subjects"]; got.State != ds.State || got.Proof != "" {
			t.Errorf("after the refused %s: %s (%s), want %s", c.path, got.State, got.Proof, ds.State)
		}
	}
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", ds.ID), map[string]any{"state": "not_required", "reason": "no subject can be identified"})
	})
	if got := h.obligationsOf(id)["data_subjects"]; got.State != incidents.ObligationNotRequired {
		t.Errorf("after the DPO's ruling out: %s, want not_required", got.State)
	}
}

// TestApprovedNoticeRuledOutIsWithdrawn: a customer's notice (no
// decided_by) approved by a person, whose message waits in the outbox
// (the mail server is down), is ruled out by the DPO's later assessment
// that no personal data was reached: the timeline says it had been
// approved, by whom, and that its message is withdrawn; the message is
// dead, never sent.
func TestApprovedNoticeRuledOutIsWithdrawn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens: the mail stays pending, to be retried
	h := start(t, recipientsTeam+fmt.Sprintf(`
incidents {
  policy_packs = ["company"]
}
asset "shop" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
  customers       = ["Acme Corp"]
  customer "Acme Corp" {
    address = "1 Acme Way, Springfield"
    email   = "security@acme.example"
  }
}
channel "smtp" "mail" {
  host     = "127.0.0.1"
  port     = %d
  tls      = "none"
  from     = "breachd@example.com"
  to_roles = ["dpo"]
}
recipient "customer" {
  channels = ["mail"]
}
`, port))
	id := h.openManual("Orders on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.post(fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "contained", "reason": "endpoint removed"})
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "orders were read"})
	})
	cu := h.obligationsOf(id)["customer:Acme Corp"]
	if cu.ID == 0 || cu.State.Decided() {
		t.Fatalf("the customer's notice: %+v, want owed", cu)
	}
	h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", cu.ID), map[string]any{"state": "approved", "reason": "checked"})
	var d httpapi.IncidentDetail
	message := func() (incidents.Message, bool) {
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		for _, m := range d.Messages {
			if m.ObligationID == cu.ID {
				return m, true
			}
		}
		return incidents.Message{}, false
	}
	h.waitFor("a failed attempt at the customer's mail", func() bool {
		m, ok := message()
		return ok && m.Attempts > 0
	})
	if m, _ := message(); m.State != incidents.MessagePending {
		t.Fatalf("the customer's mail after a failed attempt: %+v, want pending", m)
	}
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "none", "personal_data": false, "reason": "the rows were synthetic test orders"})
	})
	if got := h.obligationsOf(id)["customer:Acme Corp"]; got.State != incidents.ObligationNotRequired {
		t.Fatalf("after the DPO's assessment: the customer's notice is %s, want not_required", got.State)
	}
	m, _ := message()
	if m.State != incidents.MessageDead || !strings.HasPrefix(m.LastError, "withdrawn: the obligation no longer applies") {
		t.Errorf("the customer's mail: %s (%s), want dead, withdrawn", m.State, m.LastError)
	}
	want := "Obligation company → customer:Acme Corp not required: "
	found := false
	for _, e := range d.Timeline {
		if strings.HasPrefix(e.Message, want) {
			found = strings.HasSuffix(e.Message, "; it was approved by harness (checked), and 1 queued message(s) carrying its notice are withdrawn, not sent")
			if !found {
				t.Errorf("the timeline says %q", e.Message)
			}
		}
	}
	if !found {
		t.Errorf("no timeline entry says the approved notice was ruled out and its message withdrawn")
	}
}
