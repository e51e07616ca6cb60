package daemon_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestRegisterNotifiedCountsEveryDataSubject: of ten people on the list,
// two mailed, one posted and seven not yet decided, the register says 3
// of 10 were notified, and the posting is counted "by post".
func TestRegisterNotifiedCountsEveryDataSubject(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	t0 := time.Now().UTC().Truncate(time.Minute)
	clk := &clock{now: t0}
	h := startWith(t, t.TempDir(), subjectsConfig(mb.port, dpoToken), daemon.Options{Now: clk.Now})
	// Another incident's list first: the rows of this one's are stored
	// after it, and its subjects are still numbered from 1.
	other := h.openManual("An earlier breach", "db1", t0.Add(-2*time.Hour))
	h.bearer = harnessDPOToken
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", other), map[string]any{"risk": "high", "reason": "earlier"})
	if code, body := h.upload(other, dpoToken, "name,email,address\nZoe,zoe@example.net,\nYan,yan@example.net,\nXia,xia@example.net,\n"); code != http.StatusOK {
		t.Fatalf("upload to the other incident: %d %s", code, body)
	}
	h.bearer = harnessToken
	id := h.openManual("Card numbers on a paste site", "db1", t0.Add(-time.Hour))
	h.bearer = harnessDPOToken
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "high", "reason": "card numbers in clear"})
	csv := "name,email,address\nAnna,anna@example.org,\nBea,bea@example.org,\nBen Post,,\"2 Road\nSpringfield\"\n"
	for i := 4; i <= 10; i++ {
		csv += fmt.Sprintf("Person %d,person%d@example.org,\n", i, i)
	}
	if code, body := h.upload(id, dpoToken, csv); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, body)
	}
	obs := h.obligationsOf(id)
	for _, r := range []string{"data_subjects:1", "data_subjects:2", "data_subjects:3"} {
		if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", obs[r].ID), map[string]any{"state": "approved", "reason": "checked by the DPO"}); code != http.StatusOK {
			t.Fatalf("approve %s: %d %s", r, code, body)
		}
	}
	h.waitFor("the two mails", func() bool {
		o := h.obligationsOf(id)
		return o["data_subjects:1"].State == incidents.ObligationSent && o["data_subjects:2"].State == incidents.ObligationSent
	})
	var o incidents.Obligation
	h.postInto(fmt.Sprintf("/api/v1/obligations/%d/posting", obs["data_subjects:3"].ID),
		map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": t0}, &o)
	if o.State != incidents.ObligationSent {
		t.Fatalf("after the posting: %s", o.State)
	}
	entries := h.registerOf(id)
	got := entries[len(entries)-1].Record.Notified
	want := fmt.Sprintf("data subjects (data_subjects, gdpr): 3 of 10 notified individually on %s (by email 2, by post 1)", t0.Format("2006-01-02 15:04 UTC"))
	if !strings.Contains(got, want) {
		t.Errorf("notified:\n%s\nwant it to say\n%s", got, want)
	}
	for _, e := range entries {
		if strings.Contains(e.Record.Notified, "example.org") || strings.Contains(e.Record.Notified, "Road") {
			t.Errorf("register entry %d holds a data subject's address: %s", e.ID, e.Record.Notified)
		}
	}
}

// TestRegisterEntryWithoutSupersedesRefused: an entry for an incident
// that already has one must correct its latest (409 naming it and how,
// nothing written), so no entry starts its record afresh with blanks; an
// incident's first entry needs no supersedes.
func TestRegisterEntryWithoutSupersedesRefused(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["gdpr"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 800
  records         = 800
}
`)
	one := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	two := h.openManual("CRM export mailed to the wrong customer", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", one), fullFacts)
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", one), map[string]any{"risk": "high", "reason": "rows were read"})
	})
	first := h.registerOf(one)
	if len(first) != 1 {
		t.Fatalf("register after the DPO's decision: %d entries, want 1", len(first))
	}
	latest := first[0]
	before := h.registerLen()
	h.bearer = harnessDPOToken
	code, out := h.send("/api/v1/register", map[string]any{"incident_id": one, "kind": "breach", "record": map[string]any{"nature": "dup"}, "reason": "r"})
	h.bearer = ""
	want := fmt.Sprintf(`incident %d already has register entries, its latest entry is %d: correct it with an entry that supersedes it ("supersedes": %d; breachd register correct %d --reason ...), giving only the fields to change; every other field is carried forward`,
		one, latest.ID, latest.ID, latest.ID)
	if code != http.StatusConflict || !strings.Contains(string(out), strings.ReplaceAll(want, `"`, `\"`)) {
		t.Errorf("an entry without supersedes for incident %d: %d %s\nwant 409 saying %s", one, code, out, want)
	}
	if n := h.registerLen(); n != before {
		t.Errorf("a refused entry wrote %d entries", n-before)
	}
	if e := h.registerOf(one); len(e) != 1 || !sameRecord(e[0].Record, latest.Record) {
		t.Errorf("incident %d's register after the refusal: %+v, want its one entry %+v", one, e, latest.Record)
	}
	// An incident's first entry needs no supersedes.
	var e incidents.RegisterEntry
	h.asDPO(func() {
		h.postInto("/api/v1/register", map[string]any{"incident_id": two, "kind": "breach", "record": map[string]any{"nature": "export mailed to the wrong customer"}, "reason": "r"}, &e)
	})
	if e.IncidentID == nil || *e.IncidentID != two || e.Supersedes != nil || e.Record.Nature != "export mailed to the wrong customer" {
		t.Errorf("incident %d's first entry: %+v", two, e)
	}
}

// TestCardNumbersArePersonalData: an incident of the shipped
// card-number-in-app-log rule (sensitive_data_exposed, on an asset
// declaring no data categories) assessed "risk" by a responder is a
// personal-data breach, not a near miss, so closing it waits for the
// DPO's register entry.
func TestCardNumbersArePersonalData(t *testing.T) {
	const rita = "rita-token"
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
%s`, pack)+recipientsTeam+fmt.Sprintf(registerTokens, hashOf(rita)))
	h.appendLines("2026-11-23 10:00:00 INFO payment card=4111 1111 1111 1111 charged")
	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	id := list.Incidents[0].ID
	as := func(token, path string, body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = token
		defer func() { h.bearer = "" }()
		code, out := h.send(path, body)
		return code, string(out)
	}
	if code, out := as(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "card numbers in the log"}); code != http.StatusOK {
		t.Fatalf("assess: %d %s", code, out)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if !d.Incident.PersonalDataBreach {
		t.Errorf("a card-number incident assessed risk is not a personal-data breach")
	}
	said := ""
	for _, e := range d.Timeline {
		if e.Kind == "risk" {
			said = e.Message
		}
	}
	if want := "Risk risk (suggested unassessed, was unassessed); a personal-data breach; the register entry waits for the DPO, whose own decision records it; reason: card numbers in the log"; said != want {
		t.Errorf("the risk decision says\n%s\nwant\n%s", said, want)
	}
	as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "contained", "reason": "log rotated and shredded"})
	code, out := as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "closed", "resolution": "log shredded"})
	if code != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("incident %d is a personal-data breach and the Data Breach Register has no entry for it by the DPO", id)) {
		t.Errorf("closing the card-number breach without the DPO's entry: %d %s, want 409", code, out)
	}
	if n := len(h.registerOf(id)); n != 0 {
		t.Errorf("%d register entries, want none yet", n)
	}
	if code, out := as(harnessDPOToken, fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "confirmed"}); code != http.StatusOK {
		t.Fatalf("the DPO's assess: %d %s", code, out)
	}
	if e := h.registerOf(id); len(e) != 1 || e[0].Kind != incidents.RegisterBreach {
		t.Errorf("register after the DPO's decision: %+v, want one breach entry", e)
	}
	if code, out := as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "closed", "resolution": "log shredded"}); code != http.StatusOK {
		t.Errorf("closing after the DPO's entry: %d %s", code, out)
	}
}
