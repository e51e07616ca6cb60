package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"sync/atomic"
	"time"

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
	// Path is the file the line was read from (nil for other sources):
	// the seen_in field of a line that names no host.
	Path []byte
	Time time.Time
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
	// Matcher set to configs.MatcherRegexp runs every rule's expressions
	// on Go's regexp alone, as a rule's own matcher = "regexp" does
	// (BREACHD_MATCHER=regexp in the environment of breachd's commands).
	Matcher string
	// minFilteredRules overrides minFilteredRules, for tests.
	minFilteredRules int
}

// sourceRules are the rules reading one source, in config order, and the
// filters that pick among them per line: by the value of a source field
// that rules guard on (field ≥ 0), else filter (never nil).
type sourceRules struct {
	rules   []*Rule
	field   int
	byValue *valueTable
	filter  *sourceFilter
	// log records the keys its events change, when tracked (persist.go).
	log *changeLog
}

// valueTable finds the filter of a field value. A source has a few
// dispatch values (program names): comparing lengths and bytes in a list
// is cheaper than hashing, up to maxScannedValues of them.
type valueTable struct {
	list []valueFilter
	m    map[string]*sourceFilter
}

type valueFilter struct {
	value string
	f     *sourceFilter
}

const maxScannedValues = 16

func newValueTable(m map[string]*sourceFilter) *valueTable {
	if len(m) > maxScannedValues {
		return &valueTable{m: m}
	}
	t := &valueTable{}
	for v, f := range m {
		t.list = append(t.list, valueFilter{v, f})
	}
	slices.SortFunc(t.list, func(a, b valueFilter) int { return strings.Compare(a.value, b.value) })
	return t
}

// lookup returns the filter of v, or nil.
func (t *valueTable) lookup(v []byte) *sourceFilter {
	if t == nil {
		return nil
	}
	if t.m != nil {
		return t.m[string(v)]
	}
	for i := range t.list {
		if e := &t.list[i]; len(e.value) == len(v) && e.value == string(v) {
			return e.f
		}
	}
	return nil
}

// Engine evaluates events against a compiled rule set.
type Engine struct {
	rules    []*Rule
	bySource map[string]*sourceRules
	// lastSource and lastRules are the source of the last event and its
	// rules: events come in runs from one source.
	lastSource string
	lastRules  *sourceRules
	timed      []*Rule // absent rules, for Tick

	gen uint64 // events evaluated, numbering them for the pattern caches

	// track is set by TrackChanges; used numbers the keys Changes
	// exports, in the order of their use (persist.go).
	track *tracker
	used  int64
}

// Rule is one compiled rule: a matcher with an optional threshold, or a
// sequence of steps.
type Rule struct {
	spec *configs.Rule
	// stateKey identifies the state's meaning across reloads (reload.go).
	stateKey string
	m        *matcher // nil for a sequence rule
	steps    []*step  // nil unless a sequence rule
	groupBy  []string
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
	// conn is set for a rule with a connection block (connection.go).
	conn    *connRule
	stats   ruleCounters
	onMatch func(rule string, fields map[string]string)

	// keyParts are the group_by fields resolved against m's slots, and
	// distinctPart the distinct field's slot.
	keyParts     []keyPart
	distinctPart int
	// For sequences, per step: the by fields, and the slot of each of
	// seqFields (-1 if the step lacks it).
	stepKeys  [][]keyPart
	stepSlots [][]int
	// keyBuf and stepBuf are scratch space for the event being evaluated.
	keyBuf  []byte
	stepBuf []int
	valBuf  [][]byte
	packBuf []byte
}

// step is one step of a sequence rule.
type step struct {
	m     *matcher
	count int
}

type ruleCounters struct {
	evaluations, matches, findings, whereErrors atomic.Uint64
}

// RuleStats are a rule's counters since the engine was compiled.
type RuleStats struct {
	Rule string
	// Evaluations counts lines the rule was evaluated on: those of its
	// sources that the prefilter did not rule out.
	Evaluations uint64
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
	// Connections is the number of connections a rule with a connection
	// block tracks; ConnectionEvictions counts those evicted at its
	// max_keys, ConnectionLinesDropped the waiting or held lines lost
	// (their connection expired or was evicted, or it held too many).
	// Connection is set for a rule with a connection block.
	Connection             bool
	Connections            int
	ConnectionEvictions    uint64
	ConnectionLinesDropped uint64
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
	if r.conn != nil {
		out := []*matcher{r.conn.lists[connFail]}
		for _, m := range []*matcher{r.conn.lists[connNote], r.conn.lists[connSuccess]} {
			if m != nil {
				out = append(out, m)
			}
		}
		return out
	}
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
			Evaluations: r.stats.evaluations.Load(),
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
		if r.conn != nil {
			out[i].Connection = true
			out[i].Connections = int(r.conn.set.keys.size.Load())
			out[i].ConnectionEvictions = r.conn.set.keys.evictions.Load()
			out[i].ConnectionLinesDropped = r.conn.set.dropped.Load()
		}
	}
	return out
}

// Evaluate runs ev through every rule of its source and appends the findings
// to out. It must not be called concurrently.
func (e *Engine) Evaluate(ev Event, out []Finding) []Finding {
	e.gen++
	ev.gen = e.gen
	sr := e.lastRules
	if sr == nil || ev.Source != e.lastSource {
		sr = e.bySource[ev.Source]
		e.lastSource, e.lastRules = ev.Source, sr
	}
	if sr == nil {
		return out
	}
	if e.track != nil {
		e.track.cur = sr.log
	}
	rules, f := sr.rules, sr.filter
	if sr.field >= 0 {
		var v []byte
		if sr.field < len(ev.Fields) {
			v = ev.Fields[sr.field]
		}
		if bf := sr.byValue.lookup(v); bf != nil {
			f = bf
		}
	}
	text := ev.Line
	if ev.Message != nil {
		text = ev.Message
	}
	for _, i := range f.candidates(text, ev.gen) {
		r := rules[i]
		r.stats.evaluations.Add(1)
		out = r.evaluate(ev, out)
	}
	return out
}

func (r *Rule) evaluate(ev Event, out []Finding) []Finding {
	switch {
	case r.conn != nil:
		return r.evaluateConn(ev, out)
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
	m := r.m
	if !m.match(ev, &r.stats) {
		return out
	}
	r.stats.matches.Add(1)
	r.keyBuf = r.appendKey(r.keyBuf[:0], m, r.keyParts, ev.Source)
	if r.silence != nil {
		r.silence.seen(string(r.keyBuf), ev.Time, m.fieldMap())
		return out
	}
	return r.countMatch(m, ev, out)
}

// countMatch counts the current event of m, the rule's matcher, in the
// threshold's window (or as a finding of its own).
func (r *Rule) countMatch(m *matcher, ev Event, out []Finding) []Finding {
	if r.conn != nil {
		r.stats.matches.Add(1)
		r.keyBuf = r.appendKey(r.keyBuf[:0], m, r.keyParts, ev.Source)
	}
	if r.onMatch != nil {
		r.onMatch(r.spec.Name, m.fieldMap())
	}
	var distinct []byte
	if r.windows != nil && r.distinct != "" {
		distinct = r.partValue(m, r.distinctPart, ev.Source)
	}
	return r.count(m, nil, distinct, ev, out)
}

// count counts the current match, grouped by r.keyBuf, in the rule's
// window (distinct is the value whose distinct count it keeps) and adds
// the finding when the window fires, or at once for a rule without one.
// The finding's fields are fields, or m's when fields is nil: built only
// when there is a finding.
func (r *Rule) count(m *matcher, fields map[string]string, distinct []byte, ev Event, out []Finding) []Finding {
	count, key := 1, ""
	if r.windows != nil {
		var fired bool
		count, fired, key = r.windows.observe(r.keyBuf, distinct, ev.Time, r.distinct != "")
		if !fired {
			return out
		}
	} else if len(r.keyBuf) > 0 {
		key = string(r.keyBuf)
	}
	if fields == nil {
		fields = m.fieldMap()
	}
	return append(out, r.finding(fields, key, ev, count))
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
	if _, ok := fields[configs.FieldSeenIn]; !ok && slices.Contains(r.groupBy, configs.FieldSeenIn) {
		// Grouped on where the line was seen: the finding names it, as its
		// key does (the host, else the file, else the source).
		switch {
		case fields[configs.FieldHost] != "":
			fields[configs.FieldSeenIn] = fields[configs.FieldHost]
		case len(ev.Path) > 0:
			fields[configs.FieldSeenIn] = string(ev.Path)
		default:
			fields[configs.FieldSeenIn] = ev.Source
		}
	}
	evidence := string(ev.Line)
	if r.spec.Sensitive {
		evidence, key = maskSensitive(fields, evidence, key)
	}
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
		Evidence:    evidence,
	}
}

// keyPart is one group_by field of a rule: its slot in a matcher, or
// slotRule or slotSource.
type keyPart struct {
	name string
	slot int
}

const (
	slotRule   = -1
	slotSource = -2
	slotNone   = -3 // a field the matcher does not have: always empty
	slotSeenIn = -4
)

// keyParts resolves fields against a matcher's slots.
func (r *Rule) resolveParts(m *matcher, fields []string) []keyPart {
	out := make([]keyPart, len(fields))
	for i, f := range fields {
		out[i] = keyPart{name: f, slot: r.resolve(m, f)}
	}
	return out
}

func (r *Rule) resolve(m *matcher, field string) int {
	switch field {
	case FieldRule:
		return slotRule
	case FieldSource:
		return slotSource
	case configs.FieldSeenIn:
		return slotSeenIn
	}
	if s := m.slotOf(field); s >= 0 {
		return s
	}
	return slotNone
}

// partValue returns the current event's value of a resolved field.
func (r *Rule) partValue(m *matcher, slot int, source string) []byte {
	switch slot {
	case slotRule:
		return []byte(r.spec.Name)
	case slotSource:
		return []byte(source)
	case slotSeenIn:
		// The source's host field (never a capture of that name), else
		// the file, else the source.
		if i := slices.Index(m.slots[m.ncap:], configs.FieldHost); i >= 0 {
			if v := m.value(m.ncap + i); len(v) > 0 {
				return v
			}
		}
		if len(m.path) > 0 {
			return m.path
		}
		return []byte(source)
	case slotNone:
		return nil
	}
	return m.value(slot)
}

// appendKey appends the group key of the current event of m (the
// group_by fields as name=value, comma-separated; their hash when longer
// than maxKeyBytes) to buf.
func (r *Rule) appendKey(buf []byte, m *matcher, parts []keyPart, source string) []byte {
	if len(parts) == 0 {
		return buf
	}
	start := len(buf)
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, p.name...)
		buf = append(buf, '=')
		buf = append(buf, r.partValue(m, p.slot, source)...)
	}
	return capKey(buf, start)
}

// capKey replaces a group key longer than maxKeyBytes, buf[start:], by its
// hash.
func capKey(buf []byte, start int) []byte {
	if len(buf)-start <= maxKeyBytes {
		return buf
	}
	sum := sha256.Sum256(buf[start:])
	buf = append(buf[:start], "sha256:"...)
	return hex.AppendEncode(buf, sum[:])
}

// mappedPrefix starts an IPv4-mapped IPv6 address.
const mappedPrefix = "::ffff:"

// UnmapIPv4 returns an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its
// IPv4 address, anything else as it is, without allocating: what a source
// field named ip holds is given as the engine gives a captured ip.
func UnmapIPv4(v []byte) []byte {
	if mappedIPv4(v) {
		return v[len(mappedPrefix):]
	}
	return v
}

// mappedIPv4 says whether v is an IPv4-mapped IPv6 address, ::ffff:a.b.c.d.
func mappedIPv4(v []byte) bool {
	return len(v) > len(mappedPrefix) && strings.EqualFold(string(v[:len(mappedPrefix)]), mappedPrefix) &&
		bytes.IndexByte(v[len(mappedPrefix):], ':') < 0 && bytes.IndexByte(v[len(mappedPrefix):], '.') > 0
}
