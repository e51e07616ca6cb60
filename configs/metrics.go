package configs

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// Metrics source kinds.
const (
	KindScrape SourceKind = "scrape"
	KindPromQL SourceKind = "promql"
)

// Fields of metrics sources.
const (
	FieldMetric = "metric"
	FieldValue  = "value"
	FieldTarget = "target"
)

// MetricsSource is a scrape or promql source.
type MetricsSource struct {
	// Targets are the URLs scraped, or the Prometheus server queried.
	Targets []string
	// Query is the PromQL expression of a promql source.
	Query string
	// Metrics keeps only these metric names (scrape); empty keeps all.
	Metrics []string
	// Labels are the labels exposed to rules as fields.
	Labels            []string
	Interval, Timeout time.Duration
}

// Defaults of metrics sources.
const (
	DefaultScrapeInterval = 15 * time.Second
	DefaultScrapeTimeout  = 10 * time.Second
	minScrapeInterval     = time.Second
)

type metricsBody struct {
	Targets       []string  `hcl:"targets,optional"`
	TargetsRange  hcl.Range `hcl:"targets,attr_value_range"`
	URL           *string   `hcl:"url,optional"`
	URLRange      hcl.Range `hcl:"url,attr_value_range"`
	Query         *string   `hcl:"query,optional"`
	QueryRange    hcl.Range `hcl:"query,attr_value_range"`
	Metrics       []string  `hcl:"metrics,optional"`
	Labels        []string  `hcl:"labels,optional"`
	LabelsRange   hcl.Range `hcl:"labels,attr_value_range"`
	Interval      *string   `hcl:"interval,optional"`
	IntervalRange hcl.Range `hcl:"interval,attr_value_range"`
	Timeout       *string   `hcl:"timeout,optional"`
	TimeoutRange  hcl.Range `hcl:"timeout,attr_value_range"`
}

func (c *Config) decodeMetrics(b *sourceBlock) (*Source, hcl.Diagnostics) {
	var body metricsBody
	if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
		return nil, d
	}
	kind := SourceKind(b.Type)
	var diags hcl.Diagnostics
	bad := func(summary, detail string, rng hcl.Range) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	m := &MetricsSource{Interval: DefaultScrapeInterval, Timeout: DefaultScrapeTimeout, Metrics: body.Metrics}
	s := &Source{Kind: kind, Name: b.Name, Metrics: m, Location: time.UTC, StartAt: StartAtEnd, DeclRange: b.DefRange}
	checkURL := func(u string, rng hcl.Range) {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			bad("Invalid URL", fmt.Sprintf("%q is not an http or https URL, e.g. \"http://127.0.0.1:9100/metrics\".", u), rng)
		}
	}
	switch kind {
	case KindScrape:
		if len(body.Targets) == 0 {
			bad("Scrape source has no targets", "List the exposition URLs to scrape, e.g. targets = [\"http://127.0.0.1:9100/metrics\"].", b.DefRange)
		}
		for _, u := range body.Targets {
			checkURL(u, body.TargetsRange)
		}
		m.Targets = body.Targets
		if body.URL != nil || body.Query != nil {
			bad("Attribute not used by scrape", "url and query belong to a promql source; a scrape source has targets.", b.DefRange)
		}
	case KindPromQL:
		if body.URL == nil || body.Query == nil || strings.TrimSpace(*body.Query) == "" {
			bad("PromQL source needs url and query", "Set url (the Prometheus server, e.g. \"http://127.0.0.1:9090\") and query (a PromQL expression returning an instant vector).", b.DefRange)
		} else {
			checkURL(*body.URL, body.URLRange)
			m.Targets, m.Query = []string{*body.URL}, *body.Query
		}
		if body.Targets != nil || body.Metrics != nil {
			bad("Attribute not used by promql", "targets and metrics belong to a scrape source; a promql source has url and query.", b.DefRange)
		}
	}
	dur := func(v *string, rng hcl.Range, name string, into *time.Duration) {
		if v == nil {
			return
		}
		d, err := time.ParseDuration(*v)
		if err != nil || d < minScrapeInterval {
			bad("Invalid "+name, fmt.Sprintf("%s is %q; write a duration of at least 1s, e.g. \"15s\".", name, *v), rng)
			return
		}
		*into = d
	}
	dur(body.Interval, body.IntervalRange, "interval", &m.Interval)
	dur(body.Timeout, body.TimeoutRange, "timeout", &m.Timeout)
	if body.Timeout == nil && m.Timeout > m.Interval {
		m.Timeout = m.Interval
	}
	if m.Timeout > m.Interval {
		bad("Timeout longer than interval", fmt.Sprintf("timeout (%s) must not exceed interval (%s).", m.Timeout, m.Interval), body.TimeoutRange)
	}
	for _, l := range body.Labels {
		if d := checkFieldName(l, body.LabelsRange); d != nil {
			diags = append(diags, d)
		}
		switch l {
		case FieldMetric, FieldValue, FieldTarget:
			bad("Reserved field name", fmt.Sprintf("Label %q would hide the field of the same name; metrics sources provide metric, value and target.", l), body.LabelsRange)
		}
	}
	m.Labels = body.Labels
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}
