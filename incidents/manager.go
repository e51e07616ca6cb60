package incidents

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

// maxEvidenceBytes caps the evidence line kept on an incident.
const maxEvidenceBytes = 4096

// Bounds of what a person writes through the API.
const (
	maxTextBytes  = 16 << 10
	maxTitleBytes = 512
)

// EntityFields are the finding fields that relate incidents across rules
// and hosts: the same address or the same user.
var entityFields = map[string]string{"ip": "ip", "src_ip": "ip", "client_ip": "ip", "user": "user", "username": "user"}

// ManualRule is the rule label of incidents opened by hand.
const ManualRule = "manual"

// Manager records findings as incidents and carries out the response
// team's changes, keeping the incident metrics.
type Manager struct {
	store      Store
	now        func() time.Time
	logger     *slog.Logger
	policy     configs.Incidents
	assets     []*configs.Asset
	ruleAssets map[string][]string
	// indicates is what each rule's match shows (its indicates).
	indicates map[string][]string
	metrics   *Metrics
	onQueued  func([]Handoff)
	policies  *Policies
	routes    []*configs.Route
	cfg       *configs.Config
}

// Options configures a Manager.
type Options struct {
	Store  Store
	Now    func() time.Time
	Logger *slog.Logger
	// Metrics are the manager's metrics, kept across reloads; nil makes
	// new ones registered with Registerer (nil registers nothing).
	Metrics    *Metrics
	Registerer prometheus.Registerer
	// Rules are the configured rule names, for which series start at zero.
	Rules []string
	// Policy is the config's incidents block; Assets its assets;
	// RuleAssets the assets each rule names.
	Policy     configs.Incidents
	Assets     []*configs.Asset
	RuleAssets map[string][]string
	// OnQueued is called after a commit that queued action runs or
	// messages. The runs of incidents just opened come with it, with
	// their incidents as committed: the action runner starts on them at
	// once, without reading them back. Messages are for the notifier to
	// wake for.
	OnQueued func([]Handoff)
	// Policies are the compiled policy packs whose obligations every
	// incident is checked against after each change.
	Policies *Policies
	// Routes say which new incidents page which channels.
	Routes []*configs.Route
	// Config supplies the notice forms, the organisation and the
	// recipients; nil renders no notice.
	Config *configs.Config
}

// NewManager returns a Manager. It starts nothing.
func NewManager(opts Options) *Manager {
	m := &Manager{
		store: opts.Store, now: opts.Now, logger: opts.Logger, onQueued: opts.OnQueued,
		policy: opts.Policy, assets: opts.Assets, ruleAssets: opts.RuleAssets, policies: opts.Policies, routes: opts.Routes, cfg: opts.Config,
	}
	if m.logger == nil {
		m.logger = slog.New(slog.DiscardHandler)
	}
	if opts.Config != nil {
		m.indicates = make(map[string][]string, len(opts.Config.Rules))
		for _, r := range opts.Config.Rules {
			if len(r.Indicates) > 0 {
				m.indicates[r.Name] = r.Indicates
			}
		}
	}
	if m.policy.EvidenceLines == 0 {
		m.policy.EvidenceLines = configs.DefaultEvidenceLines
	}
	m.metrics = opts.Metrics
	if m.metrics == nil {
		m.metrics = NewMetrics(opts.Registerer, opts.Store, opts.Now, m.logger)
		m.metrics.Configure(opts.Rules, opts.Config, opts.Policies)
	}
	return m
}

// Opened is the counter of incidents opened by rule.
func (m *Manager) Opened() *prometheus.CounterVec { return m.metrics.opened }

// Attached is the counter of findings attached to an active incident by
// rule.
func (m *Manager) Attached() *prometheus.CounterVec { return m.metrics.attached }

// Closed is the counter of incidents closed by rule.
func (m *Manager) Closed() *prometheus.CounterVec { return m.metrics.closed }

// Store is the manager's store, for reads.
func (m *Manager) Store() Store { return m.store }

// HandleFindings commits findings as incidents, together with the progress
// of the sources just past the lines that produced them. It returns only after
// the commit, so a caller that acknowledges its input afterwards loses
// nothing.
func (m *Manager) HandleFindings(ctx context.Context, findings []rules.Finding, progress Progress) error {
	if len(findings) == 0 && progress.Empty() {
		return nil
	}
	items := make([]NewIncident, 0, len(findings))
	for _, f := range findings {
		if f.Resolved {
			// A metric condition that cleared: the incident it opened
			// stays for the team to close; the clearing is logged.
			m.logger.Info("metric condition cleared", "rule", f.Rule, "key", f.GroupKey, "at", f.Time)
			continue
		}
		host := f.Fields[configs.FieldHost]
		scope := ScopeOf(AssetsFor(m.assets, m.ruleAssets[f.Rule], host))
		suggested := Suggest(scope, f.Severity.String(), m.indicates[f.Rule], m.policy)
		var entities map[string]string
		for field, kind := range entityFields {
			if v := f.Fields[field]; v != "" {
				if entities == nil {
					entities = map[string]string{}
				}
				entities[kind] = Mask(clip(v, 256))
			}
		}
		items = append(items, NewIncident{
			Incident: Incident{
				// A card number or SSN can reach any rule's fields (a user
				// name typed as one): masked wherever it is kept.
				Fingerprint:         Mask(f.Fingerprint),
				Rule:                f.Rule,
				GroupKey:            Mask(f.GroupKey),
				Title:               Mask(f.Title),
				Category:            f.Category,
				Severity:            f.Severity.String(),
				Status:              StatusOpen,
				Origin:              OriginRule,
				Host:                clip(host, 256),
				Fields:              maskFields(f.Fields),
				Evidence:            Mask(clip(f.Evidence, maxEvidenceBytes)),
				FindingCount:        1,
				FirstSeen:           f.Time,
				LastSeen:            f.Time,
				Scope:               scope,
				SuggestedRisk:       suggested.Risk,
				SuggestedRiskReason: suggested.Reason,
				CostExposure:        CostExposure(scope, m.policy),
				Currency:            m.policy.Currency,
			},
			Actions:      f.Actions,
			DryRun:       f.DryRun,
			Entities:     entities,
			ReopenWithin: m.policy.ReopenWithin,
			EvidenceCap:  m.policy.EvidenceLines,
			Page:         m.pages(f.Severity.String(), f.Category),
		})
	}
	outcomes, err := m.store.Record(ctx, items, progress, m.now())
	if err != nil {
		return fmt.Errorf("record %d findings: %w", len(findings), err)
	}
	// The runs are committed with their incidents: the runner starts on
	// them now, before the obligations are looked at (which commit again).
	if m.onQueued != nil {
		var hand []Handoff
		paged := false
		for i, out := range outcomes {
			if out.Incident != nil && len(out.Runs) > 0 {
				hand = append(hand, Handoff{Incident: *out.Incident, Runs: out.Runs})
			}
			paged = paged || (out.Opened && len(items[i].Page) > 0)
		}
		if len(hand) > 0 || paged {
			m.onQueued(hand)
		}
	}
	for i, out := range outcomes {
		rule := items[i].Incident.Rule
		switch {
		case out.Reopened:
			m.metrics.attached.WithLabelValues(rule).Inc()
			m.logger.Info("incident reopened", "id", out.IncidentID, "rule", rule)
		case !out.Opened:
			m.metrics.attached.WithLabelValues(rule).Inc()
		default:
			m.metrics.opened.WithLabelValues(rule).Inc()
			m.logger.Info("incident opened", "id", out.IncidentID, "rule", rule, "title", items[i].Incident.Title,
				"severity", items[i].Incident.Severity, "actions", len(items[i].Actions))
			// With its notices moved along: one due immediately that
			// needs no approval (management's) goes out now, not at the
			// next minute's pass.
			m.checkObligations(ctx, out.IncidentID, true, "")
		}
	}
	return nil
}

// ManualReport is an incident reported by a person: a customer, a user
// or a third party, or a member of the team.
type ManualReport struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Category    string   `json:"category"`
	Severity    string   `json:"severity"`
	Reporter    string   `json:"reporter"`
	Host        string   `json:"host"`
	Assets      []string `json:"assets"`
	// OccurredAt, when known; AwareAt defaults to now.
	OccurredAt *time.Time `json:"occurred_at"`
}

// Open opens an incident by hand.
func (m *Manager) Open(ctx context.Context, r ManualReport, actor string) (int64, error) {
	if strings.TrimSpace(r.Title) == "" {
		return 0, fmt.Errorf("%w: title is required", ErrInvalid)
	}
	if len(r.Title) > maxTitleBytes || len(r.Description) > maxTextBytes {
		return 0, fmt.Errorf("%w: title is limited to %d bytes and description to %d", ErrInvalid, maxTitleBytes, maxTextBytes)
	}
	sev := configs.SeverityHigh
	if r.Severity != "" {
		var err error
		if sev, err = configs.ParseSeverity(r.Severity); err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	if r.Category == "" {
		r.Category = "reported"
	}
	assets, err := m.assetsByName(r.Assets)
	if err != nil {
		return 0, err
	}
	if len(assets) == 0 {
		assets = AssetsFor(m.assets, nil, r.Host)
	}
	now := m.now()
	if r.OccurredAt != nil {
		// aware_at is now: occurred_at may not be after it, beyond a
		// typed clock's skew, which counts as now.
		if err := CheckClock(&Incident{AwareAt: now.Add(ClockSkew)}, ClockOccurred, *r.OccurredAt, now); err != nil {
			return 0, err
		}
		if r.OccurredAt.After(now) {
			at := now
			r.OccurredAt = &at
		}
	}
	scope := ScopeOf(assets)
	suggested := Suggest(scope, sev.String(), nil, m.policy)
	inc := Incident{
		Rule: ManualRule, Title: Mask(clip(r.Title, maxTitleBytes)), Description: Mask(clip(r.Description, maxTextBytes)),
		Category: clip(r.Category, 64), Severity: sev.String(), Reporter: clip(r.Reporter, 256), Host: clip(r.Host, 256),
		Fields: map[string]string{}, FindingCount: 0, OccurredAt: r.OccurredAt, Scope: scope,
		SuggestedRisk: suggested.Risk, SuggestedRiskReason: suggested.Reason, CostExposure: CostExposure(scope, m.policy),
		Currency: m.policy.Currency,
	}
	id, err := m.store.Open(ctx, inc, m.pages(inc.Severity, inc.Category), Change{Actor: actor, At: now, Reason: "reported"})
	if err != nil {
		return 0, err
	}
	m.metrics.opened.WithLabelValues(ManualRule).Inc()
	m.logger.Info("incident opened by hand", "id", id, "by", actor)
	m.syncObligations(ctx, id)
	return id, nil
}

func (m *Manager) assetsByName(names []string) ([]*configs.Asset, error) {
	var out []*configs.Asset
	for _, n := range names {
		var found *configs.Asset
		for _, a := range m.assets {
			if a.Name == n {
				found = a
			}
		}
		if found == nil {
			known := make([]string, len(m.assets))
			for i, a := range m.assets {
				known[i] = a.Name
			}
			return nil, fmt.Errorf("%w: asset %q is not declared (declared: %s)", ErrInvalid, n, strings.Join(known, ", "))
		}
		out = append(out, found)
	}
	return out, nil
}

// Transition moves an incident along its lifecycle.
func (m *Manager) Transition(ctx context.Context, id int64, to Status, resolution, reason, actor string) error {
	return m.TransitionAs(ctx, id, to, resolution, reason, actor, "")
}

// TransitionAs is Transition by a person of role: an obligation only
// another role decides (decided_by) that the move would rule out stays
// owed until that role decides it.
func (m *Manager) TransitionAs(ctx context.Context, id int64, to Status, resolution, reason, actor, role string) error {
	if len(resolution) > maxTextBytes || len(reason) > maxTextBytes {
		return fmt.Errorf("%w: resolution and reason are limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	if err := m.store.Transition(ctx, id, to, resolution, Change{Actor: actor, Reason: reason, At: m.now()}); err != nil {
		return err
	}
	m.syncObligationsAs(ctx, id, role)
	inc, err := m.store.Incident(ctx, id)
	if err != nil {
		return err
	}
	if m.onQueued != nil && (to == StatusContained || to == StatusClosed || to == StatusFalsePositive || to == StatusOpen) {
		m.onQueued(nil) // the follow-up messages are in the outbox
	}
	switch to {
	case StatusClosed, StatusFalsePositive:
		m.metrics.closed.WithLabelValues(inc.Rule).Inc()
	case StatusContained:
		if inc.ContainedAt != nil {
			m.metrics.contain.Observe(inc.ContainedAt.Sub(inc.DetectedAt).Seconds())
		}
	}
	return nil
}

// AssessAs is Assess for a person of role: the DPO's decision writes the
// register entry; anyone else's is on the timeline, and the entry waits
// for the DPO (the register is the DPO's alone, procedure §7).
func (m *Manager) AssessAs(ctx context.Context, id int64, a Assessment, reason, actor, role string) error {
	a.Register = role == configs.RoleDPO
	return m.assess(ctx, id, a, reason, actor, role)
}

// Assess records a person's risk decision.
func (m *Manager) Assess(ctx context.Context, id int64, a Assessment, reason, actor string) error {
	a.Register = true
	return m.assess(ctx, id, a, reason, actor, "")
}

func (m *Manager) assess(ctx context.Context, id int64, a Assessment, reason, actor, role string) error {
	if len(reason) > maxTextBytes || len(a.Consequences) > maxTextBytes || len(a.Measures) > maxTextBytes {
		return fmt.Errorf("%w: texts are limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	if a.PersonalData == nil {
		// Card numbers, SSNs or bank accounts seen are personal data
		// themselves, whatever the asset declares (docs/incidents.md).
		inc, err := m.store.Incident(ctx, id)
		if err != nil {
			return err
		}
		if slices.Contains(m.indicates[inc.Rule], configs.IndicatesSensitiveData) {
			yes := true
			a.PersonalData = &yes
		}
	}
	if err := m.store.Assess(ctx, id, a, Change{Actor: actor, Reason: reason, At: m.now()}); err != nil {
		return err
	}
	m.syncObligationsAs(ctx, id, role)
	return nil
}

// Note appends a note, a decision or a correction.
func (m *Manager) Note(ctx context.Context, id int64, kind, text string, supersedes *int64, reason, actor string) (TimelineEntry, error) {
	if len(text) > maxTextBytes || len(reason) > maxTextBytes {
		return TimelineEntry{}, fmt.Errorf("%w: a note is limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	return m.store.Note(ctx, id, kind, Mask(text), supersedes, Change{Actor: actor, Reason: reason, At: m.now()})
}

// ScopeEdit changes an incident's scope: Assets, when set, recompute it
// from the declared assets; the other fields, when set, override.
type ScopeEdit struct {
	Assets         []string `json:"assets"`
	DataCategories []string `json:"data_categories"`
	DataSubjects   *int64   `json:"data_subjects"`
	Records        *int64   `json:"records"`
	Encrypted      *bool    `json:"encrypted"`
	KeysExposed    *bool    `json:"keys_exposed"`
}

// EditScope applies e to the incident's scope and recomputes the suggested
// risk and the cost exposure.
func (m *Manager) EditScope(ctx context.Context, id int64, e ScopeEdit, reason, actor string) (*Incident, error) {
	return m.EditScopeAs(ctx, id, e, reason, actor, "")
}

// EditScopeAs is EditScope by a person of role: an obligation only
// another role decides (decided_by) that the edit would rule out stays
// owed until that role decides it.
func (m *Manager) EditScopeAs(ctx context.Context, id int64, e ScopeEdit, reason, actor, role string) (*Incident, error) {
	inc, err := m.store.Incident(ctx, id)
	if err != nil {
		return nil, err
	}
	s := inc.Scope
	if e.Assets != nil {
		assets, err := m.assetsByName(e.Assets)
		if err != nil {
			return nil, err
		}
		s = ScopeOf(assets)
	}
	if e.DataCategories != nil {
		for _, c := range e.DataCategories {
			if !validCategory(c) {
				return nil, fmt.Errorf("%w: %q is not a data category name (lower-case words joined by '_')", ErrInvalid, c)
			}
		}
		s.DataCategories = e.DataCategories
	}
	for _, v := range []*int64{e.DataSubjects, e.Records} {
		if v != nil && *v < 0 {
			return nil, fmt.Errorf("%w: counts cannot be negative", ErrInvalid)
		}
	}
	if e.DataSubjects != nil {
		s.DataSubjects = *e.DataSubjects
	}
	if e.Records != nil {
		s.Records = *e.Records
	}
	if e.Encrypted != nil || e.KeysExposed != nil {
		// What a person found of the encryption holds for every asset,
		// so for each obligation's view too; counts and categories
		// edited by hand are the whole scope's (docs/incidents.md).
		s.Parts = slices.Clone(s.Parts)
		for i := range s.Parts {
			if e.Encrypted != nil {
				s.Parts[i].Encrypted = *e.Encrypted
			}
			if e.KeysExposed != nil {
				s.Parts[i].KeysExposed = *e.KeysExposed
			}
		}
	}
	if e.Encrypted != nil {
		s.Encrypted = *e.Encrypted
	}
	if e.KeysExposed != nil {
		s.KeysExposed = *e.KeysExposed
	}
	if len(reason) > maxTextBytes {
		return nil, fmt.Errorf("%w: reason is limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	suggested := Suggest(s, inc.Severity, m.indicates[inc.Rule], m.policy).Risk
	if len(s.Assets) == 0 && s.PersonalData() {
		// Edited by hand without assets: suggest from the facts given.
		s2 := s
		s2.Assets = []string{"(by hand)"}
		suggested = Suggest(s2, inc.Severity, m.indicates[inc.Rule], m.policy).Risk
	}
	if err := m.store.SetScope(ctx, id, s, CostExposure(s, m.policy), suggested, Change{Actor: actor, Reason: reason, At: m.now()}); err != nil {
		return nil, err
	}
	m.syncObligationsAs(ctx, id, role)
	return m.store.Incident(ctx, id)
}

func validCategory(c string) bool {
	if c == "" || len(c) > 64 || c[0] < 'a' || c[0] > 'z' {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

// SetClock sets aware_at or occurred_at.
func (m *Manager) SetClock(ctx context.Context, id int64, clock string, t time.Time, reason, actor string) error {
	if err := m.store.SetClock(ctx, id, clock, t, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()}); err != nil {
		return err
	}
	m.syncObligations(ctx, id)
	return nil
}

// Merge merges incidents from into into.
// The merged incidents' undecided obligations are closed with the
// reason (the store does it in the merge's transaction) and the
// survivor's are brought up to date.
func (m *Manager) Merge(ctx context.Context, into int64, from []int64, reason, actor string) error {
	return m.MergeAs(ctx, into, from, reason, actor, configs.RoleDPO)
}

// MergeAs is Merge by a person of role: the survivor takes the earliest
// clocks, the union of the scopes and the highest risk decision, and only
// the DPO merges an incident whose risk the DPO decided (docs/incidents.md).
func (m *Manager) MergeAs(ctx context.Context, into int64, from []int64, reason, actor, role string) error {
	opt := MergeOptions{DPO: role == "" || role == configs.RoleDPO, Rescope: func(inc *Incident, s Scope) (float64, Risk) {
		suggested := Suggest(s, inc.Severity, m.indicates[inc.Rule], m.policy).Risk
		return CostExposure(s, m.policy), suggested
	}}
	if !m.policies.Empty() {
		opt.Obligations = func(ctx context.Context, inc *Incident) ([]ObligationSpec, error) {
			return m.specsFor(ctx, inc, roleBreachd)
		}
	}
	if err := m.store.Merge(ctx, into, from, opt, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()}); err != nil {
		return err
	}
	m.syncObligations(ctx, into)
	return nil
}

// Purge applies the retention: what expired before now - retention goes.
func (m *Manager) Purge(ctx context.Context, actor string) (PurgeReport, error) {
	now := m.now()
	retention := m.policy.Retention
	if retention <= 0 {
		retention = configs.DefaultRetention
	}
	return m.store.Purge(ctx, retention, Change{Actor: actor, At: now, Reason: "retention"})
}

// clip cuts s to at most n bytes on a rune boundary and makes it valid UTF-8.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		for len(s) > 0 && !utf8.RuneStart(s[len(s)-1]) {
			s = s[:len(s)-1]
		}
		if len(s) > 0 {
			if r, _ := utf8.DecodeLastRuneInString(s); r == utf8.RuneError {
				s = s[:len(s)-1]
			}
		}
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func maskFields(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = Mask(clip(v, maxEvidenceBytes))
	}
	return out
}
