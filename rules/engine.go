package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/breachd/breachd/configs"
)

// DefaultMaxKeysPerRule bounds the group keys one rule tracks at once.
const DefaultMaxKeysPerRule = 100_000

// maxKeyBytes is the longest group key kept verbatim; longer keys (built from
// hostile, oversized captures) are replaced by their hash so that window
// memory stays bounded.
const maxKeyBytes = 256

// Reserved field names, available in where conditions and templates next to
// the rule's captures and the fields of its source (configs.Source.Fields).
const (
	FieldRule   = "rule"
	FieldSource = "source"
	FieldLine   = "line"
	// FieldTime is the event's time, a time.Time, in where conditions only.
	FieldTime = "time"
)

// Event is one parsed log line. Its byte slices are only valid during
// Evaluate.
type Event struct {
	Source string
	Line   []byte
	// Message is the part of the line that rules match: the line after its
	// header for a syslog source. Nil means the whole line.
	Message []byte
	// Fields are the values of the source's fields, in the order of
	// configs.Source.Fields (host, program, pid for syslog and journald
	// sources). Missing trailing values are empty.
	Fields [][]byte
	Time   time.Time
	// gen numbers the event within Evaluate, for the patterns' caches.
	gen uint64
}

// Finding is a rule firing on an event.
type Finding struct {
	Rule     string
	Severity configs.Severity
	Category string
	Title    string
	// GroupKey identifies the group_by values ("" when the rule has none);
	// Fingerprint identifies the finding across rules.
	GroupKey    string
	Fingerprint string
	// Fields are the rule's named captures plus rule and source.
	Fields  map[string]string
	Actions []string
	// DryRun is set when the rule's actions are to be recorded, not run.
	DryRun bool
	// Tags are the rule's tags.
	Tags []string
	// Resolved is set when a metric rule's condition stopped holding: the
	// finding says the earlier one cleared.
	Resolved bool
	Time     time.Time
	// Count is how many events were in the window when the rule fired (1
	// without a threshold).
	Count    int
	Evidence string
}

// Options tunes an Engine.
type Options struct {
	// MaxKeysPerRule bounds window state per rule; 0 means
	// DefaultMaxKeysPerRule.
	MaxKeysPerRule int
	// OnMatch, if set, is called for every event that matches a rule's
	// match and where, before its threshold (breachd replay --matches).
	// fields must not be kept after the call.
	OnMatch func(rule string, fields map[string]string)
}

// sourceRules are the rules reading one source, in config order, and the
// filter that picks among them per line (nil for sources with few rules).
type sourceRules struct {
	rules  []*Rule
	filter *sourceFilter
}

// Engine evaluates events against a compiled rule set.
type Engine struct {
	rules    []*Rule
	bySource map[string]*sourceRules
	timed    []*Rule // absent rules, for Tick

	gen uint64 // events evaluated, numbering them for the pattern caches
}

// Rule is one compiled rule: a matcher with an optional threshold, or a
// sequence of steps.
type Rule struct {
	spec    *configs.Rule
	m       *matcher // nil for a sequence rule
	steps   []*step  // nil unless a sequence rule
	groupBy []string
	// distinct is the field whose distinct values the threshold counts.
	distinct string
	windows  *windowSet
	seqs     *seqSet
	// seqFields are the fields a sequence's steps provide, sorted: the
	// layout of an attempt's fields.
	seqFields []string
	silence   *silenceSet
	// anyLine is set for an absent rule without match, where or group_by.
	anyLine bool
	metric  *metricRule // nil unless a metric rule
	stats   ruleCounters
	onMatch func(rule string, fields map[string]string)
}

// matcher is a compiled match and where on one source.
type matcher struct {
	source string
	// pats are the match expressions, tried in order.
	pats  []*pattern
	where *vm.Program
	vm    vm.VM
	env   map[string]any
	// usesLine and usesTime are set when the condition reads the whole
	// line or the event time, which are then put in the environment.
	usesLine, usesTime bool
	// srcFields are the names of the source's fields.
	srcFields []string
	// known are the fields its events have.
	known map[string]bool
	// gen and fields are the result for the current event, shared by the
	// rules using the matcher; fields is never written after.
	gen    uint64
	fields map[string]string
}

// pattern is one compiled match expression, shared by every rule that uses
// it; its result for the current event is kept, so each expression runs at
// most once per event.
type pattern struct {
	re *regexp.Regexp
	// names gives the capture name of each submatch ("" for unnamed).
	names []string
	// lits is what every text it matches contains (literal.go).
	lits literals
	gen  uint64 // the event idx belongs to
	idx  []int  // submatch indexes, nil when no match
}

// find returns the submatch indexes of text, the text of event gen.
func (p *pattern) find(text []byte, gen uint64) []int {
	if p.gen == gen {
		return p.idx
	}
	p.gen, p.idx = gen, nil
	// An expression whose required literals are absent cannot match; one
	// with them present is run once, for its captures. An expression with
	// no literals is tried with Match first: most lines do not match, and a
	// plain match neither allocates nor tracks submatches.
	if !p.lits.empty() {
		if !p.lits.check(text) {
			return nil
		}
	} else if !p.re.Match(text) {
		return nil
	}
	p.idx = p.re.FindSubmatchIndex(text)
	return p.idx
}

// step is one step of a sequence rule.
type step struct {
	m     *matcher
	count int
}

type ruleCounters struct {
	matches, findings, whereErrors atomic.Uint64
}

// RuleStats are a rule's counters since the engine was compiled.
type RuleStats struct {
	Rule string
	// Matches counts lines that matched the regular expression and the
	// where condition.
	Matches  uint64
	Findings uint64
	// WhereErrors counts condition evaluations that failed at run time; the
	// line counts as not matching.
	WhereErrors uint64
	// Evictions counts window keys dropped because the rule hit its key cap.
	Evictions uint64
	// Keys is the number of group keys currently tracked.
	Keys int
}

// Rules returns the compiled rules in config order.
func (e *Engine) Rules() []*Rule { return e.rules }

// Name returns the rule's name.
func (r *Rule) Name() string { return r.spec.Name }

// Fields returns the field names the rule provides to templates: its named
// captures plus the reserved fields.
func (r *Rule) Fields() []string {
	out := []string{FieldRule, FieldSource}
	if r.metric != nil {
		return append(append(out, r.metric.srcFields...), FieldRate, FieldIncrease)
	}
	for _, m := range r.matchers() {
		for _, f := range append(slices.Clone(m.srcFields), m.captureNames()...) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

func (r *Rule) matchers() []*matcher {
	if r.m != nil {
		return []*matcher{r.m}
	}
	out := make([]*matcher, len(r.steps))
	for i, st := range r.steps {
		out[i] = st.m
	}
	return out
}

// sources returns the sources the rule reads, each once.
func (r *Rule) sources() []string {
	if r.metric != nil {
		return []string{r.metric.source}
	}
	var out []string
	for _, m := range r.matchers() {
		if !slices.Contains(out, m.source) {
			out = append(out, m.source)
		}
	}
	return out
}

// Stats returns every rule's counters.
func (e *Engine) Stats() []RuleStats {
	out := make([]RuleStats, len(e.rules))
	for i, r := range e.rules {
		out[i] = RuleStats{
			Rule:        r.spec.Name,
			Matches:     r.stats.matches.Load(),
			Findings:    r.stats.findings.Load(),
			WhereErrors: r.stats.whereErrors.Load(),
		}
		if r.windows != nil {
			out[i].Evictions = r.windows.keys.evictions.Load()
			out[i].Keys = int(r.windows.keys.size.Load())
		}
		if r.seqs != nil {
			out[i].Evictions = r.seqs.keys.evictions.Load()
			out[i].Keys = int(r.seqs.keys.size.Load())
		}
		if r.silence != nil {
			out[i].Evictions = r.silence.keys.evictions.Load()
			out[i].Keys = int(r.silence.keys.size.Load())
		}
		if r.metric != nil {
			out[i].Evictions = r.metric.series.evictions.Load()
			out[i].Keys = int(r.metric.series.size.Load())
		}
	}
	return out
}

// Evaluate runs ev through every rule of its source and appends the findings
// to out. It must not be called concurrently.
func (e *Engine) Evaluate(ev Event, out []Finding) []Finding {
	e.gen++
	ev.gen = e.gen
	sr := e.bySource[ev.Source]
	if sr == nil {
		return out
	}
	rules, f := sr.rules, sr.filter
	if f == nil {
		for _, r := range rules {
			out = r.evaluate(ev, out)
		}
		return out
	}
	text := ev.Line
	if ev.Message != nil {
		text = ev.Message
	}
	for _, i := range f.candidates(text, ev.gen) {
		out = rules[i].evaluate(ev, out)
	}
	return out
}

func (r *Rule) evaluate(ev Event, out []Finding) []Finding {
	switch {
	case r.steps != nil:
		return r.evaluateSequence(ev, out)
	case r.metric != nil:
		return r.evaluateMetric(ev, out)
	case r.anyLine:
		// An absent rule on every line of its source, with no key: only
		// the time matters.
		if ev.Source == r.m.source {
			r.stats.matches.Add(1)
			r.silence.seen("", ev.Time, nil)
		}
		return out
	}
	fields := r.m.match(ev, &r.stats)
	if fields == nil {
		return out
	}
	if r.silence != nil {
		r.stats.matches.Add(1)
		r.silence.seen(r.groupKey(fields, ev.Source), ev.Time, fields)
		return out
	}
	r.stats.matches.Add(1)
	if r.onMatch != nil {
		r.onMatch(r.spec.Name, fields)
	}
	key := r.groupKey(fields, ev.Source)
	count := 1
	if r.windows != nil {
		n, fired := r.windows.observe(key, r.field(fields, r.distinct, ev.Source), ev.Time, r.distinct != "")
		if !fired {
			return out
		}
		count = n
	}
	return append(out, r.finding(fields, key, ev, count))
}

// field returns a field of an event: rule and source are the rule's and
// the event's, the rest come from fields (which are shared between rules
// and never written).
func (r *Rule) field(fields map[string]string, name, source string) string {
	switch name {
	case FieldRule:
		return r.spec.Name
	case FieldSource:
		return source
	}
	return fields[name]
}

// finding builds a finding of the rule from an event's fields, which it
// copies, adding rule and source.
func (r *Rule) finding(in map[string]string, key string, ev Event, count int) Finding {
	r.stats.findings.Add(1)
	fields := make(map[string]string, len(in)+2)
	for k, v := range in {
		fields[k] = v
	}
	fields[FieldRule] = r.spec.Name
	fields[FieldSource] = ev.Source
	title, err := r.spec.Title.Render(fields)
	if err != nil {
		title = r.spec.Name
	}
	fp := r.spec.Name
	if key != "" {
		fp += "/" + key
	}
	return Finding{
		Rule:        r.spec.Name,
		Severity:    r.spec.Severity,
		Category:    r.spec.Category,
		Title:       title,
		GroupKey:    key,
		Fingerprint: fp,
		Fields:      fields,
		Actions:     r.spec.Actions,
		DryRun:      r.spec.DryRun,
		Tags:        r.spec.Tags,
		Time:        ev.Time,
		Count:       count,
		Evidence:    string(ev.Line),
	}
}

// match returns the event's fields if it matches the expressions and the
// where condition, else nil.
func (m *matcher) match(ev Event, stats *ruleCounters) map[string]string {
	if m.source != ev.Source {
		return nil
	}
	// Rules with the same match, where and source share the matcher: it
	// runs once per event.
	if m.gen == ev.gen {
		return m.fields
	}
	m.gen, m.fields = ev.gen, nil
	text := ev.Line
	if ev.Message != nil {
		text = ev.Message
	}
	var matched *pattern
	var idx []int
	for _, p := range m.pats {
		if idx = p.find(text, ev.gen); idx != nil {
			matched = p
			break
		}
	}
	if matched == nil {
		return nil
	}
	fields := make(map[string]string, len(matched.names)+len(m.srcFields)+2)
	if len(m.pats) > 1 {
		// Captures of the other expressions exist, empty.
		for _, p := range m.pats {
			for _, name := range p.names {
				if name != "" {
					fields[name] = ""
				}
			}
		}
	}
	for i, name := range matched.names {
		if name == "" {
			continue
		}
		if s, e := idx[2*i], idx[2*i+1]; s >= 0 {
			fields[name] = string(text[s:e])
		} else if _, ok := fields[name]; !ok {
			fields[name] = ""
		}
	}
	for i, name := range m.srcFields {
		if i < len(ev.Fields) {
			fields[name] = string(ev.Fields[i])
		} else {
			fields[name] = ""
		}
	}
	if m.where != nil {
		for k, v := range fields {
			setEnv(m.env, k, v)
		}
		if m.usesLine {
			m.env[FieldLine] = string(ev.Line)
		}
		if m.usesTime {
			m.env[FieldTime] = ev.Time
		}
		setEnv(m.env, FieldSource, ev.Source)
		res, err := m.vm.Run(m.where, m.env)
		if err != nil {
			stats.whereErrors.Add(1)
			return nil
		}
		if ok, _ := res.(bool); !ok {
			return nil
		}
	}
	m.fields = fields
	return fields
}

// setEnv stores a string in a where environment, unless it is already
// there: storing boxes the string, an allocation, and successive events
// often repeat values (the source, the host, the program).
func setEnv(env map[string]any, k, v string) {
	if old, ok := env[k].(string); !ok || old != v {
		env[k] = v
	}
}

func (r *Rule) groupKey(fields map[string]string, source string) string {
	if len(r.groupBy) == 0 {
		return ""
	}
	var b strings.Builder
	for i, g := range r.groupBy {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(g)
		b.WriteByte('=')
		b.WriteString(r.field(fields, g, source))
	}
	if b.Len() <= maxKeyBytes {
		return b.String()
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "sha256:" + hex.EncodeToString(sum[:])
}
