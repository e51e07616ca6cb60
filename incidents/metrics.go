package incidents

import (
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
)

// Metrics are the incident metrics. They outlive a Manager: a reload
// builds a new Manager on the same Metrics, so the counters of rules that
// stay keep counting, and Prune deletes the series of rules that left the
// config.
type Metrics struct {
	opened   *prometheus.CounterVec
	attached *prometheus.CounterVec
	closed   *prometheus.CounterVec
	contain  prometheus.Histogram

	rules    atomic.Pointer[alertRules]
	pending  atomic.Pointer[func() map[string]int]
	policies atomic.Pointer[Policies]

	mu    sync.Mutex
	names map[string]bool // rules series were made for
}

// NewMetrics returns the incident metrics, registered with reg unless it is
// nil; the gauges are read from store at scrape time.
func NewMetrics(reg prometheus.Registerer, store Store, now func() time.Time, logger *slog.Logger) *Metrics {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{names: map[string]bool{}}
	m.opened = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_incidents_opened_total",
		Help: "Incidents opened, by rule (\"manual\" for those opened by hand).",
	}, []string{"rule"})
	m.attached = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_incidents_findings_attached_total",
		Help: "Findings attached to an already active incident, by rule.",
	}, []string{"rule"})
	m.closed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_incidents_closed_total",
		Help: "Incidents closed or marked false positive, by rule.",
	}, []string{"rule"})
	m.contain = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "breachd_incidents_detection_to_containment_seconds",
		Help:    "Time from an incident's detection to its first move to contained.",
		Buckets: []float64{1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 72 * 3600},
	})
	if reg != nil {
		reg.MustRegister(m.opened, m.attached, m.closed, m.contain,
			&openCollector{store: store, logger: logger, rules: &m.rules, pending: &m.pending},
			&obligationCollector{store: store, now: now, logger: logger, policies: &m.policies})
	}
	return m
}

// Configure makes the series of rules at zero (those that exist keep their
// values) and points the gauges at the config's rules and policies. A
// Manager made with its own metrics does it itself.
func (m *Metrics) Configure(rules []string, cfg *configs.Config, policies *Policies) {
	m.policies.Store(policies)
	ar := &alertRules{names: rules, severity: map[string]string{}}
	if cfg != nil {
		for _, r := range cfg.Rules {
			ar.severity[r.Name] = r.Severity.String()
		}
	}
	for _, r := range rules {
		if ar.severity[r] == "" {
			ar.severity[r] = configs.DefaultSeverity.String()
		}
	}
	m.rules.Store(ar)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range append([]string{ManualRule}, rules...) {
		m.names[r] = true
		m.opened.WithLabelValues(r)
		m.attached.WithLabelValues(r)
		m.closed.WithLabelValues(r)
	}
}

// SetPending gives breachd_alerts its pending state: the group keys each
// rule's window holds, by rule.
func (m *Metrics) SetPending(pending func() map[string]int) { m.pending.Store(&pending) }

// Prune deletes the series of rules not named in keep ("manual" stays).
func (m *Metrics) Prune(keep []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.names {
		if name == ManualRule || slices.Contains(keep, name) {
			continue
		}
		m.opened.DeleteLabelValues(name)
		m.attached.DeleteLabelValues(name)
		m.closed.DeleteLabelValues(name)
		delete(m.names, name)
	}
}
