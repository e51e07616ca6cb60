package incidents

import (
	"slices"

	"github.com/breachd/breachd/configs"
)

// ScopeOf merges the assets into one scope. Counts add up; the data is
// encrypted only if every asset's is; keys are exposed if any asset's are;
// the role is processor if any asset is held as processor.
func ScopeOf(assets []*configs.Asset) Scope {
	s := Scope{
		Assets: []string{}, Hosts: []string{}, Services: []string{}, DataCategories: []string{},
		Controllers: []string{}, Counterparties: []string{}, Customers: []string{}, Jurisdictions: []string{},
	}
	if len(assets) == 0 {
		return s
	}
	s.Encrypted = true
	s.Role = configs.RoleController
	s.JurisdictionsKnown = true
	for _, a := range assets {
		if len(a.DataCategories) > 0 && len(a.Jurisdictions) == 0 {
			s.JurisdictionsKnown = false
		}
		s.Assets = appendNew(s.Assets, a.Name)
		s.Hosts = appendNew(s.Hosts, a.Hosts...)
		s.Services = appendNew(s.Services, a.Services...)
		s.DataCategories = appendNew(s.DataCategories, a.DataCategories...)
		s.Customers = appendNew(s.Customers, a.Customers...)
		s.Jurisdictions = appendNew(s.Jurisdictions, a.Jurisdictions...)
		s.DataSubjects += a.DataSubjects
		s.Records += a.Records
		if len(a.DataCategories) > 0 || a.NonPublicData {
			s.Encrypted = s.Encrypted && a.EncryptedAtRest
		}
		s.NonPublicData = s.NonPublicData || a.NonPublicData
		s.KeysExposed = s.KeysExposed || a.KeysExposed
		if a.Role == configs.RoleProcessor {
			s.Role = configs.RoleProcessor
			s.Controllers = appendNew(s.Controllers, a.Controller)
		}
		if a.Counterparty != "" {
			s.Counterparties = appendNew(s.Counterparties, a.Counterparty)
		}
	}
	if !s.PersonalData() && !s.NonPublicData {
		s.Encrypted = false
		s.JurisdictionsKnown = len(s.Jurisdictions) > 0
	}
	return s
}

func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// AssetsFor returns the assets an incident concerns: those its rule names,
// else those listing its host.
func AssetsFor(cfg []*configs.Asset, named []string, host string) []*configs.Asset {
	var out []*configs.Asset
	if len(named) > 0 {
		for _, a := range cfg {
			if slices.Contains(named, a.Name) {
				out = append(out, a)
			}
		}
		return out
	}
	if host == "" {
		return nil
	}
	for _, a := range cfg {
		if slices.Contains(a.Hosts, host) {
			out = append(out, a)
		}
	}
	return out
}

// SuggestRisk is Suggest for evidence that says nothing of what it
// shows (a rule without indicates, a report by hand).
func SuggestRisk(s Scope, severity string, policy configs.Incidents) Risk {
	return Suggest(s, severity, nil, policy).Risk
}

// CostExposure is records × cost per record (P21).
func CostExposure(s Scope, policy configs.Incidents) float64 {
	if s.Unintelligible() {
		// Encrypted with keys that stayed safe: no "Data Breach" in the
		// sense of the contract (12.6.1: unencrypted data), so none of
		// the per-record costs of 12.5.3.
		return 0
	}
	return float64(s.Records) * policy.CostPerRecord
}
