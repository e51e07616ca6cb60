package incidents_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
	"github.com/breachd/breachd/rules"
)

var (
	crm     = &configs.Asset{Name: "crm", Hosts: []string{"db1"}, DataCategories: []string{"name", "email"}, DataSubjects: 500, Records: 2000, Role: configs.RoleController, Counterparty: "City"}
	payroll = &configs.Asset{Name: "payroll", Hosts: []string{"hr1"}, DataCategories: []string{"name", "bank_account"}, DataSubjects: 80, Records: 80, EncryptedAtRest: true, Role: configs.RoleController}
	vault   = &configs.Asset{Name: "vault", Hosts: []string{"hr1"}, DataCategories: []string{"health"}, DataSubjects: 10, Records: 10, EncryptedAtRest: true, Role: configs.RoleProcessor, Controller: "Clinic"}
	web     = &configs.Asset{Name: "web", Hosts: []string{"web1"}, Role: configs.RoleController}
	policy  = configs.Incidents{CostPerRecord: 225, HighRiskCategories: configs.DefaultHighRiskCategories(), HighRiskSubjects: 1000}
)

func TestSuggestedRisk(t *testing.T) {
	leaky := *payroll
	leaky.KeysExposed = true
	tests := []struct {
		name     string
		assets   []*configs.Asset
		severity string
		want     incidents.Risk
	}{
		{"nothing known", nil, "high", incidents.RiskUnassessed},
		{"no personal data", []*configs.Asset{web}, "high", incidents.RiskNone},
		{"encrypted, keys safe", []*configs.Asset{payroll}, "critical", incidents.RiskNone},
		{"encrypted, keys exposed, bank accounts", []*configs.Asset{&leaky}, "medium", incidents.RiskHigh},
		{"names and emails of 500", []*configs.Asset{crm}, "high", incidents.RiskRisk},
		{"critical rule", []*configs.Asset{crm}, "critical", incidents.RiskHigh},
		{"one unencrypted asset makes the scope intelligible", []*configs.Asset{payroll, crm}, "high", incidents.RiskHigh},
	}
	for _, tt := range tests {
		s := incidents.ScopeOf(tt.assets)
		if got := incidents.SuggestRisk(s, tt.severity, policy); got != tt.want {
			t.Errorf("%s: %s, want %s (scope %+v)", tt.name, got, tt.want, s)
		}
	}
	s := incidents.ScopeOf([]*configs.Asset{crm, vault})
	if s.Records != 2010 || s.DataSubjects != 510 || s.Role != incidents.RoleMixed || !slices.Equal(s.Roles, []string{"controller", "processor"}) || !slices.Equal(s.Controllers, []string{"Clinic"}) ||
		!slices.Equal(s.Counterparties, []string{"City"}) || s.Encrypted {
		t.Errorf("merged scope = %+v", s)
	}
	if got := incidents.CostExposure(s, policy); got != 2010*225 {
		t.Errorf("cost exposure = %v", got)
	}
	if got := incidents.AssetsFor([]*configs.Asset{crm, payroll, vault}, nil, "hr1"); len(got) != 2 {
		t.Errorf("assets of host hr1 = %v", got)
	}
	if got := incidents.AssetsFor([]*configs.Asset{crm, payroll, vault}, []string{"crm"}, "hr1"); len(got) != 1 || got[0] != crm {
		t.Errorf("named assets win over the host: %v", got)
	}
	for _, tt := range []struct {
		personal bool
		s        incidents.Scope
		r        incidents.Risk
		want     string
	}{
		{true, incidents.ScopeOf([]*configs.Asset{crm}), incidents.RiskRisk, incidents.RegisterBreach},
		// A personal data breach whatever the encryption or the risk: they
		// decide the notices, not whether the register records a breach.
		{true, incidents.ScopeOf([]*configs.Asset{payroll}), incidents.RiskHigh, incidents.RegisterBreach},
		{false, incidents.ScopeOf([]*configs.Asset{crm}), incidents.RiskRisk, incidents.RegisterNearMiss},
		{true, incidents.ScopeOf([]*configs.Asset{crm}), incidents.RiskNone, incidents.RegisterBreach},
	} {
		if got := incidents.RegisterKindFor(tt.personal, tt.s, tt.r); got != tt.want {
			t.Errorf("RegisterKindFor(%t, %v, %s) = %s, want %s", tt.personal, tt.s.Assets, tt.r, got, tt.want)
		}
	}
}

// TestManagerScopesAndCounts: findings get their scope from the rule's
// assets or their host; closing and containing move the metrics.
func TestManagerScopesAndCounts(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	reg := prometheus.NewRegistry()
	m := incidents.NewManager(incidents.Options{
		Store: store, Now: func() time.Time { return now }, Registerer: reg, Rules: []string{"db", "ssh"},
		Policy: policy, Assets: []*configs.Asset{crm, payroll, web}, RuleAssets: map[string][]string{"db": {"crm"}},
	})
	finding := func(rule, host, ip string) rules.Finding {
		return rules.Finding{Rule: rule, Severity: configs.SeverityHigh, Category: "c", Title: rule + " " + ip, Fingerprint: rule + "/" + ip,
			Fields: map[string]string{"ip": ip, "host": host}, Time: now, Count: 1, Evidence: "x"}
	}
	if err := m.HandleFindings(ctx, []rules.Finding{finding("db", "web1", "203.0.113.1"), finding("ssh", "hr1", "203.0.113.1")}, incidents.Progress{}); err != nil {
		t.Fatal(err)
	}
	db, _ := store.Incident(ctx, 1)
	ssh, _ := store.Incident(ctx, 2)
	if !slices.Equal(db.Scope.Assets, []string{"crm"}) || db.SuggestedRisk != incidents.RiskRisk || db.CostExposure != 2000*225 || db.Host != "web1" {
		t.Errorf("rule-named scope = %+v", db)
	}
	if !slices.Equal(ssh.Scope.Assets, []string{"payroll"}) || ssh.SuggestedRisk != incidents.RiskNone {
		t.Errorf("host-matched scope = %+v", ssh)
	}
	if rel, _ := store.Related(ctx, 2); len(rel) != 1 || rel[0].IncidentID != 1 {
		t.Errorf("same address across rules and hosts: related = %+v", rel)
	}
	now = now.Add(90 * time.Second)
	if err := m.Transition(ctx, 1, incidents.StatusContained, "", "blocked", "alice"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(reg, "breachd_incidents_detection_to_containment_seconds"); n != 1 {
		t.Errorf("containment histogram series = %d", n)
	}
	if err := m.Assess(ctx, 1, incidents.Assessment{Risk: incidents.RiskRisk}, "emails readable", "dpo"); err != nil {
		t.Fatal(err)
	}
	if err := m.Transition(ctx, 1, incidents.StatusClosed, "contained, notified", "", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.Closed().WithLabelValues("db")); got != 1 {
		t.Errorf("closed{db} = %v", got)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP breachd_incidents_detection_to_containment_seconds Time from an incident's detection to its first move to contained.
# TYPE breachd_incidents_detection_to_containment_seconds histogram
breachd_incidents_detection_to_containment_seconds_bucket{le="1"} 0
breachd_incidents_detection_to_containment_seconds_bucket{le="10"} 0
breachd_incidents_detection_to_containment_seconds_bucket{le="60"} 0
breachd_incidents_detection_to_containment_seconds_bucket{le="300"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="900"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="3600"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="14400"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="86400"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="259200"} 1
breachd_incidents_detection_to_containment_seconds_bucket{le="+Inf"} 1
breachd_incidents_detection_to_containment_seconds_sum 90
breachd_incidents_detection_to_containment_seconds_count 1
`), "breachd_incidents_detection_to_containment_seconds"); err != nil {
		t.Error(err)
	}
	// The gauge: one closed and one open high incident; every pair exists.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "breachd_incidents" {
			continue
		}
		for _, mt := range mf.GetMetric() {
			l := mt.GetLabel()
			got[l[0].GetValue()+"/"+l[1].GetValue()] = mt.GetGauge().GetValue()
		}
	}
	if len(got) != 5*6 || got["high/closed"] != 1 || got["high/open"] != 1 || got["low/open"] != 0 {
		t.Errorf("breachd_incidents = %v", got)
	}
	// A manual incident counts under rule "manual".
	id, err := m.Open(ctx, incidents.ManualReport{Title: "Customer saw card 4111 1111 1111 1111 in an export", Reporter: "customer", Host: "web1"}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	inc, _ := store.Incident(ctx, id)
	if inc.Origin != incidents.OriginManual || inc.Title != "Customer saw card **** **** **** 1111 in an export" || !slices.Equal(inc.Scope.Assets, []string{"web"}) {
		t.Errorf("manual incident = %+v", inc)
	}
	if got := testutil.ToFloat64(m.Opened().WithLabelValues(incidents.ManualRule)); got != 1 {
		t.Errorf("opened{manual} = %v", got)
	}
}

// TestSuggestFollowsTheEvidence: what the evidence indicates decides the
// suggestion with the data in scope, and the reason says why.
func TestSuggestFollowsTheEvidence(t *testing.T) {
	many := *crm
	many.DataSubjects = 1000
	leaky := *payroll
	leaky.KeysExposed = true
	for _, tt := range []struct {
		name      string
		assets    []*configs.Asset
		severity  string
		indicates []string
		want      incidents.Risk
		reason    string
	}{
		{"attempts on 1000 subjects", []*configs.Asset{&many}, "high", []string{"attempt"}, incidents.RiskNone,
			"the evidence indicates attempt only: nothing shows anyone reached the personal data (1000 data subjects, categories name, email)"},
		{"access on 1000 subjects, critical rule", []*configs.Asset{&many}, "critical", []string{"access"}, incidents.RiskRisk,
			"the evidence indicates access: the personal data (1000 data subjects, categories name, email) was within reach; nothing shows it left"},
		{"exfiltration of 1000", []*configs.Asset{&many}, "medium", []string{"exfiltration"}, incidents.RiskHigh,
			"the evidence indicates exfiltration with 1000 data subjects, at least high_risk_subjects (1000)"},
		{"exfiltration of 500", []*configs.Asset{crm}, "medium", []string{"exfiltration"}, incidents.RiskRisk,
			"the evidence indicates exfiltration of 500 data subjects, categories name, email (below high_risk_subjects, no high-risk category)"},
		{"sensitive data, bank accounts, keys exposed", []*configs.Asset{&leaky}, "high", []string{"sensitive_data_exposed"}, incidents.RiskHigh,
			"the evidence indicates sensitive_data_exposed with high-risk category bank_account"},
		{"sensitive data where no personal data is declared", []*configs.Asset{web}, "high", []string{"sensitive_data_exposed"}, incidents.RiskRisk,
			"sensitive data was found in the evidence although the assets in scope (web) declare no personal data"},
		{"attempt, encrypted, keys safe", []*configs.Asset{payroll}, "high", []string{"attempt"}, incidents.RiskNone,
			"the personal data in scope is encrypted at rest and its keys are not exposed"},
		{"nothing declared, 1000 subjects", []*configs.Asset{&many}, "high", nil, incidents.RiskHigh,
			"the evidence does not say what it shows (no indicates), so the data in scope decides: 1000 data subjects, at least high_risk_subjects (1000)"},
		{"no assets", nil, "high", []string{"access"}, incidents.RiskUnassessed, "no asset in scope: nothing is known of the data"},
	} {
		got := incidents.Suggest(incidents.ScopeOf(tt.assets), tt.severity, tt.indicates, policy)
		if got.Risk != tt.want || got.Reason != tt.reason {
			t.Errorf("%s: %s (%q), want %s (%q)", tt.name, got.Risk, got.Reason, tt.want, tt.reason)
		}
	}
	if !incidents.InRegion([]string{"DE", "NO"}, []string{"US-CA", "DE-BY"}) || incidents.InRegion([]string{"DE", "NO"}, []string{"US", "US-NY"}) ||
		incidents.InRegion([]string{"DE"}, nil) {
		t.Error("InRegion: a subdivision counts as its country, and nothing else")
	}
}

// TestScopeViews: a scope of the company's own data and a processor's
// keeps both roles; each view holds only its assets, and the per-party
// evaluation of the gdpr pack owes the authority a notice on the
// controller's data and each controller one on its own data, with an
// encrypted controller's data (keys safe) owing it none.
func TestScopeViews(t *testing.T) {
	acme := &configs.Asset{Name: "acme", DataCategories: []string{"name", "iban"}, DataSubjects: 120, Records: 480, Role: configs.RoleProcessor, Controller: "Acme", Counterparty: "City"}
	globex := &configs.Asset{Name: "globex", DataCategories: []string{"health"}, DataSubjects: 60, Records: 75, EncryptedAtRest: true, Role: configs.RoleProcessor, Controller: "Globex", Customers: []string{"Shop"}}
	s := incidents.ScopeOf([]*configs.Asset{crm, acme, globex})
	if s.Role != incidents.RoleMixed || !slices.Equal(s.Roles, []string{"controller", "processor"}) || s.DataSubjects != 680 || len(s.Parts) != 3 {
		t.Fatalf("scope %+v", s)
	}
	for _, tt := range []struct {
		heldAs, forEach, party string
		assets                 []string
		subjects               int64
		whole                  bool
	}{
		{"", "", "", []string{"crm", "acme", "globex"}, 680, true},
		{"controller", "", "", []string{"crm"}, 500, false},
		{"processor", "", "", []string{"acme", "globex"}, 180, false},
		{"", configs.ForEachControllers, "Acme", []string{"acme"}, 120, false},
		{"", configs.ForEachCustomers, "Shop", []string{"globex"}, 60, false},
		{"", configs.ForEachCounterparties, "City", []string{"crm", "acme"}, 620, false},
	} {
		v, whole := s.View(tt.heldAs, tt.forEach, tt.party)
		if !slices.Equal(v.Assets, tt.assets) || v.DataSubjects != tt.subjects || whole != tt.whole {
			t.Errorf("view %q %s %q: assets %v, %d subjects, whole %t; want %v, %d, %t", tt.heldAs, tt.forEach, tt.party, v.Assets, v.DataSubjects, whole, tt.assets, tt.subjects, tt.whole)
		}
	}
	if v, _ := s.View("controller", "", ""); v.Role != configs.RoleController || len(v.Controllers) != 0 || v.Encrypted {
		t.Errorf("the controller's view: %+v", v)
	}

	cfg, diags := configs.Parse("t.hcl", []byte("incidents {\n  policy_packs = [\"gdpr\"]\n}\n"), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ps, diags := incidents.CompilePolicies(cfg)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	inc := &incidents.Incident{Risk: incidents.RiskHigh, Scope: s, Origin: "manual", Status: incidents.StatusOpen, AwareAt: time.Now()}
	specs, err := ps.Evaluate(inc)
	if err != nil {
		t.Fatal(err)
	}
	applies := map[string]bool{}
	for _, sp := range specs {
		applies[sp.Recipient] = sp.Applies
	}
	// Globex's data is encrypted with safe keys, but Art. 33(2) has no
	// such exception for the processor: both controllers are told.
	want := map[string]bool{"supervisory_authority": true, "data_subjects": true, "controller:Acme": true, "controller:Globex": true}
	if !maps.Equal(applies, want) {
		t.Errorf("applies %v, want %v", applies, want)
	}
	// Only processors' data: the controller's notices do not apply.
	inc.Scope = incidents.ScopeOf([]*configs.Asset{acme})
	specs, _ = ps.Evaluate(inc)
	for _, sp := range specs {
		if sp.Family != "controller" && sp.Applies {
			t.Errorf("%s applies to a scope held as processor only", sp.Recipient)
		}
	}
}
