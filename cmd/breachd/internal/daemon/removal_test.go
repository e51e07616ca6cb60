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

// removalConfig is the shipped company pack and sensitive-data rules on an
// asset with two customers, whose notices go by SMTP to port.
func removalConfig(t *testing.T, port int) string {
	return fmt.Sprintf(`
server {
  data_dir = "./var"
}
incidents {
  policy_packs = ["company"]
}
organisation {
  name = "Jivosoft"
}
source "file" "app" {
  paths = ["./var/auth.log"]
}
source "file" "web" {
  paths = ["./var/access.log"]
}
asset "portal" {
  data_categories = ["name", "email"]
  data_subjects   = 200
  customers       = ["Acme Corp", "Globex Inc"]
  customer "Acme Corp" {
    address = "1 Acme Way, Springfield"
    email   = "security@acme.example"
  }
  customer "Globex Inc" {
    email = "security@globex.example"
  }
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
}
recipient "customer_removal_request" {
  channels = ["mail"]
}
recipient "sensitive_data_removal" {
  channels = ["mail"]
}
`, port) + sensitiveWithAssets(t, "portal")
}

// TestRemovalRequestPerCustomer: SSNs found on an asset of two customers
// give each customer its own removal request, naming only itself, mailed
// to its own address, and its own follow-up. A follow-up cannot be
// approved or recorded sent, nor a removal recorded, before that
// customer's request is sent (409 naming the request). A removal names
// its customer when two are in scope (400 with the list otherwise), is
// not dated before the incident's discovery nor before that customer's
// request was delivered (400 naming the delivery time), and ends that
// customer's request and follow-up only.
func TestRemovalRequestPerCustomer(t *testing.T) {
	mb := startMailbox(t)
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), removalConfig(t, mb.port), daemon.Options{Now: clk.Now})
	h.appendLines("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified")

	var id int64
	h.waitFor("the incident", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		if len(list.Incidents) == 1 {
			id = list.Incidents[0].ID
		}
		return id != 0
	})
	removal := func() map[string]incidents.Obligation {
		out := map[string]incidents.Obligation{}
		for r, o := range h.obligationsOf(id) {
			if strings.HasPrefix(r, "customer_removal_request") || strings.HasPrefix(r, "sensitive_data_removal") {
				out[r] = o
			}
		}
		return out
	}
	want := []string{"customer_removal_request:Acme Corp", "customer_removal_request:Globex Inc",
		"sensitive_data_removal:Acme Corp", "sensitive_data_removal:Globex Inc"}
	var obs map[string]incidents.Obligation
	h.waitFor("a request and a follow-up per customer", func() bool {
		obs = removal()
		var got []string
		for r := range obs {
			got = append(got, r)
		}
		slices.Sort(got)
		return slices.Equal(got, want)
	})
	for _, r := range want {
		if o := obs[r]; o.State.Decided() {
			t.Fatalf("%s is %s, want undecided", r, o.State)
		}
	}
	var n httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", obs["customer_removal_request:Acme Corp"].ID), &n)
	if !strings.Contains(n.Notice.Text, "To: Acme Corp\n1 Acme Way, Springfield") || strings.Contains(n.Notice.Text, "Globex") || len(n.Notice.Missing) != 0 {
		t.Errorf("Acme's request (missing %v):\n%s", n.Notice.Missing, n.Notice.Text)
	}

	decide := func(r, state string) (int, string) {
		code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", obs[r].ID), map[string]any{"state": state, "reason": "checked"})
		return code, string(body)
	}
	// 4b: the follow-up before its request.
	for _, state := range []string{"approved", "sent"} {
		code, body := decide("sensitive_data_removal:Acme Corp", state)
		if code != http.StatusConflict || !strings.Contains(body, fmt.Sprintf("company → customer_removal_request:Acme Corp (obligation %d), which is ", obs["customer_removal_request:Acme Corp"].ID)) {
			t.Errorf("follow-up %s before the request: %d %s", state, code, body)
		}
	}
	removals := fmt.Sprintf("/api/v1/incidents/%d/removals", id)
	what := "log lines with SSNs in /var/log/app/signup.log, shredded"
	// 4c and 4a: bad removals change nothing.
	for _, bad := range []struct {
		body map[string]any
		code int
		says string
	}{
		{map[string]any{"removed_by": "customer", "what": what}, 400, "2 customers are in scope (Acme Corp, Globex Inc); name the one whose data was removed"},
		{map[string]any{"customer": "Initech", "removed_by": "customer", "what": what}, 400, `Initech\" is not in the incident's scope; the customers in scope are Acme Corp, Globex Inc`},
		{map[string]any{"customer": "Acme Corp", "removed_by": "customer", "what": what, "at": clk.Now().Add(-time.Hour)}, 400,
			"at (2026-11-23T09:00:00Z) is before the incident's discovery (aware_at 2026-11-23T10:00:00Z)"},
		{map[string]any{"customer": "Acme Corp", "removed_by": "customer", "what": what, "at": clk.Now().Add(time.Hour)}, 400, "at is in the future"},
		{map[string]any{"customer": "Acme Corp", "removed_by": "customer", "what": what}, 409, "comes after company → customer_removal_request:Acme Corp"},
	} {
		code, body := h.send(removals, bad.body)
		if code != bad.code || !strings.Contains(string(body), bad.says) {
			t.Errorf("removal %v: %d %s, want %d saying %q", bad.body, code, body, bad.code, bad.says)
		}
	}

	// Acme's request goes to Acme alone, delivered at 10:12:08.
	clk.Add(12*time.Minute + 8*time.Second)
	if code, body := decide("customer_removal_request:Acme Corp", "approved"); code != http.StatusOK {
		t.Fatalf("approve Acme's request: %d %s", code, body)
	}
	h.waitFor("Acme's request sent", func() bool { return removal()["customer_removal_request:Acme Corp"].State == incidents.ObligationSent })
	if got := mb.to("security@acme.example"); len(got) != 1 || strings.Contains(got[0].body, "Globex") || !strings.Contains(got[0].body, "Acme Corp") ||
		got[0].subject != fmt.Sprintf("Jivosoft: request to remove sensitive data from our systems (company, incident %d)", id) {
		t.Errorf("mails to Acme (the subject saying it is a request to remove sensitive data): %+v", got)
	}
	if mb.count() != 1 {
		t.Errorf("%d mails, want 1 (Acme's request)", mb.count())
	}

	clk.Add(time.Hour)
	// Removed as asked 18 s before the asking: refused, nothing changed.
	early := map[string]any{"customer": "Acme Corp", "removed_by": "customer", "what": what, "at": time.Date(2026, 11, 23, 10, 11, 50, 0, time.UTC)}
	if code, body := h.send(removals, early); code != http.StatusBadRequest || errMessage(string(body)) != fmt.Sprintf("invalid: at (2026-11-23T10:11:50Z) is before the request to remove it (company → customer_removal_request:Acme Corp, obligation %d) was delivered at 2026-11-23T10:12:08Z: a removal as asked comes after the asking; give the time the data was removed, at or after 2026-11-23T10:12:08Z", obs["customer_removal_request:Acme Corp"].ID) {
		t.Errorf("a removal before the request was delivered: %d %s", code, body)
	}
	if n, f := h.timelineKinds(id, "removal"), removal()["sensitive_data_removal:Acme Corp"]; n != 0 || f.State.Decided() {
		t.Errorf("the refused removal changed the incident: %d removals, Acme's follow-up %s", n, f.State)
	}
	var e incidents.TimelineEntry
	h.postInto(removals, map[string]any{"customer": "Acme Corp", "removed_by": "customer", "what": what, "at": clk.Now().Add(-time.Minute)}, &e)
	if e.Kind != "removal" || e.Data["customer"] != "Acme Corp" || !strings.HasPrefix(e.Message, "Sensitive data of Acme Corp removed by the customer at 2026-11-23T11:11:08Z") {
		t.Errorf("removal entry = %+v", e)
	}
	obs = removal()
	states := map[string]incidents.ObligationState{}
	for r, o := range obs {
		states[r] = o.State
	}
	wantStates := map[string]incidents.ObligationState{
		"customer_removal_request:Acme Corp": incidents.ObligationSent, "sensitive_data_removal:Acme Corp": incidents.ObligationNotRequired,
		"customer_removal_request:Globex Inc": incidents.ObligationDrafted, "sensitive_data_removal:Globex Inc": incidents.ObligationDrafted,
	}
	if fmt.Sprint(states) != fmt.Sprint(wantStates) {
		t.Errorf("after Acme's removal: %v, want %v", states, wantStates)
	}
	if f := obs["sensitive_data_removal:Acme Corp"]; f.DecidedBy != "breachd" || !strings.Contains(f.Reason, "for Acme Corp") {
		t.Errorf("Acme's follow-up: %s by %q: %s", f.State, f.DecidedBy, f.Reason)
	}

	// Globex: request, then its follow-up, each to Globex alone.
	if code, body := decide("customer_removal_request:Globex Inc", "approved"); code != http.StatusOK {
		t.Fatalf("approve Globex's request: %d %s", code, body)
	}
	h.waitFor("Globex's request sent", func() bool { return removal()["customer_removal_request:Globex Inc"].State == incidents.ObligationSent })
	if code, body := decide("sensitive_data_removal:Globex Inc", "approved"); code != http.StatusOK {
		t.Fatalf("approve Globex's follow-up after its request: %d %s", code, body)
	}
	h.waitFor("Globex's follow-up sent", func() bool { return removal()["sensitive_data_removal:Globex Inc"].State == incidents.ObligationSent })
	if got := mb.to("security@globex.example"); len(got) != 2 || strings.Contains(got[0].body+got[1].body, "Acme") {
		t.Errorf("mails to Globex: %+v", got)
	}
	if mb.count() != 3 {
		t.Errorf("%d mails, want 3", mb.count())
	}
}
