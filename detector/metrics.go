package detector

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/syslognet"
	"github.com/breachd/breachd/rules"
)

// Metrics are the detector's metrics. They outlive a Detector: a reload
// builds a new Detector on the same Metrics, so the counters of sources
// that stay keep counting, and Prune deletes the series of sources that
// left the config.
type Metrics struct {
	linesRead      *prometheus.CounterVec
	linesTruncated *prometheus.CounterVec
	parseFailures  *prometheus.CounterVec
	rotations      *prometheus.CounterVec
	truncations    *prometheus.CounterVec
	released       *prometheus.CounterVec
	commits        *prometheus.CounterVec
	bytesRead      *prometheus.CounterVec
	lastRead       *prometheus.GaugeVec
	dropped        *prometheus.CounterVec
	connections    *prometheus.GaugeVec
	lag            *prometheus.GaugeVec
	sourceUp       *prometheus.GaugeVec
	scrapeUp       *prometheus.GaugeVec
	scrapeDuration *prometheus.GaugeVec
	evalDuration   *prometheus.HistogramVec
	sinkFailures   prometheus.Counter

	rules *ruleCollector

	mu sync.Mutex
	// sources and targets are the label values series were made for.
	sources map[string]bool
	targets map[[2]string]bool
}

// evalSampleEvery is how often (one line in so many) the evaluation time
// is measured: reading the clock around every line would cost more than
// many rules do.
const evalSampleEvery = 64

// NewMetrics returns the detector's metrics, registered with reg unless
// it is nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	perSource := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"source"})
	}
	m := &Metrics{sources: map[string]bool{}, targets: map[[2]string]bool{}}
	m.linesRead = perSource("breachd_detector_lines_read_total",
		"Lines read and fully processed (evaluated, findings and position committed), by source.")
	m.linesTruncated = perSource("breachd_detector_lines_truncated_total",
		"Lines longer than the line limit, cut before evaluation, by source.")
	m.parseFailures = perSource("breachd_detector_parse_failures_total",
		"Lines that did not parse in the source's format and were evaluated as raw lines, by source.")
	m.rotations = perSource("breachd_detector_file_rotations_total",
		"Times a followed path was found to name a new file (rename or recreate), by source.")
	m.truncations = perSource("breachd_detector_file_truncations_total",
		"Times a followed file was found truncated and read again from its start, by source.")
	m.released = perSource("breachd_detector_rotated_files_released_total",
		"Rotated files let go after being read until idle for the source's rotate_grace, by source.")
	m.commits = perSource("breachd_detector_commits_total",
		"Batches of findings and positions committed, by source.")
	m.bytesRead = perSource("breachd_detector_bytes_read_total",
		"Bytes of lines, entries or messages read, by source.")
	m.lastRead = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_detector_last_read_timestamp_seconds",
		Help: "When the source last delivered a line (Unix time); 0 if never.",
	}, []string{"source"})
	m.dropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "breachd_detector_messages_dropped_total",
		Help: "Network messages or connections dropped, by source and reason (queue_full, connection_limit, frame_error).",
	}, []string{"source", "reason"})
	m.connections = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_detector_connections",
		Help: "Open TCP connections of a syslog source.",
	}, []string{"source"})
	m.sourceUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_detector_source_up",
		Help: "1 while a source is being read, 0 once it stopped (an error, or the end of standard input).",
	}, []string{"source"})
	m.lag = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_detector_file_lag_bytes",
		Help: "Bytes written to a file source's files and not yet read, at the last poll.",
	}, []string{"source"})
	m.scrapeUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_scrape_up",
		Help: "1 if the last scrape or query of a metrics source's target succeeded, else 0.",
	}, []string{"source", "target"})
	m.scrapeDuration = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "breachd_scrape_duration_seconds",
		Help: "How long the last scrape or query of a metrics source's target took.",
	}, []string{"source", "target"})
	m.evalDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "breachd_rules_evaluation_duration_seconds",
		Help:    "Time to run one line through the rules of its source, measured on one line in 64, by source.",
		Buckets: []float64{1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2},
	}, []string{"source"})
	m.sinkFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "breachd_detector_sink_failures_total",
		Help: "Attempts to commit findings that failed and were retried.",
	})
	m.rules = newRuleCollector()
	if reg != nil {
		reg.MustRegister(m.linesRead, m.linesTruncated, m.parseFailures, m.rotations, m.truncations, m.released, m.commits,
			m.bytesRead, m.lastRead, m.dropped, m.connections, m.lag, m.sourceUp, m.scrapeUp, m.scrapeDuration,
			m.evalDuration, m.sinkFailures, m.rules)
	}
	return m
}

// Configure makes the series of sources at zero (those that exist keep
// their values) and points the rule metrics at engine. A Detector made
// with its own metrics does it itself.
func (m *Metrics) Configure(sources []*configs.Source, engine *rules.Engine) {
	m.rules.engine.Store(engine)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range sources {
		m.sources[s.Name] = true
		for _, v := range []*prometheus.CounterVec{m.linesRead, m.linesTruncated, m.parseFailures, m.rotations, m.truncations, m.released, m.commits, m.bytesRead} {
			v.WithLabelValues(s.Name)
		}
		m.lastRead.WithLabelValues(s.Name)
		m.sourceUp.WithLabelValues(s.Name)
		m.evalDuration.WithLabelValues(s.Name)
		if s.Kind == configs.KindFile {
			m.lag.WithLabelValues(s.Name)
		}
		if s.Kind == configs.KindSyslog {
			for _, r := range syslognet.DropReasons() {
				m.dropped.WithLabelValues(s.Name, string(r))
			}
			m.connections.WithLabelValues(s.Name)
		}
		if s.Metrics != nil {
			for _, target := range s.Metrics.Targets {
				m.targets[[2]string{s.Name, redacted(target)}] = true
				m.scrapeUp.WithLabelValues(s.Name, redacted(target))
				m.scrapeDuration.WithLabelValues(s.Name, redacted(target))
			}
		}
	}
}

// Prune deletes the series of sources and scrape targets that are not in
// sources: after a reload, what left the config leaves the metrics.
func (m *Metrics) Prune(sources []*configs.Source) {
	keep := map[string]bool{}
	keepTargets := map[[2]string]bool{}
	for _, s := range sources {
		keep[s.Name] = true
		if s.Metrics != nil {
			for _, t := range s.Metrics.Targets {
				keepTargets[[2]string{s.Name, redacted(t)}] = true
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.sources {
		if keep[name] {
			continue
		}
		l := prometheus.Labels{"source": name}
		for _, c := range []interface{ DeletePartialMatch(prometheus.Labels) int }{
			m.linesRead, m.linesTruncated, m.parseFailures, m.rotations, m.truncations, m.released, m.commits, m.bytesRead,
			m.lastRead, m.dropped, m.connections, m.lag, m.sourceUp, m.scrapeUp, m.scrapeDuration, m.evalDuration,
		} {
			c.DeletePartialMatch(l)
		}
		delete(m.sources, name)
	}
	for t := range m.targets {
		if !keepTargets[t] {
			m.scrapeUp.DeleteLabelValues(t[0], t[1])
			m.scrapeDuration.DeleteLabelValues(t[0], t[1])
			delete(m.targets, t)
		}
	}
}

// ruleCollector exports the rules engine's counters at scrape time, so the
// hot path pays only for atomic increments. It follows the engine in use.
type ruleCollector struct {
	engine                                                   atomic.Pointer[rules.Engine]
	evaluations, matches, findings, whereErrors, evict, keys *prometheus.Desc
	// conns, connEvict and connDropped are the connection blocks' state
	// (rules/connection.go), for the rules that have one.
	conns, connEvict, connDropped *prometheus.Desc
}

func newRuleCollector() *ruleCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"rule"}, nil)
	}
	return &ruleCollector{
		evaluations: desc("breachd_rules_evaluations_total", "Lines a rule was evaluated on (those its source's prefilter let through), by rule."),
		matches:     desc("breachd_rules_matches_total", "Lines that matched a rule's match and where, by rule."),
		findings:    desc("breachd_rules_findings_total", "Findings produced, by rule."),
		whereErrors: desc("breachd_rules_where_errors_total", "where conditions that failed at run time (the line counted as no match), by rule."),
		evict:       desc("breachd_rules_window_evictions_total", "Window keys evicted because the rule reached its key cap, by rule."),
		keys:        desc("breachd_rules_window_keys", "Group keys a rule's threshold window currently tracks, by rule."),
		conns:       desc("breachd_rules_connections", "Connections a rule's connection block currently tracks, by rule (rules with a connection block only)."),
		connEvict:   desc("breachd_rules_connection_evictions_total", "Connections evicted because the rule reached its connection block's max_keys, by rule."),
		connDropped: desc("breachd_rules_connection_lines_dropped_total", "Lines a connection held or was waiting to complete, lost when it expired or was evicted, or past the per-connection cap, by rule."),
	}
}

func (c *ruleCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.evaluations
	ch <- c.matches
	ch <- c.findings
	ch <- c.whereErrors
	ch <- c.evict
	ch <- c.keys
	ch <- c.conns
	ch <- c.connEvict
	ch <- c.connDropped
}

func (c *ruleCollector) Collect(ch chan<- prometheus.Metric) {
	e := c.engine.Load()
	if e == nil {
		return
	}
	for _, s := range e.Stats() {
		ch <- prometheus.MustNewConstMetric(c.evaluations, prometheus.CounterValue, float64(s.Evaluations), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.matches, prometheus.CounterValue, float64(s.Matches), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.findings, prometheus.CounterValue, float64(s.Findings), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.whereErrors, prometheus.CounterValue, float64(s.WhereErrors), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.evict, prometheus.CounterValue, float64(s.Evictions), s.Rule)
		ch <- prometheus.MustNewConstMetric(c.keys, prometheus.GaugeValue, float64(s.Keys), s.Rule)
		if s.Connection {
			ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(s.Connections), s.Rule)
			ch <- prometheus.MustNewConstMetric(c.connEvict, prometheus.CounterValue, float64(s.ConnectionEvictions), s.Rule)
			ch <- prometheus.MustNewConstMetric(c.connDropped, prometheus.CounterValue, float64(s.ConnectionLinesDropped), s.Rule)
		}
	}
}
