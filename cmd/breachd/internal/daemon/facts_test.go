package daemon_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// putStatus sends v as JSON with PUT and returns the status and body.
func (h *harness) putStatus(path string, v any) (int, string) {
	h.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest("PUT", "http://"+h.addr+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// errMessage is the message of an API error's body.
func errMessage(body string) string {
	var e httpapi.Error
	if json.Unmarshal([]byte(body), &e) != nil {
		return body
	}
	return e.Message
}

// factsAnswer is what the answer to PUT .../facts says of the facts.
type factsAnswer struct {
	Unchanged bool `json:"unchanged"`
	Incident  struct {
		Facts struct {
			Effects      []string `json:"effects"`
			EffectsOther string   `json:"effects_other"`
			CausedBy     string   `json:"caused_by"`
		} `json:"facts"`
	} `json:"incident"`
}

func decodeFactsAnswer(t *testing.T, body string) factsAnswer {
	t.Helper()
	var d factsAnswer
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("%v: %.300s", err, body)
	}
	return d
}

// timelineKinds counts incident id's timeline entries of kind.
func (h *harness) timelineKinds(id int64, kind string) int {
	h.t.Helper()
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	n := 0
	for _, e := range d.Timeline {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// formsConfig has an organisation in Chicago and, for every incident, a
// notice on the GDPR procedure's Appendix 4 form and one to the insurer.
const formsConfig = `
organisation {
  name        = "Example Payroll Ltd"
  address     = "1 Alamo Plaza, San Antonio"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example.com"
  dpo_address = "Example Payroll Ltd, DPO, 1 Alamo Plaza, San Antonio"
  time_zone   = "America/Chicago"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
policy "forms" {
  obligation "subject_letter" {
    template = "controller-subject"
    when     = "true"
    anchor   = "aware_at"
    within   = "72h"
  }
  obligation "insurer" {
    template = "insurer"
    when     = "true"
    anchor   = "aware_at"
    within   = "72h"
  }
}
`

// noticeText is the notice of incident id's obligation to recipient, as
// the API shows it.
func (h *harness) noticeText(id int64, recipient string) string {
	h.t.Helper()
	o, ok := h.obligationsOf(id)[recipient]
	if !ok {
		h.t.Fatalf("incident %d owes no %s", id, recipient)
	}
	var nd httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", o.ID), &nd)
	return nd.Notice.Text
}

// TestFactsPatchThatChangesNothing: through the API, an empty patch is a
// 400 saying there is nothing to change and how to clear a fact; a patch
// that says what the facts already say (all of them, some of them, the
// effects in another order) writes nothing and answers unchanged.
func TestFactsPatchThatChangesNothing(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), formsConfig, daemon.Options{Now: clk.Now})
	id := h.openManual("Payroll rows on a paste site", "db1", time.Date(2026, 11, 24, 3, 30, 0, 0, time.UTC))
	facts := fmt.Sprintf("/api/v1/incidents/%d/facts", id)

	code, body := h.putStatus(facts, map[string]any{"reason": "nothing"})
	for _, w := range []string{"nothing to change", `"measures": ""`} {
		if code != http.StatusBadRequest || !strings.Contains(errMessage(body), w) {
			t.Errorf("PUT facts with no fact: %d %s\nwant 400 saying %q", code, body, w)
		}
	}
	set := map[string]any{
		"nature": "an export endpoint served payroll rows", "consequences": "phishing", "measures": "the endpoint was removed",
		"effects": []string{"disclosed", "accessed"}, "caused_by": "unauthorized persons", "reason": "from the investigation",
	}
	code, body = h.putStatus(facts, set)
	if d := decodeFactsAnswer(t, body); code != http.StatusOK || d.Unchanged {
		t.Fatalf("PUT facts: %d %.300s", code, body)
	}
	for _, again := range []map[string]any{set, {"measures": "the endpoint was removed", "reason": "again"}, {"effects": []string{"accessed", "disclosed"}, "reason": "order"}} {
		code, body := h.putStatus(facts, again)
		if d := decodeFactsAnswer(t, body); code != http.StatusOK || !d.Unchanged {
			t.Errorf("PUT facts %v that change nothing: %d %.200s, want 200 unchanged", again, code, body)
		}
	}
	if n := h.timelineKinds(id, "facts"); n != 1 {
		t.Errorf("%d facts entries on the timeline, want 1 (the one change)", n)
	}
}

// TestFactsFollowTheFormsChoices: through the API, effects and caused_by
// take only the choices of the GDPR procedure's Appendix 4 (a 400 lists
// them, and nothing is written); "other" needs its specification
// (effects_other), which the notice prints beside it; the choices are
// kept in the form's spelling.
func TestFactsFollowTheFormsChoices(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), formsConfig, daemon.Options{Now: clk.Now})
	id := h.openManual("Payroll rows on a paste site", "db1", time.Date(2026, 11, 24, 3, 30, 0, 0, time.UTC))
	facts := fmt.Sprintf("/api/v1/incidents/%d/facts", id)

	refused := []struct {
		body map[string]any
		want []string
	}{
		{map[string]any{"effects": []string{"leaked"}, "reason": "r"}, []string{`effect "leaked" is not one of the form's choices`, "disclosed, destroyed, lost, modified, accessed, other"}},
		{map[string]any{"caused_by": "hackers", "reason": "r"}, []string{`caused_by "hackers" is not one of the form's choices`, `"unauthorized persons" or "internal accident"`}},
		{map[string]any{"effects": []string{"disclosed", "other"}, "reason": "r"}, []string{`effects has "other": say what in effects_other`}},
		{map[string]any{"effects_other": "posted on a forum", "reason": "r"}, []string{`effects_other specifies the effect "other", which effects does not list`}},
	}
	for _, c := range refused {
		code, body := h.putStatus(facts, c.body)
		for _, w := range c.want {
			if code != http.StatusBadRequest || !strings.Contains(errMessage(body), w) {
				t.Errorf("PUT facts %v: %d %s\nwant 400 saying %q", c.body, code, body, w)
			}
		}
	}
	if n := h.timelineKinds(id, "facts"); n != 0 {
		t.Errorf("%d facts entries on the timeline after refused patches, want 0", n)
	}

	code, body := h.putStatus(facts, map[string]any{
		"nature": "an export endpoint served payroll rows", "consequences": "phishing", "measures": "the endpoint was removed",
		"effects": []string{"other", "Disclosed"}, "effects_other": "posted on a paste site", "caused_by": "Unauthorized  persons",
		"reason": "from the investigation",
	})
	d := decodeFactsAnswer(t, body)
	if f := d.Incident.Facts; code != http.StatusOK || strings.Join(f.Effects, ",") != "disclosed,other" || f.EffectsOther != "posted on a paste site" || f.CausedBy != "unauthorized persons" {
		t.Errorf("facts as set: %d %+v; want the form's spelling and order", code, f)
	}
	text := h.noticeText(id, "subject_letter")
	for _, w := range []string{"might have been:\n\n- disclosed\n- other: posted on a paste site\n", "by\n\n- unauthorized persons\n"} {
		if !strings.Contains(text, w) {
			t.Errorf("the notice lacks %q:\n%s", w, text)
		}
	}
	if n := h.timelineKinds(id, "facts"); n != 1 {
		t.Errorf("%d facts entries on the timeline, want 1", n)
	}
}

// TestNoticeDatesInTheOrganisationsZone: every date of a rendered notice
// is in the organisation's time_zone (America/Chicago), named: the
// breach at 03:30 UTC on 24 November happened on 23 November in San
// Antonio, and was known of at 22:00 CST that day.
func TestNoticeDatesInTheOrganisationsZone(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), formsConfig, daemon.Options{Now: clk.Now})
	id := h.openManual("Payroll rows on a paste site", "db1", time.Date(2026, 11, 24, 3, 30, 0, 0, time.UTC))
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	for recipient, want := range map[string][]string{
		"subject_letter": {"on 23 November 2026 (America/Chicago) we have discovered", "\n2026-11-23 22:00 CST (America/Chicago)\n"},
		"insurer":        {"Incident date: 23 November 2026 (America/Chicago)\n", "\n2026-11-23 22:00 CST (America/Chicago)\n"},
	} {
		text := h.noticeText(id, recipient)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("the %s notice lacks %q:\n%s", recipient, w, text)
			}
		}
		if strings.Contains(text, "UTC") || strings.Contains(text, "24 November") || strings.Contains(text, "2026-11-24") {
			t.Errorf("the %s notice has a date in UTC:\n%s", recipient, text)
		}
	}
}

// TestClocksKeepTheirOrder: through the API, a clock set out of order (a
// breach known of before it occurred, or occurred after it was known
// of) or in the future beyond a minute's skew is a 400 that says why and
// changes nothing; a clock in order is set.
func TestClocksKeepTheirOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	h := startWith(t, t.TempDir(), formsConfig, daemon.Options{Now: clk.Now})
	if code, body := h.send("/api/v1/incidents", map[string]any{"title": "t", "reporter": "a customer", "host": "db1", "occurred_at": t0.Add(2 * time.Minute)}); code != http.StatusBadRequest || !strings.Contains(errMessage(string(body)), "occurred_at 2026-11-24T10:02:00Z is 2m0s in the future") {
		t.Errorf("a report of a breach in the future: %d %s", code, body)
	}
	id := h.openManual("Payroll rows on a paste site", "db1", t0.Add(-2*time.Hour)) // aware_at t0
	clockPath := func(c string) string { return fmt.Sprintf("/api/v1/incidents/%d/clocks/%s", id, c) }
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }

	clk.Add(2 * time.Hour) // now t0+2h
	h.asDPO(func() {
		h.put(clockPath("aware_at"), map[string]any{"at": at(110 * time.Minute), "reason": "we knew only at 11:50"})
	})

	refused := []struct {
		clock, at, want string
	}{
		{"aware_at", at(-3 * time.Hour), "aware_at 2026-11-24T07:00:00Z is before occurred_at 2026-11-24T08:00:00Z"},
		{"occurred_at", at(115 * time.Minute), "occurred_at 2026-11-24T11:55:00Z is after aware_at 2026-11-24T11:50:00Z"},
		{"aware_at", at(3 * time.Hour), "aware_at 2026-11-24T13:00:00Z is 1h0m0s in the future"},
	}
	for _, c := range refused {
		var code int
		var body string
		h.asDPO(func() { code, body = h.putStatus(clockPath(c.clock), map[string]any{"at": c.at, "reason": "r"}) })
		if code != http.StatusBadRequest || !strings.Contains(errMessage(body), c.want) {
			t.Errorf("set %s to %s: %d %s\nwant 400 saying %q", c.clock, c.at, code, body, c.want)
		}
	}
	if n := h.timelineKinds(id, "clock"); n != 1 {
		t.Errorf("%d clock entries on the timeline, want 1 (aware_at 11:50)", n)
	}
	// Within the skew, and in order: set.
	h.asDPO(func() {
		h.put(clockPath("aware_at"), map[string]any{"at": at(2*time.Hour + 30*time.Second), "reason": "typed on a clock 30 s ahead"})
	})
	h.put(clockPath("occurred_at"), map[string]any{"at": at(-3 * time.Hour), "reason": "the paste is dated 07:00"})
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if !d.Incident.OccurredAt.Equal(t0.Add(-3*time.Hour)) || !d.Incident.AwareAt.Equal(t0.Add(2*time.Hour+30*time.Second)) {
		t.Errorf("clocks: occurred %v, aware %v", d.Incident.OccurredAt, d.Incident.AwareAt)
	}
	if n := h.timelineKinds(id, "clock"); n != 3 {
		t.Errorf("%d clock entries on the timeline, want 3", n)
	}
}
