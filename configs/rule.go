package configs

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Matchers.
const (
	MatcherAuto   = "auto"
	MatcherRegexp = "regexp"
)

// Rule is a `rule "NAME"` block as written; package rules compiles it.
type Rule struct {
	Name        string
	Source      string
	SourceRange hcl.Range
	// Matches are the rule's regular expressions; a line matches the rule
	// when it matches one of them, tried in order.
	Matches    []string
	MatchRange hcl.Range
	// Where is the expr-lang condition, empty when absent.
	Where      string
	WhereRange hcl.Range
	Threshold  *Threshold
	// Sequence is set for a sequence rule, which has no Matches of its
	// own.
	Sequence *Sequence
	// Absent is set for a rule that fires when its events stop.
	Absent *Absent
	// Metric is set for a rule over samples of a metrics source.
	Metric *MetricRule
	// Connection is set for a rule whose lines are tied by connection.
	Connection *Connection
	Severity   Severity
	// Title and Category describe the incident the rule opens.
	Title         *Template
	Category      string
	Actions       []string
	ActionsRange  hcl.Range
	NameRange     hcl.Range
	DeclRange     hcl.Range
	IncidentRange hcl.Range
	// Enabled is false for a rule that is checked but not run.
	Enabled bool
	// DryRun records the actions the rule would run instead of running
	// them.
	DryRun bool
	// Sensitive says the rule's captures are themselves sensitive data
	// (card numbers, SSNs, secrets): its findings carry them masked, and
	// its titles, group keys and evidence are built from the masked
	// values.
	Sensitive bool
	// Matcher is MatcherRegexp when the rule's expressions run on Go's
	// regexp alone, without breachd's own matcher for ASCII lines.
	Matcher string
	// Tags label the rule, e.g. MITRE ATT&CK technique ids.
	Tags []string
	// Assets are the assets the rule's incidents concern; when empty,
	// incidents are scoped by the assets whose hosts match.
	Assets []string
	// Indicates is what a match of the rule shows (Indication values):
	// the suggested risk follows from it. Empty: the rule does not say.
	Indicates      []string
	IndicatesRange hcl.Range
}

// MetricRule is a rule's `metric` block: per series of metric Name whose
// labels match Labels (anchored regular expressions), fire when When (an
// expr condition over value, rate and increase, the last two over Window)
// has held for For, and resolve when it stops holding.
type MetricRule struct {
	Name        string
	Labels      map[string]string
	LabelsRange hcl.Range
	Window      time.Duration
	When        string
	WhenRange   hcl.Range
	For         time.Duration
	DeclRange   hcl.Range
}

// Absent is a rule's `absent` block: fire when no matching event (per
// GroupBy key) has been seen for Within.
type Absent struct {
	Within       time.Duration
	GroupBy      []string
	GroupByRange hcl.Range
	DeclRange    hcl.Range
}

// Sequence is a rule's `sequence` block: its steps must happen in order,
// for the same By values, within Within of the first.
type Sequence struct {
	By        []string
	ByRange   hcl.Range
	Within    time.Duration
	Steps     []*Step
	DeclRange hcl.Range
}

// Step is one `step "NAME"` of a sequence.
type Step struct {
	Name string
	// Source is the step's source: its own, else the rule's.
	Source      string
	SourceRange hcl.Range
	Matches     []string
	MatchRange  hcl.Range
	Where       string
	WhereRange  hcl.Range
	// Count is how many matching events the step takes before the next
	// step can follow.
	Count     int
	DeclRange hcl.Range
}

// Threshold is a rule's `threshold` block: fire when Count events with the
// same GroupBy values fall within Within of each other.
type Threshold struct {
	Count        int
	Within       time.Duration
	GroupBy      []string
	GroupByRange hcl.Range
	// Distinct, when set, counts distinct values of this field instead of
	// events: Count different users from one address.
	Distinct      string
	DistinctRange hcl.Range
	// Cooldown is how long a key that fired stays silent; 0 means it fires
	// on every event at or over the threshold.
	Cooldown  time.Duration
	DeclRange hcl.Range
}

// Defaults for rule blocks.
const (
	DefaultSeverity = SeverityMedium
	DefaultCategory = "unclassified"
)

type ruleBlock struct {
	Name          string           `hcl:"name,label"`
	NameRange     hcl.Range        `hcl:"name,label_range"`
	DefRange      hcl.Range        `hcl:",def_range"`
	Source        string           `hcl:"source"`
	SourceRange   hcl.Range        `hcl:"source,attr_value_range"`
	Match         hcl.Expression   `hcl:"match,optional"`
	MatchRange    hcl.Range        `hcl:"match,attr_value_range"`
	Enabled       *bool            `hcl:"enabled,optional"`
	DryRun        *bool            `hcl:"dry_run,optional"`
	Sensitive     *bool            `hcl:"sensitive,optional"`
	Matcher       *string          `hcl:"matcher,optional"`
	MatcherRange  hcl.Range        `hcl:"matcher,attr_value_range"`
	Tags          []string         `hcl:"tags,optional"`
	Where         *string          `hcl:"where,optional"`
	WhereRange    hcl.Range        `hcl:"where,attr_value_range"`
	Threshold     *thresholdBlock  `hcl:"threshold,block"`
	Sequence      *sequenceBlock   `hcl:"sequence,block"`
	Absent        *absentBlock     `hcl:"absent,block"`
	Metric        *metricBlock     `hcl:"metric,block"`
	Connection    *connectionBlock `hcl:"connection,block"`
	Severity      *string          `hcl:"severity,optional"`
	SeverityRange hcl.Range        `hcl:"severity,attr_value_range"`
	Incident      *incidentBlock   `hcl:"incident,block"`
	Actions       []string         `hcl:"actions,optional"`
	ActionsRange  hcl.Range        `hcl:"actions,attr_value_range"`
	Indicates     []string         `hcl:"indicates,optional"`
	IndicatesRng  hcl.Range        `hcl:"indicates,attr_value_range"`
}

type thresholdBlock struct {
	Count         int       `hcl:"count"`
	CountRange    hcl.Range `hcl:"count,attr_value_range"`
	Within        string    `hcl:"within"`
	WithinRange   hcl.Range `hcl:"within,attr_value_range"`
	GroupBy       []string  `hcl:"group_by,optional"`
	GroupByRange  hcl.Range `hcl:"group_by,attr_value_range"`
	Distinct      *string   `hcl:"distinct,optional"`
	DistinctRange hcl.Range `hcl:"distinct,attr_value_range"`
	Cooldown      *string   `hcl:"cooldown,optional"`
	CooldownRange hcl.Range `hcl:"cooldown,attr_value_range"`
	DefRange      hcl.Range `hcl:",def_range"`
}

type sequenceBlock struct {
	By          []string    `hcl:"by"`
	ByRange     hcl.Range   `hcl:"by,attr_value_range"`
	Within      string      `hcl:"within"`
	WithinRange hcl.Range   `hcl:"within,attr_value_range"`
	Steps       []stepBlock `hcl:"step,block"`
	DefRange    hcl.Range   `hcl:",def_range"`
}

type stepBlock struct {
	Name        string         `hcl:"name,label"`
	DefRange    hcl.Range      `hcl:",def_range"`
	Source      *string        `hcl:"source,optional"`
	SourceRange hcl.Range      `hcl:"source,attr_value_range"`
	Match       hcl.Expression `hcl:"match"`
	MatchRange  hcl.Range      `hcl:"match,attr_value_range"`
	Where       *string        `hcl:"where,optional"`
	WhereRange  hcl.Range      `hcl:"where,attr_value_range"`
	Count       *int           `hcl:"count,optional"`
	CountRange  hcl.Range      `hcl:"count,attr_value_range"`
}

type metricBlock struct {
	Name        string            `hcl:"name"`
	NameRange   hcl.Range         `hcl:"name,attr_value_range"`
	Labels      map[string]string `hcl:"labels,optional"`
	LabelsRange hcl.Range         `hcl:"labels,attr_value_range"`
	Window      *string           `hcl:"window,optional"`
	WindowRange hcl.Range         `hcl:"window,attr_value_range"`
	When        string            `hcl:"when"`
	WhenRange   hcl.Range         `hcl:"when,attr_value_range"`
	For         *string           `hcl:"for,optional"`
	ForRange    hcl.Range         `hcl:"for,attr_value_range"`
	DefRange    hcl.Range         `hcl:",def_range"`
}

type absentBlock struct {
	Within       string    `hcl:"within"`
	WithinRange  hcl.Range `hcl:"within,attr_value_range"`
	GroupBy      []string  `hcl:"group_by,optional"`
	GroupByRange hcl.Range `hcl:"group_by,attr_value_range"`
	DefRange     hcl.Range `hcl:",def_range"`
}

type incidentBlock struct {
	Title       hcl.Expression `hcl:"title,optional"`
	Category    *string        `hcl:"category,optional"`
	Assets      []string       `hcl:"assets,optional"`
	AssetsRange hcl.Range      `hcl:"assets,attr_value_range"`
	DefRange    hcl.Range      `hcl:",def_range"`
}

func (c *Config) decodeRule(b *ruleBlock) (*Rule, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	r := &Rule{
		Name:         b.Name,
		NameRange:    b.NameRange,
		DeclRange:    b.DefRange,
		Source:       b.Source,
		SourceRange:  b.SourceRange,
		MatchRange:   b.MatchRange,
		Enabled:      b.Enabled == nil || *b.Enabled,
		DryRun:       b.DryRun != nil && *b.DryRun,
		Sensitive:    b.Sensitive != nil && *b.Sensitive,
		Tags:         b.Tags,
		Severity:     DefaultSeverity,
		Category:     DefaultCategory,
		Actions:      b.Actions,
		ActionsRange: b.ActionsRange,
	}
	if b.Matcher != nil {
		switch *b.Matcher {
		case MatcherAuto, MatcherRegexp:
			r.Matcher = *b.Matcher
		default:
			diags = append(diags, errorAt(b.MatcherRange.Ptr(), "Invalid matcher",
				fmt.Sprintf("matcher is %q; use %q (breachd's own matcher where it applies, the default) or %q (Go's regexp for every expression of the rule).", *b.Matcher, MatcherAuto, MatcherRegexp)))
		}
	}
	if c.SourceByName(b.Source) == nil && !c.invalidSources[b.Source] {
		names := make([]string, 0, len(c.Sources))
		for _, s := range c.Sources {
			names = append(names, s.Name)
		}
		diags = append(diags, errorAt(b.SourceRange.Ptr(), "Unknown source", fmt.Sprintf("Rule %q reads source %q, which is not declared (%s). Declare it with a source block or fix the name.", b.Name, b.Source, didYouMean(b.Source, names))))
	}
	switch {
	case b.Sequence != nil:
		if !isNull(b.Match) || b.Where != nil || b.Threshold != nil {
			diags = append(diags, errorAt(b.Sequence.DefRange.Ptr(), "Sequence with match, where or threshold", "A sequence rule matches in its steps: move match and where into the step blocks (each step may have a count), and remove threshold."))
		}
		seq, d := c.decodeSequence(b.Sequence, b.Source)
		diags = append(diags, d...)
		r.Sequence = seq
	case b.Metric != nil:
		if !isNull(b.Match) || b.Where != nil || b.Threshold != nil || b.Absent != nil {
			diags = append(diags, errorAt(b.Metric.DefRange.Ptr(), "Metric rule with match, where, threshold or absent", "A metric rule selects samples by name and labels and fires on its when condition; remove match, where, threshold and absent."))
		}
		mr, d := decodeMetricRule(b.Metric)
		diags = append(diags, d...)
		r.Metric = mr
		if src := c.SourceByName(b.Source); src != nil && src.Metrics == nil {
			diags = append(diags, errorAt(b.SourceRange.Ptr(), "Metric rule on a log source", fmt.Sprintf("Source %q is a %s source; a metric rule reads a scrape or promql source.", b.Source, src.Kind)))
		}
	case isNull(b.Match) && b.Absent != nil:
		// Any line of the source is a sign of life.
		r.Matches = []string{""}
	case isNull(b.Match):
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Missing match", "A rule needs match (a regular expression, or a list of them) or a sequence block."))
	default:
		matches, d := decodeMatches(b.Match, b.MatchRange)
		diags = append(diags, d...)
		r.Matches = matches
	}
	if a := b.Absent; a != nil {
		if b.Threshold != nil || b.Sequence != nil {
			diags = append(diags, errorAt(a.DefRange.Ptr(), "absent with threshold or sequence", "An absent rule fires when its events stop; it cannot also count them. Write two rules."))
		}
		d, diag := parseDuration("within", a.Within, a.WithinRange)
		if diag != nil {
			diags = append(diags, diag)
		}
		r.Absent = &Absent{Within: d, GroupBy: a.GroupBy, GroupByRange: a.GroupByRange, DeclRange: a.DefRange}
	}
	if cb := b.Connection; cb != nil {
		if b.Sequence != nil || b.Metric != nil || b.Absent != nil {
			diags = append(diags, errorAt(cb.DefRange.Ptr(), "connection with sequence, metric or absent", "A connection block gives a rule's matching lines the fields their connection logged on other lines; it goes with match (and an optional threshold) only."))
		}
		conn, d := decodeConnection(cb, b.Name)
		diags = append(diags, d...)
		r.Connection = conn
	}
	if b.Where != nil {
		r.Where = *b.Where
		r.WhereRange = b.WhereRange
	}
	r.Indicates, r.IndicatesRange = b.Indicates, b.IndicatesRng
	diags = append(diags, checkIndications(b.Name, b.Indicates, b.IndicatesRng)...)
	if b.Severity != nil {
		s, err := ParseSeverity(*b.Severity)
		if err != nil {
			diags = append(diags, errorAt(b.SeverityRange.Ptr(), "Invalid severity", err.Error()+"."))
		}
		r.Severity = s
	}
	if t := b.Threshold; t != nil {
		th := &Threshold{Count: t.Count, GroupBy: t.GroupBy, GroupByRange: t.GroupByRange, DeclRange: t.DefRange}
		if t.Count < 1 || t.Count > 100000 {
			diags = append(diags, errorAt(t.CountRange.Ptr(), "Invalid threshold count", fmt.Sprintf("count is %d; it must be between 1 and 100000 events.", t.Count)))
		}
		d, diag := parseDuration("within", t.Within, t.WithinRange)
		if diag != nil {
			diags = append(diags, diag)
		}
		th.Within = d

		if t.Cooldown != nil {
			cd, diag := parseDuration("cooldown", *t.Cooldown, t.CooldownRange)
			if diag != nil {
				diags = append(diags, diag)
			}
			th.Cooldown = cd
		}
		if t.Distinct != nil {
			th.Distinct, th.DistinctRange = *t.Distinct, t.DistinctRange
			if slices.Contains(t.GroupBy, *t.Distinct) {
				diags = append(diags, errorAt(t.DistinctRange.Ptr(), "distinct is also in group_by", fmt.Sprintf("Each group has one value of %q, so there is nothing distinct to count; group by the attacker (e.g. ip) and count distinct %s.", *t.Distinct, *t.Distinct)))
			}
		}
		r.Threshold = th
	}
	r.IncidentRange = b.DefRange
	if inc := b.Incident; inc != nil {
		r.IncidentRange = inc.DefRange
		if inc.Category != nil {
			r.Category = *inc.Category
		}
		for _, name := range inc.Assets {
			if c.AssetByName(name) == nil {
				names := make([]string, 0, len(c.Assets))
				for _, a := range c.Assets {
					names = append(names, a.Name)
				}
				diags = append(diags, errorAt(inc.AssetsRange.Ptr(), "Unknown asset", fmt.Sprintf("Rule %q names asset %q, which is not declared (%s). Declare it with an asset block or fix the name.", b.Name, name, didYouMean(name, names))))
			}
		}
		r.Assets = inc.Assets
		if inc.Title != nil && !isNull(inc.Title) {
			t, d := NewTemplate(inc.Title)
			diags = append(diags, d...)
			r.Title = t
		}
	}
	if r.Title == nil {
		r.Title = LiteralTemplate(b.Name, b.NameRange)
	}
	actionNames := make([]string, 0, len(c.Actions))
	for _, a := range c.Actions {
		actionNames = append(actionNames, a.Name)
	}
	seen := map[string]bool{}
	for _, name := range b.Actions {
		if seen[name] {
			diags = append(diags, errorAt(b.ActionsRange.Ptr(), "Duplicate action", fmt.Sprintf("Action %q is listed twice; list it once.", name)))
		}
		seen[name] = true
		if c.ActionByName(name) == nil {
			diags = append(diags, errorAt(b.ActionsRange.Ptr(), "Unknown action", fmt.Sprintf("Rule %q runs action %q, which is not declared (%s). Declare it with an action block or fix the name.", b.Name, name, didYouMean(name, actionNames))))
		}
	}
	if r.Sensitive {
		diags = append(diags, sensitiveKeys(r)...)
	}
	return r, diags
}

// WhereFields are the fields a sensitive rule keeps in clear: where a
// value was seen, never the value.
func WhereFields() []string {
	return []string{"rule", "source", "time", FieldHost, FieldProgram, FieldSender, "pid", "facility", "severity", FieldSeenIn}
}

// sensitiveKeys refuses a sensitive rule that groups, counts distinct or
// sequences by one of its captures: breachd keeps those values to count
// (in memory and in the window state it stores), so they would be kept in
// clear.
func sensitiveKeys(r *Rule) hcl.Diagnostics {
	var diags hcl.Diagnostics
	check := func(fields []string, rng hcl.Range, attr string) {
		for _, f := range fields {
			if f != "" && !slices.Contains(WhereFields(), f) {
				diags = append(diags, errorAt(rng.Ptr(), "Sensitive value as a key", fmt.Sprintf(
					"Rule %q is sensitive, so its captures are sensitive data; %s names %q, whose values breachd would keep to count. Group by where the data was seen (%s) instead.",
					r.Name, attr, f, strings.Join(WhereFields(), ", "))))
			}
		}
	}
	if t := r.Threshold; t != nil {
		check(t.GroupBy, t.GroupByRange, "group_by")
		if t.Distinct != "" {
			check([]string{t.Distinct}, t.DistinctRange, "distinct")
		}
	}
	if a := r.Absent; a != nil {
		check(a.GroupBy, a.GroupByRange, "group_by")
	}
	if q := r.Sequence; q != nil {
		check(q.By, q.ByRange, "by")
	}
	if c := r.Connection; c != nil {
		check(c.By, c.ByRange, "the connection's by")
		check(c.Fill, c.FillRange, "the connection's fill")
		check([]string{c.Switch}, c.SwitchRange, "the connection's switch")
	}
	return diags
}

// decodeMatches reads match: one regular expression or a list of them, as
// literal strings (no ${} interpolation).
func decodeMatches(expr hcl.Expression, rng hcl.Range) ([]string, hcl.Diagnostics) {
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	empty := errorAt(rng.Ptr(), "Empty match", "match is the regular expression a line must match, or a list of them; name the fields to capture with (?P<name>...).")
	var out []string
	switch {
	case v.IsNull():
		return nil, hcl.Diagnostics{empty}
	case v.Type() == cty.String:
		out = append(out, v.AsString())
	case v.Type().IsTupleType() || v.Type().IsListType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() || e.Type() != cty.String {
				return nil, hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Invalid match",
					Detail:   "Each element of match must be a string holding a regular expression.",
					Subject:  rng.Ptr(),
				}}
			}
			out = append(out, e.AsString())
		}
	default:
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid match",
			Detail:   "match must be a string (one regular expression) or a list of strings.",
			Subject:  rng.Ptr(),
		}}
	}
	for _, m := range out {
		if m == "" {
			return nil, hcl.Diagnostics{empty}
		}
	}
	if len(out) == 0 {
		return nil, hcl.Diagnostics{empty}
	}
	return out, nil
}

// Bounds of sequences.
const (
	maxSequenceSteps = 16
	maxStepCount     = 10000
)

func (c *Config) decodeSequence(b *sequenceBlock, defaultSource string) (*Sequence, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	seq := &Sequence{By: b.By, ByRange: b.ByRange, DeclRange: b.DefRange}
	d, diag := parseDuration("within", b.Within, b.WithinRange)
	if diag != nil {
		diags = append(diags, diag)
	}
	seq.Within = d
	if len(b.By) == 0 {
		diags = append(diags, errorAt(b.ByRange.Ptr(), "Sequence without by", "by names the fields that tie the steps together, e.g. by = [\"ip\"]: the same address fails, then succeeds."))
	}
	if len(b.Steps) < 2 || len(b.Steps) > maxSequenceSteps {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Invalid number of steps", fmt.Sprintf("A sequence has %d steps; write 2 to %d step blocks, in the order they must happen.", len(b.Steps), maxSequenceSteps)))
	}
	seen := map[string]bool{}
	for _, sb := range b.Steps {
		st := &Step{Name: sb.Name, Source: defaultSource, SourceRange: sb.SourceRange, MatchRange: sb.MatchRange, Count: 1, DeclRange: sb.DefRange}
		if seen[sb.Name] {
			diags = append(diags, errorAt(sb.DefRange.Ptr(), "Duplicate step name", fmt.Sprintf("Step %q is defined twice; give each step its own name.", sb.Name)))
		}
		seen[sb.Name] = true
		if sb.Source != nil {
			st.Source = *sb.Source
			if c.SourceByName(st.Source) == nil {
				diags = append(diags, errorAt(sb.SourceRange.Ptr(), "Unknown source", fmt.Sprintf("Step %q reads source %q, which is not declared.", sb.Name, st.Source)))
			}
		}
		m, d := decodeMatches(sb.Match, sb.MatchRange)
		diags = append(diags, d...)
		st.Matches = m
		if sb.Where != nil {
			st.Where, st.WhereRange = *sb.Where, sb.WhereRange
		}
		if sb.Count != nil {
			if *sb.Count < 1 || *sb.Count > maxStepCount {
				diags = append(diags, errorAt(sb.CountRange.Ptr(), "Invalid step count", fmt.Sprintf("count is %d; it must be between 1 and %d events.", *sb.Count, maxStepCount)))
			}
			st.Count = *sb.Count
		}
		seq.Steps = append(seq.Steps, st)
	}
	return seq, diags
}

func decodeMetricRule(b *metricBlock) (*MetricRule, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	m := &MetricRule{Name: b.Name, Labels: b.Labels, LabelsRange: b.LabelsRange, When: b.When, WhenRange: b.WhenRange, Window: 5 * time.Minute, DeclRange: b.DefRange}
	if b.Window != nil {
		d, diag := parseDuration("window", *b.Window, b.WindowRange)
		if diag != nil {
			diags = append(diags, diag)
		}
		m.Window = d
	}
	if b.For != nil {
		d, err := time.ParseDuration(*b.For)
		if err != nil || d < 0 {
			diags = append(diags, errorAt(b.ForRange.Ptr(), "Invalid for duration", fmt.Sprintf("for is %q; write a duration such as \"0s\", \"2m\" or \"1h\".", *b.For)))
		}
		m.For = d
	}
	return m, diags
}
