package incidents

import (
	"fmt"
	"slices"
	"text/template"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
)

// obligationEnv is what a policy's when condition sees of an incident.
type obligationEnv struct {
	Risk               string   `expr:"risk"`
	SuggestedRisk      string   `expr:"suggested_risk"`
	Severity           string   `expr:"severity"`
	Category           string   `expr:"category"`
	Status             string   `expr:"status"`
	Origin             string   `expr:"origin"`
	Rule               string   `expr:"rule"`
	PersonalData       bool     `expr:"personal_data"`
	PersonalDataBreach bool     `expr:"personal_data_breach"`
	Encrypted          bool     `expr:"encrypted"`
	KeysExposed        bool     `expr:"keys_exposed"`
	Unintelligible     bool     `expr:"unintelligible"`
	DataCategories     []string `expr:"data_categories"`
	DataSubjects       int64    `expr:"data_subjects"`
	Records            int64    `expr:"records"`
	Role               string   `expr:"role"`
	Roles              []string `expr:"roles"`
	Controllers        []string `expr:"controllers"`
	Counterparties     []string `expr:"counterparties"`
	Customers          []string `expr:"customers"`
	Jurisdictions      []string `expr:"jurisdictions"`
	JurisdictionsKnown bool     `expr:"jurisdictions_known"`
	Indicates          []string `expr:"indicates"`
	AttemptOnly        bool     `expr:"attempt_only"`
	// SensitiveDataRemoved: a person recorded the removal of the
	// sensitive data the incident found (POST .../removals).
	SensitiveDataRemoved bool `expr:"sensitive_data_removed"`
	NonPublicData        bool `expr:"non_public_data"`
}

// envFor is what a condition sees of inc when it concerns the view s of
// its scope (whole: every asset in it), with the risk suggested for s.
// A person's finding that personal data was reached (personal_data_breach)
// counts for a view that holds an asset.
func envFor(inc *Incident, s Scope, whole bool, suggested Risk) obligationEnv {
	role := s.Role
	if role == "" {
		role = configs.RoleController
	}
	pdb := inc.PersonalDataBreach && (whole || len(s.Assets) > 0)
	return obligationEnv{
		Risk: string(inc.Risk), SuggestedRisk: string(suggested), Severity: inc.Severity, Category: inc.Category,
		Status: string(inc.Status), Origin: inc.Origin, Rule: inc.Rule,
		PersonalData: s.PersonalData() || pdb, PersonalDataBreach: inc.PersonalDataBreach,
		Encrypted: s.Encrypted, KeysExposed: s.KeysExposed, Unintelligible: (s.PersonalData() || s.NonPublicData) && s.Unintelligible(),
		DataCategories: s.DataCategories, DataSubjects: s.DataSubjects, Records: s.Records, Role: role, Roles: rolesOf(s, role),
		Controllers: s.Controllers, Counterparties: s.Counterparties, Customers: s.Customers, Jurisdictions: s.Jurisdictions,
		JurisdictionsKnown: s.JurisdictionsKnown, Indicates: inc.Indicates, AttemptOnly: attemptOnly(inc.Indicates),
		SensitiveDataRemoved: inc.SensitiveDataRemoved,
		NonPublicData:        s.NonPublicData,
	}
}

// rolesOf is the roles in which the scope holds its assets (the one
// default role when it has none).
func rolesOf(s Scope, role string) []string {
	if len(s.Roles) > 0 {
		return s.Roles
	}
	return []string{role}
}

// viewFor is the view of scope s that obligation o under key concerns:
// the assets held in its held_as role and, for one party of a fan-out
// over customers, controllers or counterparties, that party's assets.
func viewFor(o *configs.Obligation, key string, s Scope) (Scope, bool) {
	party := ""
	switch o.ForEach {
	case configs.ForEachControllers, configs.ForEachCustomers, configs.ForEachCounterparties:
		_, party = configs.SplitRecipientKey(key)
	}
	return s.View(o.HeldAs, o.ForEach, party)
}

// attemptOnly reports whether the evidence shows attempts and nothing more.
func attemptOnly(indicates []string) bool {
	if len(indicates) == 0 {
		return false
	}
	for _, i := range indicates {
		if i != configs.IndicatesAttempt {
			return false
		}
	}
	return true
}

// Policies are the compiled policy packs.
type Policies struct {
	list []*compiledPolicy
	// incidents is the config's incidents block: what a risk is
	// suggested from, for an obligation concerning part of a scope.
	incidents configs.Incidents
}

type compiledPolicy struct {
	spec *configs.Policy
	obs  []compiledObligation
}

type compiledObligation struct {
	spec *configs.Obligation
	when *vm.Program
	// form is the notice form, read and parsed when the config loaded:
	// what a notice says changes with a reload, never in between.
	form *template.Template
}

// CompilePolicies compiles every obligation's condition against the
// incident's fields, reporting mistakes with their position.
func CompilePolicies(cfg *configs.Config) (*Policies, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	ps := &Policies{incidents: cfg.Incidents}
	for _, p := range cfg.Policies {
		cp := &compiledPolicy{spec: p}
		for _, o := range p.Obligations {
			co := compiledObligation{spec: o}
			form, err := loadNotice(cfg, o)
			co.form = form
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid notice template",
					Detail:   fmt.Sprintf("Obligation %s → %s: %v.", p.Name, o.Recipient, err),
					Subject:  o.TemplateRange.Ptr(),
				})
			}
			if o.When != "" {
				prog, err := expr.Compile(o.When, expr.Env(obligationEnv{}), expr.AsBool(), expr.MaxNodes(2000), inRegion(p.Regions))
				if err == nil {
					err = checkRegions(prog, p.Regions)
				}
				if err != nil {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Invalid obligation condition",
						Detail:   fmt.Sprintf("%v. The condition sees the incident: risk, suggested_risk, severity, category, status, origin, rule, personal_data, personal_data_breach, encrypted, keys_exposed, unintelligible, data_categories, data_subjects, records, role, roles, controllers, counterparties, customers, jurisdictions, jurisdictions_known, indicates, attempt_only, sensitive_data_removed, non_public_data; in_region('NAME', jurisdictions) tests them against a region block of the policy.", err),
						Subject:  o.WhenRange.Ptr(),
					})
					continue
				}
				co.when = prog
			}
			cp.obs = append(cp.obs, co)
		}
		ps.list = append(ps.list, cp)
	}
	return ps, diags
}

// fansOut reports whether an obligation fans out over forEach.
func (ps *Policies) fansOut(forEach string) bool {
	if ps == nil {
		return false
	}
	for _, p := range ps.list {
		for _, o := range p.obs {
			if o.spec.ForEach == forEach {
				return true
			}
		}
	}
	return false
}

// Empty reports whether there is no policy.
func (ps *Policies) Empty() bool { return ps == nil || len(ps.list) == 0 }

// ObligationSpec is what a policy asks of one incident for one recipient.
type ObligationSpec struct {
	Policy, Recipient string
	// Family is the obligation's recipient in the policy; for a fan-out
	// obligation (FanOut) Recipient is one party's key
	// (configs.RecipientKey), and a spec with an empty Recipient stands
	// for every party of the family (its condition does not hold).
	// Obligations of a fan-out family with no spec are no longer
	// required: their party left the scope.
	Family string
	FanOut bool
	// Applies is whether the condition holds; Reason says why not.
	Applies bool
	Reason  string
	// DueAt is nil when the anchor clock is not set yet, or the notice is
	// due without undue delay (no invented number).
	DueAt    *time.Time
	Deadline string
	Approval bool
	// HeldFor, on a spec whose condition does not hold, is the role that
	// alone decides the obligation (its decided_by): whoever's change
	// it was (a risk decision, a scope edit, a move, a clock, breachd's
	// own checks; that role's own included), the obligation stays owed
	// until that role rules it out, never automatically. The timeline
	// says so once, when its condition stops holding.
	HeldFor string
}

// Parties are the parties a fan-out obligation can go to that the
// incident itself does not hold: the data subjects on the list the DPO
// uploaded (their ids; none uploaded is nil).
type Parties struct {
	Subjects []int64
}

// PublicParty is the party of a data-subject obligation turned into a
// public communication (too many subjects to notify each, §6.3).
const PublicParty = "public"

// Evaluate computes the obligations of inc, with no uploaded list.
func (ps *Policies) Evaluate(inc *Incident) ([]ObligationSpec, error) {
	return ps.EvaluateFor(inc, Parties{})
}

// EvaluateFor computes the obligations of inc: one per obligation, or for
// a fan-out obligation one per party (customer, controller, data subject
// of parties, or one public communication above the policy's threshold).
func (ps *Policies) EvaluateFor(inc *Incident, parties Parties) ([]ObligationSpec, error) {
	if ps.Empty() {
		return nil, nil
	}
	var out []ObligationSpec
	for _, p := range ps.list {
		for _, o := range p.obs {
			spec := ObligationSpec{Policy: p.spec.Name, Recipient: o.spec.Recipient, Family: o.spec.Recipient, Applies: true, Approval: o.spec.Approval}
			spec.Deadline, spec.DueAt = deadline(p.spec, o.spec, inc)
			if o.spec.ForEach == "" {
				if err := ps.judge(p, o, inc, o.spec.Recipient, &spec); err != nil {
					return nil, err
				}
				out = append(out, spec)
				continue
			}
			spec.FanOut = true
			var keys []string
			switch o.spec.ForEach {
			case configs.ForEachCustomers:
				for _, c := range inc.Scope.Customers {
					keys = append(keys, configs.RecipientKey(o.spec.Recipient, c))
				}
			case configs.ForEachControllers:
				for _, c := range inc.Scope.Controllers {
					keys = append(keys, configs.RecipientKey(o.spec.Recipient, c))
				}
			case configs.ForEachCounterparties:
				for _, c := range inc.Scope.Counterparties {
					keys = append(keys, configs.RecipientKey(o.spec.Recipient, c))
				}
			case configs.ForEachDataSubjects:
				if o.spec.PublicAbove > 0 && int64(len(parties.Subjects)) > o.spec.PublicAbove {
					keys = append(keys, configs.RecipientKey(o.spec.Recipient, PublicParty))
					break
				}
				for _, id := range parties.Subjects {
					keys = append(keys, configs.RecipientKey(o.spec.Recipient, fmt.Sprint(id)))
				}
			}
			if len(keys) == 0 {
				// Nobody to address yet (no list uploaded): the
				// obligation stands, and its notice lacks its recipient;
				// when its condition does not hold, the spec with no
				// recipient rules out every party's.
				if err := ps.judge(p, o, inc, o.spec.Recipient, &spec); err != nil {
					return nil, err
				}
				if !spec.Applies {
					spec.Recipient = ""
				}
				out = append(out, spec)
				continue
			}
			// Each party is judged on its own view of the scope (a
			// controller on its assets only): one may be owed a notice
			// and another not. The data subjects on a list share one
			// view: judged once, not once per person.
			judged := false
			for _, k := range keys {
				one := spec
				one.Recipient = k
				if !judged {
					if err := ps.judge(p, o, inc, k, &one); err != nil {
						return nil, err
					}
					if o.spec.ForEach == configs.ForEachDataSubjects {
						spec.Applies, spec.Reason, judged = one.Applies, one.Reason, true
					}
				}
				out = append(out, one)
			}
		}
	}
	return out, nil
}

// judge evaluates obligation o's condition for inc under key, on the view
// of the scope the obligation concerns, setting spec's Applies and
// Reason.
func (ps *Policies) judge(p *compiledPolicy, o compiledObligation, inc *Incident, key string, spec *ObligationSpec) error {
	view, whole := viewFor(o.spec, key, inc.Scope)
	suggested := inc.SuggestedRisk
	if !whole {
		suggested = Suggest(view, inc.Severity, inc.Indicates, ps.incidents).Risk
	}
	if o.spec.HeldAs != "" && len(view.Assets) == 0 && len(inc.Scope.Assets) > 0 {
		spec.Applies = false
		spec.Reason = fmt.Sprintf("the scope holds no asset held as %s (held_as)", o.spec.HeldAs)
		return nil
	}
	if o.when == nil {
		return nil
	}
	env := envFor(inc, view, whole, suggested)
	// A removal that names one customer ends that customer's request
	// and follow-up, not the other customers'.
	removedFor := ""
	if _, party := configs.SplitRecipientKey(key); o.spec.ForEach == configs.ForEachCustomers && party != "" &&
		!env.SensitiveDataRemoved && slices.Contains(inc.RemovedFor, party) {
		env.SensitiveDataRemoved, removedFor = true, party
	}
	v, err := vm.Run(o.when, env)
	if err != nil {
		return fmt.Errorf("policy %s, obligation %s: %w", p.spec.Name, o.spec.Recipient, err)
	}
	if ok, _ := v.(bool); !ok {
		spec.Applies = false
		spec.Reason = fmt.Sprintf("its condition does not hold: %s (risk %s, personal data %t, unintelligible %t, role %s)",
			o.spec.When, inc.Risk, env.PersonalData, env.Unintelligible, env.Role)
		if removedFor != "" {
			spec.Reason = fmt.Sprintf("its condition does not hold for %s: %s (the removal of its sensitive data is recorded)", removedFor, o.spec.When)
		}
	}
	return nil
}

// anchorTime is the incident's clock named anchor, or nil while unset.
func anchorTime(inc *Incident, anchor string) *time.Time {
	switch anchor {
	case configs.AnchorOccurred:
		return inc.OccurredAt
	case configs.AnchorDetected:
		return &inc.DetectedAt
	case configs.AnchorAware:
		return &inc.AwareAt
	case configs.AnchorDetermined:
		return inc.DeterminedAt
	case configs.AnchorContained:
		return inc.ContainedAt
	}
	return nil
}

func deadline(p *configs.Policy, o *configs.Obligation, inc *Incident) (string, *time.Time) {
	if o.UndueDelay {
		return "without undue delay from " + o.Anchor, nil
	}
	if o.Immediately {
		return "immediately from " + o.Anchor, nil
	}
	var text string
	if o.BusinessDays > 0 {
		text = fmt.Sprintf("%d business days from %s", o.BusinessDays, o.Anchor)
	} else {
		text = fmt.Sprintf("%s from %s", fmtDeadline(o.Within), o.Anchor)
	}
	at := anchorTime(inc, o.Anchor)
	if at == nil || at.IsZero() {
		return text + " (not set yet)", nil
	}
	var due time.Time
	if o.BusinessDays > 0 {
		due = AddBusinessDays(*at, o.BusinessDays, p.Location, p.Holidays)
	} else {
		due = at.Add(o.Within)
	}
	due = due.UTC()
	return text, &due
}

func fmtDeadline(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0 && d >= 7*24*time.Hour:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}

// AddBusinessDays moves t forward by n business days in loc, keeping the
// time of day: Saturdays, Sundays and holidays (YYYY-MM-DD) do not count.
// An anchor on a weekend counts from the next business day.
func AddBusinessDays(t time.Time, n int, loc *time.Location, holidays []string) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	for added := 0; added < n; {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday || slices.Contains(holidays, t.Format(time.DateOnly)) {
			continue
		}
		added++
	}
	return t
}

// spec returns the configured policy and obligation of (policy, recipient).
func (ps *Policies) spec(policy, recipient string) (*configs.Policy, *configs.Obligation) {
	p, o := ps.compiled(policy, recipient)
	if o == nil {
		return nil, nil
	}
	return p.spec, o.spec
}

// compiled returns the policy and obligation configured for (policy,
// recipient), or nils.
func (ps *Policies) compiled(policy, recipient string) (*compiledPolicy, *compiledObligation) {
	if ps == nil {
		return nil, nil
	}
	recipient, _ = UpdateBase(recipient) // an update is its notice's
	recipient, _ = configs.SplitRecipientKey(recipient)
	for _, p := range ps.list {
		if p.spec.Name != policy {
			continue
		}
		for i := range p.obs {
			if p.obs[i].spec.Recipient == recipient {
				return p, &p.obs[i]
			}
		}
	}
	return nil, nil
}

// roleBreachd is the role of breachd's own checks of an incident's
// obligations after a change that is not a risk decision, a move or a
// scope edit.
const roleBreachd = "breachd"

// holdFor marks the specs whose condition does not hold, or of a fan-out
// family, that a role decides (decided_by): no change rules them out,
// whoever made it (role is not consulted: that role's own risk decision,
// move or scope edit does not either); the role decides them
// (ObligationSpec.HeldFor, which counts only where a spec does not apply).
func (m *Manager) holdFor(specs []ObligationSpec, _ string) {
	for i, sp := range specs {
		if sp.Applies && !sp.FanOut {
			continue
		}
		// A fan-out family's specs all carry it: a party leaving the
		// scope is ruled out with its family's spec (expandFanOut).
		r := sp.Recipient
		if r == "" {
			r = sp.Family
		}
		if _, o := m.policies.spec(sp.Policy, r); o != nil && o.DecidedBy != "" {
			specs[i].HeldFor = o.DecidedBy
		}
	}
}
