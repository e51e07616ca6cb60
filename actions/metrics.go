package actions

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/incidents"
)

// RunnerMetrics are the runner's metrics. They outlive a Runner: a reload
// builds a new Runner on the same RunnerMetrics, and Prune deletes the
// series of actions that left the config.
type RunnerMetrics struct {
	executions *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	active     *prometheus.GaugeVec
	reverts    *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool // actions series were made for
}

// NewRunnerMetrics returns the runner's metrics, registered with reg
// unless it is nil; pending approvals are counted in store at scrape time.
func NewRunnerMetrics(reg prometheus.Registerer, store approvals) *RunnerMetrics {
	m := &RunnerMetrics{
		names: map[string]bool{},
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "breachd_actions_executions_total",
			Help: "Action runs finished, by action and result (succeeded, failed, rejected, skipped).",
		}, []string{"action", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "breachd_actions_duration_seconds",
			Help:    "How long action runs took, by action.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"action"}),
		active: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "breachd_actions_containments_active",
			Help: "Containments in force (blocks, locks), by action.",
		}, []string{"action"}),
		reverts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "breachd_actions_reverts_total",
			Help: "Containments reverted, by action and result (reverted when their time was up or by hand, failed).",
		}, []string{"action", "result"}),
	}
	awaiting := &awaitingCollector{store: store}
	if reg != nil {
		reg.MustRegister(m.executions, m.duration, m.active, m.reverts, awaiting)
	}
	return m
}

// Configure makes the series of actions at zero; those that exist keep
// their values. A Runner made with its own metrics does it itself.
func (m *RunnerMetrics) Configure(acts map[string]Action) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range acts {
		m.names[name] = true
		for _, res := range results() {
			m.executions.WithLabelValues(name, string(res))
		}
		m.duration.WithLabelValues(name)
		if _, ok := acts[name].(Containment); ok {
			m.active.WithLabelValues(name)
			m.reverts.WithLabelValues(name, "reverted")
			m.reverts.WithLabelValues(name, "failed")
		}
	}
}

// Prune deletes the series of actions not named in keep.
func (m *RunnerMetrics) Prune(keep []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.names {
		if slices.Contains(keep, name) {
			continue
		}
		for _, c := range []interface{ DeletePartialMatch(prometheus.Labels) int }{m.executions, m.duration, m.active, m.reverts} {
			c.DeletePartialMatch(prometheus.Labels{"action": name})
		}
		delete(m.names, name)
	}
}

// approvals counts the runs waiting for a person.
type approvals interface {
	AwaitingApproval(ctx context.Context) ([]incidents.ActionRun, error)
}

// collectTimeout bounds the store read a scrape makes.
const collectTimeout = 5 * time.Second

var awaitingDesc = prometheus.NewDesc("breachd_actions_pending_approvals",
	"Action runs waiting for a responder to approve or deny them.", nil, nil)

// awaitingCollector counts the runs awaiting approval at scrape time. A
// store that fails or does not answer within collectTimeout fails the
// series with its error (the scrape says so) instead of a number.
type awaitingCollector struct{ store approvals }

func (c *awaitingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- awaitingDesc }

func (c *awaitingCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), collectTimeout)
	defer cancel()
	runs, err := c.store.AwaitingApproval(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(awaitingDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(awaitingDesc, prometheus.GaugeValue, float64(len(runs)))
}
