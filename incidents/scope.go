package incidents

import (
	"slices"

	"github.com/breachd/breachd/configs"
)

// RoleMixed is a scope's role when it holds assets both as controller
// and as processor: an obligation that depends on the role names the
// data it concerns (held_as, for_each) and sees one role.
const RoleMixed = "mixed"

// ScopePart is one asset in an incident's scope, as declared when the
// scope was computed.
type ScopePart struct {
	Asset          string   `json:"asset"`
	Hosts          []string `json:"hosts,omitempty"`
	Services       []string `json:"services,omitempty"`
	Role           string   `json:"role"`
	Controller     string   `json:"controller,omitempty"`
	Counterparty   string   `json:"counterparty,omitempty"`
	Customers      []string `json:"customers,omitempty"`
	DataCategories []string `json:"data_categories,omitempty"`
	DataSubjects   int64    `json:"data_subjects,omitempty"`
	Records        int64    `json:"records,omitempty"`
	Encrypted      bool     `json:"encrypted,omitempty"`
	KeysExposed    bool     `json:"keys_exposed,omitempty"`
	NonPublicData  bool     `json:"non_public_data,omitempty"`
	Jurisdictions  []string `json:"jurisdictions,omitempty"`
}

// ScopeOf merges the assets into one scope. Counts add up; the data is
// encrypted only if every asset's is; keys are exposed if any asset's are;
// the role is the assets' one role, or mixed (Roles lists both). Each
// asset is kept as a part, for the obligations that concern some of them
// only (Scope.View).
func ScopeOf(assets []*configs.Asset) Scope {
	parts := make([]ScopePart, 0, len(assets))
	for _, a := range assets {
		p := ScopePart{
			Asset: a.Name, Hosts: a.Hosts, Services: a.Services, Role: a.Role, Counterparty: a.Counterparty, Customers: a.Customers,
			DataCategories: a.DataCategories, DataSubjects: a.DataSubjects, Records: a.Records,
			Encrypted: a.EncryptedAtRest, KeysExposed: a.KeysExposed, NonPublicData: a.NonPublicData, Jurisdictions: a.Jurisdictions,
		}
		if a.Role == configs.RoleProcessor {
			p.Controller = a.Controller
		}
		parts = append(parts, p)
	}
	return scopeOfParts(parts)
}

// scopeOfParts merges parts into one scope, keeping them.
func scopeOfParts(parts []ScopePart) Scope {
	s := Scope{
		Assets: []string{}, Hosts: []string{}, Services: []string{}, DataCategories: []string{},
		Controllers: []string{}, Counterparties: []string{}, Customers: []string{}, Jurisdictions: []string{},
	}
	s.Role = configs.RoleController
	if len(parts) == 0 {
		return s
	}
	s.Parts = parts
	s.Encrypted = true
	s.JurisdictionsKnown = true
	for _, a := range parts {
		if len(a.DataCategories) > 0 && len(a.Jurisdictions) == 0 {
			s.JurisdictionsKnown = false
		}
		s.Assets = appendNew(s.Assets, a.Asset)
		s.Hosts = appendNew(s.Hosts, a.Hosts...)
		s.Services = appendNew(s.Services, a.Services...)
		s.DataCategories = appendNew(s.DataCategories, a.DataCategories...)
		s.Customers = appendNew(s.Customers, a.Customers...)
		s.Jurisdictions = appendNew(s.Jurisdictions, a.Jurisdictions...)
		s.DataSubjects += a.DataSubjects
		s.Records += a.Records
		if len(a.DataCategories) > 0 || a.NonPublicData {
			s.Encrypted = s.Encrypted && a.Encrypted
		}
		s.NonPublicData = s.NonPublicData || a.NonPublicData
		s.KeysExposed = s.KeysExposed || a.KeysExposed
		s.Roles = appendNew(s.Roles, a.Role)
		if a.Role == configs.RoleProcessor {
			s.Controllers = appendNew(s.Controllers, a.Controller)
		}
		s.Counterparties = appendNew(s.Counterparties, a.Counterparty)
	}
	slices.Sort(s.Roles)
	switch len(s.Roles) {
	case 1:
		s.Role = s.Roles[0]
	case 2:
		s.Role = RoleMixed
	}
	if !s.PersonalData() && !s.NonPublicData {
		s.Encrypted = false
		s.JurisdictionsKnown = len(s.Jurisdictions) > 0
	}
	return s
}

// View is the part of s that an obligation concerns: the assets held as
// heldAs ("" for any role) and, for one party of a fan-out over forEach,
// the assets naming that party (the controller of a processor's asset,
// a customer, a counterparty). whole reports that the view holds every
// asset in scope: it is s itself, with any edit a person made. A scope
// recorded without parts (no asset, or before parts were kept) is its own
// view. A view of no asset has none of the data.
func (s Scope) View(heldAs, forEach, party string) (view Scope, whole bool) {
	if len(s.Parts) == 0 || (heldAs == "" && party == "") {
		return s, true
	}
	var in []ScopePart
	for _, p := range s.Parts {
		if heldAs != "" && p.Role != heldAs {
			continue
		}
		if party != "" {
			switch forEach {
			case configs.ForEachControllers:
				if p.Role != configs.RoleProcessor || p.Controller != party {
					continue
				}
			case configs.ForEachCustomers:
				if !slices.Contains(p.Customers, party) {
					continue
				}
			case configs.ForEachCounterparties:
				if p.Counterparty != party {
					continue
				}
			}
		}
		in = append(in, p)
	}
	if len(in) == len(s.Parts) {
		return s, true
	}
	return scopeOfParts(in), false
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

// CostExposure is records × cost per record.
func CostExposure(s Scope, policy configs.Incidents) float64 {
	if s.Unintelligible() {
		// Encrypted with keys that stayed safe: no "Data Breach" in the
		// sense of the contract (12.6.1: unencrypted data), so none of
		// the per-record costs of 12.5.3.
		return 0
	}
	return float64(s.Records) * policy.CostPerRecord
}

// MergeScopes is the scope of incidents merged into one: the union of
// their assets (each asset's part kept once, the survivor's first), and
// the data of scopes recorded without parts (edited by hand) added in.
// changed is false when the others add nothing to the survivor's scope,
// which is then kept as it is, with any edit a person made.
func MergeScopes(survivor Scope, others ...Scope) (s Scope, changed bool) {
	parts := slices.Clone(survivor.Parts)
	var partless []Scope
	for _, o := range others {
		for _, p := range o.Parts {
			if !slices.ContainsFunc(parts, func(q ScopePart) bool { return q.Asset == p.Asset }) {
				parts = append(parts, p)
				changed = true
			}
		}
		if len(o.Parts) == 0 && (len(o.Assets) > 0 || o.PersonalData() || o.DataSubjects > 0 || o.Records > 0 || o.NonPublicData) {
			partless = append(partless, o)
			changed = true
		}
	}
	if !changed {
		return survivor, false
	}
	if len(survivor.Parts) == 0 && (len(survivor.Assets) > 0 || survivor.PersonalData() || survivor.DataSubjects > 0 || survivor.Records > 0 || survivor.NonPublicData) {
		partless = append([]Scope{survivor}, partless...)
	}
	s = scopeOfParts(parts)
	for _, o := range partless {
		s.Assets = appendNew(s.Assets, o.Assets...)
		s.Hosts = appendNew(s.Hosts, o.Hosts...)
		s.Services = appendNew(s.Services, o.Services...)
		s.DataCategories = appendNew(s.DataCategories, o.DataCategories...)
		s.Customers = appendNew(s.Customers, o.Customers...)
		s.Controllers = appendNew(s.Controllers, o.Controllers...)
		s.Counterparties = appendNew(s.Counterparties, o.Counterparties...)
		s.Jurisdictions = appendNew(s.Jurisdictions, o.Jurisdictions...)
		s.DataSubjects += o.DataSubjects
		s.Records += o.Records
		s.KeysExposed = s.KeysExposed || o.KeysExposed
		s.NonPublicData = s.NonPublicData || o.NonPublicData
		s.Encrypted = s.Encrypted && o.Encrypted
	}
	return s, true
}
