package incidents_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

var update = flag.Bool("update", false, "rewrite the golden notices")

// sampleIncident has every fact the forms ask for.
func sampleIncident() *incidents.Incident {
	occurred := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	return &incidents.Incident{
		ID: 7, Title: "Invoices on a paste site", OccurredAt: &occurred, DetectedAt: occurred.Add(50 * time.Hour), AwareAt: occurred.Add(50 * time.Hour),
		Risk: incidents.RiskHigh,
		Scope: incidents.Scope{Assets: []string{"crm"}, DataCategories: []string{"name", "email", "postal_address"}, DataSubjects: 300,
			Records: 1200, Role: "processor", Controllers: []string{"Acme Retail GmbH"}, Counterparties: []string{"City of Springfield, IT Security Office"}, Customers: []string{"Shop Customer AG"}},
		Facts: incidents.Facts{
			Nature:       "An export endpoint served customer invoices without authentication; they were copied to a public paste site.",
			Consequences: "Phishing using the customers' names and addresses.",
			Measures:     "The endpoint was removed, the paste taken down, affected customers are being told.",
			Effects:      []string{"Disclosed", "Accessed"},
			CausedBy:     "unauthorized persons",
		},
	}
}

// sampleOrganisation is the organisation block of the sample configs.
const sampleOrganisation = `organisation {
  name        = "Example Hosting Ltd"
  address     = "1 Data Street, London"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example-hosting.com"
  dpo_address = "Example Hosting Ltd, DPO, 1 Data Street, London"
}`

func sampleConfig(t *testing.T) *configs.Config {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(`
incidents {
  policy_packs = ["gdpr", "contract-24h", "company"]
}
recipient "insurer" {
  name = "Cyber Mutual, claims desk"
}
asset "crm" {
  hosts              = ["db1"]
  data_categories    = ["name", "email", "postal_address"]
  role               = "processor"
  controller         = "Acme Retail GmbH"
  controller_address = "Hauptstr. 1, 10115 Berlin"
  customer "Shop Customer AG" {
    address = "Bahnhofstr. 2, 8001 Zürich"
  }
}
recipient "hosting_provider" {
  name = "Cloud Hosting plc, abuse desk"
}
`+sampleOrganisation+`
recipient "supervisory_authority" {
  name    = "Information Commissioner's Office"
  address = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
}
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return cfg
}

// TestNoticeForms renders each shipped form of the GDPR and contract packs
// from a sample incident: nothing is missing, every field of the
// procedure's Appendices 2-4 is there, and the text matches its golden
// file (go test ./incidents -run NoticeForms -update rewrites them).
func TestNoticeForms(t *testing.T) {
	cfg := sampleConfig(t)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	inc := sampleIncident()
	// In every form: the sender, the nature, the measures, the DPO and the
	// time of the notice; and its date: when the breach occurred (23
	// November), or, where the form says "we have discovered" (Appendix 4)
	// or "we confirmed, or have reason to believe", when the company
	// became aware of it (25 November).
	occurred, discovered := "23 November 2026", "25 November 2026"
	fields := []string{"Example Hosting Ltd", inc.Facts.Nature, inc.Facts.Measures, "Dora Protector", "dpo@example-hosting.com", "2026-11-23 12:00 UTC"}
	dpoPost, cats := "Example Hosting Ltd, DPO, 1 Data Street, London", "name, email, postal_address"
	perForm := map[string][]string{
		"processor-controller": {occurred, "Acme Retail GmbH", cats, "around 300 data subjects and 1200 records", dpoPost},
		"controller-authority": {occurred, "Information Commissioner's Office", "Wycliffe House", cats, "around 300 data subjects and 1200 records", inc.Facts.Consequences, dpoPost},
		"controller-subject":   {"on " + discovered + " (UTC) we have discovered", "To: the public", cats, "- Disclosed", "- Accessed", "- unauthorized persons", inc.Facts.Consequences, dpoPost},
		"counterparty":         {"on " + discovered + " (UTC) we confirmed", "City of Springfield", cats, "about 300 data subjects and 1200 records"},
		"customer":             {occurred, "To: Shop Customer AG\nBahnhofstr. 2, 8001 Zürich", cats, "about 300 people and 1200 records", "notify them yourselves, or that we notify each of them on your behalf", inc.Facts.Consequences},
		"insurer":              {occurred, "Cyber Mutual", cats, "open a claim", inc.Facts.Consequences},
		"law-enforcement":      {occurred, "Federal Bureau of Investigation, San Antonio Field Office", cats, "criminal intrusion"},
		"hosting-provider":     {occurred, "Cloud Hosting plc", "preserve logs"},
	}
	for _, p := range cfg.Policies {
		for _, o := range p.Obligations {
			want, ok := perForm[o.Template]
			if !ok {
				continue
			}
			delete(perForm, o.Template)
			// A fan-out obligation's notice goes to one party.
			key := o.Recipient
			switch o.ForEach {
			case configs.ForEachControllers:
				key = configs.RecipientKey(o.Recipient, inc.Scope.Controllers[0])
			case configs.ForEachCustomers:
				key = configs.RecipientKey(o.Recipient, inc.Scope.Customers[0])
			case configs.ForEachCounterparties:
				key = configs.RecipientKey(o.Recipient, inc.Scope.Counterparties[0])
			case configs.ForEachDataSubjects:
				key = configs.RecipientKey(o.Recipient, incidents.PublicParty)
			}
			n, err := incidents.RenderNotice(cfg, p, o, incidents.Obligation{Recipient: key}, inc, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(n.Missing) > 0 {
				t.Errorf("%s: missing %v", o.Template, n.Missing)
			}
			for _, f := range append(append([]string{}, fields...), want...) {
				if !strings.Contains(n.Text, f) {
					t.Errorf("%s lacks %q:\n%s", o.Template, f, n.Text)
				}
			}
			golden := filepath.Join("testdata", "notices", o.Template+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				os.WriteFile(golden, []byte(n.Text), 0o644)
			}
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if string(b) != n.Text {
				t.Errorf("%s differs from %s:\n%s", o.Template, golden, n.Text)
			}
		}
	}
	if len(perForm) > 0 {
		t.Errorf("forms not used by any shipped obligation: %v", perForm)
	}
}

// TestMissingFactsAreShownNotBlank: a fact the incident lacks is named in
// the text and listed; a late authority notice asks for the reasons.
func TestMissingFactsAreShownNotBlank(t *testing.T) {
	cfg := sampleConfig(t)
	inc := sampleIncident()
	inc.Facts = incidents.Facts{}
	inc.Scope.DataSubjects = 0
	var p *configs.Policy
	var o *configs.Obligation
	for _, pp := range cfg.Policies {
		for _, oo := range pp.Obligations {
			if oo.Template == "controller-authority" {
				p, o = pp, oo
			}
		}
	}
	due := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC).Add(72 * time.Hour)
	n, err := incidents.RenderNotice(cfg, p, o, incidents.Obligation{DueAt: &due}, inc, due.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"description of the nature of the breach", "likely consequences", "measures taken", "number of data subjects", "reasons for the delay"} {
		found := false
		for _, m := range n.Missing {
			found = found || m == want
		}
		if !found || !strings.Contains(n.Text, "[missing: "+want+"]") {
			t.Errorf("%q not shown as missing: %v\n%s", want, n.Missing, n.Text)
		}
	}
	if strings.Contains(n.Text, "around  data subjects") {
		t.Error("a blank was rendered")
	}
}
