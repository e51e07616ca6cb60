package rules

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules/match"
)

// maxWhereNodes caps the size of a where condition's syntax tree.
const maxWhereNodes = 2000

// fieldIncidentID is the extra field actions may interpolate.
const fieldIncidentID = "incident_id"

// Compile turns every rule of cfg into an executable rule. It reports every
// problem at once: bad regular expressions, where conditions that do not
// compile or are not boolean, and references (group_by, templates, action
// arguments) to fields the rule does not capture.
func Compile(cfg *configs.Config, opts Options) (*Engine, hcl.Diagnostics) {
	if opts.MaxKeysPerRule <= 0 {
		opts.MaxKeysPerRule = DefaultMaxKeysPerRule
	}
	e := &Engine{bySource: make(map[string]*sourceRules)}
	// Rules that share an expression share its compiled form, and its
	// result for each event is computed once.
	cache := &compileCache{pats: map[string]*pattern{}, matchers: map[string]*matcher{}, conns: map[string]*connRule{}}
	var diags hcl.Diagnostics
	for _, spec := range cfg.Rules {
		r, d := compileRule(cfg, cache, spec, opts)
		diags = append(diags, d...)
		if r != nil && !d.HasErrors() && spec.Enabled {
			e.rules = append(e.rules, r)
			for _, src := range r.sources() {
				sr := e.bySource[src]
				if sr == nil {
					sr = &sourceRules{}
					e.bySource[src] = sr
				}
				sr.rules = append(sr.rules, r)
			}
			if r.silence != nil {
				e.timed = append(e.timed, r)
			}
		}
	}
	for src, sr := range e.bySource {
		e.bySource[src] = newSourceRules(sr.rules, src, cmp.Or(opts.minFilteredRules, minFilteredRules))
	}
	return e, diags
}

// compileCache holds what rules share: compiled expressions by source
// text, and matchers by source, expressions and condition.
type compileCache struct {
	pats     map[string]*pattern
	matchers map[string]*matcher
	conns    map[string]*connRule
}

func compileRule(cfg *configs.Config, cache *compileCache, spec *configs.Rule, opts Options) (*Rule, hcl.Diagnostics) {
	r := &Rule{spec: spec, onMatch: opts.OnMatch, stateKey: stateKey(cfg, spec, opts.MaxKeysPerRule)}
	if spec.Sensitive && opts.OnMatch != nil {
		// Every match of a sensitive rule (plain, sequence step or
		// connection line) is seen masked, like its findings: replay
		// --matches prints them. The map may be the finding's: a copy.
		r.onMatch = func(rule string, fields map[string]string) {
			masked := maps.Clone(fields)
			maskSensitive(masked, "", "")
			opts.OnMatch(rule, masked)
		}
	}
	plain := plainMatcher(spec, opts)
	var diags hcl.Diagnostics
	// known are the fields the rule's findings have.
	known := map[string]bool{FieldRule: true, FieldSource: true}
	if spec.Metric != nil {
		mr, k, d := compileMetric(cfg, spec, opts)
		diags = append(diags, d...)
		r.metric = mr
		for f := range k {
			known[f] = true
		}
	} else if seq := spec.Sequence; seq != nil {
		provides := make([]map[string]bool, len(seq.Steps))
		for i, st := range seq.Steps {
			m, k, d := compileMatcher(cfg, cache, plain, spec.Name, st.Source, st.Matches, st.MatchRange, st.Where, st.WhereRange)
			diags = append(diags, d...)
			if m == nil {
				continue
			}
			r.steps = append(r.steps, &step{m: m, count: st.Count})
			provides[i] = k
			for f := range k {
				known[f] = true
			}
		}
		for _, by := range seq.By {
			for i, st := range seq.Steps {
				if provides[i] != nil && !provides[i][by] {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Step without a by field",
						Detail:   fmt.Sprintf("Step %q does not capture %q, which by needs to tie the steps together; add (?P<%s>...) to its match.", st.Name, by, by),
						Subject:  st.MatchRange.Ptr(),
					})
				}
			}
		}
		r.groupBy = seq.By
		for f := range known {
			if f != FieldRule && f != FieldSource {
				r.seqFields = append(r.seqFields, f)
			}
		}
		slices.Sort(r.seqFields)
		r.seqs = newSeqSet(seq.Within, opts.MaxKeysPerRule)
	} else {
		m, k, d := compileMatcher(cfg, cache, plain, spec.Name, spec.Source, spec.Matches, spec.MatchRange, spec.Where, spec.WhereRange)
		diags = append(diags, d...)
		r.m = m
		for f := range k {
			known[f] = true
		}
		if spec.Connection != nil && m != nil {
			// Before the fields are checked: the connection's lines
			// add theirs (the fill fields above all).
			diags = append(diags, compileConnection(cfg, cache, spec, r, known, opts)...)
		}
	}
	// The fields are known once the expressions compiled, even if the
	// where did not: the title's and actions' fields are checked too, so
	// every mistake of the rule is reported at once.
	if diags.HasErrors() && (spec.Sequence != nil || spec.Metric != nil || r.m == nil || r.m.known == nil) {
		return nil, diags
	}
	fieldList := strings.Join(r.Fields(), ", ")
	unknownField := func(what, field string, rng hcl.Range) *hcl.Diagnostic {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown field",
			Detail: fmt.Sprintf("%s refers to field %q, which rule %q does not have (its fields: %s). Add (?P<%s>...) to match or fix the name.",
				what, field, spec.Name, fieldList, field),
			Subject: rng.Ptr(),
		}
	}
	if a := spec.Absent; a != nil {
		for _, g := range a.GroupBy {
			if !known[g] && g != configs.FieldSeenIn {
				diags = append(diags, unknownField("group_by", g, a.GroupByRange))
			}
		}
		r.groupBy = a.GroupBy
		r.silence = newSilenceSet(a.Within, opts.MaxKeysPerRule)
		r.anyLine = len(a.GroupBy) == 0 && spec.Where == "" && slices.Equal(spec.Matches, []string{""})
	}
	if t := spec.Threshold; t != nil {
		for _, g := range t.GroupBy {
			if !known[g] && g != configs.FieldSeenIn {
				diags = append(diags, unknownField("group_by", g, t.GroupByRange))
			}
		}
		if t.Distinct != "" && !known[t.Distinct] && t.Distinct != configs.FieldSeenIn {
			diags = append(diags, unknownField("distinct", t.Distinct, t.DistinctRange))
		}
		r.groupBy = t.GroupBy
		r.distinct = t.Distinct
		r.windows = newWindowSet(t.Count, t.Within, t.Cooldown, opts.MaxKeysPerRule)
	}
	for _, f := range spec.Title.Fields() {
		if !known[f] {
			diags = append(diags, unknownField("The incident title", f, spec.Title.Range))
		}
	}
	for _, name := range spec.Actions {
		a := cfg.ActionByName(name)
		if a != nil && a.Systemd != nil && a.Systemd.Field != "" && !known[a.Systemd.Field] {
			diags = append(diags, unknownField(fmt.Sprintf("Action %q (run by this rule's actions) stops the unit in", name), a.Systemd.Field, spec.ActionsRange))
		}
		if a != nil && a.Account != nil && !known[a.Account.Field] {
			diags = append(diags, unknownField(fmt.Sprintf("Action %q (run by this rule's actions) locks the account in", name), a.Account.Field, spec.ActionsRange))
		}
		if a != nil && a.Process != nil {
			for _, v := range []string{a.Process.User, a.Process.Unit} {
				if f, ok := strings.CutPrefix(v, "${"); ok && !known[strings.TrimSuffix(f, "}")] {
					diags = append(diags, unknownField(fmt.Sprintf("Action %q (run by this rule's actions) ends the processes named in", name), strings.TrimSuffix(f, "}"), spec.ActionsRange))
				}
			}
		}
		if a != nil && a.Nftables != nil && !known[a.Nftables.Target] {
			diags = append(diags, unknownField(fmt.Sprintf("Action %q (run by this rule's actions) blocks the address in", name), a.Nftables.Target, spec.ActionsRange))
		}
		if a == nil || a.Exec == nil {
			continue
		}
		for _, t := range a.Exec.Argv {
			for _, f := range t.Fields() {
				if !known[f] && f != fieldIncidentID {
					diags = append(diags, unknownField(fmt.Sprintf("Action %q (run by this rule's actions)", name), f, spec.ActionsRange))
				}
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if r.m != nil {
		r.keyParts = r.resolveParts(r.m, r.groupBy)
		r.distinctPart = r.resolve(r.m, r.distinct)
	}
	for _, st := range r.steps {
		r.stepKeys = append(r.stepKeys, r.resolveParts(st.m, r.groupBy))
		slots := make([]int, len(r.seqFields))
		for i, f := range r.seqFields {
			slots[i] = st.m.slotOf(f)
		}
		r.stepSlots = append(r.stepSlots, slots)
	}
	return r, diags
}

// plainMatcher says whether a rule's expressions run on Go's regexp
// alone: its matcher = "regexp", or Options.Matcher.
func plainMatcher(spec *configs.Rule, opts Options) bool {
	return opts.Matcher == configs.MatcherRegexp || spec.Matcher == configs.MatcherRegexp
}

// compileMatcher compiles one match and where on one source (plain: on
// Go's regexp alone). It returns the fields its events have: the source's
// fields and the captures.
func compileMatcher(cfg *configs.Config, cache *compileCache, plain bool, rule, source string, matches []string, matchRange hcl.Range, where string, whereRange hcl.Range) (*matcher, map[string]bool, hcl.Diagnostics) {
	// Rules with the same source, expressions and condition share one
	// matcher, which runs once per event for all of them.
	shareKey := source + "\x00" + strings.Join(matches, "\x00") + "\x00" + where
	if plain {
		shareKey += "\x00regexp"
	}
	if strings.Contains(where, FieldRule) {
		shareKey += "\x00" + rule // the condition reads the rule's name
	}
	if m := cache.matchers[shareKey]; m != nil {
		return m, m.known, nil
	}
	m := &matcher{source: source}
	if src := cfg.SourceByName(source); src != nil {
		// The source's own string: events carry it, and comparing a
		// string with itself is a pointer comparison.
		m.source = src.Name
	}
	defer func() {
		if m.known != nil && (where == "" || m.where != nil) {
			cache.matchers[shareKey] = m
		}
	}()
	for _, expr := range matches {
		patKey := expr
		if plain {
			patKey += "\x00regexp"
		}
		p := cache.pats[patKey]
		if p == nil {
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, nil, hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Invalid match expression",
					Detail:   fmt.Sprintf("%v. match uses RE2 syntax; in HCL strings write a backslash as \\\\.", err),
					Subject:  matchRange.Ptr(),
				}}
			}
			p = &pattern{re: re, names: re.SubexpNames(), lits: match.Analyze(expr)}
			if !plain {
				p.fast = match.NewASCII(expr)
			}
			p.lead = match.CommonPrefix(p.lits.Prefix)
			cache.pats[patKey] = p
		}
		m.pats = append(m.pats, p)
	}
	m.indexByFirstByte()
	if src := cfg.SourceByName(source); src != nil {
		m.srcFields = src.Fields()
	}
	m.slots = append(m.captureNames(), m.srcFields...)
	m.ncap = len(m.slots) - len(m.srcFields)
	m.ipSlot = slices.Index(m.slots[:m.ncap], "ip")
	m.caps = make([]int, 2*m.ncap)
	for _, p := range m.pats {
		slots := make([]int32, len(p.names))
		for i, n := range p.names {
			slots[i] = -1
			if n != "" {
				slots[i] = int32(slices.Index(m.slots[:m.ncap], n))
			}
		}
		m.patSlots = append(m.patSlots, slots)
	}
	var diags hcl.Diagnostics
	known := map[string]bool{}
	reserved := []string{FieldRule, FieldSource, FieldLine, FieldTime, fieldIncidentID}
	for _, f := range m.srcFields {
		reserved = append(reserved, f)
		known[f] = true
	}
	for _, n := range m.captureNames() {
		if slices.Contains(reserved, n) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Reserved capture name",
				Detail:   fmt.Sprintf("The capture (?P<%s>...) uses a name breachd reserves for this source (%s); rename it.", n, strings.Join(reserved, ", ")),
				Subject:  matchRange.Ptr(),
			})
		}
		known[n] = true
	}
	m.known = known
	if where == "" {
		return m, known, diags
	}
	env := map[string]any{FieldLine: "", FieldTime: time.Time{}, FieldRule: rule, FieldSource: source}
	for n := range known {
		env[n] = ""
	}
	opts := []expr.Option{expr.Env(env), expr.AsBool(), expr.MaxNodes(maxWhereNodes)}
	opts = append(opts, functions()...)
	prog, err := expr.Compile(where, opts...)
	if err != nil {
		rng := whereRange
		var ferr *file.Error
		if errors.As(err, &ferr) {
			rng = whereErrorRange(cfg, whereRange, ferr.Line, ferr.Column)
		}
		msg := err.Error()
		if ferr != nil {
			msg = ferr.Message
		}
		fields := append([]string{FieldLine, FieldRule, FieldSource}, m.srcFields...)
		fields = append(fields, m.captureNames()...)
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid where condition",
			Detail: fmt.Sprintf("%s. where is an expr-lang condition that must be true or false; it can use the fields %s (strings), time (the event's time) and the functions %s, besides expr's own (lower, upper, int, float, contains, matches, ...).",
				msg, strings.Join(fields, ", "), functionList),
			Subject: rng.Ptr(),
		})
		return m, known, diags
	}
	m.where, m.env = prog, env
	m.native = nativeWhere(where, m.slots)
	m.guard = whereGuard(where, m.srcFields)
	ast.Find(prog.Node(), func(n ast.Node) bool {
		if id, ok := n.(*ast.IdentifierNode); ok {
			switch id.Value {
			case FieldLine:
				m.usesLine = true
			case FieldTime:
				m.usesTime = true
			case "$env": // any field may be read
				m.usesLine, m.usesTime = true, true
				m.whereVars = m.whereVars[:0]
				for i := range m.slots {
					m.whereVars = append(m.whereVars, i)
				}
			default:
				if s := m.slotOf(id.Value); s >= 0 && !slices.Contains(m.whereVars, s) {
					m.whereVars = append(m.whereVars, s)
				}
			}
		}
		return false
	})
	return m, known, diags
}

// captureNames returns the named captures of all the matcher's
// expressions, each once, in order of appearance.
func (m *matcher) captureNames() []string {
	var out []string
	for _, p := range m.pats {
		names := p.names
		for _, n := range names {
			if n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// whereErrorRange maps an expr error position (1-based line, 0-based rune
// column within the condition's text) to a position in the config file. It
// understands quoted strings with escapes and <<- heredocs; anything else
// falls back to the start of the value.
func whereErrorRange(cfg *configs.Config, value hcl.Range, line, col int) hcl.Range {
	f := cfg.Files[value.Filename]
	if f == nil || line < 1 {
		return value
	}
	raw := value.SliceBytes(f.Bytes)
	pos, ok := locateInLiteral(raw, line, col)
	if !ok {
		return value
	}
	start := hcl.Pos{Line: value.Start.Line + pos.Line, Column: pos.Column + 1}
	if pos.Line == 0 {
		start.Column = value.Start.Column + pos.Column
	}
	end := start
	end.Column++
	return hcl.Range{Filename: value.Filename, Start: start, End: end}
}

// locateInLiteral finds the decoded (line, col) inside raw, the source of an
// HCL string literal. The result's Line is the offset in source lines from
// the literal's first line and Column the 0-based rune column on that line.
func locateInLiteral(raw []byte, line, col int) (hcl.Pos, bool) {
	s := string(raw)
	switch {
	case strings.HasPrefix(s, `"`):
		if line != 1 {
			return hcl.Pos{}, false
		}
		rawCol := 1 // skip the opening quote
		rs := []rune(s)
		i := 1
		for dec := 0; dec < col && i < len(rs); dec++ {
			step := 1
			switch {
			case rs[i] == '\\' && i+1 < len(rs):
				switch rs[i+1] {
				case 'u':
					step = 6
				case 'U':
					step = 10
				default:
					step = 2
				}
			case (rs[i] == '$' || rs[i] == '%') && i+2 < len(rs) && rs[i+1] == rs[i] && rs[i+2] == '{':
				step = 2 // "$${" decodes to "${": the first two raw runes are one decoded rune
			}
			i += step
			rawCol += step
		}
		return hcl.Pos{Line: 0, Column: rawCol}, true
	case strings.HasPrefix(s, "<<"):
		lines := strings.Split(s, "\n")
		if line >= len(lines) {
			return hcl.Pos{}, false
		}
		indent := 0
		if strings.HasPrefix(s, "<<-") {
			indent = -1
			for _, l := range lines[1 : len(lines)-1] {
				if strings.TrimSpace(l) == "" {
					continue
				}
				n := len(l) - len(strings.TrimLeft(l, " \t"))
				if indent < 0 || n < indent {
					indent = n
				}
			}
			indent = max(indent, 0)
		}
		return hcl.Pos{Line: line, Column: indent + col}, true
	}
	return hcl.Pos{}, false
}

// indexByFirstByte builds m.byFirst when an expression has a literal
// prefix: a text that does not start with an expression's lead cannot
// match it (pattern.find checks the same), so the lists only leave out
// expressions that would fail, and keep the order of the rest.
func (m *matcher) indexByFirstByte() {
	m.byFirst, m.noLead = nil, nil
	leads := false
	for i, p := range m.pats {
		if len(p.lead) == 0 {
			m.noLead = append(m.noLead, int32(i))
		} else {
			leads = true
		}
	}
	if !leads {
		return
	}
	var by [256][]int32
	for b := range by {
		var list []int32
		starts := false
		for i, p := range m.pats {
			if len(p.lead) == 0 || p.lead[0] == byte(b) {
				list = append(list, int32(i))
				starts = starts || len(p.lead) > 0
			}
		}
		if starts {
			by[b] = list
		} else {
			by[b] = m.noLead
		}
	}
	m.byFirst = &by
}
