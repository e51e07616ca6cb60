package incidents

import (
	"context"
	"errors"
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
				entities[kind] = clip(v, 256)
			}
		}
		items = append(items, NewIncident{
			Incident: Incident{
				Fingerprint:         f.Fingerprint,
				Rule:                f.Rule,
				GroupKey:            f.GroupKey,
				Title:               f.Title,
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

// ManualReport is an incident reported by a person (P2): a customer, a user
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

// Notice renders obligation id's notice from what its incident holds now,
// as it is shown: a data subject's name and address stand masked (the
// notice mailed to the person names them).
func (m *Manager) Notice(ctx context.Context, id int64) (Notice, Obligation, error) {
	return m.notice(ctx, id, false)
}

// notice renders obligation id's notice; reveal fills in a data
// subject's name and address, for the notice that is sent.
func (m *Manager) notice(ctx context.Context, id int64, reveal bool) (Notice, Obligation, error) {
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Notice{}, ob, err
	}
	p, o := m.policies.compiled(ob.Policy, ob.Recipient)
	if o == nil || o.form == nil || m.cfg == nil {
		return Notice{}, ob, fmt.Errorf("%w: obligation %d's policy %s → %s is no longer configured", ErrConflict, id, ob.Policy, ob.Recipient)
	}
	inc, err := m.store.Incident(ctx, ob.IncidentID)
	if err != nil {
		return Notice{}, ob, err
	}
	to, err := m.contact(ctx, o.spec, ob, inc, reveal)
	if err != nil {
		return Notice{}, ob, err
	}
	n, err := renderNotice(m.cfg, p.spec, o.spec, o.form, ob, inc, to, m.now())
	if err != nil {
		return n, ob, err
	}
	header, err := m.updateHeader(ctx, ob)
	n.Text = header + n.Text
	return n, ob, err
}

// SetFacts changes what the notices say about an incident: the fields
// the patch gives replace the stored ones (an empty one clears it), the
// others are kept. Effects and caused_by take the form's choices
// (Appendix 4); a patch that would leave the facts as they are writes
// nothing and returns ErrUnchanged.
func (m *Manager) SetFacts(ctx context.Context, id int64, p FactsPatch, reason, actor string) error {
	if p.Empty() {
		return fmt.Errorf("%w: nothing to change: give at least one fact to change (nature, consequences, measures, effects, effects_other, caused_by, delay_reason); to clear one, give it empty (\"measures\": \"\", \"effects\": [])", ErrInvalid)
	}
	if err := p.normalize(); err != nil {
		return err
	}
	n := 0
	for _, v := range []*string{p.Nature, p.Consequences, p.Measures, p.EffectsOther, p.CausedBy, p.DelayReason} {
		if v != nil {
			n += len(*v)
		}
	}
	if n > maxTextBytes {
		return fmt.Errorf("%w: the facts are limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: say why the facts change (reason)", ErrInvalid)
	}
	for _, v := range []*string{p.Nature, p.Consequences, p.Measures, p.EffectsOther} {
		if v != nil {
			*v = Mask(*v)
		}
	}
	if err := m.store.SetFacts(ctx, id, p, Change{Actor: actor, Reason: reason, At: m.now()}); err != nil {
		return err
	}
	m.syncObligations(ctx, id) // a notice needing no approval may now be complete
	return nil
}

// DecideObligationAs is DecideObligation for a person of role: an
// obligation whose policy names the role that decides it (decided_by)
// is refused to every other role.
func (m *Manager) DecideObligationAs(ctx context.Context, id int64, state ObligationState, reason, actor, role string) (Obligation, error) {
	if err := m.MayDecide(ctx, id, actor, role); err != nil {
		return Obligation{}, err
	}
	return m.DecideObligation(ctx, id, state, reason, actor)
}

// MayDecide says whether a person of role may decide obligation id, or
// record how it was delivered (a call, a publication, a resend): every
// role may unless the policy names the one that decides it
// (decided_by).
func (m *Manager) MayDecide(ctx context.Context, id int64, actor, role string) error {
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return err
	}
	if _, spec := m.policies.spec(ob.Policy, ob.Recipient); spec != nil && spec.DecidedBy != "" && role != spec.DecidedBy {
		return fmt.Errorf("%w: only the %s may approve, send, rule out or record the delivery of the notice %s → %s (the policy's decided_by); %s holds the role %s",
			ErrForbidden, spec.DecidedBy, ob.Policy, ob.Recipient, actor, role)
	}
	return nil
}

// DecideObligation records a person's decision on an obligation; a notice
// is approved only when its form lacks nothing.
func (m *Manager) DecideObligation(ctx context.Context, id int64, state ObligationState, reason, actor string) (Obligation, error) {
	if len(reason) > maxTextBytes {
		return Obligation{}, fmt.Errorf("%w: reason is limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	var out *NoticeOut
	if state == ObligationSent || state == ObligationApproved {
		ob, err := m.store.ObligationByID(ctx, id)
		if err != nil {
			return Obligation{}, err
		}
		if err := m.hasParty(ob); err != nil {
			return Obligation{}, err
		}
	}
	if state == ObligationSent {
		if err := m.firstSentByID(ctx, id); err != nil {
			return Obligation{}, err
		}
	}
	if state == ObligationApproved {
		n, ob, err := m.Notice(ctx, id)
		if err != nil {
			return Obligation{}, err
		}
		if err := m.firstSent(ctx, ob); err != nil {
			return Obligation{}, err
		}
		if len(n.Missing) > 0 {
			return Obligation{}, fmt.Errorf("%w: the notice lacks %s; fill them in before approving it", ErrConflict, strings.Join(n.Missing, ", "))
		}
		if out, err = m.noticeOut(ctx, ob, n); err != nil {
			return Obligation{}, err
		}
	}
	ob, err := m.store.DecideObligationByID(ctx, id, state, Change{Actor: actor, Reason: reason, At: m.now()}, out)
	if err == nil && out != nil && m.onQueued != nil {
		m.onQueued(nil) // the notifier sends it now
	}
	return ob, err
}

// pages lists the messages a new incident of severity and category owes.
func (m *Manager) pages(severity, category string) []Page {
	return RoutePages(m.routes, severity, category)
}

// RoutePages lists the messages routes owe for an incident of severity
// and category: one per channel of every route that matches. The action
// runner pages the same channels when a run needs a person.
func RoutePages(routes []*configs.Route, severity, category string) []Page {
	var out []Page
	for _, r := range routes {
		if !r.Matches(severity, category) {
			continue
		}
		for _, ch := range r.Channels {
			out = append(out, Page{Route: r.Name, Channel: ch})
		}
	}
	return out
}

// ResendAs sends a message again by hand, as a new message with its own
// key, for a person of role: a notice is held to its obligation's
// decided_by, as approving and sending it are.
func (m *Manager) ResendAs(ctx context.Context, id int64, reason, actor, role string) (Message, error) {
	msg, err := m.store.Message(ctx, id)
	if err != nil {
		return Message{}, err
	}
	if msg.ObligationID != 0 {
		if err := m.MayDecide(ctx, msg.ObligationID, actor, role); err != nil {
			return Message{}, err
		}
	}
	return m.Resend(ctx, id, reason, actor)
}

// Resend sends a message again by hand, as a new message with its own
// key, linked to it.
func (m *Manager) Resend(ctx context.Context, id int64, reason, actor string) (Message, error) {
	msg, err := m.store.Resend(ctx, id, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()})
	if err == nil && m.onQueued != nil {
		m.onQueued(nil)
	}
	return msg, err
}

// syncObligations checks the incident against the policies after a
// person's change, and moves its notices along (drafted, or queued when
// they need no approval); a failure is logged (the obligations are
// checked again at the next change, the notices every minute).
func (m *Manager) syncObligations(ctx context.Context, id int64) {
	m.checkObligations(ctx, id, true, roleBreachd)
}

// syncObligationsAs is syncObligations after a risk decision, a move or
// a scope edit by a person of role ("" for a caller not limited by
// role, which rules out any obligation): an obligation
// whose condition stops holding is ruled out only if role may decide it
// (decided_by); otherwise it stays owed (ObligationSpec.HeldFor).
func (m *Manager) syncObligationsAs(ctx context.Context, id int64, role string) {
	m.checkObligations(ctx, id, true, role)
}

// checkObligations checks the incident against the policies; with
// advance, it renders its notices too. The detector's path (a new
// incident) does not: its notices lack the facts a person adds, and
// AdvanceNotices catches up within a minute.
func (m *Manager) checkObligations(ctx context.Context, id int64, advance bool, role string) {
	if m.policies.Empty() {
		return
	}
	inc, err := m.store.Incident(ctx, id)
	if err == nil {
		var specs []ObligationSpec
		if specs, err = m.specsFor(ctx, inc, role); err == nil {
			err = m.store.SyncObligations(ctx, id, specs, m.now())
		}
	}
	if err == nil && advance {
		var obs []Obligation
		if obs, err = m.store.Obligations(ctx, id); err == nil {
			_, err = m.advanceNotices(ctx, obs)
		}
	}
	if err != nil {
		m.logger.Error("cannot check the incident's obligations", "id", id, "err", err)
	}
}

// specsFor evaluates the policies for inc, held for role.
func (m *Manager) specsFor(ctx context.Context, inc *Incident, role string) ([]ObligationSpec, error) {
	id := inc.ID
	inc.Indicates = m.indicates[inc.Rule]
	all, removedFor, err := m.removed(ctx, id)
	if err != nil {
		return nil, err
	}
	inc.RemovedFor = removedFor
	// Removed for the incident: for all its customers, each named
	// by a removal, or by one that names none.
	inc.SensitiveDataRemoved = all || (len(inc.Scope.Customers) > 0 && !slices.ContainsFunc(inc.Scope.Customers, func(c string) bool {
		return !slices.Contains(inc.RemovedFor, c)
	}))
	var parties Parties
	if m.policies.fansOut(configs.ForEachDataSubjects) {
		if parties.Subjects, err = m.store.SubjectIDs(ctx, id); err != nil {
			return nil, err
		}
	}
	specs, err := m.policies.EvaluateFor(inc, parties)
	if err == nil && role != "" {
		m.holdFor(specs, role)
	}
	return specs, err
}

// AdvanceNotices moves undecided notices along as their facts arrive: a
// notice needing a person is drafted once its form lacks nothing (and
// back to pending if a fact goes); one needing no approval (approval =
// false) whose recipient names channels is queued then. The daemon calls
// it every minute, so a notice missed by a crash still goes out; the lists
// of data subjects no notice needs any more are purged then too. It
// returns how many notices it queued.
func (m *Manager) AdvanceNotices(ctx context.Context) (int, error) {
	if m.cfg == nil || m.policies.Empty() {
		return 0, nil
	}
	open, err := m.store.OpenObligations(ctx)
	if err != nil {
		return 0, err
	}
	n, err := m.advanceNotices(ctx, open)
	if err != nil {
		return n, err
	}
	_, err = m.PurgeSubjectLists(ctx)
	return n, err
}

func (m *Manager) advanceNotices(ctx context.Context, obs []Obligation) (int, error) {
	if m.cfg == nil {
		return 0, nil
	}
	queued := 0
	for _, ob := range obs {
		if ob.State != ObligationPending && ob.State != ObligationDrafted {
			continue
		}
		n, _, err := m.Notice(ctx, ob.ID)
		if errors.Is(err, ErrConflict) {
			continue // its policy left the config
		}
		if err != nil {
			return queued, err
		}
		complete := len(n.Missing) == 0
		var out *NoticeOut
		first := m.firstSent(ctx, ob)
		if first != nil && !errors.Is(first, ErrConflict) {
			return queued, first // the store failed: not "wait for the notice before"
		}
		if !ob.Approval && complete && first == nil {
			// Where it would go by itself; one that cannot (a party
			// without the address its channel needs, say) waits for a
			// person, and holds up no other notice.
			if out, err = m.noticeOut(ctx, ob, n); err != nil {
				m.logger.Warn("a notice that needs no approval cannot go out by itself; it waits for a person",
					"obligation", ob.ID, "policy", ob.Policy, "err", err)
				out = nil
			}
		}
		if ob.Approval || !complete || out == nil {
			// A person approves it, or sends it: say when it is ready.
			if complete != (ob.State == ObligationDrafted) {
				if err := m.store.SetDrafted(ctx, ob.ID, complete, m.now()); err != nil {
					return queued, err
				}
			}
			continue
		}
		if _, err := m.store.DecideObligationByID(ctx, ob.ID, ObligationApproved,
			Change{Actor: "breachd", Reason: "policy " + ob.Policy + " needs no approval for this notice", At: m.now()}, out); err != nil {
			return queued, err
		}
		queued++
	}
	if queued > 0 && m.onQueued != nil {
		m.onQueued(nil)
	}
	return queued, nil
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
