package ruletest

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector"
	"github.com/breachd/breachd/rules"
)

// defaultStart is the time of a test's first line when it sets no start.
func defaultStart() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

type fileSchema struct {
	Config      []string    `hcl:"config"`
	ConfigRange hcl.Range   `hcl:"config,attr_value_range"`
	Source      *string     `hcl:"source,optional"`
	SourceRange hcl.Range   `hcl:"source,attr_value_range"`
	Tests       []testBlock `hcl:"test,block"`
}

type testBlock struct {
	Name        string        `hcl:"name,label"`
	DefRange    hcl.Range     `hcl:",def_range"`
	Source      *string       `hcl:"source,optional"`
	SourceRange hcl.Range     `hcl:"source,attr_value_range"`
	Start       *string       `hcl:"start,optional"`
	StartRange  hcl.Range     `hcl:"start,attr_value_range"`
	Every       *string       `hcl:"every,optional"`
	EveryRange  hcl.Range     `hcl:"every,attr_value_range"`
	Until       *string       `hcl:"until,optional"`
	UntilRange  hcl.Range     `hcl:"until,attr_value_range"`
	Lines       []string      `hcl:"lines,optional"`
	LinesRange  hcl.Range     `hcl:"lines,attr_value_range"`
	Inputs      []inputBlock  `hcl:"input,block"`
	Expects     []expectBlock `hcl:"expect,block"`
	Nones       []noneBlock   `hcl:"expect_none,block"`
}

type inputBlock struct {
	DefRange    hcl.Range `hcl:",def_range"`
	At          string    `hcl:"at"`
	AtRange     hcl.Range `hcl:"at,attr_value_range"`
	Line        string    `hcl:"line"`
	Repeat      *int      `hcl:"repeat,optional"`
	Every       *string   `hcl:"every,optional"`
	EveryRange  hcl.Range `hcl:"every,attr_value_range"`
	Source      *string   `hcl:"source,optional"`
	SourceRange hcl.Range `hcl:"source,attr_value_range"`
}

type expectBlock struct {
	DefRange hcl.Range         `hcl:",def_range"`
	Rule     string            `hcl:"rule"`
	Key      map[string]string `hcl:"key,optional"`
	Count    *int              `hcl:"count,optional"`
	Fields   map[string]string `hcl:"fields,optional"`
	// Resolved expects the findings that say a metric condition cleared.
	Resolved bool `hcl:"resolved,optional"`
}

type noneBlock struct {
	DefRange hcl.Range         `hcl:",def_range"`
	Rule     string            `hcl:"rule"`
	Key      map[string]string `hcl:"key,optional"`
}

// input is one line fed to the engine.
type input struct {
	at     time.Duration
	source string
	line   string
}

// Test is one parsed test case.
type Test struct {
	Name   string
	File   string
	inputs []input
	start  time.Time
	// until, when set, moves the clock to start+until after the last
	// line, for rules that fire on silence.
	until   time.Duration
	expects []expectBlock
	nones   []noneBlock
}

// Suite is a parsed test file with the config it tests.
type Suite struct {
	// Matcher "regexp" runs every rule's expressions on Go's regexp
	// alone (BREACHD_MATCHER).
	Matcher string
	File    string
	Files   map[string]*hcl.File // for printing diagnostics
	cfg     *configs.Config
	Tests   []*Test
}

// Load parses a test file and the config files it names (relative to the
// test file), reporting every problem.
func Load(path string) (*Suite, hcl.Diagnostics) {
	p := hclparse.NewParser()
	s := &Suite{File: path, Files: p.Files()}
	src, err := os.ReadFile(path)
	if err != nil {
		return s, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read test file", Detail: fmt.Sprintf("%v. Check the path and its permissions.", err)}}
	}
	if diags := configs.CheckNesting(path, src); diags.HasErrors() {
		return s, diags
	}
	f, diags := p.ParseHCL(src, path)
	if diags.HasErrors() {
		return s, diags
	}
	var raw fileSchema
	if diags = gohcl.DecodeBody(f.Body, nil, &raw); diags.HasErrors() {
		return s, diags
	}
	dir := filepath.Dir(path)
	var paths []string
	for _, c := range raw.Config {
		if !filepath.IsAbs(c) {
			c = filepath.Join(dir, c)
		}
		paths = append(paths, c)
	}
	if len(paths) == 0 {
		return s, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No config", Detail: "config lists the config and rule files under test, e.g. config = [\"sources.hcl\", \"sshd.hcl\"].", Subject: raw.ConfigRange.Ptr()}}
	}
	cfg, d := configs.LoadFiles(paths...)
	for name, f := range cfg.Files {
		s.Files[name] = f
	}
	if d.HasErrors() {
		return s, d
	}
	if _, d := rules.Compile(cfg, rules.Options{}); d.HasErrors() {
		return s, d
	}
	s.cfg = cfg
	bad := func(summary, detail string, rng hcl.Range) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	sourceOf := func(name *string, rng hcl.Range, def string) string {
		if name == nil {
			return def
		}
		if cfg.SourceByName(*name) == nil {
			bad("Unknown source", fmt.Sprintf("The config has no source %q.", *name), rng)
		}
		return *name
	}
	dur := func(v string, rng hcl.Range, what string) time.Duration {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			bad("Invalid "+what, fmt.Sprintf("%s is %q; write a duration such as \"0s\", \"1.5s\" or \"10m\".", what, v), rng)
		}
		return d
	}
	// The file's source, else the config's only source, is the default.
	fileDefault := ""
	if len(cfg.Sources) == 1 {
		fileDefault = cfg.Sources[0].Name
	}
	fileDefault = sourceOf(raw.Source, raw.SourceRange, fileDefault)
	for _, tb := range raw.Tests {
		t := &Test{Name: tb.Name, File: path, start: defaultStart(), expects: tb.Expects, nones: tb.Nones}
		def := fileDefault
		src := sourceOf(tb.Source, tb.SourceRange, def)
		if src == "" && (len(tb.Lines) > 0 || slices.ContainsFunc(tb.Inputs, func(in inputBlock) bool { return in.Source == nil })) {
			bad("Which source?", "The config has several sources; set source at the top of the file, in the test or in each input.", tb.DefRange)
		}
		if tb.Start != nil {
			st, err := time.Parse(time.RFC3339, *tb.Start)
			if err != nil {
				bad("Invalid start", fmt.Sprintf("start is %q; write an RFC 3339 time such as \"2026-11-23T10:00:00Z\".", *tb.Start), tb.StartRange)
			}
			t.start = st
		}
		if tb.Until != nil {
			t.until = dur(*tb.Until, tb.UntilRange, "until")
		}
		every := time.Second
		if tb.Every != nil {
			every = dur(*tb.Every, tb.EveryRange, "every")
		}
		for i, l := range tb.Lines {
			t.inputs = append(t.inputs, input{at: time.Duration(i) * every, source: src, line: l})
		}
		for _, in := range tb.Inputs {
			at := dur(in.At, in.AtRange, "at")
			n := 1
			if in.Repeat != nil {
				n = *in.Repeat
			}
			step := time.Second
			if in.Every != nil {
				step = dur(*in.Every, in.EveryRange, "every")
			}
			s := sourceOf(in.Source, in.SourceRange, src)
			for i := range n {
				t.inputs = append(t.inputs, input{at: at + time.Duration(i)*step, source: s, line: in.Line})
			}
		}
		sort.SliceStable(t.inputs, func(i, j int) bool { return t.inputs[i].at < t.inputs[j].at })
		for _, e := range tb.Expects {
			if !slices.ContainsFunc(cfg.Rules, func(r *configs.Rule) bool { return r.Name == e.Rule }) {
				bad("Unknown rule", fmt.Sprintf("The config has no rule %q.", e.Rule), e.DefRange)
			}
		}
		for _, e := range tb.Nones {
			if !slices.ContainsFunc(cfg.Rules, func(r *configs.Rule) bool { return r.Name == e.Rule }) {
				bad("Unknown rule", fmt.Sprintf("The config has no rule %q.", e.Rule), e.DefRange)
			}
		}
		s.Tests = append(s.Tests, t)
	}
	return s, diags
}

// Result is the outcome of one test.
type Result struct {
	Test     *Test
	Failures []string
	Elapsed  time.Duration
}

// Run runs every test of the suite, each on a fresh engine.
func (s *Suite) Run() []Result {
	out := make([]Result, 0, len(s.Tests))
	for _, t := range s.Tests {
		began := time.Now()
		r := Result{Test: t, Failures: s.run(t)}
		r.Elapsed = time.Since(began)
		out = append(out, r)
	}
	return out
}

// run feeds a test's lines to a fresh engine, through each source's line
// parser, with the clock at the line's time, and compares the findings.
func (s *Suite) run(t *Test) []string {
	engine, diags := rules.Compile(s.cfg, rules.Options{Matcher: s.Matcher})
	if diags.HasErrors() {
		return []string{diags.Error()}
	}
	parsers := map[string]*detector.LineParser{}
	var findings []rules.Finding
	for _, in := range t.inputs {
		p := parsers[in.source]
		if p == nil {
			p = detector.NewLineParser(s.cfg.SourceByName(in.source))
			parsers[in.source] = p
		}
		now := t.start.Add(in.at)
		if engine.Timed() {
			// Silences up to this moment fire before the line arrives.
			findings = engine.Tick(now, findings)
		}
		ev := rules.Event{Source: in.source, Line: []byte(in.line), Time: now}
		p.Parse(&ev, now)
		findings = engine.Evaluate(ev, findings)
	}
	if t.until > 0 {
		findings = engine.Tick(t.start.Add(t.until), findings)
	}
	return check(t, findings)
}

// check compares findings with the test's expectations. Every finding must
// be expected; an expect block claims the findings of its rule whose key
// contains its key.
func check(t *Test, findings []rules.Finding) []string {
	var fails []string
	claimed := make([]bool, len(findings))
	pos := func(r hcl.Range) string { return fmt.Sprintf("%s:%d", filepath.Base(r.Filename), r.Start.Line) }
	for _, e := range t.expects {
		want := 1
		if e.Count != nil {
			want = *e.Count
		}
		var got []int
		for i, f := range findings {
			if f.Rule == e.Rule && f.Resolved == e.Resolved && keyMatches(f, e.Key) {
				got = append(got, i)
				claimed[i] = true
			}
		}
		what := "finding(s)"
		if e.Resolved {
			what = "resolution(s)"
		}
		if len(got) != want {
			fails = append(fails, fmt.Sprintf("%s: want %d %s of %s%s, got %d%s", pos(e.DefRange), want, what, e.Rule, keyString(e.Key), len(got), describe(findings, got)))
			continue
		}
		for _, i := range got {
			for k, v := range e.Fields {
				if findings[i].Fields[k] != v {
					fails = append(fails, fmt.Sprintf("%s: finding of %s: field %s = %q, want %q", pos(e.DefRange), e.Rule, k, findings[i].Fields[k], v))
				}
			}
		}
	}
	for _, n := range t.nones {
		var got []int
		for i, f := range findings {
			if f.Rule == n.Rule && keyMatches(f, n.Key) {
				got = append(got, i)
			}
		}
		if len(got) > 0 {
			fails = append(fails, fmt.Sprintf("%s: want no finding of %s%s, got %d%s", pos(n.DefRange), n.Rule, keyString(n.Key), len(got), describe(findings, got)))
		}
	}
	var extra []int
	for i, c := range claimed {
		if !c && !slices.ContainsFunc(t.nones, func(n noneBlock) bool { return n.Rule == findings[i].Rule && keyMatches(findings[i], n.Key) }) {
			extra = append(extra, i)
		}
	}
	if len(extra) > 0 {
		fails = append(fails, fmt.Sprintf("unexpected finding(s)%s", describe(findings, extra)))
	}
	return fails
}

func keyMatches(f rules.Finding, key map[string]string) bool {
	for k, v := range key {
		if f.Fields[k] != v {
			return false
		}
	}
	return true
}

func keyString(key map[string]string) string {
	if len(key) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(key)) {
		parts = append(parts, k+"="+key[k])
	}
	return " with " + strings.Join(parts, ",")
}

func describe(findings []rules.Finding, idx []int) string {
	var b strings.Builder
	for n, i := range idx {
		if n == 5 {
			fmt.Fprintf(&b, "\n        ... and %d more", len(idx)-5)
			break
		}
		f := findings[i]
		key := f.GroupKey
		if key == "" {
			key = "no group"
		}
		resolved := ""
		if f.Resolved {
			resolved = " resolved"
		}
		fmt.Fprintf(&b, "\n        %s (%s)%s at %s: %s", f.Rule, key, resolved, f.Time.Format(time.RFC3339), f.Evidence)
	}
	return b.String()
}

// Report prints results like go test and returns whether all passed.
func Report(w io.Writer, results []Result, verbose bool) bool {
	ok := true
	for _, r := range results {
		name := filepath.Base(r.Test.File) + "/" + r.Test.Name
		if verbose {
			fmt.Fprintf(w, "=== RUN   %s\n", name)
		}
		if len(r.Failures) == 0 {
			if verbose {
				fmt.Fprintf(w, "--- PASS: %s (%.2fs)\n", name, r.Elapsed.Seconds())
			}
			continue
		}
		ok = false
		fmt.Fprintf(w, "--- FAIL: %s (%.2fs)\n", name, r.Elapsed.Seconds())
		for _, f := range r.Failures {
			fmt.Fprintf(w, "    %s\n", f)
		}
	}
	return ok
}
