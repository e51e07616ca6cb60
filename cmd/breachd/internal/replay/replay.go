package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/rules"
)

// Mode says what Run prints for each event.
type Mode int

// Modes.
const (
	// Describe prints each finding, the incident it would open or attach
	// to, and the actions that would run.
	Describe Mode = iota
	// Matches prints each matching line as a JSON line.
	Matches
	// Findings prints each finding as a JSON line.
	Findings
)

// Options configures a replay.
type Options struct {
	Config *configs.Config
	// Rule, if set, runs only this rule.
	Rule string
	// Source names the source whose format the files are in; empty means
	// the source whose paths match each file, or the only file source.
	Source string
	// DefaultSource is used for a file no source's paths match, when
	// there are several file sources.
	DefaultSource string
	Mode          Mode
	// Out receives the report; Progress, if set (a terminal), a progress
	// line.
	Out, Progress io.Writer
	// Now is the clock for files read from standard input ("-").
	Now func() time.Time
}

// RuleSummary counts what one rule did.
type RuleSummary struct {
	Matches, Findings int
	// Evicted counts window keys dropped at the rule's key cap (the
	// daemon's breachd_rules_window_evictions_total).
	Evicted int
	keys    map[string]bool
}

// Summary is what a replay read and found.
type Summary struct {
	Lines, Bytes, ParseFailures int64
	Elapsed                     time.Duration
	Rules                       map[string]*RuleSummary
	order                       []string
}

// MatchLine is one line of --matches output.
type MatchLine struct {
	File   string            `json:"file"`
	Line   int64             `json:"line"`
	Rule   string            `json:"rule"`
	Fields map[string]string `json:"fields"`
}

// FindingLine is one line of --findings output.
type FindingLine struct {
	Rule string            `json:"rule"`
	Time time.Time         `json:"time"`
	Key  map[string]string `json:"key"`
	// Resolved marks a metric rule's condition clearing.
	Resolved bool `json:"resolved,omitempty"`
}

type run struct {
	opts      Options
	cfg       *configs.Config
	engine    *rules.Engine
	out       io.Writer
	enc       *json.Encoder
	sum       *Summary
	file      string
	line      int64
	incidents map[string]int // fingerprint → incident number
	groupBy   map[string][]string
}

// Run replays files (a path, or "-" for standard input, read from r).
func Run(ctx context.Context, opts Options, files []string, stdin io.Reader) (*Summary, error) {
	cfg := opts.Config
	if opts.Rule != "" {
		if !slices.ContainsFunc(cfg.Rules, func(r *configs.Rule) bool { return r.Name == opts.Rule }) {
			return nil, fmt.Errorf("the config has no rule %q", opts.Rule)
		}
		only := *cfg
		only.Rules = nil
		for _, r := range cfg.Rules {
			if r.Name == opts.Rule {
				only.Rules = append(only.Rules, r)
			}
		}
		cfg = &only
	}
	rn := &run{opts: opts, cfg: cfg, out: opts.Out, enc: json.NewEncoder(opts.Out), incidents: map[string]int{}, groupBy: map[string][]string{},
		sum: &Summary{Rules: map[string]*RuleSummary{}}}
	for _, r := range cfg.Rules {
		rn.sum.Rules[r.Name] = &RuleSummary{keys: map[string]bool{}}
		rn.sum.order = append(rn.sum.order, r.Name)
		switch {
		case r.Threshold != nil:
			rn.groupBy[r.Name] = r.Threshold.GroupBy
		case r.Sequence != nil:
			rn.groupBy[r.Name] = r.Sequence.By
		}
	}
	// Matches are counted by the engine; the fields of each are built
	// only when they are printed.
	var ropts rules.Options
	if opts.Mode == Matches {
		ropts.OnMatch = rn.onMatch
	}
	engine, diags := rules.Compile(cfg, ropts)
	if diags.HasErrors() {
		return nil, diags
	}
	rn.engine = engine
	defer func() {
		for _, st := range engine.Stats() {
			rn.sum.Rules[st.Rule].Matches = int(st.Matches)
			rn.sum.Rules[st.Rule].Evicted = int(st.Evictions)
		}
	}()
	began := time.Now()
	for _, f := range files {
		if err := rn.replay(ctx, f, stdin); err != nil {
			return rn.sum, err
		}
	}
	rn.sum.Elapsed = time.Since(began)
	return rn.sum, nil
}

func (rn *run) sourceFor(path string) (*configs.Source, error) {
	if rn.opts.Source != "" {
		s := rn.cfg.SourceByName(rn.opts.Source)
		if s == nil || (s.Kind != configs.KindFile && s.Kind != configs.KindStdin) {
			return nil, fmt.Errorf("the config has no file or stdin source %q", rn.opts.Source)
		}
		return s, nil
	}
	abs, _ := filepath.Abs(path)
	var files []*configs.Source
	for _, s := range rn.cfg.Sources {
		if s.Kind != configs.KindFile && s.Kind != configs.KindStdin {
			continue
		}
		files = append(files, s)
		for _, p := range s.Paths {
			if ok, _ := filepath.Match(p, abs); ok || filepath.Base(p) == filepath.Base(path) {
				return s, nil
			}
		}
	}
	if len(files) == 1 {
		return files[0], nil
	}
	if s := rn.cfg.SourceByName(rn.opts.DefaultSource); s != nil {
		return s, nil
	}
	return nil, fmt.Errorf("%s: no source's paths match it; name one with --source", path)
}

func (rn *run) replay(ctx context.Context, path string, stdin io.Reader) error {
	src, err := rn.sourceFor(path)
	if err != nil {
		return err
	}
	var r io.Reader
	var size int64
	ref := rn.opts.Now()
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		// Lines were written before the file was last modified: its time
		// gives syslog timestamps their year.
		r, size, ref = f, st.Size(), st.ModTime()
	}
	rn.file, rn.line = path, 0
	parser := detector.NewLineParser(src)
	var findings []rules.Finding
	counted := &countingReader{r: r}
	progress := newProgress(rn.opts.Progress, path, size)
	err = logtail.ReadStream(ctx, counted, path, src.MaxLineBytes, func(_ context.Context, l logtail.Line) error {
		rn.line++
		rn.sum.Lines++
		ev := rules.Event{Source: src.Name, Line: l.Text, Time: ref}
		if !parser.Parse(&ev, ref) {
			rn.sum.ParseFailures++
		}
		findings = findings[:0]
		if rn.engine.Timed() {
			findings = rn.engine.Tick(ev.Time, findings)
		}
		findings = rn.engine.Evaluate(ev, findings)
		for i := range findings {
			if err := rn.finding(&findings[i]); err != nil {
				return err
			}
		}
		if rn.line&0xffff == 0 {
			progress.update(counted.n, rn.line)
		}
		return nil
	}, nil)
	rn.sum.Bytes += counted.n
	progress.done(counted.n, rn.line)
	return err
}

func (rn *run) onMatch(rule string, fields map[string]string) {
	rn.enc.Encode(MatchLine{File: rn.file, Line: rn.line, Rule: rule, Fields: fields})
}

func (rn *run) finding(f *rules.Finding) error {
	rs := rn.sum.Rules[f.Rule]
	rs.Findings++
	rs.keys[f.GroupKey] = true
	switch rn.opts.Mode {
	case Findings:
		key := map[string]string{}
		for _, g := range rn.groupBy[f.Rule] {
			key[g] = f.Fields[g]
		}
		return rn.enc.Encode(FindingLine{Rule: f.Rule, Time: f.Time, Key: key, Resolved: f.Resolved})
	case Matches:
		return nil
	}
	key := f.GroupKey
	if key == "" {
		key = "-"
	}
	if f.Resolved {
		fmt.Fprintf(rn.out, "%s:%d: %s %s %s cleared\n", rn.file, rn.line, f.Time.UTC().Format(time.RFC3339), f.Rule, key)
		return nil
	}
	fmt.Fprintf(rn.out, "%s:%d: %s %s %s (%d events)\n", rn.file, rn.line, f.Time.UTC().Format(time.RFC3339), f.Rule, key, f.Count)
	if n, ok := rn.incidents[f.Fingerprint]; ok {
		fmt.Fprintf(rn.out, "    attaches to incident %d\n", n)
		return nil
	}
	n := len(rn.incidents) + 1
	rn.incidents[f.Fingerprint] = n
	fmt.Fprintf(rn.out, "    opens incident %d: %q, %s, %s\n", n, f.Title, f.Severity, f.Category)
	for _, name := range f.Actions {
		fmt.Fprintf(rn.out, "    %s\n", rn.describeAction(name, f))
	}
	return nil
}

// describeAction says what an action would do, without doing it.
func (rn *run) describeAction(name string, f *rules.Finding) string {
	a := rn.cfg.ActionByName(name)
	verb := "would run"
	if f.DryRun {
		verb = "dry run, would record"
	}
	switch {
	case a == nil:
		return fmt.Sprintf("action %s: not in the config", name)
	case a.Exec != nil:
		argv := make([]string, len(a.Exec.Argv))
		for i, t := range a.Exec.Argv {
			s, err := t.Render(f.Fields)
			if err != nil {
				s = "<" + err.Error() + ">"
			}
			argv[i] = fmt.Sprintf("%q", s)
		}
		return fmt.Sprintf("action %s: %s [%s]", name, verb, strings.Join(argv, " "))
	case a.Webhook != nil:
		if a.Webhook.URL == "" {
			return fmt.Sprintf("action %s: webhook with no url, would be skipped", name)
		}
		return fmt.Sprintf("action %s: %s POST %s", name, verb, a.Webhook.URL)
	}
	return fmt.Sprintf("action %s: %s", name, verb)
}

// Print writes the summary table.
func (s *Summary) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tmatches\tfindings\tkeys\tevicted\t")
	for _, name := range s.order {
		r := s.Rules[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", name, r.Matches, r.Findings, len(r.keys), r.Evicted)
	}
	tw.Flush()
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Lines) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "%d lines (%.1f MB) in %s: %.0f lines/s; %d did not parse in the source's format\n",
		s.Lines, float64(s.Bytes)/1e6, s.Elapsed.Round(time.Millisecond), rate, s.ParseFailures)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// progress draws a one-line progress report on a terminal.
type progress struct {
	w    io.Writer
	name string
	size int64
}

func newProgress(w io.Writer, name string, size int64) *progress {
	return &progress{w: w, name: name, size: size}
}

func (p *progress) update(read, lines int64) {
	if p.w == nil {
		return
	}
	if p.size > 0 {
		fmt.Fprintf(p.w, "\r%s: %3.0f%%  %d lines", p.name, 100*float64(read)/float64(p.size), lines)
		return
	}
	fmt.Fprintf(p.w, "\r%s: %d lines", p.name, lines)
}

func (p *progress) done(read, lines int64) {
	if p.w == nil {
		return
	}
	p.update(read, lines)
	fmt.Fprintln(p.w)
}
