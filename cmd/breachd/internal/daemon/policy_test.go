package daemon_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// recipients lists the recipients of an incident's obligations of policy
// (all policies when empty) that are not ruled out, sorted.
func recipients(d httpapi.IncidentDetail, policy string) []string {
	var out []string
	for _, o := range d.Obligations {
		if (policy == "" || o.Policy == policy) && o.State != incidents.ObligationNotRequired {
			out = append(out, o.Policy+"/"+o.Recipient)
		}
	}
	slices.Sort(out)
	return out
}

// openedEntry returns the timeline entry that opened the incident.
func openedEntry(t *testing.T, d httpapi.IncidentDetail) incidents.TimelineEntry {
	t.Helper()
	for _, e := range d.Timeline {
		if e.Kind == "opened" {
			return e
		}
	}
	t.Fatalf("incident %d has no opened entry: %+v", d.Incident.ID, d.Timeline)
	return incidents.TimelineEntry{}
}

// TestSuggestedRiskFollowsWhatTheEvidenceShows runs the shipped sshd pack
// in the daemon with the gdpr, contract-24h and company packs, on a host
// holding the names and emails of 1,000 data subjects: a brute force with
// only failed logins (indicates attempt) is suggested none, with the reason
// on the timeline, and starts no clock (no 72 h, no 24 h, no customer
// notice: no obligation at all); failures then a login that succeeds from
// the same address (indicates access) is suggested risk, which starts the
// 72 h and 24 h clocks, but not the data subjects' notice (high only).
func TestSuggestedRiskFollowsWhatTheEvidenceShows(t *testing.T) {
	pack, err := os.ReadFile("../../../../configs/rules/sshd.hcl")
	if err != nil {
		t.Fatal(err)
	}
	config := `
server {
  data_dir = "./var"
}
incidents {
  policy_packs = ["gdpr", "contract-24h", "company"]
}
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
asset "portal" {
  hosts           = ["web1"]
  data_categories = ["name", "email"]
  data_subjects   = 1000
  records         = 1000
  counterparty    = "City of San Antonio"
  customers       = ["acme"]
  jurisdictions   = ["DE"]
}
` + string(pack)
	h := start(t, config)
	now := time.Now().Format(time.Stamp)
	var lines []string
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 203.0.113.7 port %d ssh2", now, 100+i, 40000+i))
	}
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for deploy from 198.51.100.9 port %d ssh2", now, 200+i, 50000+i))
	}
	lines = append(lines, fmt.Sprintf("%s web1 sshd[300]: Accepted password for deploy from 198.51.100.9 port 50009 ssh2", now))
	h.appendLines(lines...)

	byRule := map[string][]httpapi.IncidentDetail{}
	h.waitFor("the access incident's obligations", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		clear(byRule)
		for _, inc := range list.Incidents {
			var d httpapi.IncidentDetail
			h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &d)
			byRule[inc.Rule] = append(byRule[inc.Rule], d)
		}
		acc := byRule["sshd-success-after-failures"]
		return len(acc) == 1 && len(acc[0].Obligations) > 0
	})
	if len(byRule) != 2 || len(byRule["sshd-brute-force"]) != 2 {
		t.Fatalf("incidents by rule: %v, want 2 brute forces and 1 login after failures", byRule)
	}
	for _, d := range byRule["sshd-brute-force"] {
		if d.Incident.SuggestedRisk != incidents.RiskNone {
			t.Errorf("brute force %s: suggested %s, want none", d.Incident.GroupKey, d.Incident.SuggestedRisk)
		}
		e := openedEntry(t, d)
		want := "the evidence indicates attempt only: nothing shows anyone reached the personal data (1000 data subjects, categories name, email)"
		if e.Data["suggested_risk"] != "none" || e.Data["suggested_risk_reason"] != want || !strings.Contains(e.Message, "suggested risk none: "+want) {
			t.Errorf("brute force %s opened with %q %v, want the reason %q", d.Incident.GroupKey, e.Message, e.Data, want)
		}
		if got := recipients(d, ""); len(got) != 0 || len(d.Obligations) != 0 {
			t.Errorf("brute force %s has obligations %v (%d in all), want none: no clock for attempts", d.Incident.GroupKey, got, len(d.Obligations))
		}
	}
	acc := byRule["sshd-success-after-failures"][0]
	if acc.Incident.SuggestedRisk != incidents.RiskRisk {
		t.Errorf("login after failures: suggested %s, want risk", acc.Incident.SuggestedRisk)
	}
	e := openedEntry(t, acc)
	if want := "the evidence indicates access: the personal data (1000 data subjects, categories name, email) was within reach; nothing shows it left"; e.Data["suggested_risk_reason"] != want {
		t.Errorf("login after failures opened with reason %q, want %q", e.Data["suggested_risk_reason"], want)
	}
	want := []string{"company/customer:acme", "company/insurer", "company/management", "contract-24h/counterparty:City of San Antonio", "gdpr/supervisory_authority"}
	if got := recipients(acc, ""); !slices.Equal(got, want) {
		t.Errorf("login after failures: obligations %v, want %v", got, want)
	}
	for _, o := range acc.Obligations {
		want := map[string]time.Duration{"supervisory_authority": 72 * time.Hour, "counterparty:City of San Antonio": 24 * time.Hour}[o.Recipient]
		if want == 0 {
			continue
		}
		if o.DueAt == nil || !o.DueAt.Equal(acc.Incident.AwareAt.Add(want)) {
			t.Errorf("%s due %v, want %s after awareness (%v)", o.Recipient, o.DueAt, want, acc.Incident.AwareAt)
		}
	}
}

// TestGDPRAppliesOnlyInItsScope runs the shipped gdpr pack in the daemon
// with incidents reported through the API: data whose subjects live only
// in the US and is processed only there raises no GDPR obligation, for a
// controller nor for a processor; data with an EU/EEA jurisdiction (a
// country or one of its subdivisions, among others) does; data whose
// jurisdictions are not declared is taken to be in scope.
func TestGDPRAppliesOnlyInItsScope(t *testing.T) {
	config := `
server {
  data_dir = "./var"
}
incidents {
  policy_packs = ["gdpr"]
}
asset "us-portal" {
  hosts           = ["us1"]
  data_categories = ["name", "email"]
  data_subjects   = 500
  jurisdictions   = ["US", "US-CA"]
}
asset "us-payroll" {
  hosts           = ["us2"]
  data_categories = ["name", "bank_account"]
  data_subjects   = 50
  role            = "processor"
  controller      = "Acme Corp"
  jurisdictions   = ["US-TX"]
}
asset "eu-crm" {
  hosts           = ["eu1"]
  data_categories = ["name", "email"]
  data_subjects   = 500
  jurisdictions   = ["US-NY", "DE-BY"]
}
asset "no-clinic" {
  hosts           = ["no1"]
  data_categories = ["health"]
  data_subjects   = 20
  role            = "processor"
  controller      = "Oslo Clinic"
  jurisdictions   = ["NO"]
}
asset "legacy" {
  hosts           = ["old1"]
  data_categories = ["name"]
  data_subjects   = 10
}
`
	h := start(t, config)
	for host, want := range map[string][]string{
		"us1":  nil,
		"us2":  nil,
		"eu1":  {"gdpr/supervisory_authority"},
		"no1":  {"gdpr/controller:Oslo Clinic"},
		"old1": {"gdpr/supervisory_authority"},
	} {
		var d httpapi.IncidentDetail
		h.postInto("/api/v1/incidents", map[string]any{"title": "Customer reports a leak on " + host, "reporter": "a customer", "host": host}, &d)
		if got := recipients(d, "gdpr"); !slices.Equal(got, want) {
			t.Errorf("%s (jurisdictions %v, suggested %s): GDPR obligations %v, want %v", host, d.Incident.Scope.Jurisdictions, d.Incident.SuggestedRisk, got, want)
		}
	}
}

// TestManagementIsToldAtOnce runs the shipped company pack in the daemon
// with a recipient "management" that names a file channel: an incident
// reported by hand (a customer's report) and one detected (a login after
// failures, indicates access) each get the management obligation when they
// open, due "immediately", and breachd sends its notice itself, no
// approval needed, once to the channel, after which it is recorded sent; a
// brute force of failures only (suggested none) does not page management.
func TestManagementIsToldAtOnce(t *testing.T) {
	pack, err := os.ReadFile("../../../../configs/rules/sshd.hcl")
	if err != nil {
		t.Fatal(err)
	}
	config := `
server {
  data_dir = "./var"
}
incidents {
  policy_packs = ["company"]
}
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
asset "portal" {
  hosts           = ["web1"]
  data_categories = ["name", "email"]
  data_subjects   = 1000
}
channel "file" "executives" {
  dir = "./var/executives"
}
recipient "management" {
  name     = "Executive management"
  channels = ["executives"]
}
notifications {
  reminder_every = "1h" # "immediately": not at the next pass
}
` + string(pack)
	h := start(t, config)
	management := func(d httpapi.IncidentDetail) []incidents.Obligation {
		var out []incidents.Obligation
		for _, o := range d.Obligations {
			if o.Policy == "company" && o.Recipient == "management" {
				out = append(out, o)
			}
		}
		return out
	}

	var reported httpapi.IncidentDetail
	h.postInto("/api/v1/incidents", map[string]any{"title": "Customer says invoices are on a paste site", "reporter": "Acme Corp (customer)"}, &reported)
	if got := management(reported); len(got) != 1 || got[0].Deadline != "immediately from aware_at" || got[0].Approval {
		t.Fatalf("reported incident: management obligations %+v, want one, due immediately, without approval", got)
	}

	now := time.Now().Format(time.Stamp)
	var lines []string
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 203.0.113.7 port %d ssh2", now, 100+i, 40000+i))
	}
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for deploy from 198.51.100.9 port %d ssh2", now, 200+i, 50000+i))
	}
	lines = append(lines, fmt.Sprintf("%s web1 sshd[300]: Accepted password for deploy from 198.51.100.9 port 50009 ssh2", now))
	h.appendLines(lines...)

	var detected httpapi.IncidentDetail
	var bruteForces []httpapi.IncidentDetail
	h.waitFor("the detected incident's management obligation", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		bruteForces = bruteForces[:0]
		for _, inc := range list.Incidents {
			var d httpapi.IncidentDetail
			h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &d)
			switch inc.Rule {
			case "sshd-success-after-failures":
				detected = d
			case "sshd-brute-force":
				bruteForces = append(bruteForces, d)
			}
		}
		return len(management(detected)) == 1
	})
	if len(bruteForces) != 2 {
		t.Fatalf("%d brute force incidents, want 2", len(bruteForces))
	}
	for _, d := range bruteForces {
		if got := management(d); len(got) != 0 {
			t.Errorf("brute force %s (suggested %s) pages management: %+v", d.Incident.GroupKey, d.Incident.SuggestedRisk, got)
		}
	}

	dir := filepath.Join(h.dir, "var", "executives")
	key := func(d httpapi.IncidentDetail) string {
		return fmt.Sprintf("breachd-obligation-%d-notice-executives-v1", management(d)[0].ID)
	}
	want := []string{key(reported), key(detected)}
	slices.Sort(want)
	h.waitFor("both notices to management", func() bool { return slices.Equal(sentKeys(t, dir), want) })
	for _, d := range []httpapi.IncidentDetail{reported, detected} {
		body, err := os.ReadFile(filepath.Join(dir, key(d)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), fmt.Sprintf("incident %d", d.Incident.ID)) || !strings.Contains(string(body), "Executive management") {
			t.Errorf("notice to management for incident %d: %s", d.Incident.ID, body)
		}
	}
	for _, d := range []httpapi.IncidentDetail{reported, detected} {
		id := d.Incident.ID
		h.waitFor("the notice recorded sent", func() bool {
			var now httpapi.IncidentDetail
			h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &now)
			got := management(now)
			return len(got) == 1 && got[0].State == incidents.ObligationSent
		})
	}
}

// sensitiveWithAssets is the shipped sensitive-data pack with its
// incidents scoped to the named asset.
func sensitiveWithAssets(t *testing.T, asset string) string {
	t.Helper()
	pack, err := os.ReadFile("../../../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(string(pack), "    category = \"sensitive-data-exposure\"\n",
		fmt.Sprintf("    category = \"sensitive-data-exposure\"\n    assets   = [%q]\n", asset))
	if strings.Count(out, "assets   =") != 4 {
		t.Fatalf("the pack's incident blocks changed: %s", out)
	}
	return out
}

// TestSensitiveDataRemovalRequest runs the shipped sensitive-data rules and
// company pack in the daemon on an injected clock: an SSN in an application
// log opens the request to the customer to remove it (addressed to the
// customer in scope, naming the date) and its follow-up, due 14 days from
// awareness; the follow-up reminds the team at half time and escalates to
// the leader once overdue (not confirmed); a person then records through
// the API that the company removed the data, which goes on the timeline
// with who, when and what (masked) and ends both obligations. A removal
// without a party or without what is refused and changes nothing.
func TestSensitiveDataRemovalRequest(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	config := `
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
  customers       = ["Acme Corp"]
}
channel "file" "team" {
  dir = "./var/reminders"
}
channel "file" "leader" {
  dir = "./var/escalations"
}
notifications {
  reminder_channels   = ["team"]
  escalation_channels = ["leader"]
  reminder_every      = "100ms"
}
` + sensitiveWithAssets(t, "portal")
	h := startWith(t, t.TempDir(), config, daemon.Options{Now: clk.Now})
	h.appendLines("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified")

	byRecipient := func(d httpapi.IncidentDetail) map[string]incidents.Obligation {
		out := map[string]incidents.Obligation{}
		for _, o := range d.Obligations {
			if o.Policy == "company" {
				out[o.Recipient] = o
			}
		}
		return out
	}
	var d httpapi.IncidentDetail
	h.waitFor("the removal request and its follow-up", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		if len(list.Incidents) != 1 {
			return false
		}
		h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &d)
		return len(byRecipient(d)) >= 2
	})
	id := d.Incident.ID
	obs := byRecipient(d)
	req, follow := obs["customer_removal_request:Acme Corp"], obs["sensitive_data_removal:Acme Corp"]
	if req.ID == 0 || follow.ID == 0 || req.DueAt != nil || req.Deadline != "without undue delay from aware_at" || !req.Approval {
		t.Fatalf("company obligations %+v, want a request without undue delay and a follow-up", obs)
	}
	due := d.Incident.AwareAt.Add(14 * 24 * time.Hour)
	if follow.DueAt == nil || !follow.DueAt.Equal(due) || follow.Deadline != "14 days from aware_at" {
		t.Fatalf("follow-up due %v (%s), want %v (14 days from aware_at)", follow.DueAt, follow.Deadline, due)
	}
	var n httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", req.ID), &n)
	if len(n.Notice.Missing) != 0 || !strings.Contains(n.Notice.Text, "To: Acme Corp") || !strings.Contains(n.Notice.Text, "by\n7 December 2026 10:00 UTC") ||
		strings.Contains(n.Notice.Text, "078-05-1120") {
		t.Errorf("the request to the customer (missing %v):\n%s", n.Notice.Missing, n.Notice.Text)
	}

	team, leader := filepath.Join(h.dir, "var", "reminders"), filepath.Join(h.dir, "var", "escalations")
	clk.Add(7*24*time.Hour + time.Hour)
	h.waitFor("the follow-up's half-time reminder", func() bool {
		return slices.Contains(sentKeys(t, team), fmt.Sprintf("breachd-obligation-%d-reminder-50-team-v1", follow.ID))
	})
	clk.Add(7 * 24 * time.Hour)
	want := []string{fmt.Sprintf("breachd-obligation-%d-overdue-leader-v1", follow.ID)}
	h.waitFor("the escalation: removal not confirmed", func() bool { return slices.Equal(sentKeys(t, leader), want) })

	for _, bad := range []map[string]any{
		{"removed_by": "someone", "what": "the SSNs"},
		{"removed_by": "company", "what": " "},
		{"removed_by": "company", "what": "the SSNs", "at": clk.Now().Add(time.Hour)},
	} {
		if code, body := h.send(fmt.Sprintf("/api/v1/incidents/%d/removals", id), bad); code != 400 {
			t.Errorf("removal %v: %d %s, want 400", bad, code, body)
		}
	}
	// The customer was asked: the request is recorded sent (a removal
	// before it is refused, TestRemovalRequestPerCustomer).
	h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", req.ID), map[string]any{"state": "sent", "reason": "mailed to Acme by hand"})
	removedAt := clk.Now().Add(-30 * time.Minute).Truncate(time.Second)
	var e incidents.TimelineEntry
	h.postInto(fmt.Sprintf("/api/v1/incidents/%d/removals", id), map[string]any{
		"removed_by": "company", "at": removedAt, "what": "log lines with SSNs such as 078-05-1120 in /var/log/app/signup.log, shredded",
		"reason": "Acme Corp did not answer within 14 days",
	}, &e)
	if e.Kind != "removal" || e.Actor != "harness" || e.Data["removed_by"] != "company" || e.Data["recorded_by"] != "harness" ||
		e.Data["removed_at"] != removedAt.UTC().Format(time.RFC3339Nano) || strings.Contains(e.Message+e.Data["what"], "078-05-1120") ||
		!strings.Contains(e.Data["what"], "/var/log/app/signup.log") {
		t.Errorf("removal entry = %+v", e)
	}
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	removals := 0
	for _, te := range d.Timeline {
		if te.Kind == "removal" {
			removals++
		}
	}
	if removals != 1 {
		t.Errorf("%d removal entries on the timeline, want 1", removals)
	}
	obs = byRecipient(d)
	if r := "sensitive_data_removal:Acme Corp"; obs[r].State != incidents.ObligationNotRequired || obs[r].DecidedBy != "breachd" {
		t.Errorf("%s after the removal: %s by %q, want not_required by breachd", r, obs[r].State, obs[r].DecidedBy)
	}
	if r := "customer_removal_request:Acme Corp"; obs[r].State != incidents.ObligationSent {
		t.Errorf("%s after the removal: %s, want sent (as recorded)", r, obs[r].State)
	}
}
