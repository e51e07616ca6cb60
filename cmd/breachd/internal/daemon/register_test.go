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

// registerOf returns incident id's register entries, oldest first.
func (h *harness) registerOf(id int64) []incidents.RegisterEntry {
	h.t.Helper()
	var reg httpapi.RegisterList
	h.get("/api/v1/register", &reg)
	var out []incidents.RegisterEntry
	for _, e := range reg.Entries {
		if e.IncidentID != nil && *e.IncidentID == id {
			out = append(out, e)
		}
	}
	return out
}

// registerLen is the number of entries in the whole register.
func (h *harness) registerLen() int {
	h.t.Helper()
	var reg httpapi.RegisterList
	h.get("/api/v1/register", &reg)
	return len(reg.Entries)
}

const registerTokens = `
token "rita" {
  role   = "responder"
  sha256 = %q
}
`

// TestRegisterCorrectionsCarryForward: a correction supersedes only an
// entry of its own incident (else 400, superseded or not), and its
// incident's latest (else 409), nothing written; it carries forward every field it does not give, an
// empty one is cleared, and the entry breachd appends when a notice is
// sent carries the correction forward, not blanks.
func TestRegisterCorrectionsCarryForward(t *testing.T) {
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
	one := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	two := h.openManual("CRM export mailed to the wrong customer", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", one), fullFacts)
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", one), map[string]any{"risk": "risk", "reason": "rows were read"})
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", two), map[string]any{"risk": "risk", "reason": "one customer got them"})
	})
	first := h.registerOf(one)
	if len(first) != 1 || len(h.registerOf(two)) != 1 {
		t.Fatalf("register after the DPO's decisions: %d and %d entries, want 1 each", len(first), len(h.registerOf(two)))
	}
	e1 := first[0]
	correct := func(body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = harnessDPOToken
		defer func() { h.bearer = "" }()
		code, out := h.send("/api/v1/register", body)
		return code, string(out)
	}
	// 7a: another incident's entry.
	before := h.registerLen()
	code, out := correct(map[string]any{"kind": "correction", "incident_id": two, "supersedes": e1.ID,
		"record": map[string]any{"measures": "passwords reset"}, "reason": "more was done"})
	if code != http.StatusBadRequest || !strings.Contains(out, fmt.Sprintf("register entry %d belongs to incident %d, not to incident %d", e1.ID, one, two)) {
		t.Errorf("a correction of incident %d's entry filed under incident %d: %d %s, want 400 naming both", one, two, code, out)
	}
	if n := h.registerLen(); n != before {
		t.Errorf("a refused correction wrote %d entries", n-before)
	}

	// 7b: a partial correction carries forward what it does not give.
	var c1 incidents.RegisterEntry
	h.asDPO(func() {
		h.postInto("/api/v1/register", map[string]any{"kind": "correction", "supersedes": e1.ID,
			"record": map[string]any{"measures": "endpoint removed; passwords reset"}, "reason": "the passwords were reset too"}, &c1)
	})
	want := e1.Record
	want.Measures, want.Reason = "endpoint removed; passwords reset", "the passwords were reset too"
	if c1.IncidentID == nil || *c1.IncidentID != one || c1.Supersedes == nil || *c1.Supersedes != e1.ID || c1.Kind != incidents.RegisterCorrection ||
		!sameRecord(c1.Record, want) {
		t.Errorf("correction = %+v (incident %v)\nwant its record %+v, in incident %d, superseding %d", c1.Record, c1.IncidentID, want, one, e1.ID)
	}
	if want.Consequences != "phishing" || want.Nature == "" || want.DataSubjects != 300 || want.Records != 1200 || len(want.DataCategories) != 2 {
		t.Errorf("the DPO's first entry lacks what this test carries forward: %+v", want)
	}
	// Only the incident's latest entry is corrected.
	code, out = correct(map[string]any{"kind": "correction", "supersedes": e1.ID, "record": map[string]any{"records": 1500}, "reason": "recount"})
	if code != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("correct the incident's latest entry, %d", c1.ID)) {
		t.Errorf("a correction of a superseded entry: %d %s, want 409 naming the latest", code, out)
	}
	// Another incident's entry, superseded too: still a 400 (the entry is
	// not this incident's), not a 409.
	before = h.registerLen()
	code, out = correct(map[string]any{"kind": "correction", "incident_id": two, "supersedes": e1.ID,
		"record": map[string]any{"measures": "passwords reset"}, "reason": "more was done"})
	if code != http.StatusBadRequest || errMessage(out) != fmt.Sprintf("invalid: register entry %d belongs to incident %d, not to incident %d: an entry supersedes only an entry of its own incident", e1.ID, one, two) {
		t.Errorf("a correction of incident %d's superseded entry filed under incident %d: %d %s, want 400 naming both", one, two, code, out)
	}
	if n := h.registerLen(); n != before {
		t.Errorf("a refused correction wrote %d entries", n-before)
	}
	// Clearing is explicit; notified is the deliveries'; nothing is not a correction.
	for _, tc := range []struct {
		record map[string]any
		want   string
	}{
		{map[string]any{"notified": "everyone"}, "notified is written from its notices' deliveries"},
		{map[string]any{"measures": "endpoint removed; passwords reset"}, "changes nothing"},
	} {
		if code, out := correct(map[string]any{"kind": "correction", "supersedes": c1.ID, "record": tc.record, "reason": "r"}); code != http.StatusBadRequest || !strings.Contains(out, tc.want) {
			t.Errorf("correction %v: %d %s, want 400 with %q", tc.record, code, out, tc.want)
		}
	}
	var c2 incidents.RegisterEntry
	h.asDPO(func() {
		h.postInto("/api/v1/register", map[string]any{"kind": "correction", "supersedes": c1.ID,
			"record": map[string]any{"consequences": ""}, "reason": "no consequence is known yet"}, &c2)
	})
	want.Consequences, want.Reason = "", "no consequence is known yet"
	if !sameRecord(c2.Record, want) {
		t.Errorf("after clearing the consequences: %+v\nwant %+v", c2.Record, want)
	}

	// The register follows the case from the corrected entry.
	sa := h.obligationsOf(one)["supervisory_authority"]
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", sa.ID), map[string]any{"state": "sent", "reason": "sent through the authority's portal"})
	})
	entries := h.registerOf(one)
	if len(entries) != 4 {
		t.Fatalf("incident %d has %d register entries, want 4: the DPO's, two corrections, breachd's", one, len(entries))
	}
	last := entries[3]
	want.Notified = last.Record.Notified
	want.Reason = "notified brought up to date from the notices sent"
	if last.Actor != "breachd" || last.Supersedes == nil || *last.Supersedes != c2.ID || !sameRecord(last.Record, want) ||
		!strings.Contains(last.Record.Notified, "supervisory_authority (gdpr)") {
		t.Errorf("breachd's entry after the notice: %+v superseding %v\nwant %+v superseding %d", last.Record, last.Supersedes, want, c2.ID)
	}
}

func sameRecord(a, b incidents.Record) bool {
	return a.Nature == b.Nature && slices.Equal(a.DataCategories, b.DataCategories) && a.DataSubjects == b.DataSubjects && a.Records == b.Records &&
		a.Risk == b.Risk && a.Consequences == b.Consequences && a.Measures == b.Measures && a.Notified == b.Notified && a.Reason == b.Reason
}

// TestClosingWaitsForTheDPOsRegisterEntry: a personal-data breach closes
// only once the DPO has written its register entry after the latest risk
// decision (409 naming what is missing and the allowed moves, nothing
// changed); so does a near miss (assessed, no personal data), documented
// as one; a false positive needs no entry.
func TestClosingWaitsForTheDPOsRegisterEntry(t *testing.T) {
	const rita = "rita-token"
	h := start(t, recipientsTeam+fmt.Sprintf(`
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
`+registerTokens, hashOf(rita)))
	as := func(token string, path string, body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = token
		defer func() { h.bearer = "" }()
		code, out := h.send(path, body)
		return code, string(out)
	}
	must := func(token string, path string, body map[string]any) {
		h.t.Helper()
		if code, out := as(token, path, body); code/100 != 2 {
			h.t.Fatalf("POST %s: %d %s", path, code, out)
		}
	}
	status := func(id int64) incidents.Status {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		return d.Incident.Status
	}
	closeIt := func(id int64) (int, string) {
		return as(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "closed", "resolution": "endpoint removed"})
	}

	breach := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", breach), map[string]any{"to": "contained", "reason": "endpoint removed"})
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", breach), map[string]any{"risk": "risk", "reason": "rows were read"})
	code, out := closeIt(breach)
	if code != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("incident %d is a personal-data breach and the Data Breach Register has no entry for it by the DPO", breach)) ||
		!strings.Contains(out, "from contained it can become notifying") {
		t.Errorf("closing a breach without the DPO's entry: %d %s, want 409 saying what is missing and the allowed moves", code, out)
	}
	if s := status(breach); s != incidents.StatusContained || len(h.registerOf(breach)) != 0 {
		t.Errorf("a refused close left the incident %s with %d register entries", s, len(h.registerOf(breach)))
	}
	must(harnessDPOToken, fmt.Sprintf("/api/v1/incidents/%d/assess", breach), map[string]any{"risk": "risk", "reason": "confirmed: rows were read"})
	if code, out := closeIt(breach); code != http.StatusOK || status(breach) != incidents.StatusClosed {
		t.Errorf("closing after the DPO's entry: %d %s", code, out)
	}

	// The team finds no personal data was reached: a near miss, which the
	// DPO documents too before it closes; a false positive needs no entry.
	miss := h.openManual("Password spraying against the CRM", "db1", time.Now().Add(-time.Hour).UTC())
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", miss), map[string]any{"to": "contained", "reason": "address blocked"})
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", miss), map[string]any{"risk": "none", "personal_data": false, "reason": "no login succeeded"})
	if code, out := closeIt(miss); code != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("incident %d was assessed as no personal-data breach (a near miss) and the Data Breach Register has no entry for it by the DPO", miss)) {
		t.Errorf("closing a near miss without the DPO's entry: %d %s, want 409", code, out)
	}
	must(harnessDPOToken, fmt.Sprintf("/api/v1/incidents/%d/assess", miss), map[string]any{"risk": "none", "personal_data": false, "reason": "confirmed: no login succeeded"})
	if e := h.registerOf(miss); len(e) != 1 || e[0].Kind != incidents.RegisterNearMiss {
		t.Errorf("the near miss's register: %+v, want one near_miss entry", e)
	}
	if code, out := closeIt(miss); code != http.StatusOK {
		t.Errorf("closing a near miss after the DPO's entry: %d %s", code, out)
	}
	fp := h.openManual("Scanner noise", "db1", time.Now().Add(-time.Hour).UTC())
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", fp), map[string]any{"to": "triaged", "reason": "looked"})
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", fp), map[string]any{"to": "false_positive", "reason": "our own scanner"})

	// A decision after the DPO's entry needs the DPO again: a correction
	// of the entry will do. (Once the DPO has assessed, a responder's
	// decision is refused: TestResponderCannotOverrideDPORisk; here the
	// DPO's entry was filed by hand, before any risk decision.)
	late := h.openManual("Backup tape missing", "db1", time.Now().Add(-time.Hour).UTC())
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/transition", late), map[string]any{"to": "triaged", "reason": "looked at it"})
	must(harnessDPOToken, "/api/v1/register", map[string]any{"incident_id": late, "kind": "breach",
		"record": map[string]any{"nature": "backup tape lost", "risk": "risk"}, "reason": "the tape is not encrypted"})
	must(rita, fmt.Sprintf("/api/v1/incidents/%d/assess", late), map[string]any{"risk": "high", "reason": "the tape holds card numbers"})
	if code, out := closeIt(late); code != http.StatusConflict || !strings.Contains(out, "since its latest risk decision") || !strings.Contains(out, "from triaged it can become contained, notifying, false_positive") {
		t.Errorf("closing after a decision newer than the DPO's entry: %d %s, want 409", code, out)
	}
	entries := h.registerOf(late)
	must(harnessDPOToken, "/api/v1/register", map[string]any{"kind": "correction", "supersedes": entries[len(entries)-1].ID,
		"record": map[string]any{"risk": "high"}, "reason": "the tape holds card numbers"})
	if code, out := closeIt(late); code != http.StatusOK {
		t.Errorf("closing after the DPO's correction: %d %s", code, out)
	}
}

// TestRegisterNotifiedSaysWhenAndNoSubject: the register's notified gives
// the time a call was made, not the time it was recorded; the data
// subjects' notices are summed up (how many of how many, when, how),
// without a name, an address, a number or the reasons given.
func TestRegisterNotifiedSaysWhenAndNoSubject(t *testing.T) {
	t0 := time.Now().UTC().Truncate(time.Minute)
	clk := &clock{now: t0}
	h := startWith(t, t.TempDir(), recipientsTeam+`
incidents {
  policy_packs = ["gdpr"]
}
asset "shop" {
  hosts           = ["db1"]
  data_categories = ["name", "email", "card_number"]
  data_subjects   = 3
  records         = 3
}
recipient "supervisory_authority" {
  name    = "Information Commissioner's Office"
  address = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
  phone   = "+44 303 123 1113"
}
`, daemon.Options{Now: clk.Now})
	id := h.openManual("Card numbers on a paste site", "db1", t0.Add(-5*time.Hour))
	h.bearer = harnessDPOToken
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "high", "reason": "card numbers in clear"})
	if code, body := h.upload(id, harnessDPOToken, subjectsCSV(3)); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, body)
	}
	obs := h.obligationsOf(id)
	called := t0 // at the discovery (aware_at)
	h.post(fmt.Sprintf("/api/v1/obligations/%d/call", obs["supervisory_authority"].ID), map[string]any{"caller": "dora", "callee": "Ann Officer, ICO",
		"number": "+44 303 123 1113", "at": called, "said": "told of the breach"})
	entries := h.registerOf(id)
	want := fmt.Sprintf("supervisory_authority (gdpr) on %s, decided by harness-dpo: phone call by dora to Ann Officer, ICO (+44 303 123 1113) at %s: told of the breach",
		called.Format("2006-01-02 15:04 UTC"), called.Format(time.RFC3339))
	if got := entries[len(entries)-1].Record.Notified; got != want {
		t.Errorf("notified after the call:\n%s\nwant\n%s", got, want)
	}

	var subjects []int64
	for r, o := range obs {
		if strings.HasPrefix(r, "data_subjects:") {
			subjects = append(subjects, o.ID)
		}
	}
	slices.Sort(subjects)
	if len(subjects) != 3 {
		t.Fatalf("%d obligations to the data subjects, want 3", len(subjects))
	}
	clk.Add(time.Hour)
	h.post(fmt.Sprintf("/api/v1/obligations/%d/call", subjects[0]), map[string]any{"caller": "dora", "callee": "Person 1",
		"number": "+1 210 555 0101", "at": t0.Add(30 * time.Minute), "said": "told Person 1 their card number was exposed"})
	for i, ob := range subjects[1:] {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", ob), map[string]any{"state": "sent", "reason": fmt.Sprintf("letter posted to Person %d, %d Long Road", i+2, i+2)})
	}
	h.bearer = ""
	entries = h.registerOf(id)
	got := entries[len(entries)-1].Record.Notified
	want += fmt.Sprintf("; data subjects (data_subjects, gdpr): 3 of 3 notified individually from %s to %s (by telephone 1, recorded by hand 2)",
		t0.Add(30*time.Minute).Format("2006-01-02 15:04 UTC"), t0.Add(time.Hour).Format("2006-01-02 15:04 UTC"))
	if got != want {
		t.Errorf("notified after the data subjects' notices:\n%s\nwant\n%s", got, want)
	}
	for _, e := range entries {
		for _, personal := range []string{"Person", "Long Road", "+1 210", "example.org"} {
			if strings.Contains(fmt.Sprintf("%+v", e.Record), personal) {
				t.Errorf("register entry %d carries %q: %+v", e.ID, personal, e.Record)
			}
		}
	}
}

// TestResendIsANewMessageForTheDPO: resending a notice only the DPO may
// send is refused to a responder (403, nothing queued); the DPO's resend
// is a new message with its own key, Message-ID and delivery record,
// linked to the original on the timeline.
func TestResendIsANewMessageForTheDPO(t *testing.T) {
	const rita = "rita-token"
	mb := startMailbox(t)
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
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "dpo@example.com"
}
recipient "supervisory_authority" {
  name     = "Information Commissioner's Office"
  address  = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
  email    = "casework@ico.example"
  channels = ["mail"]
}
`+registerTokens, mb.port, hashOf(rita)))
	id := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "rows were read"})
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", h.obligationsOf(id)["supervisory_authority"].ID), map[string]any{"state": "approved", "reason": "checked"})
	})
	h.waitFor("the notice to the authority", func() bool { return len(mb.to("casework@ico.example")) == 1 })
	detail := func() httpapi.IncidentDetail {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		return d
	}
	var orig incidents.Message
	for _, m := range detail().Messages {
		if m.ObligationID != 0 {
			orig = m
		}
	}
	h.waitFor("the original delivered", func() bool {
		for _, m := range detail().Messages {
			if m.ID == orig.ID {
				return m.State == incidents.MessageSent
			}
		}
		return false
	})
	path := fmt.Sprintf("/api/v1/messages/%d/resend", orig.ID)
	h.bearer = rita
	code, out := h.send(path, map[string]any{"reason": "the authority asks for it again"})
	h.bearer = ""
	if code != http.StatusForbidden || !strings.Contains(string(out), "only the dpo may") {
		t.Errorf("a responder resending the authority's notice: %d %s, want 403", code, out)
	}
	if n := len(detail().Messages); n != 1 {
		t.Errorf("a refused resend left %d messages, want 1", n)
	}
	var again struct {
		incidents.Message
		ResendOf int64 `json:"resend_of"`
	}
	h.asDPO(func() { h.postInto(path, map[string]any{"reason": "the authority asks for it again"}, &again) })
	if again.ID == orig.ID || again.ResendOf != orig.ID || again.IdempotencyKey != orig.IdempotencyKey+"-resend-1" || again.ObligationID != orig.ObligationID {
		t.Errorf("the resend: %+v\nwant a new message with its own key, linked to %d", again, orig.ID)
	}
	h.waitFor("the resend delivered", func() bool { return len(mb.to("casework@ico.example")) == 2 })
	mails := mb.to("casework@ico.example")
	if mails[0].messageID != "<"+orig.IdempotencyKey+"@breachd>" || mails[1].messageID != "<"+again.IdempotencyKey+"@breachd>" {
		t.Errorf("Message-IDs %q and %q, want one per message", mails[0].messageID, mails[1].messageID)
	}
	for _, m := range mails {
		if !strings.Contains(m.body, "To: Information Commissioner's Office") {
			t.Errorf("a mail to the authority lacks its notice:\n%s", m.body)
		}
	}
	h.waitFor("the resend's delivery on the timeline", func() bool {
		for _, e := range detail().Timeline {
			if e.Kind == "notification" && e.Data["message"] == fmt.Sprint(again.ID) && e.Data["ok"] == "true" {
				return true
			}
		}
		return false
	})
	d := detail()
	if !onTimeline(d, fmt.Sprintf("Message %d via mail (route notice) sent again by hand as message %d, with its own key %s", orig.ID, again.ID, again.IdempotencyKey)) {
		t.Error("the timeline does not link the resend to the original")
	}
	if len(d.Messages) != 2 || d.Messages[0].State != incidents.MessageSent || d.Messages[1].State != incidents.MessageSent {
		t.Errorf("messages %+v, want the original and the resend, both sent", d.Messages)
	}
}

// TestUpdatedNoticeAfterTheFirst: after the first notice to the authority
// was sent, the DPO (not a responder) opens an update (GDPR Art. 33(4)):
// rendered from the facts as they are now, marked as an update of the
// first, approved by the DPO alone, mailed with its own Message-ID and
// proof, on the timeline and in the register's notified.
func TestUpdatedNoticeAfterTheFirst(t *testing.T) {
	const rita = "rita-token"
	mb := startMailbox(t)
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
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "dpo@example.com"
}
recipient "supervisory_authority" {
  name     = "Information Commissioner's Office"
  address  = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
  email    = "casework@ico.example"
  channels = ["mail"]
}
`+registerTokens, mb.port, hashOf(rita)))
	id := h.openManual("Invoices on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	sa := func() incidents.Obligation { return h.obligationsOf(id)["supervisory_authority"] }
	as := func(token, path string, body map[string]any) (int, string) {
		h.t.Helper()
		h.bearer = token
		defer func() { h.bearer = "" }()
		code, out := h.send(path, body)
		return code, string(out)
	}
	update := fmt.Sprintf("/api/v1/obligations/%d/update", sa().ID)
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "rows were read"})
	})
	if code, out := as(harnessDPOToken, update, map[string]any{"reason": "records counted"}); code != http.StatusConflict || !strings.Contains(out, "an update follows a notice that was sent") {
		t.Errorf("an update before the first notice is sent: %d %s, want 409", code, out)
	}
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", sa().ID), map[string]any{"state": "approved", "reason": "checked"})
	})
	h.waitFor("the first notice sent", func() bool { return sa().State == incidents.ObligationSent })

	if code, out := as(rita, update, map[string]any{"reason": "records counted"}); code != http.StatusForbidden || !strings.Contains(out, "only the dpo may") {
		t.Errorf("a responder opening an update: %d %s, want 403", code, out)
	}
	var up incidents.Obligation
	h.asDPO(func() { h.postInto(update, map[string]any{"reason": "records counted; passwords reset"}, &up) })
	if up.Recipient != "update 1 of supervisory_authority" || up.Policy != "gdpr" || up.State.Decided() || up.DueAt != nil {
		t.Fatalf("the update: %+v", up)
	}
	if code, out := as(harnessDPOToken, update, map[string]any{"reason": "again"}); code != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("obligation %d, an update of this notice, is not sent yet", up.ID)) {
		t.Errorf("a second update while the first is undecided: %d %s, want 409", code, out)
	}
	h.asDPO(func() {
		h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), map[string]any{"measures": "the endpoint was removed; every password was reset", "reason": "more done"})
	})
	var nd httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", up.ID), &nd)
	first := sa()
	if !strings.HasPrefix(nd.Notice.Text, "UPDATE 1 to our notification of this breach sent on "+first.DecidedAt.UTC().Format("2006-01-02 15:04 UTC")) ||
		!strings.Contains(nd.Notice.Text, "every password was reset") || !strings.Contains(nd.Notice.Text, "To: Information Commissioner's Office") || len(nd.Notice.Missing) != 0 {
		t.Errorf("the update's notice (missing %v):\n%s", nd.Notice.Missing, nd.Notice.Text)
	}
	approve := fmt.Sprintf("/api/v1/obligations/%d/decide", up.ID)
	if code, out := as(rita, approve, map[string]any{"state": "approved", "reason": "ok"}); code != http.StatusForbidden {
		t.Errorf("a responder approving the update: %d %s, want 403", code, out)
	}
	h.asDPO(func() { h.post(approve, map[string]any{"state": "approved", "reason": "checked"}) })
	h.waitFor("the update mailed", func() bool { return len(mb.to("casework@ico.example")) == 2 })
	mails := mb.to("casework@ico.example")
	key := fmt.Sprintf("breachd-obligation-%d-notice-mail-v1", up.ID)
	if mails[1].messageID != "<"+key+"@breachd>" || mails[0].messageID == mails[1].messageID || !strings.Contains(mails[1].subject, "update 1") ||
		!strings.Contains(mails[1].body, "every password was reset") || strings.Contains(mails[0].body, "every password was reset") {
		t.Errorf("the mails: %q %q / %q %q", mails[0].messageID, mails[0].subject, mails[1].messageID, mails[1].subject)
	}
	h.waitFor("the update sent", func() bool { return h.obligationsOf(id)[up.Recipient].State == incidents.ObligationSent })
	if p := h.obligationsOf(id)[up.Recipient].Proof; !strings.Contains(p, "accepted RCPT TO casework@ico.example; Message-ID <"+key+"@breachd>") {
		t.Errorf("the update's proof %q", p)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if !onTimeline(d, fmt.Sprintf("Obligation gdpr → supervisory_authority: update 1 of the notice sent (obligation %d) requested as obligation %d", first.ID, up.ID)) {
		t.Error("the update's request is not on the timeline")
	}
	entries := h.registerOf(id)
	if n := strings.Count(entries[len(entries)-1].Record.Notified, "supervisory_authority (gdpr) on"); n != 2 ||
		!strings.Contains(entries[len(entries)-1].Record.Notified, "update 1 of supervisory_authority (gdpr) on") {
		t.Errorf("the register's notified: %q, want the first notice and its update", entries[len(entries)-1].Record.Notified)
	}
}
