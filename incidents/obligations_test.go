package incidents_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
	"github.com/breachd/breachd/rules"
)

func TestAddBusinessDays(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04 Mon", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		from     string
		n        int
		holidays []string
		want     string
	}{
		{"2026-11-27 15:00 Fri", 4, nil, "2026-12-03 15:00 Thu"}, // across a weekend
		{"2026-11-23 09:00 Mon", 4, nil, "2026-11-27 09:00 Fri"},
		{"2026-11-28 10:00 Sat", 1, nil, "2026-11-30 10:00 Mon"}, // a weekend anchor counts from Monday
		{"2026-12-23 12:00 Wed", 2, []string{"2026-12-25"}, "2026-12-28 12:00 Mon"},
		{"2026-11-01 00:30 Sun", 1, nil, "2026-11-02 00:30 Mon"}, // DST ends that night in New York
	}
	for _, tt := range tests {
		got := incidents.AddBusinessDays(at(tt.from), tt.n, ny, tt.holidays)
		if got.Format("2006-01-02 15:04 Mon") != tt.want {
			t.Errorf("%s + %d business days = %s, want %s", tt.from, tt.n, got.Format("2006-01-02 15:04 Mon"), tt.want)
		}
	}
}

type obligationFixture struct {
	t     *testing.T
	store *sqlstore.Store
	mgr   *incidents.Manager
	reg   *prometheus.Registry
	now   time.Time
}

func newObligationFixture(t *testing.T, extra string) *obligationFixture {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(`
incidents {
  policy_packs = ["gdpr", "contract-24h", "sec-8k"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
  counterparty    = "City of Springfield"
}
asset "vault" {
  hosts             = ["vault1"]
  data_categories   = ["health"]
  data_subjects     = 50
  encrypted_at_rest = true
}
asset "hosted" {
  hosts           = ["proc1"]
  data_categories = ["email"]
  data_subjects   = 10
  role            = "processor"
  controller      = "Acme"
}
`+extra), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	policies, diags := incidents.CompilePolicies(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &obligationFixture{t: t, store: store, reg: prometheus.NewRegistry(),
		now: time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)} // a Friday
	f.mgr = incidents.NewManager(incidents.Options{Store: store, Now: func() time.Time { return f.now }, Registerer: f.reg,
		Rules: []string{"r"}, Policy: cfg.Incidents, Assets: cfg.Assets, Policies: policies, Config: cfg})
	return f
}

// open commits a finding on host and returns its incident's obligations
// by recipient.
func (f *obligationFixture) open(host string) (int64, map[string]incidents.Obligation) {
	f.t.Helper()
	ctx := context.Background()
	err := f.mgr.HandleFindings(ctx, []rules.Finding{{Rule: "r", Severity: configs.SeverityHigh, Category: "c", Title: "t",
		Fingerprint: "r/" + host, Fields: map[string]string{"host": host}, Time: f.now, Count: 1}}, incidents.Progress{})
	if err != nil {
		f.t.Fatal(err)
	}
	list, _ := f.store.List(ctx, incidents.ListOptions{Limit: 1})
	return list[0].ID, f.obligations(list[0].ID)
}

func (f *obligationFixture) obligations(id int64) map[string]incidents.Obligation {
	f.t.Helper()
	obs, err := f.store.Obligations(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]incidents.Obligation{}
	for _, o := range obs {
		out[o.Recipient] = o
	}
	return out
}

func TestGDPRClocks(t *testing.T) {
	f := newObligationFixture(t, "")
	ctx := context.Background()
	id, obs := f.open("db1")
	sa := obs["supervisory_authority"]
	if sa.State != incidents.ObligationPending || sa.DueAt == nil || !sa.DueAt.Equal(f.now.Add(72*time.Hour)) || sa.Deadline != "72h from aware_at" || !sa.Approval {
		t.Fatalf("authority obligation = %+v, want due 72h from awareness", sa)
	}
	if c := obs["counterparty:City of Springfield"]; c.DueAt == nil || !c.DueAt.Equal(f.now.Add(24*time.Hour)) {
		t.Errorf("counterparty obligation = %+v, want due in 24h", c)
	}
	if _, ok := obs["data_subjects"]; ok {
		t.Errorf("data subjects notice pending for a risk (not high) breach: %+v", obs["data_subjects"])
	}
	if _, ok := obs["sec"]; ok {
		t.Errorf("SEC obligation pending without a high risk")
	}
	// Awareness was earlier than detection: the clock moves with it.
	// (It occurred before anyone knew: awareness cannot precede it.)
	aware := f.now.Add(-10 * time.Hour)
	if err := f.mgr.SetClock(ctx, id, "occurred_at", aware.Add(-2*time.Hour), "the paste is dated 03:00", "rita"); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.SetClock(ctx, id, "aware_at", aware, "the customer mailed support at 05:00", "rita"); err != nil {
		t.Fatal(err)
	}
	if sa := f.obligations(id)["supervisory_authority"]; !sa.DueAt.Equal(aware.Add(72 * time.Hour)) {
		t.Errorf("after moving aware_at: due %v, want %v", sa.DueAt, aware.Add(72*time.Hour))
	}
	// High risk: the subjects must be told (no invented deadline), and the
	// SEC's 4 business days run from the determination, across the weekend.
	f.now = f.now.Add(time.Hour) // Friday 16:00
	if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskHigh}, "emails and names of 300 customers", "dora"); err != nil {
		t.Fatal(err)
	}
	obs = f.obligations(id)
	if ds := obs["data_subjects"]; ds.State != incidents.ObligationPending || ds.DueAt != nil || ds.Deadline != "without undue delay from aware_at" {
		t.Errorf("data subjects = %+v", ds)
	}
	if sec := obs["sec"]; sec.DueAt == nil || sec.DueAt.Format(time.RFC3339) != "2026-12-03T16:00:00Z" {
		t.Errorf("SEC = %+v, want Thursday 3 December 16:00 UTC (4 business days in New York)", sec)
	}
	// Metrics: the earliest due per (policy, recipient) and overdue counts.
	if got := gaugeOf(t, f.reg, "breachd_obligations_overdue", "gdpr"); got != 0 {
		t.Errorf("overdue before the deadline = %v", got)
	}
	f.now = aware.Add(73 * time.Hour)
	if got := gaugeOf(t, f.reg, "breachd_obligations_overdue", "gdpr"); got != 1 {
		t.Errorf("overdue after 73h = %v, want 1 (the authority notice)", got)
	}
	// Closing is blocked until each is decided; a late decision says so.
	for _, o := range f.obligations(id) {
		if o.State.Decided() {
			continue
		}
		state := incidents.ObligationSent
		if o.Recipient == "data_subjects" { // no list: a notice to nobody is never sent
			state = incidents.ObligationNotRequired
		}
		if _, err := f.mgr.DecideObligation(ctx, o.ID, state, "form sent by the DPO", "dora"); err != nil {
			t.Fatal(err)
		}
	}
	tl, _ := f.store.Timeline(ctx, id)
	late := false
	for _, e := range tl {
		if e.Kind == "obligation" && strings.Contains(e.Message, "supervisory_authority: sent (1h0m0s after its due time)") {
			late = true
		}
	}
	if !late {
		t.Error("the late authority notice is not recorded as late")
	}
	if _, err := f.mgr.DecideObligation(ctx, f.obligations(id)["supervisory_authority"].ID, incidents.ObligationNotRequired, "x", "dora"); err == nil {
		t.Error("a sent notice was changed")
	}
}

func TestObligationsFollowTheRisk(t *testing.T) {
	f := newObligationFixture(t, "")
	ctx := context.Background()
	// Encrypted health data, keys safe: no authority notice is suggested.
	_, obs := f.open("vault1")
	if len(obs) != 0 {
		t.Errorf("encrypted asset: obligations %+v, want none", obs)
	}
	// A processor tells its controller.
	_, obs = f.open("proc1")
	if c := obs["controller:Acme"]; c.State != incidents.ObligationPending || obs["supervisory_authority"].ID != 0 || len(obs) != 1 {
		t.Errorf("processor: %+v", obs)
	}
	// Risk confirmed none: the pending notices become not required, with
	// the reason; confirmed risk again: pending again.
	id, _ := f.open("db1")
	if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskNone}, "only an address was seen", "dora"); err != nil {
		t.Fatal(err)
	}
	sa := f.obligations(id)["supervisory_authority"]
	if sa.State != incidents.ObligationNotRequired || sa.DecidedBy != "breachd" || !strings.Contains(sa.Reason, "risk none") {
		t.Errorf("after risk none: %+v", sa)
	}
	if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskRisk}, "the logs show rows read", "dora"); err != nil {
		t.Fatal(err)
	}
	if sa := f.obligations(id)["supervisory_authority"]; sa.State != incidents.ObligationPending {
		t.Errorf("after risk again: %+v", sa)
	}
	// A person's "not required" stands whatever the risk does next.
	if _, err := f.mgr.DecideObligation(ctx, sa.ID, incidents.ObligationNotRequired, "the DPO judged the risk unlikely", "dora"); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskHigh}, "more rows", "dora"); err != nil {
		t.Fatal(err)
	}
	if sa := f.obligations(id)["supervisory_authority"]; sa.State != incidents.ObligationNotRequired || sa.DecidedBy != "dora" {
		t.Errorf("a person's decision was overridden: %+v", sa)
	}
}

func TestPolicyConfigErrors(t *testing.T) {
	for src, want := range map[string]string{
		`policy "p" {
  obligation "x" {
    within = "72h"
    when   = "risk == 1"
  }
}`: "Invalid obligation condition",
		`policy "p" {
  obligation "x" {
    within        = "72h"
    business_days = 3
  }
}`: "Say when the notice is due",
		`policy "p" {
  obligation "x" {
    anchor = "lunch"
    within = "1h"
  }
}`: "Invalid anchor",
		`incidents {
  policy_packs = ["gdrp"]
}`: "Unknown policy pack",
		`policy "p" {
  obligation "x" {
    within   = "1h"
    template = "apendix-2"
  }
}`: `t.hcl:4,16-27: Invalid notice template; Obligation p → x: no notice template "apendix-2" (shipped: controller-authority, controller-subject, counterparty, customer`,
		`recipient "supervisory_authority" {
  name     = "ICO"
  channels = ["nope"]
}`: `t.hcl:3,14-22: Unknown channel; Recipient "supervisory_authority"'s notices go to channel "nope"`,
		`policy "p" {
  region "EEA" {
    members = ["DE"]
  }
  obligation "x" {
    within = "1h"
    when   = "in_region('EU27', jurisdictions)"
  }
}`: `t.hcl:7,14-48: Invalid obligation condition; in_region names region "EU27", which the policy does not declare (declared: EEA)`,
		`policy "p" {
  region "EEA" {
    members = ["DE", "Germany"]
  }
}`: `t.hcl:3,15-32: Invalid jurisdiction; Region "EEA" lists "Germany"`,
		`asset "a" {
  jurisdictions = ["usa"]
}`: `t.hcl:2,19-26: Invalid jurisdiction; "usa" is not a jurisdiction`,
		`policy "p" {
  obligation "management" {
    immediately = true
    within      = "1h"
  }
}`: `t.hcl:2,3-26: Say when the notice is due; Set exactly one of within ("72h"), business_days (4), without_undue_delay = true and immediately = true`,
		`source "file" "s" {
  paths = ["/x"]
}
rule "r" {
  source    = "s"
  match     = "x"
  indicates = ["attempt", "breach"]
}`: `t.hcl:7,15-36: Invalid indicates; Rule "r" indicates "breach"`,
	} {
		cfg, diags := configs.Parse("t.hcl", []byte(src), "/")
		if !diags.HasErrors() {
			_, diags = incidents.CompilePolicies(cfg)
		}
		if !diags.HasErrors() || !strings.Contains(diags.Error(), want) {
			t.Errorf("%s:\n%v, want %q", src, diags, want)
		}
	}
}

// gaugeOf returns the value of the gauge name with one label value.
func gaugeOf(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if m.GetLabel()[0].GetValue() == label {
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no %s{%s}", name, label)
	return 0
}

// TestShippedPolicyPacks: every shipped pack loads, compiles and is marked
// as to be confirmed by counsel.
func TestShippedPolicyPacks(t *testing.T) {
	packs := configs.PolicyPacks()
	if len(packs) < 6 {
		t.Fatalf("packs = %v", packs)
	}
	quoted := make([]string, len(packs))
	for i, p := range packs {
		quoted[i] = `"` + p + `"`
	}
	cfg, diags := configs.Parse("t.hcl", []byte("incidents {\n  policy_packs = ["+strings.Join(quoted, ", ")+"]\n}\n"), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, diags := incidents.CompilePolicies(cfg); diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, p := range cfg.Policies {
		if !p.ToConfirm || len(p.Obligations) == 0 {
			t.Errorf("pack policy %s: to be confirmed %t, %d obligations", p.Name, p.ToConfirm, len(p.Obligations))
		}
	}
}

// TestReminders: a reminder at each configured fraction of the time to the
// deadline, once each, to the reminder channels.
func TestReminders(t *testing.T) {
	f := newObligationFixture(t, `
channel "file" "desk" {
  dir = "./outbox"
}
notifications {
  reminder_channels = ["desk"]
}
`)
	ctx := context.Background()
	id, obs := f.open("db1") // the authority notice: 72h, reminders at 50 %, 75 %, 90 %
	start := obs["supervisory_authority"].CreatedAt
	count := func(event string) int {
		ms, _ := f.store.Messages(ctx, id)
		n := 0
		for _, m := range ms {
			if m.Event == event {
				n++
			}
		}
		return n
	}
	for _, step := range []struct {
		after time.Duration
		want  int
	}{{35 * time.Hour, 0}, {36 * time.Hour, 1}, {37 * time.Hour, 1}, {54 * time.Hour, 2}, {65 * time.Hour, 3}, {80 * time.Hour, 3}} {
		f.now = start.Add(step.after)
		if _, err := f.mgr.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		// The counterparty notice (24h, reminders at 50 % and 75 %) comes
		// first; count only the authority's.
		n := 0
		ms, _ := f.store.Messages(ctx, id)
		for _, m := range ms {
			if m.Event == "obligation.reminder" && strings.Contains(m.IdempotencyKey, fmt.Sprintf("obligation-%d-", obs["supervisory_authority"].ID)) {
				n++
			}
		}
		if n != step.want {
			t.Errorf("after %s: %d authority reminders, want %d", step.after, n, step.want)
		}
	}
	// The counterparty's 24 hours had passed at the first look (35 h): it
	// was told overdue at once, not reminded of fractions long gone; the
	// authority's passed at 80 h.
	if c := count("obligation.reminder"); c != 3 {
		t.Errorf("%d reminders in all, want the authority's 3", c)
	}
	if c := count("obligation.overdue"); c != 2 {
		t.Errorf("%d overdue messages, want one for the counterparty and one for the authority", c)
	}
}

// TestApprovedNoticeGoesOut: approving a notice whose recipient names
// channels queues the notice itself in the approval's transaction; the
// first delivery marks the obligation sent, and the notice as sent is kept.
func TestApprovedNoticeGoesOut(t *testing.T) {
	f := newObligationFixture(t, `
channel "file" "authority-desk" {
  dir = "./outbox"
}
channel "file" "dpo-copy" {
  dir = "./copy"
}
`+sampleOrganisation+`
recipient "supervisory_authority" {
  name     = "Information Commissioner's Office"
  address  = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
  channels = ["authority-desk", "dpo-copy"]
}
`)
	ctx := context.Background()
	id, obs := f.open("db1")
	sa := obs["supervisory_authority"]
	notices := func() []incidents.Message {
		ms, err := f.store.Messages(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []incidents.Message
		for _, m := range ms {
			if m.Event == "obligation.notice" {
				out = append(out, m)
			}
		}
		return out
	}
	if _, err := f.mgr.DecideObligation(ctx, sa.ID, incidents.ObligationApproved, "checked by the DPO", "dora"); err == nil || len(notices()) != 0 {
		t.Fatalf("a notice lacking facts was approved or queued: %v", err)
	}
	facts := incidents.Facts{Nature: "A database of customer accounts was read by an attacker.", Consequences: "Phishing aimed at the customers.",
		Measures: "The server was isolated and passwords reset.", Effects: []string{"disclosed"}, CausedBy: "unauthorized persons"}
	if err := f.mgr.SetFacts(ctx, id, incidents.FactsPatch{Nature: &facts.Nature}, "first look", "dora"); err != nil {
		t.Fatal(err)
	}
	if got := f.obligations(id)["supervisory_authority"].State; got != incidents.ObligationPending {
		t.Fatalf("a notice still lacking facts is %s, want pending", got)
	}
	if err := f.mgr.SetFacts(ctx, id, allFacts(facts), "first assessment", "dora"); err != nil {
		t.Fatal(err)
	}
	// Complete, it is drafted and waits for a person; no message yet.
	if got := f.obligations(id)["supervisory_authority"].State; got != incidents.ObligationDrafted || len(notices()) != 0 {
		t.Fatalf("a complete notice is %s with %d messages, want drafted and none", got, len(notices()))
	}
	if err := f.mgr.SetFacts(ctx, id, incidents.FactsPatch{Consequences: new("")}, "consequences retracted", "dora"); err != nil {
		t.Fatal(err)
	}
	if got := f.obligations(id)["supervisory_authority"].State; got != incidents.ObligationPending {
		t.Fatalf("a draft that lost a fact is %s, want pending", got)
	}
	if err := f.mgr.SetFacts(ctx, id, allFacts(facts), "first assessment", "dora"); err != nil {
		t.Fatal(err)
	}
	ob, err := f.mgr.DecideObligation(ctx, sa.ID, incidents.ObligationApproved, "checked by the DPO", "dora")
	if err != nil {
		t.Fatal(err)
	}
	ms := notices()
	if ob.State != incidents.ObligationApproved || len(ms) != 2 {
		t.Fatalf("state %s, %d notices queued; want approved and one per channel", ob.State, len(ms))
	}
	for _, m := range ms {
		if m.ObligationID != sa.ID || m.Body != ob.Notice || !strings.Contains(m.Body, "A database of customer accounts") ||
			!strings.Contains(m.Subject, "Example Hosting Ltd") || m.IdempotencyKey != fmt.Sprintf("breachd-obligation-%d-notice-%s-v1", sa.ID, m.Channel) {
			t.Errorf("queued notice %+v", m)
		}
	}
	// Approving the same notice again queues nothing more; a changed
	// notice is a new version.
	if _, err := f.mgr.DecideObligation(ctx, sa.ID, incidents.ObligationApproved, "checked again", "dora"); err != nil || len(notices()) != 2 {
		t.Fatalf("a second approval of the same notice: %v, %d messages", err, len(notices()))
	}
	facts.Measures = "The server was isolated, passwords reset and the flaw patched."
	if err := f.mgr.SetFacts(ctx, id, incidents.FactsPatch{Measures: &facts.Measures}, "patched", "dora"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.mgr.DecideObligation(ctx, sa.ID, incidents.ObligationApproved, "measures updated", "dora"); err != nil {
		t.Fatal(err)
	}
	ms = notices()
	if len(ms) != 4 || !strings.HasSuffix(ms[3].IdempotencyKey, "-v2") || !strings.Contains(ms[3].Body, "flaw patched") {
		t.Fatalf("after a changed notice: %+v", ms)
	}
	if f.obligations(id)["supervisory_authority"].State != incidents.ObligationApproved {
		t.Fatal("approved notice marked sent before any delivery")
	}
	// A failed attempt leaves it approved; the first delivery marks it sent.
	f.now = f.now.Add(time.Minute)
	if err := f.store.RecordDelivery(ctx, ms[2].ID, false, "refused", "", f.now.Add(time.Minute), false, nil, f.now); err != nil {
		t.Fatal(err)
	}
	if f.obligations(id)["supervisory_authority"].State != incidents.ObligationApproved {
		t.Fatal("a failed attempt marked the notice sent")
	}
	if err := f.store.RecordDelivery(ctx, ms[3].ID, true, "written", "", f.now, false, nil, f.now); err != nil {
		t.Fatal(err)
	}
	got := f.obligations(id)["supervisory_authority"]
	if got.State != incidents.ObligationSent || got.DecidedAt == nil || !got.DecidedAt.Equal(f.now) ||
		!strings.Contains(got.Reason, "sent via dpo-copy") || !strings.Contains(got.Notice, "flaw patched") {
		t.Fatalf("after delivery: %+v", got)
	}
	if err := f.store.RecordDelivery(ctx, ms[2].ID, true, "written", "", f.now, false, nil, f.now); err != nil {
		t.Fatal(err)
	}
	tl, err := f.store.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, e := range tl {
		if e.Kind == "obligation" && strings.Contains(e.Message, "supervisory_authority: sent via") {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("%d 'sent' entries on the timeline, want 1 (the first delivery)", sent)
	}
}

// TestUnapprovedNoticeGoesOutOnceComplete: a notice that needs no approval
// (a team recipient's, by default) is queued by itself once its form lacks
// nothing, exactly once.
func TestUnapprovedNoticeGoesOutOnceComplete(t *testing.T) {
	f := newObligationFixture(t, `
channel "file" "legal-desk" {
  dir = "./legal"
}
organisation {
  name        = "Example Hosting Ltd"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example-hosting.com"
  dpo_address = "1 Data Street, London"
}
policy "internal" {
  obligation "team-legal" {
    within = "1h"
  }
}
recipient "team-legal" {
  name     = "Legal department"
  channels = ["legal-desk"]
}
`)
	ctx := context.Background()
	id, obs := f.open("db1")
	legal := obs["team-legal"]
	if legal.Approval {
		t.Fatal("a team notice needs approval by default")
	}
	queued := func() []incidents.Message {
		ms, _ := f.store.Messages(ctx, id)
		var out []incidents.Message
		for _, m := range ms {
			if m.ObligationID == legal.ID {
				out = append(out, m)
			}
		}
		return out
	}
	if n := len(queued()); n != 0 {
		t.Fatalf("%d messages for a notice lacking facts", n)
	}
	if err := f.mgr.SetFacts(ctx, id, allFacts(incidents.Facts{Nature: "Accounts read.", Consequences: "Phishing.", Measures: "Isolated."}), "first", "dora"); err != nil {
		t.Fatal(err)
	}
	ms := queued()
	if len(ms) != 1 || ms[0].Channel != "legal-desk" || !strings.Contains(ms[0].Body, "Accounts read.") {
		t.Fatalf("after the facts: %+v", ms)
	}
	if got := f.obligations(id)["team-legal"]; got.State != incidents.ObligationApproved || got.DecidedBy != "breachd" {
		t.Errorf("obligation %+v", got)
	}
	if n, err := f.mgr.AdvanceNotices(ctx); err != nil || n != 0 || len(queued()) != 1 {
		t.Errorf("a second pass queued %d (%v); want nothing more", n, err)
	}
	// The authority's notice still waits for a person.
	if got := f.obligations(id)["supervisory_authority"]; got.State != incidents.ObligationPending {
		t.Errorf("the authority notice is %s without approval", got.State)
	}
	// Ruled not required before delivery, the queued notice is withdrawn.
	if _, err := f.mgr.DecideObligation(ctx, legal.ID, incidents.ObligationNotRequired, "legal already knows", "dora"); err != nil {
		t.Fatal(err)
	}
	if ms := queued(); ms[0].State != incidents.MessageDead || !strings.Contains(ms[0].LastError, "withdrawn") {
		t.Errorf("queued notice after not_required: %+v", ms[0])
	}
}

// TestBrokenTemplateOverrideFailsAtLoad: a form in templates_dir that does
// not parse is reported when the config loads, at the obligation using it.
func TestBrokenTemplateOverrideFailsAtLoad(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "generic.tmpl"), []byte("Dear {{.Recipient}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := configs.Parse("t.hcl", []byte(`organisation {
  templates_dir = "`+dir+`"
}
policy "p" {
  obligation "x" {
    within = "1h"
  }
}
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = incidents.CompilePolicies(cfg)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "t.hcl:5,3-") || !strings.Contains(diags.Error(), "template generic") {
		t.Errorf("diagnostics %v; want the broken generic.tmpl named at the obligation", diags)
	}
}

// TestNoticeFormsAreReadAtLoad: a form in templates_dir is read when the
// config loads; edited or deleted on disk afterwards, notices keep saying
// what was loaded (a reload, which checks the new form, changes them).
func TestNoticeFormsAreReadAtLoad(t *testing.T) {
	dir := t.TempDir()
	form := filepath.Join(dir, "controller-authority.tmpl")
	if err := os.WriteFile(form, []byte("FORM-V1 for {{.Company}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newObligationFixture(t, `organisation {
  name          = "Example Hosting Ltd"
  templates_dir = "`+dir+`"
}
`)
	ctx := context.Background()
	_, obs := f.open("db1")
	sa, ok := obs["supervisory_authority"]
	if !ok {
		t.Fatalf("obligations %+v, want the authority's", obs)
	}
	render := func() string {
		t.Helper()
		n, _, err := f.mgr.Notice(ctx, sa.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n.Text
	}
	if got := render(); !strings.HasPrefix(got, "FORM-V1 for Example Hosting Ltd") {
		t.Fatalf("notice %q, want the form from templates_dir", got)
	}
	if err := os.WriteFile(form, []byte("FORM-V2 {{.Broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := render(); !strings.HasPrefix(got, "FORM-V1") {
		t.Errorf("after the file was edited the notice says %q, want the loaded form", got)
	}
	os.Remove(form)
	if got := render(); !strings.HasPrefix(got, "FORM-V1") {
		t.Errorf("after the file was deleted the notice says %q, want the loaded form, not the shipped one", got)
	}
}

// allFacts is a patch that sets every fact to f's.
func allFacts(f incidents.Facts) incidents.FactsPatch {
	return incidents.FactsPatch{Nature: &f.Nature, Consequences: &f.Consequences, Measures: &f.Measures,
		Effects: &f.Effects, CausedBy: &f.CausedBy, DelayReason: &f.DelayReason}
}
