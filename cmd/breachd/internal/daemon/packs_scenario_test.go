package daemon_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestShippedPacksScenarios plays the shipped gdpr, contract-24h and
// company packs through the daemon's API, one case per scenario the
// policies distinguish, and checks exactly which notices are owed (the
// obligations not ruled out). Each expectation is the policies' reading:
// GDPR Art. 33/34 with the procedure's scope (EU/EEA), the contract's
// 24 hours for any readable personal or Non-Public Data, the company's
// management (always, at once), insurer (from suspicion), law enforcement
// and hosting provider (a confirmed risk), customers (each, once
// contained).
func TestShippedPacksScenarios(t *testing.T) {
	config := `
incidents {
  policy_packs = ["gdpr", "contract-24h", "company"]
}
organisation {
  name = "Example Hosting GmbH"
}
asset "crm" {
  hosts           = ["crm1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["DE"]
}
asset "vault" {
  hosts             = ["vault1"]
  data_categories   = ["name", "email"]
  data_subjects     = 300
  encrypted_at_rest = true
  jurisdictions     = ["DE"]
}
asset "leaky" {
  hosts             = ["leaky1"]
  data_categories   = ["name", "email"]
  data_subjects     = 300
  encrypted_at_rest = true
  keys_exposed      = true
  jurisdictions     = ["DE"]
}
asset "clinic-a" {
  hosts              = ["proc1", "mix1"]
  data_categories    = ["name", "health"]
  data_subjects      = 100
  role               = "processor"
  controller         = "Clinic A"
  controller_address = "1 Hospital Road, Berlin"
  jurisdictions      = ["DE"]
}
asset "clinic-b" {
  hosts              = ["proc1", "mix1"]
  data_categories    = ["name"]
  data_subjects      = 50
  role               = "processor"
  controller         = "Clinic B"
  controller_address = "2 Hospital Road, Berlin"
  jurisdictions      = ["DE"]
}
asset "city-records" {
  hosts           = ["city1", "cities1"]
  non_public_data = true
  counterparty    = "City of Springfield"
}
asset "school-records" {
  hosts           = ["cities1"]
  non_public_data = true
  counterparty    = "Shelbyville School District"
}
asset "own-records" {
  hosts           = ["mix1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["DE"]
}
asset "shop" {
  hosts           = ["shop1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["DE"]
  customers       = ["Acme Corp", "Globex Inc"]
}
asset "us-only" {
  hosts           = ["us1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["US-CA", "US-NY"]
}
`
	h := start(t, config)
	owed := func(id int64) []string {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		var out []string
		for _, o := range d.Obligations {
			if o.State != incidents.ObligationNotRequired {
				out = append(out, o.Policy+"/"+o.Recipient)
			}
		}
		slices.Sort(out)
		return out
	}
	// After a risk decision, the company's confirmed-breach notices.
	confirmed := []string{"company/hosting_provider", "company/insurer", "company/law_enforcement_fbi", "company/law_enforcement_police", "company/management"}
	with := func(extra ...string) []string {
		out := append(slices.Clone(confirmed), extra...)
		slices.Sort(out)
		return out
	}
	for _, tt := range []struct {
		name, host string
		risk       incidents.Risk // "" leaves it unassessed
		personal   *bool
		contain    bool
		want       []string
	}{
		{name: "controller, suspected (unassessed, suggested risk)", host: "crm1",
			want: []string{"company/insurer", "company/management", "gdpr/supervisory_authority"}},
		// The authority's notice, owed on the suggested risk, no longer
		// applies after risk none, but is decided by the DPO alone
		// (decided_by): it stays owed until the DPO rules it out, never
		// automatically (docs/notifications.md "Who decides").
		{name: "controller, risk none: still a breach of personal data under the company policy (any breach), the GDPR notice held for the DPO", host: "crm1", risk: incidents.RiskNone,
			want: with("gdpr/supervisory_authority")},
		{name: "controller, risk none, no personal data reached: no breach, the GDPR notice held for the DPO", host: "crm1", risk: incidents.RiskNone, personal: new(false),
			want: []string{"company/management", "gdpr/supervisory_authority"}},
		{name: "controller, risk", host: "crm1", risk: incidents.RiskRisk,
			want: with("gdpr/supervisory_authority")},
		{name: "controller, high risk", host: "crm1", risk: incidents.RiskHigh,
			want: with("gdpr/data_subjects", "gdpr/supervisory_authority")},
		{name: "encrypted, keys safe, high risk: no notice to the data subjects", host: "vault1", risk: incidents.RiskHigh,
			want: with("gdpr/supervisory_authority")},
		{name: "encrypted, keys exposed, high risk", host: "leaky1", risk: incidents.RiskHigh,
			want: with("gdpr/data_subjects", "gdpr/supervisory_authority")},
		{name: "processor for two controllers", host: "proc1", risk: incidents.RiskRisk,
			want: with("gdpr/controller:Clinic A", "gdpr/controller:Clinic B")},
		{name: "Non-Public Data only, GDPR risk none: the contract's 24 hours still run, and the company's notices of a breach go out", host: "city1", risk: incidents.RiskNone, personal: new(false),
			want: with("contract-24h/counterparty:City of Springfield")},
		{name: "the company's own data and a processor's for two controllers, suspected: the authority on its own data (not high), each controller", host: "mix1",
			want: []string{"company/insurer", "company/management", "gdpr/controller:Clinic A", "gdpr/controller:Clinic B", "gdpr/supervisory_authority"}},
		{name: "the company's own data and a processor's for two controllers, high risk", host: "mix1", risk: incidents.RiskHigh,
			want: with("gdpr/controller:Clinic A", "gdpr/controller:Clinic B", "gdpr/data_subjects", "gdpr/supervisory_authority")},
		{name: "two counterparties' Non-Public Data: one notice each", host: "cities1", risk: incidents.RiskNone, personal: new(false),
			want: with("contract-24h/counterparty:City of Springfield", "contract-24h/counterparty:Shelbyville School District")},
		{name: "two customers, contained: one notice each", host: "shop1", risk: incidents.RiskRisk, contain: true,
			want: with("company/customer:Acme Corp", "company/customer:Globex Inc", "gdpr/supervisory_authority")},
		{name: "US-only data: no GDPR notice", host: "us1", risk: incidents.RiskHigh,
			want: with()},
	} {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			id := h.openManual(tt.name, tt.host, time.Now().Add(-time.Hour).UTC())
			if tt.contain {
				h.post(fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "contained", "reason": "isolated"})
			}
			if tt.risk != "" {
				body := map[string]any{"risk": tt.risk, "reason": "assessed"}
				if tt.personal != nil {
					body["personal_data"] = *tt.personal
				}
				h.asDPO(func() { h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), body) })
			}
			if got := owed(id); !slices.Equal(got, tt.want) {
				t.Errorf("owed %v\nwant %v", got, tt.want)
			}
		})
	}

	// Merging the City's incident into one the City is no party to: the
	// survivor's scope is the union of both, so it owes the contract's
	// notice too and takes it over with the notices both owe
	// (management); the merged incident owes nothing on its own.
	survivor := h.openManual("Attack on the CRM", "crm1", time.Now().Add(-time.Hour).UTC())
	city := h.openManual("The same attacker on the city's records", "city1", time.Now().Add(-time.Hour).UTC())
	h.post(fmt.Sprintf("/api/v1/incidents/%d/merge", survivor), map[string]any{"from": []int64{city}, "reason": "same attacker"})
	if got := owed(city); len(got) != 0 {
		t.Errorf("after the merge the city's incident owes %v, want nothing (the survivor owes it all)", got)
	}
	if got := owed(survivor); !slices.Contains(got, "contract-24h/counterparty:City of Springfield") {
		t.Errorf("after the merge the survivor owes %v, want the City's contract notice among them", got)
	}
}

// TestAWaitingNoticeHoldsUpNoOther: the data subjects' notices go by mail
// and no list is uploaded yet (the placeholder has no address); the
// management notice, due immediately, still goes out at once.
func TestAWaitingNoticeHoldsUpNoOther(t *testing.T) {
	h := start(t, `
incidents {
  policy_packs = ["gdpr", "company"]
}
organisation {
  name = "Example Hosting GmbH"
}
asset "crm" {
  hosts           = ["crm1"]
  data_categories = ["name", "email", "health"]
  data_subjects   = 5000
  jurisdictions   = ["DE"]
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = 9
  tls  = "none"
  from = "breachd@example.com"
}
channel "file" "executives" {
  dir = "./var/executives"
}
recipient "data_subjects" {
  channels = ["mail"]
}
recipient "management" {
  name     = "Executive management"
  channels = ["executives"]
}
notifications {
  reminder_every = "1h"
}
`)
	id := h.openManual("Health records on a paste site", "crm1", time.Now().Add(-time.Hour).UTC())
	h.waitFor("management's notice sent", func() bool {
		return h.obligationsOf(id)["management"].State == incidents.ObligationSent
	})
	if o := h.obligationsOf(id)["data_subjects"]; o.State.Decided() {
		t.Errorf("the data subjects' placeholder is %s, want it waiting for the list", o.State)
	}
}
