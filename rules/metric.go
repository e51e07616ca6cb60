package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
)

// Variables of a metric rule's when condition, and fields of its findings.
const (
	FieldRate     = "rate"
	FieldIncrease = "increase"
)

// metricRule evaluates a metric block: per series, the samples within the
// window, whether the condition holds, since when, and whether it fired.
type metricRule struct {
	name      string
	labels    []labelMatcher
	when      *vm.Program
	vm        vm.VM
	env       map[string]any
	window    time.Duration
	forDur    time.Duration
	srcFields []string
	source    string

	series *keyed[series]
}

type labelMatcher struct {
	field int // index in the event's fields
	re    *regexp.Regexp
}

type series struct {
	key     string
	samples []sample // within the window, oldest first
	pending time.Time
	firing  bool
}

type sample struct {
	t time.Time
	v float64
}

func compileMetric(cfg *configs.Config, spec *configs.Rule, opts Options) (*metricRule, map[string]bool, hcl.Diagnostics) {
	mr := &metricRule{name: spec.Metric.Name, window: spec.Metric.Window, forDur: spec.Metric.For, source: spec.Source,
		series: newKeyed[series](opts.MaxKeysPerRule)}
	src := cfg.SourceByName(spec.Source)
	if src == nil || src.Metrics == nil {
		return nil, nil, nil // reported by configs
	}
	mr.srcFields = src.Fields()
	var diags hcl.Diagnostics
	known := map[string]bool{FieldRate: true, FieldIncrease: true}
	env := map[string]any{FieldRule: spec.Name, FieldSource: ""}
	for _, f := range mr.srcFields {
		known[f] = true
		env[f] = ""
		if f == FieldRate || f == FieldIncrease {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Label hides a metric variable",
				Detail:   fmt.Sprintf("Source %q exposes a label named %q, which metric rules use for the computed %s; do not list it in the source's labels.", src.Name, f, f),
				Subject:  spec.Metric.DeclRange.Ptr(),
			})
		}
	}
	env[configs.FieldValue], env[FieldRate], env[FieldIncrease] = 0.0, 0.0, 0.0
	for name, pattern := range spec.Metric.Labels {
		idx := -1
		for i, f := range mr.srcFields {
			if f == name && i >= 3 { // after metric, value, target
				idx = i
			}
		}
		if idx < 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Label not exposed by the source",
				Detail:   fmt.Sprintf("The metric rule matches label %q; list it in source %q's labels so its samples carry it.", name, spec.Source),
				Subject:  spec.Metric.LabelsRange.Ptr(),
			})
			continue
		}
		re, err := regexp.Compile("^(?:" + pattern + ")$")
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid label expression",
				Detail:   fmt.Sprintf("Label %q: %v. Label values are matched whole by an RE2 expression, as in PromQL's =~.", name, err),
				Subject:  spec.Metric.LabelsRange.Ptr(),
			})
			continue
		}
		mr.labels = append(mr.labels, labelMatcher{idx, re})
	}
	prog, err := expr.Compile(spec.Metric.When, append([]expr.Option{expr.Env(env), expr.AsBool(), expr.MaxNodes(maxWhereNodes)}, functions()...)...)
	if err != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid when condition",
			Detail:   fmt.Sprintf("%v. when is an expr-lang condition over value, rate and increase (numbers) and the source's fields.", err),
			Subject:  spec.Metric.WhenRange.Ptr(),
		})
	}
	mr.when, mr.env = prog, env
	return mr, known, diags
}

// evaluateMetric updates the event's series and fires when the condition
// has held for the rule's for duration, or resolves when it stops holding.
func (r *Rule) evaluateMetric(ev Event, out []Finding) []Finding {
	mr := r.metric
	if ev.Source != mr.source || len(ev.Fields) < 3 || string(ev.Fields[0]) != mr.name {
		return out
	}
	for _, l := range mr.labels {
		if l.field >= len(ev.Fields) || !l.re.Match(ev.Fields[l.field]) {
			return out
		}
	}
	v, err := strconv.ParseFloat(string(ev.Fields[1]), 64)
	if err != nil {
		return out
	}
	// The series is the sample without its value: name{labels}.
	key := string(ev.Line)
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == ' ' {
			key = key[:i]
			break
		}
	}
	s := mr.get(key)
	s.samples = append(s.samples, sample{ev.Time, v})
	cut := 0
	for cut < len(s.samples)-1 && ev.Time.Sub(s.samples[cut].t) > mr.window {
		cut++
	}
	s.samples = append(s.samples[:0], s.samples[cut:]...)
	increase, rate := counterIncrease(s.samples)

	for i, f := range mr.srcFields {
		if i < len(ev.Fields) {
			mr.env[f] = string(ev.Fields[i])
		}
	}
	mr.env[configs.FieldValue], mr.env[FieldRate], mr.env[FieldIncrease] = v, rate, increase
	mr.env[FieldSource] = ev.Source
	res, err := mr.vm.Run(mr.when, mr.env)
	if err != nil {
		r.stats.whereErrors.Add(1)
		return out
	}
	holds, _ := res.(bool)
	if !holds {
		s.pending = time.Time{}
		if !s.firing {
			return out
		}
		s.firing = false
		f := r.metricFinding(ev, key, rate, increase)
		f.Resolved = true
		return append(out, f)
	}
	r.stats.matches.Add(1)
	if s.pending.IsZero() {
		s.pending = ev.Time
	}
	if s.firing || ev.Time.Sub(s.pending) < mr.forDur {
		return out
	}
	s.firing = true
	return append(out, r.metricFinding(ev, key, rate, increase))
}

func (r *Rule) metricFinding(ev Event, key string, rate, increase float64) Finding {
	mr := r.metric
	fields := make(map[string]string, len(mr.srcFields)+4)
	for i, f := range mr.srcFields {
		if i < len(ev.Fields) {
			fields[f] = string(ev.Fields[i])
		}
	}
	fields[FieldRate] = strconv.FormatFloat(rate, 'g', 6, 64)
	fields[FieldIncrease] = strconv.FormatFloat(increase, 'g', 6, 64)
	if len(key) > maxKeyBytes {
		sum := sha256.Sum256([]byte(key))
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	return r.finding(fields, key, ev, 1)
}

// counterIncrease is how much a counter grew over the samples, counting a
// drop as a reset (the new value is all growth since), as PromQL's
// increase does without extrapolation; rate is that per second.
func counterIncrease(s []sample) (increase, rate float64) {
	for i := 1; i < len(s); i++ {
		d := s[i].v - s[i-1].v
		if d < 0 {
			d = s[i].v
		}
		increase += d
	}
	if len(s) > 1 {
		if secs := s[len(s)-1].t.Sub(s[0].t).Seconds(); secs > 0 {
			rate = increase / secs
		}
	}
	return increase, rate
}

func (mr *metricRule) get(key string) *series {
	e := mr.series.get(key)
	if e == nil {
		e = mr.series.add(key)
		e.v.key = key
	} else {
		mr.series.touch(e)
	}
	return &e.v
}
