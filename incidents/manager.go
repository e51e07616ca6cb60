package incidents

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/rules"
)

// maxEvidenceBytes caps the evidence line kept on an incident.
const maxEvidenceBytes = 4096

// Manager records findings as incidents.
type Manager struct {
	store    Store
	now      func() time.Time
	logger   *slog.Logger
	opened   *prometheus.CounterVec
	attached *prometheus.CounterVec
	onOpen   func()
}

// Options configures a Manager.
type Options struct {
	Store  Store
	Now    func() time.Time
	Logger *slog.Logger
	// Registerer receives the manager's metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// Rules are the configured rule names, for which series start at zero.
	Rules []string
	// OnOpen is called after a commit that queued actions, to wake the
	// action runner.
	OnOpen func()
}

// NewManager returns a Manager. It starts nothing.
func NewManager(opts Options) *Manager {
	m := &Manager{store: opts.Store, now: opts.Now, logger: opts.Logger, onOpen: opts.OnOpen}
	if m.logger == nil {
		m.logger = slog.New(slog.DiscardHandler)
	}
	m.opened = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_incidents_opened_total",
		Help: "Incidents opened, by rule.",
	}, []string{"rule"})
	m.attached = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_incidents_findings_attached_total",
		Help: "Findings attached to an already active incident, by rule.",
	}, []string{"rule"})
	for _, r := range opts.Rules {
		m.opened.WithLabelValues(r)
		m.attached.WithLabelValues(r)
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(m.opened, m.attached)
	}
	return m
}

// Opened is the counter of incidents opened by rule.
func (m *Manager) Opened() *prometheus.CounterVec { return m.opened }

// Attached is the counter of findings attached to an active incident by
// rule.
func (m *Manager) Attached() *prometheus.CounterVec { return m.attached }

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
		items = append(items, NewIncident{
			Incident: Incident{
				Fingerprint:  f.Fingerprint,
				Rule:         f.Rule,
				GroupKey:     f.GroupKey,
				Title:        f.Title,
				Category:     f.Category,
				Severity:     f.Severity.String(),
				Status:       StatusOpen,
				Fields:       maskFields(f.Fields),
				Evidence:     Mask(clip(f.Evidence, maxEvidenceBytes)),
				FindingCount: 1,
				FirstSeen:    f.Time,
				LastSeen:     f.Time,
			},
			Actions: f.Actions,
			DryRun:  f.DryRun,
		})
	}
	outcomes, err := m.store.Record(ctx, items, progress, m.now())
	if err != nil {
		return fmt.Errorf("record %d findings: %w", len(findings), err)
	}
	for i, out := range outcomes {
		rule := items[i].Incident.Rule
		if !out.Opened {
			m.attached.WithLabelValues(rule).Inc()
			continue
		}
		m.opened.WithLabelValues(rule).Inc()
		m.logger.Info("incident opened", "id", out.IncidentID, "rule", rule, "title", items[i].Incident.Title,
			"severity", items[i].Incident.Severity, "actions", len(items[i].Actions))
		if len(items[i].Actions) > 0 && m.onOpen != nil {
			m.onOpen()
		}
	}
	return nil
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
