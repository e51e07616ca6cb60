package detector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/rules"
)

// ruleCollector exports the rules engine's counters at scrape time, so the
// hot path pays only for atomic increments.
type ruleCollector struct {
	engine                                      *rules.Engine
	matches, findings, whereErrors, evict, keys *prometheus.Desc
}

func newRuleCollector(e *rules.Engine) *ruleCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"rule"}, nil)
	}
	return &ruleCollector{
		engine:      e,
		matches:     desc("breachd_rules_matches_total", "Lines that matched a rule's match and where, by rule."),
		findings:    desc("breachd_rules_findings_total", "Findings produced, by rule."),
		whereErrors: desc("breachd_rules_where_errors_total", "where conditions that failed at run time (the line counted as no match), by rule."),
		evict:       desc("breachd_rules_window_evictions_total", "Window keys evicted because the rule reached its key cap, by rule."),
		keys:        desc("breachd_rules_window_keys", "Group keys a rule's threshold window currently tracks, by rule."),
	}
}

func (c *ruleCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.matches
	ch <- c.findings
	ch <- c.whereErrors
	ch <- c.evict
	ch <- c.keys
}

func (c *ruleCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.engine.Stats() {
		ch <- prometheus.MustNewConstMetric(c.matches, prometheus.CounterValue, float64(s.Matches), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.findings, prometheus.CounterValue, float64(s.Findings), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.whereErrors, prometheus.CounterValue, float64(s.WhereErrors), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.evict, prometheus.CounterValue, float64(s.Evictions), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.keys, prometheus.GaugeValue, float64(s.Keys), s.Rule)
	}
}
