package incidents

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
)

// collectTimeout bounds the store reads a scrape makes: a store that
// does not answer in time fails the scrape's series with the error (an
// invalid metric), rather than holding the scrape or reporting a number.
const collectTimeout = 5 * time.Second

// openCollector exports the number of incidents per severity and status,
// and the ALERTS-like breachd_alerts per configured rule, read from the
// store at scrape time.
type openCollector struct {
	store interface {
		Counts(ctx context.Context) ([]Count, error)
	}
	logger *slog.Logger
	rules  *atomic.Pointer[alertRules]
	// pending counts, by rule, the group keys breachd_alerts calls pending.
	pending *atomic.Pointer[func() map[string]int]
}

// alertRules are the configured rules breachd_alerts has series for.
type alertRules struct {
	names    []string
	severity map[string]string
}

var (
	openDesc = prometheus.NewDesc("breachd_incidents", "Incidents by severity and status (merged ones excluded).",
		[]string{"severity", "status"}, nil)
	alertsDesc = prometheus.NewDesc("breachd_alerts",
		"Like Prometheus's ALERTS, per configured rule and its severity: state firing counts the rule's active incidents, "+
			"pending the group keys a threshold or sequence rule's window holds (attackers part-way, and those that fired within the window).",
		[]string{"rule", "severity", "state"}, nil)
)

func (c *openCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openDesc
	ch <- alertsDesc
}

func (c *openCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), collectTimeout)
	defer cancel()
	counts, err := c.store.Counts(ctx)
	if err != nil {
		c.logger.Warn("cannot count incidents", "err", err)
		ch <- prometheus.NewInvalidMetric(openDesc, err)
		return
	}
	seen := map[[2]string]int{}
	firing := map[string]int{}
	for _, n := range counts {
		seen[[2]string{n.Severity, string(n.Status)}] += n.N
		if n.Status.Active() {
			firing[n.Rule] += n.N
		}
	}
	// Every (severity, status) pair is exported, at zero when empty.
	for _, sev := range configs.Severities() {
		for _, st := range Statuses() {
			ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(seen[[2]string{sev.String(), string(st)}]), sev.String(), string(st))
		}
	}
	ar := c.rules.Load()
	if ar == nil {
		return
	}
	var pending map[string]int
	if f := c.pending.Load(); f != nil {
		pending = (*f)()
	}
	// Labels only from the config: an incident of a rule no longer
	// configured is counted in breachd_incidents only.
	for _, r := range ar.names {
		ch <- prometheus.MustNewConstMetric(alertsDesc, prometheus.GaugeValue, float64(firing[r]), r, ar.severity[r], "firing")
		ch <- prometheus.MustNewConstMetric(alertsDesc, prometheus.GaugeValue, float64(pending[r]), r, ar.severity[r], "pending")
	}
}

// obligationCollector exports, per (policy, recipient) of the config, the
// earliest due time of an undecided obligation, and the overdue ones per
// policy, read from the store at scrape time.
type obligationCollector struct {
	store interface {
		OpenObligations(ctx context.Context) ([]Obligation, error)
	}
	now      func() time.Time
	logger   *slog.Logger
	policies *atomic.Pointer[Policies]
}

var (
	dueDesc = prometheus.NewDesc("breachd_obligation_due_timestamp_seconds",
		"Earliest due time of an undecided obligation, by policy and recipient (absent when none is due).", []string{"policy", "recipient"}, nil)
	overdueDesc = prometheus.NewDesc("breachd_obligations_overdue",
		"Undecided obligations past their due time, by policy.", []string{"policy"}, nil)
	undecidedDesc = prometheus.NewDesc("breachd_obligations_undecided",
		"Obligations neither sent nor recorded as not required, by policy.", []string{"policy"}, nil)
)

func (c *obligationCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dueDesc
	ch <- overdueDesc
	ch <- undecidedDesc
}

func (c *obligationCollector) Collect(ch chan<- prometheus.Metric) {
	policies := c.policies.Load()
	if policies.Empty() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), collectTimeout)
	defer cancel()
	open, err := c.store.OpenObligations(ctx)
	if err != nil {
		c.logger.Warn("cannot read obligations", "err", err)
		ch <- prometheus.NewInvalidMetric(dueDesc, err)
		return
	}
	now := c.now()
	earliest := map[[2]string]time.Time{}
	overdue, undecided := map[string]int{}, map[string]int{}
	for _, o := range open {
		undecided[o.Policy]++
		if o.DueAt == nil {
			continue
		}
		kind, _ := configs.SplitRecipientKey(o.Recipient) // a label from the config, never a party
		k := [2]string{o.Policy, kind}
		if e, ok := earliest[k]; !ok || o.DueAt.Before(e) {
			earliest[k] = *o.DueAt
		}
		if now.After(*o.DueAt) {
			overdue[o.Policy]++
		}
	}
	for _, p := range policies.list {
		for _, o := range p.obs {
			// Labels only from the config, never from the store.
			if e, ok := earliest[[2]string{p.spec.Name, o.spec.Recipient}]; ok {
				ch <- prometheus.MustNewConstMetric(dueDesc, prometheus.GaugeValue, float64(e.Unix()), p.spec.Name, o.spec.Recipient)
			}
		}
		ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(overdue[p.spec.Name]), p.spec.Name)
		ch <- prometheus.MustNewConstMetric(undecidedDesc, prometheus.GaugeValue, float64(undecided[p.spec.Name]), p.spec.Name)
	}
}
