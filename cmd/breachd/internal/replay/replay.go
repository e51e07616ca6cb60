package replay

import (
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/incidents"
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
	// Matcher "regexp" runs every rule's expressions on Go's regexp alone.
	Matcher string
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
	// line; Warn, if set, each warning as it is found (they are in the
	// summary too).
	Out, Progress, Warn io.Writer
	// Now is the clock for files read from standard input ("-").
	Now func() time.Time
	// Shards is how many goroutines evaluate the rules, each on its own
	// share of them (rules with the same expressions share one, which
	// evaluates those once per line); 0 means one per core, at most
	// maxShards. Matches mode uses one.
	Shards int
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
	// Files says how each file was read, in the order read.
	Files []FileSummary
	// Warnings are what the reader should know about the results: files
	// no source claims, lines without a time of their own.
	Warnings []string
	warned   bool // the warnings went to Options.Warn
}

// FileSummary is how one file was read.
type FileSummary struct {
	Path, Source string
	// Format is the source's format, or for the auto format the one it
	// recognised in the file ("auto: syslog").
	Format string
	// Claimed is false when no source's paths match the file and it was
	// read in a default source's format.
	Claimed              bool
	Lines, ParseFailures int64
	// Untimed counts the lines without a time of their own, timed by
	// the file's modification time (the clock for standard input).
	Untimed int64
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
	engines   []*rules.Engine
	ruleIndex map[string]int // rule → its place in the config, the order of findings
	out       io.Writer
	enc       *json.Encoder
	sum       *Summary
	file      string
	line      int64
	// atLine is set in Matches mode, whose one shard tells onMatch the
	// line it is on (matchLine).
	atLine    func(int64)
	matchLine int64
	// matchErr is the first error writing --matches output (the reader
	// went away): the replay stops on it. Set by the one shard while the
	// main goroutine reads it, batches apart.
	matchErr  atomic.Pointer[error]
	incidents map[string]int // fingerprint → incident number
	tieWarned map[string]bool
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
	// Only the rules of the sources the files are read as can match: the
	// others are not compiled (the shipped packs hold rules for dozens of
	// logs; compiling them all would cost more than a short log's replay).
	read := map[string]bool{}
	for _, f := range files {
		src, _, err := rn.sourceFor(f)
		if err != nil {
			return nil, err
		}
		read[src.Name] = true
	}
	if opts.Rule != "" {
		if r := cfg.Rules[0]; !slices.ContainsFunc(ruleSources(r), func(s string) bool { return read[s] }) {
			return nil, fmt.Errorf("rule %q reads source %q, and no file is read as it (they are read as %s): name --source %s, or a file of that source",
				r.Name, r.Source, strings.Join(slices.Sorted(maps.Keys(read)), ", "), r.Source)
		}
	} else {
		used := *cfg
		used.Rules = nil
		for _, r := range cfg.Rules {
			if slices.ContainsFunc(ruleSources(r), func(s string) bool { return read[s] }) {
				used.Rules = append(used.Rules, r)
			}
		}
		cfg = &used
		rn.cfg = cfg
	}
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
	ropts := rules.Options{Matcher: opts.Matcher}
	shards := opts.Shards
	if shards <= 0 {
		shards = min(runtime.GOMAXPROCS(0), maxShards)
	}
	if opts.Mode == Matches {
		ropts.OnMatch = rn.onMatch
		rn.atLine = func(n int64) { rn.matchLine = n }
		shards = 1
	}
	rn.ruleIndex = map[string]int{}
	for i, r := range cfg.Rules {
		rn.ruleIndex[r.Name] = i
	}
	for _, share := range partition(cfg.Rules, shards) {
		sub := *cfg
		sub.Rules = share
		engine, diags := rules.Compile(&sub, ropts)
		if diags.HasErrors() {
			return nil, diags
		}
		rn.engines = append(rn.engines, engine)
	}
	defer func() {
		for _, engine := range rn.engines {
			for _, st := range engine.Stats() {
				rn.sum.Rules[st.Rule].Matches = int(st.Matches)
				rn.sum.Rules[st.Rule].Evicted = int(st.Evictions)
			}
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

// sourceFor returns the source whose format path is read in, and whether
// the source claims it (names it in --source or in its paths).
func (rn *run) sourceFor(path string) (*configs.Source, bool, error) {
	if rn.opts.Source != "" {
		s := rn.cfg.SourceByName(rn.opts.Source)
		if s == nil || (s.Kind != configs.KindFile && s.Kind != configs.KindStdin) {
			return nil, false, fmt.Errorf("the config has no file or stdin source %q", rn.opts.Source)
		}
		return s, true, nil
	}
	abs, _ := filepath.Abs(path)
	var files []*configs.Source
	// A copy of a log keeps its name and often its directory: the source
	// whose path shares the most trailing components with the file claims
	// it (/var/log/apache2/error.log is not /var/log/mysql/error.log); a
	// glob matching the whole path wins outright.
	var best *configs.Source
	bestN := 0
	var tied []string // other sources claiming the file as much as best
	for _, s := range rn.cfg.Sources {
		if s.Kind != configs.KindFile && s.Kind != configs.KindStdin {
			continue
		}
		files = append(files, s)
		if path == "-" && s.Kind == configs.KindStdin {
			return s, true, nil
		}
		for _, p := range s.Paths {
			if ok, _ := filepath.Match(p, abs); ok {
				return s, true, nil
			}
			if n := sharedTail(p, abs); n > bestN {
				best, bestN, tied = s, n, nil
			} else if n > 0 && n == bestN && s != best && !slices.Contains(tied, s.Name) {
				tied = append(tied, s.Name)
			}
		}
	}
	// Sources that claim the file as much as each other (a bare
	// error.log: Apache's, nginx's or MySQL's?): the first declared reads
	// it, and replay says which others could have.
	if best != nil {
		if len(tied) > 0 && !rn.tieWarned[path] {
			if rn.tieWarned == nil {
				rn.tieWarned = map[string]bool{}
			}
			rn.tieWarned[path] = true
			rn.warn("%s: the paths of sources %s end in its name too; it is read as source %q, the first declared: name another with --source NAME",
				displayPath(path), strings.Join(tied, ", "), best.Name)
		}
		return best, true, nil
	}
	if len(files) == 1 {
		return files[0], false, nil
	}
	if s := rn.cfg.SourceByName(rn.opts.DefaultSource); s != nil {
		return s, false, nil
	}
	return nil, false, fmt.Errorf("%s: no source's paths match it; name one with --source", path)
}

// sharedTail counts the trailing path components a source's path (a glob
// in its file name or directories) shares with a file's path: 0 when even
// the file names differ. A rotated copy (auth.log.1, mail.log-20261203)
// is its log. A file-name glob that says nothing but an extension
// (/var/log/app/*.log) claims a file only with a directory in common.
func sharedTail(pattern, path string) int {
	ps := strings.Split(filepath.ToSlash(pattern), "/")
	fs := strings.Split(filepath.ToSlash(path), "/")
	fs[len(fs)-1] = rotatedSuffix.ReplaceAllString(fs[len(fs)-1], "")
	n := 0
	for i, j := len(ps)-1, len(fs)-1; i >= 0 && j >= 0 && ps[i] != ""; i, j = i-1, j-1 {
		if ok, _ := filepath.Match(ps[i], fs[j]); !ok {
			break
		}
		n++
	}
	if n == 1 && genericGlob(ps[len(ps)-1]) {
		return 0
	}
	return n
}

// rotatedSuffix is what logrotate appends to a rotated log: a number, or
// a date with dateext.
var rotatedSuffix = regexp.MustCompile(`(?:\.\d{1,3}|-\d{8})?(?:\.gz)?$`)

// genericGlob says whether a file-name glob holds no literal text but an
// extension ("*.log", "*"): any log's name matches it.
func genericGlob(name string) bool {
	if !strings.ContainsAny(name, "*?[") {
		return false
	}
	lit := strings.Map(func(r rune) rune {
		if strings.ContainsRune("*?[]", r) {
			return -1
		}
		return r
	}, name)
	return lit == "" || lit == filepath.Ext(name)
}

// ruleSources are the sources a rule reads: its own, and its sequence
// steps' when they name theirs.
func ruleSources(r *configs.Rule) []string {
	out := []string{r.Source}
	if r.Sequence != nil {
		for _, st := range r.Sequence.Steps {
			if st.Source != "" {
				out = append(out, st.Source)
			}
		}
	}
	return out
}

// displayPath is path as a warning shows it: quoted when it holds a
// control character (a newline in a file name must not forge a line).
func displayPath(path string) string {
	if strings.IndexFunc(path, unicode.IsControl) >= 0 {
		return strconv.Quote(path)
	}
	return path
}

// warn records a warning and writes it to Warn.
func (rn *run) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	rn.sum.Warnings = append(rn.sum.Warnings, w)
	if rn.opts.Warn != nil {
		rn.sum.warned = true
		fmt.Fprintln(rn.opts.Warn, "breachd replay: warning:", w)
	}
}

// sourceNames lists the file and stdin sources with the paths they
// claim, for a warning.
func (rn *run) sourceNames() string {
	var out []string
	for _, s := range rn.cfg.Sources {
		if s.Kind == configs.KindFile || s.Kind == configs.KindStdin {
			out = append(out, fmt.Sprintf("%s (%s)", s.Name, strings.Join(s.Paths, ", ")))
		}
	}
	return strings.Join(out, "; ")
}

func (rn *run) replay(ctx context.Context, path string, stdin io.Reader) error {
	src, claimed, err := rn.sourceFor(path)
	if err != nil {
		return err
	}
	if !claimed {
		rn.warn("%s: no source's paths match it, so it is read as source %q (format %s) and only that source's rules run on it; "+
			"if it is another log, name its source with --source NAME, or rename the file as that source's paths name it (sources: %s)",
			displayPath(path), src.Name, src.Format, rn.sourceNames())
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
	counted := &countingReader{r: r}
	var in io.Reader = counted
	if f, ok := r.(*os.File); ok {
		// A rotated log compressed by logrotate (auth.log.2.gz) is read
		// through gzip, known by its magic bytes; the bytes counted (and
		// the progress) are the file's.
		var magic [2]byte
		if n, _ := f.ReadAt(magic[:], 0); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			gz, err := gzip.NewReader(counted)
			if err != nil {
				return fmt.Errorf("%s: %w", displayPath(path), err)
			}
			defer gz.Close()
			in = gz
		}
	}
	progress := newProgress(rn.opts.Progress, path, size)
	// Stages on their own goroutines, in file order: reading, cutting and
	// parsing lines into batches; evaluating the rules on them, each
	// shard of rules on every batch (a shard holds its rules' windows, so
	// each rule stays on one goroutine); then, here, taking the findings
	// of each batch in line and config order.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *batch, batches)
	for range batches {
		free <- &batch{found: make([][]found, len(rn.engines))}
	}
	ins, outs := make([]chan *batch, len(rn.engines)), make([]chan *batch, len(rn.engines))
	for k, engine := range rn.engines {
		ins[k], outs[k] = make(chan *batch, batches), make(chan *batch, batches)
		go evaluate(engine, k, ins[k], outs[k], rn.atLine)
	}
	var failures, lines, untimed, parsedUntimed, cut int64
	// Lines carry the times they give, whatever their distance from the
	// file's time; a year-less syslog stamp takes the year that puts it
	// at or before the file's last change (the clock for standard
	// input), as the lines of a log were written before it.
	parser := detector.NewLineParser(src)
	parser.KeepTimes()
	parser.File(path)
	read := make(chan error, 1)
	go func() {
		defer func() {
			for _, in := range ins {
				close(in)
			}
		}()
		b := <-free
		b.first = 1
		send := func() {
			for _, in := range ins {
				in <- b
			}
		}
		read <- logtail.ReadStream(ctx, in, path, src.MaxLineBytes, func(ctx context.Context, l logtail.Line) error {
			ev := rules.Event{Source: src.Name, Line: l.Text, Time: ref}
			if !parser.Parse(&ev, ref) {
				failures++
				untimed++
			} else if !parser.Timed() {
				untimed++
				parsedUntimed++
			}
			if l.Truncated {
				cut++
			}
			b.add(ev)
			if lines++; lines&0xffff == 0 {
				progress.update(counted.n.Load(), lines)
			}
			if len(b.events) < batchLines && len(b.arena) < batchBytes {
				return nil
			}
			send()
			b = nil
			select {
			case b = <-free:
				b.first = lines + 1
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, nil)
		if b != nil && len(b.events) > 0 {
			send()
		}
	}()
	var evalErr error
	for {
		var b *batch
		for _, out := range outs {
			b = <-out // every shard hands the batches back in order
		}
		if b == nil {
			break
		}
		if p := rn.matchErr.Load(); evalErr == nil && p != nil {
			evalErr = *p
			cancel()
		}
		for _, f := range b.merge(rn.ruleIndex) {
			if evalErr != nil {
				break
			}
			rn.line = b.first + int64(f.event)
			if evalErr = rn.finding(&f.Finding); evalErr != nil {
				cancel()
			}
		}
		rn.line = b.first + int64(len(b.events)) - 1
		rn.sum.Lines += int64(len(b.events))
		b.reset()
		free <- b
	}
	err = <-read
	if errors.Is(err, context.Canceled) {
		err = nil // stopped: by the caller, or by evalErr
	}
	rn.sum.ParseFailures += failures
	rn.sum.Bytes += counted.n.Load()
	fs := FileSummary{Path: path, Source: src.Name, Format: parser.Format(src, path), Claimed: claimed,
		Lines: lines, ParseFailures: failures, Untimed: untimed}
	rn.sum.Files = append(rn.sum.Files, fs)
	shown := displayPath(path)
	if failures > 0 && err == nil && evalErr == nil {
		rn.warn("%s: %d of %d lines do not read in source %q's format (%s): their fields (the address among them) are empty, "+
			"so the rules that need them skip those lines; if the file is another log, name its source with --source NAME",
			shown, failures, lines, src.Name, fs.Format)
	}
	if cut > 0 && err == nil && evalErr == nil {
		rn.warn("%s: %d lines were longer than max_line_bytes (%d) and were read cut to it (the rest of each is not matched)",
			shown, cut, cmp.Or(src.MaxLineBytes, logtail.DefaultMaxLineBytes))
	}
	if parsedUntimed > 0 && err == nil && evalErr == nil {
		when := "the file's last change (" + ref.UTC().Format(time.RFC3339) + ")"
		if path == "-" {
			when = "the time of reading"
		}
		if parsedUntimed == lines {
			rn.warn("%s: its lines have no time of their own (source %q, format %s), so they are all timed at %s: "+
				"the windows of rules (within) measure nothing in this replay; give the source a format that reads the lines' times "+
				"(syslog, json or logfmt with a time key, regex with a time capture, or auto)",
				shown, src.Name, fs.Format, when)
		} else {
			rn.warn("%s: %d of %d lines have no time of their own (source %q, format %s), so they are timed at %s: "+
				"the windows of rules (within) measure nothing on them in this replay",
				shown, parsedUntimed, lines, src.Name, fs.Format, when)
		}
	}
	progress.done(counted.n.Load(), rn.line)
	if evalErr != nil {
		return evalErr
	}
	return err
}

func (rn *run) onMatch(rule string, fields map[string]string) {
	if rn.matchErr.Load() == nil {
		shown := make(map[string]string, len(fields))
		for k, v := range fields {
			shown[k] = incidents.Mask(v) // as the incident would keep it
		}
		if err := rn.enc.Encode(MatchLine{File: rn.file, Line: rn.matchLine, Rule: rule, Fields: shown}); err != nil {
			rn.matchErr.Store(&err)
		}
	}
}

func (rn *run) finding(f *rules.Finding) error {
	rs := rn.sum.Rules[f.Rule]
	rs.Findings++
	rs.keys[f.GroupKey] = true
	switch rn.opts.Mode {
	case Findings:
		key := map[string]string{}
		for _, g := range rn.groupBy[f.Rule] {
			key[g] = incidents.Mask(f.Fields[g])
		}
		return rn.enc.Encode(FindingLine{Rule: f.Rule, Time: f.Time, Key: key, Resolved: f.Resolved})
	case Matches:
		return nil
	}
	key := incidents.Mask(f.GroupKey)
	if key == "" {
		key = "-"
	}
	if f.Resolved {
		fmt.Fprintf(rn.out, "%s:%d: %s %s %s cleared\n", displayPath(rn.file), rn.line, f.Time.UTC().Format(time.RFC3339), f.Rule, key)
		return nil
	}
	fmt.Fprintf(rn.out, "%s:%d: %s %s %s (%d events)\n", displayPath(rn.file), rn.line, f.Time.UTC().Format(time.RFC3339), f.Rule, key, f.Count)
	if n, ok := rn.incidents[f.Fingerprint]; ok {
		fmt.Fprintf(rn.out, "    attaches to incident %d\n", n)
		return nil
	}
	n := len(rn.incidents) + 1
	rn.incidents[f.Fingerprint] = n
	fmt.Fprintf(rn.out, "    opens incident %d: %q, %s, %s\n", n, incidents.Mask(f.Title), f.Severity, f.Category)
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
	if len(s.Files) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "file\tsource\tformat\tlines\tnot parsed\tuntimed\t")
		for _, f := range s.Files {
			src := f.Source
			if !f.Claimed {
				src += " (default)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t\n", displayPath(f.Path), src, f.Format, f.Lines, f.ParseFailures, f.Untimed)
		}
		tw.Flush()
	}
	switch {
	case len(s.Warnings) > 0 && s.warned:
		fmt.Fprintf(w, "%d warnings, written to standard error as they were found\n", len(s.Warnings))
	default:
		for _, warning := range s.Warnings {
			fmt.Fprintln(w, "warning:", warning)
		}
	}
}

// countingReader counts the bytes read; atomically, since a stopped
// stream's reader may still be in a Read when the count is taken.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
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
