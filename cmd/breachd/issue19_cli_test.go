package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// The points of issue 19 at the command line that the other CLI tests do
// not cover: each drives the in-process daemon through the breachd
// commands as a user would.

// mustAs runs the CLI as token and fails the test on a non-zero exit.
func mustAs(t *testing.T, config, token string, args ...string) string {
	t.Helper()
	out, errOut, code := cliAs(config, token, args...)
	if code != 0 {
		t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// listed reads "obligations list" into incident id's rows, recipient →
// the row's columns from ID to STATE (recipients may hold spaces: the
// columns are read by the header's positions).
func listed(t *testing.T, out, id string) map[string]listedRow {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	rows := map[string]listedRow{}
	if lines[0] == "No notice is due." {
		return rows
	}
	h := lines[0]
	col := func(l, from, to string) string {
		end := len(l)
		if to != "" {
			end = min(strings.Index(h, to), len(l))
		}
		return strings.TrimSpace(l[strings.Index(h, from):end])
	}
	for _, l := range lines[1:] {
		if col(l, "INCIDENT", "POLICY") != id {
			continue
		}
		rows[col(l, "RECIPIENT", "DUE")] = listedRow{ID: col(l, "ID", "INCIDENT"), Policy: col(l, "POLICY", "RECIPIENT"),
			Due: col(l, "DUE", "LEFT"), Left: col(l, "LEFT", "STATE"), State: col(l, "STATE", "DEADLINE")}
	}
	return rows
}

type listedRow struct{ ID, Policy, Due, Left, State string }

// squash collapses the runs of spaces a tabwriter pads its columns with.
func squash(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func openJSON(t *testing.T, config, token string, args ...string) string {
	t.Helper()
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(mustAs(t, config, token, append(append([]string{"incidents", "open"}, args...), "--json")...)), &d); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(d.Incident.ID)
}

func showJSON(t *testing.T, config, token, id string) (httpapi.IncidentDetail, string) {
	t.Helper()
	raw := mustAs(t, config, token, "incidents", "show", id, "--json")
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	return d, raw
}

// TestCompanyRecipientsCommands (issue 19, points 2, 4 and 5): under the
// company policy a suspected breach owes the insurer's notice
// ("obligations list", before any risk is decided), not law
// enforcement's; once the DPO
// confirms it, the FBI's San Antonio office and the San Antonio Police
// Department are two obligations with two notices, and each affected
// customer has its own; approved with "obligations decide", each
// customer's notice reaches that customer's own address by SMTP (the
// RCPT TO the server accepted), one mail each, naming no other customer
// and asking it whether it notifies its own people, and "incidents show" gives the accepted RCPT TO as its proof.
func TestCompanyRecipientsCommands(t *testing.T) {
	sink := startSMTPSink(t)
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["company"]
}
organisation {
  name      = "Example Hosting LLC"
  dpo_name  = "Dora Protector"
  dpo_email = "dpo@example.com"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
  jurisdictions   = ["US-TX"]
  customers       = ["Acme Corp", "Globex Inc"]
  customer "Acme Corp" {
    address = "1 Acme Way, Springfield"
    email   = "security@acme.example"
  }
  customer "Globex Inc" {
    address = "2 Globex Road, Shelbyville"
    email   = "security@globex.example"
  }
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
}
recipient "customer" {
  channels = ["mail"]
}
recipient "insurer" {
  name    = "Cyber Mutual, claims"
  address = "9 Claims Street, Hartford"
}
recipient "law_enforcement_police" {
  name    = "San Antonio Police Department, Cyber Crimes"
  address = "315 S Santa Rosa Ave, San Antonio, TX 78207"
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), sink.port, hashHex("rita-token"), hashHex("dora-token")))
	must := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	id := openJSON(t, config, "rita-token", "--title", "Someone may have read the CRM", "--reporter", "a customer", "--host", "db1")
	must("incidents", "facts", id, "--nature", "an export endpoint served CRM rows", "--consequences", "phishing",
		"--measures", "the endpoint was removed", "--effects", "accessed", "--caused-by", "unauthorized persons", "--reason", "investigation")

	// Suspected (no risk decided): the insurer, management and each
	// customer; not law enforcement nor the hosting provider, owed a
	// confirmed breach only.
	if got, want := keys(listed(t, must("obligations", "list"), id)), []string{"customer:Acme Corp", "customer:Globex Inc", "insurer", "management"}; !slices.Equal(got, want) {
		t.Fatalf("a suspected breach owes %v, want %v", got, want)
	}
	mustAs(t, config, "dora-token", "incidents", "assess", id, "risk", "--reason", "rows were read")
	rows := listed(t, must("obligations", "list"), id)
	want := []string{"customer:Acme Corp", "customer:Globex Inc", "hosting_provider", "insurer", "law_enforcement_fbi", "law_enforcement_police", "management"}
	if got := keys(rows); !slices.Equal(got, want) {
		t.Fatalf("a confirmed breach owes %v, want %v", got, want)
	}
	for r, to := range map[string]string{
		"law_enforcement_fbi":    "To: Federal Bureau of Investigation, San Antonio Field Office",
		"law_enforcement_police": "To: San Antonio Police Department, Cyber Crimes\n315 S Santa Rosa Ave, San Antonio, TX 78207",
		"insurer":                "To: Cyber Mutual, claims\n9 Claims Street, Hartford",
	} {
		if text := must("notices", "render", id, rows[r].ID); !strings.Contains(text, to) {
			t.Errorf("%s's notice lacks %q:\n%s", r, to, text)
		}
	}
	if rows["law_enforcement_fbi"].ID == rows["law_enforcement_police"].ID {
		t.Errorf("the FBI and the police share obligation %s", rows["law_enforcement_fbi"].ID)
	}

	for _, r := range []string{"customer:Acme Corp", "customer:Globex Inc"} {
		must("obligations", "decide", rows[r].ID, "approved", "--reason", "checked by the leader")
	}
	waitFor(t, "the two customers' notices sent", func() bool {
		rows := listed(t, must("obligations", "list"), id)
		_, acme := rows["customer:Acme Corp"]
		_, globex := rows["customer:Globex Inc"]
		return !acme && !globex
	})
	rcpt, _ := sink.accepted()
	slices.Sort(rcpt)
	if want := []string{"security@acme.example", "security@globex.example"}; !slices.Equal(rcpt, want) {
		t.Fatalf("the SMTP server accepted mails for %q, want one for each customer: %q", rcpt, want)
	}
	for addr, e := range map[string]struct{ own, other string }{
		"security@acme.example":   {"To: Acme Corp", "Globex"},
		"security@globex.example": {"To: Globex Inc", "Acme"},
	} {
		bodies := sink.bodiesTo(addr)
		if len(bodies) != 1 {
			t.Fatalf("%s received %d mails, want 1", addr, len(bodies))
		}
		body := strings.ReplaceAll(bodies[0], "=\r\n", "")
		body = strings.ReplaceAll(body, "\r\n", "\n")
		if !strings.Contains(body, "notify them yourselves, or that we notify each of them on your behalf") {
			t.Errorf("the mail to %s does not ask whether the customer notifies its own people:\n%s", addr, body)
		}
		if !strings.Contains(bodies[0], e.own) || strings.Contains(bodies[0], e.other) {
			t.Errorf("the mail to %s (want %q, never %q):\n%s", addr, e.own, e.other, bodies[0])
		}
	}
	show := must("incidents", "show", id)
	for _, addr := range []string{"security@acme.example", "security@globex.example"} {
		if !strings.Contains(show, "proof: mailed "+addr+" via 127.0.0.1: accepted RCPT TO "+addr+"; Message-ID <breachd-obligation-") {
			t.Errorf("incidents show lacks the proof of the mail to %s:\n%s", addr, show)
		}
	}
}

// TestEncryptedCostExposureCommands (issue 19, point 12): "incidents show"
// gives no cost exposure for an asset encrypted at rest with its keys
// safe (clause 12.5.3 covers unencrypted data), and says why; with the
// keys exposed it is records × cost per record.
func TestEncryptedCostExposureCommands(t *testing.T) {
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
incidents {
  cost_per_record = 225
  currency        = "USD"
}
asset "vault" {
  hosts             = ["vault1"]
  data_categories   = ["name", "email"]
  data_subjects     = 300
  records           = 1200
  encrypted_at_rest = true
}
asset "leaky" {
  hosts             = ["leaky1"]
  data_categories   = ["name", "email"]
  data_subjects     = 300
  records           = 1200
  encrypted_at_rest = true
  keys_exposed      = true
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")))
	for host, want := range map[string]string{
		"vault1": "Cost exposure: none: encrypted, keys safe (no per-record cost)\n",
		"leaky1": "Cost exposure: 270000.00 USD\n",
	} {
		id := openJSON(t, config, "rita-token", "--title", "Backup copied from "+host, "--reporter", "a researcher", "--host", host)
		if show := squash(mustAs(t, config, "rita-token", "incidents", "show", id)); !strings.Contains(show, want) {
			t.Errorf("incidents show (%s) lacks %q:\n%s", host, want, show)
		}
		d, _ := showJSON(t, config, "rita-token", id)
		if w := map[string]float64{"vault1": 0, "leaky1": 1200 * 225}[host]; d.Incident.CostExposure != w {
			t.Errorf("%s: cost exposure %v, want %v", host, d.Incident.CostExposure, w)
		}
	}
}

// TestMergeClosesObligationsCommands (issue 19, point 13): "incidents
// merge" closes the merged incident's pending obligations that the
// survivor owes too, with the reason, on both timelines; "obligations
// list" no longer shows them; the survivor's stay owed.
func TestMergeClosesObligationsCommands(t *testing.T) {
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")))
	must := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	keep := openJSON(t, config, "rita-token", "--title", "CRM rows on a paste site", "--reporter", "a customer", "--host", "db1")
	gone := openJSON(t, config, "rita-token", "--title", "More CRM rows on a paste site", "--reporter", "another customer", "--host", "db1")
	list := must("obligations", "list")
	if got := keys(listed(t, list, gone)); !slices.Equal(got, []string{"supervisory_authority"}) {
		t.Fatalf("before the merge incident %s owes %v:\n%s", gone, got, list)
	}
	out := must("incidents", "merge", keep, gone, "--reason", "same paste, same attacker")
	if !strings.Contains(out, "Obligation gdpr → supervisory_authority of merged incident "+gone+" (was pending) is taken over by this incident") {
		t.Errorf("incidents merge does not show the survivor taking the obligation over:\n%s", out)
	}
	list = must("obligations", "list")
	if got := keys(listed(t, list, gone)); len(got) != 0 {
		t.Errorf("after the merge incident %s still owes %v:\n%s", gone, got, list)
	}
	if got := keys(listed(t, list, keep)); !slices.Equal(got, []string{"supervisory_authority"}) {
		t.Errorf("after the merge the survivor owes %v:\n%s", got, list)
	}
	d, _ := showJSON(t, config, "rita-token", gone)
	why := "merged into incident " + keep + ", whose obligations take over; reason: same paste, same attacker"
	if len(d.Obligations) != 1 || d.Obligations[0].State != incidents.ObligationNotRequired || d.Obligations[0].Reason != why {
		t.Errorf("the merged incident's obligations: %+v, want not_required with %q", d.Obligations, why)
	}
	show := squash(must("incidents", "show", gone))
	for _, w := range []string{"Status: closed (merged into " + keep + ")", "Obligation gdpr → supervisory_authority: not_required: " + why} {
		if !strings.Contains(show, w) {
			t.Errorf("incidents show %s lacks %q:\n%s", gone, w, show)
		}
	}
}

// lockedClock is a clock the test moves.
type lockedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *lockedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *lockedClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestObligationsTimeLeftAndRemindersCommands (issue 19, point 15): on an
// injected clock, "obligations list" shows the due time in the
// organisation's time zone and the time left; the 50% reminder runs at
// 36 h; past the due time the list says OVERDUE and the leader's
// escalation channel is told; an obligation that arises already overdue
// ("incidents clock" moving awareness back four days) is escalated at
// once.
func TestObligationsTimeLeftAndRemindersCommands(t *testing.T) {
	clk := &lockedClock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	config, _ := runDaemonAt(t, dir, fmt.Sprintf(`
server {
  listen   = %q
  data_dir = "./var"
}
incidents {
  policy_packs = ["gdpr"]
}
organisation {
  name      = "Example Hosting Ltd"
  time_zone = "Asia/Tokyo"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
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
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")), clk.Now)
	must := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	written := func(sub string) []string {
		entries, _ := os.ReadDir(filepath.Join(dir, "var", sub))
		var out []string
		for _, e := range entries {
			out = append(out, strings.TrimSuffix(e.Name(), ".json"))
		}
		slices.Sort(out)
		return out
	}
	id := openJSON(t, config, "rita-token", "--title", "Invoices on a paste site", "--reporter", "a customer", "--host", "db1")
	row := func(id string) listedRow {
		t.Helper()
		out := must("obligations", "list")
		r, ok := listed(t, out, id)["supervisory_authority"]
		if !ok {
			t.Fatalf("obligations list has no notice to the authority for incident %s:\n%s", id, out)
		}
		return r
	}
	// Aware at 10:00 UTC on the 23rd: due 72 h later, 19:00 in Tokyo.
	if r := row(id); r.Due != "2026-11-26 19:00 JST (Asia/Tokyo)" || r.Left != "72h0m0s" || r.State != "pending" {
		t.Errorf("at awareness: %+v, want due 2026-11-26 19:00 JST (Asia/Tokyo) with 72h0m0s left", r)
	}
	sa := row(id).ID
	clk.Add(37 * time.Hour)
	waitFor(t, "the 50% reminder", func() bool {
		return slices.Equal(written("reminders"), []string{"breachd-obligation-" + sa + "-reminder-50-team-v1"})
	})
	if r := row(id); r.Left != "35h0m0s" {
		t.Errorf("at 37 h: %+v, want 35h0m0s left", r)
	}
	if got := written("escalations"); len(got) != 0 {
		t.Errorf("the leader was told %v before the deadline", got)
	}
	clk.Add(36*time.Hour + 30*time.Minute)
	waitFor(t, "the escalation", func() bool {
		return slices.Equal(written("escalations"), []string{"breachd-obligation-" + sa + "-overdue-leader-v1"})
	})
	if r := row(id); r.Left != "OVERDUE 1h30m0s" || r.Due != "2026-11-26 19:00 JST (Asia/Tokyo)" {
		t.Errorf("past the deadline: %+v, want OVERDUE 1h30m0s", r)
	}

	// Reported four days late: overdue as it arises, escalated at once.
	late := openJSON(t, config, "rita-token", "--title", "Reported long after", "--reporter", "a customer", "--host", "db1")
	at := clk.Now().Add(-100 * time.Hour)
	must("incidents", "clock", late, "occurred_at", at.Add(-time.Hour).Format(time.RFC3339), "--reason", "it happened before the report")
	must("incidents", "clock", late, "aware_at", at.Format(time.RFC3339), "--reason", "reported four days late")
	lateSA := row(late).ID
	waitFor(t, "the escalation of an obligation born overdue", func() bool {
		return slices.Contains(written("escalations"), "breachd-obligation-"+lateSA+"-overdue-leader-v1")
	})
	if r := row(late); r.Left != "OVERDUE 28h0m0s" {
		t.Errorf("the late obligation: %+v, want OVERDUE 28h0m0s", r)
	}
}

// TestSensitiveCaptureNeverPrintedCommands (issue 19, point 16): an SSN
// written to a tailed log opens an incident of the shipped sensitive
// pack; neither "incidents show" nor "incidents show --json" nor
// "incidents list" prints the SSN or its parts in clear: the fields are
// masked, the evidence line wholly.
func TestSensitiveCaptureNeverPrintedCommands(t *testing.T) {
	pack, err := os.ReadFile("../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server {
  listen   = %q
  data_dir = "./var"
}
source "file" "app" {
  paths = ["./var/app.log"]
}
source "file" "web" {
  paths = ["./var/access.log"]
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
%s`, freeAddr(t), hashHex("rita-token"), pack))
	os.MkdirAll(filepath.Join(dir, "var"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "var", "app.log"), []byte("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	waitFor(t, "the incident", func() bool { return strings.Contains(must("incidents", "list"), "ssn-in-app-log") })
	d, raw := showJSON(t, config, "rita-token", "1")
	if d.Incident.Rule != "ssn-in-app-log" {
		t.Fatalf("incident 1 is of rule %q", d.Incident.Rule)
	}
	for k, want := range map[string]string{"ssn": "***-**-1120", "area": "***", "group": "**", "serial": "****"} {
		if got := d.Incident.Fields[k]; got != want {
			t.Errorf("incidents show --json: field %s = %q, want %q", k, got, want)
		}
	}
	if want := "2026-11-23 10:00:00 INFO applicant ssn=***-**-**** verified"; len(d.Evidence) != 1 || d.Evidence[0].Line != want {
		t.Errorf("the evidence: %+v, want the one line %q", d.Evidence, want)
	}
	text := must("incidents", "show", "1")
	if !strings.Contains(text, "ssn=***-**-**** verified") {
		t.Errorf("incidents show does not print the masked evidence line:\n%s", text)
	}
	outputs := map[string]string{
		"incidents show --json": raw,
		"incidents show":        text,
		"incidents list":        must("incidents", "list"),
		"incidents list --json": must("incidents", "list", "--json"),
	}
	for cmd, out := range outputs {
		for _, clear := range []string{"078-05-1120", "078051120", "078-05", "05-1120", `"078"`, `"05"`, `"1120"`, "=078", "area=", "serial="} {
			if strings.Contains(out, clear) {
				t.Errorf("%s prints %q:\n%s", cmd, clear, out)
			}
		}
	}
}

// TestBruteForceSuggestsNoRiskCommands (issue 19, point 18): failed SSH
// logins only, on a host holding 1,000 data subjects, open an incident of
// the shipped sshd pack whose suggested risk is none, with the written
// reason that "incidents show" prints; no notice is due.
func TestBruteForceSuggestsNoRiskCommands(t *testing.T) {
	pack, err := os.ReadFile("../../configs/rules/sshd.hcl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server {
  listen   = %q
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
token "rita" {
  role   = "responder"
  sha256 = %q
}
%s`, freeAddr(t), hashHex("rita-token"), pack))
	now := time.Now().Format(time.Stamp)
	var lines []string
	for i := range 5 {
		lines = append(lines, fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 203.0.113.7 port %d ssh2", now, 100+i, 40000+i))
	}
	os.MkdirAll(filepath.Join(dir, "var"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "var", "auth.log"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	waitFor(t, "the brute force", func() bool { return strings.Contains(must("incidents", "list"), "203.0.113.7") })
	d, _ := showJSON(t, config, "rita-token", "1")
	if d.Incident.Rule != "sshd-brute-force" || d.Incident.SuggestedRisk != incidents.RiskNone || len(d.Obligations) != 0 {
		t.Errorf("incident 1: rule %s, suggested %s, %d obligations; want sshd-brute-force, none, 0", d.Incident.Rule, d.Incident.SuggestedRisk, len(d.Obligations))
	}
	show := squash(must("incidents", "show", "1"))
	for _, w := range []string{
		"Risk: unassessed (suggested none)\n",
		"suggested risk none: the evidence indicates attempt only: nothing shows anyone reached the personal data (1000 data subjects, categories name, email)",
	} {
		if !strings.Contains(show, w) {
			t.Errorf("incidents show lacks %q:\n%s", w, show)
		}
	}
	if out := must("obligations", "list"); out != "No notice is due.\n" {
		t.Errorf("obligations list after a brute force:\n%s", out)
	}
}

// TestGDPRScopeCommands (issue 19, point 8): "obligations list" shows no
// GDPR notice for data whose subjects live only in the US and which is
// processed only there, controller or processor, and the authority's
// notice for data with an EU jurisdiction; "incidents show" lists no
// obligation for the US-only incident.
func TestGDPRScopeCommands(t *testing.T) {
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
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
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")))
	ids := map[string]string{}
	for _, host := range []string{"us1", "us2", "eu1"} {
		ids[host] = openJSON(t, config, "rita-token", "--title", "Customer reports a leak on "+host, "--reporter", "a customer", "--host", host)
	}
	list := mustAs(t, config, "rita-token", "obligations", "list")
	for host, want := range map[string][]string{"us1": nil, "us2": nil, "eu1": {"supervisory_authority"}} {
		if got := keys(listed(t, list, ids[host])); !slices.Equal(got, want) {
			t.Errorf("%s: obligations list shows %v, want %v:\n%s", host, got, want, list)
		}
	}
	for _, host := range []string{"us1", "us2"} {
		if show := mustAs(t, config, "rita-token", "incidents", "show", ids[host]); strings.Contains(show, "Obligations (") {
			t.Errorf("incidents show %s lists obligations:\n%s", ids[host], show)
		}
	}
}
