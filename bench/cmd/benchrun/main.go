package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/bench/authlog"
)

type options struct {
	breachd  string // the binary under test
	repo     string // the repository, for bench/ configs and patterns
	work     string // scratch folder
	lines    int
	runs     int // runs of each fast contender
	slowRuns int // runs of fail2ban-regex and CrowdSec
	bursts   int
	spray    int
	only     string
}

func main() {
	var o options
	flag.StringVar(&o.breachd, "breachd", "", "the breachd binary to measure")
	flag.StringVar(&o.repo, "repo", ".", "the breachd repository (for bench/configs and bench/grep-patterns.txt)")
	flag.StringVar(&o.work, "work", "", "scratch folder (default: a new temporary one)")
	flag.IntVar(&o.lines, "n", 1_000_000, "lines of the generated auth log")
	flag.IntVar(&o.runs, "runs", 5, "runs of each fast contender (the median is reported; each takes well under a second, so a moment of the shared machine's noise sways one)")
	flag.IntVar(&o.slowRuns, "slow-runs", 1, "runs of fail2ban-regex and CrowdSec, which take minutes")
	flag.IntVar(&o.bursts, "bursts", 100, "failure bursts for the live latency")
	flag.IntVar(&o.spray, "spray", 1_000_000, "distinct addresses in the memory-under-attack spray")
	flag.StringVar(&o.only, "only", "", "run only these parts, comma-separated: detection, throughput, live, memory, scaling")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

func (o options) part(name string) bool {
	return o.only == "" || slices.Contains(strings.Split(o.only, ","), name)
}

func run(o options) error {
	if o.breachd == "" {
		return errors.New("name the breachd binary with -breachd")
	}
	if _, err := os.Stat(timeBin); err != nil {
		return fmt.Errorf("%s reports peak RSS: install Debian's time package", timeBin)
	}
	if o.work == "" {
		dir, err := os.MkdirTemp("", "breachd-bench-")
		if err != nil {
			return err
		}
		o.work = dir
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	// The commands run in the work folder.
	for _, p := range []*string{&o.repo, &o.work, &o.breachd} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	logf("work folder %s", o.work)
	var report bytes.Buffer
	fmt.Fprintf(&report, "breachd benchrun, %s, %s, %d CPUs\n\n", time.Now().UTC().Format(time.DateOnly), machine(), cpus())
	if o.part("detection") {
		if err := detection(o, &report); err != nil {
			return err
		}
	}
	log := filepath.Join(o.work, "auth.log")
	var truth *authlog.Truth
	if o.part("throughput") || o.part("scaling") {
		var err error
		if truth, err = generate(log, o.lines); err != nil {
			return err
		}
	}
	if o.part("throughput") {
		if err := throughput(o, log, truth, &report); err != nil {
			return err
		}
	}
	if o.part("live") {
		if err := live(o, &report); err != nil {
			return err
		}
	}
	if o.part("memory") {
		if err := memory(o, &report); err != nil {
			return err
		}
	}
	if o.part("scaling") {
		if err := scaling(o, log, &report); err != nil {
			return err
		}
	}
	os.Stdout.Write(report.Bytes())
	return os.WriteFile(filepath.Join(o.work, "results.md"), report.Bytes(), 0o644)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// generate writes the auth log and returns its ground truth.
func generate(path string, lines int) (*authlog.Truth, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	tr, err := authlog.Generate(f, authlog.Options{Lines: lines})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	logf("generated %d lines: %d failure lines from %d addresses, %d to catch", tr.Lines, tr.Failures, tr.Addresses, tr.BannedCount)
	return tr, nil
}

// measurement is one run of a command.
type measurement struct {
	elapsed time.Duration
	rssKB   int64
	stdout  []byte
	stderr  []byte
}

// timeBin reports a child's peak RSS. The rusage wait4 returns for a child
// of this process would count this process's pages too: a child forked
// from it inherits their high-water mark across exec.
const timeBin = "/usr/bin/time"

// rssLine is the line timeBin adds to the child's stderr.
var rssLine = regexp.MustCompile(`(?m)^BENCHRSS (\d+)\n?\z`)

// measure runs argv (with env added) and returns its time and peak RSS.
func measure(env []string, dir string, argv ...string) (measurement, error) {
	argv = append([]string{timeBin, "-f", "BENCHRSS %M"}, argv...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	began := time.Now()
	err := cmd.Run()
	m := measurement{elapsed: time.Since(began), stdout: out.Bytes(), stderr: errb.Bytes()}
	if r := rssLine.FindSubmatchIndex(m.stderr); r != nil {
		m.rssKB, _ = strconv.ParseInt(string(m.stderr[r[2]:r[3]]), 10, 64)
		m.stderr = m.stderr[:r[0]]
	}
	if err != nil {
		return m, fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, tail(errb.String(), 2000))
	}
	return m, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// row is one line of a results table.
type row struct {
	name    string
	runs    []measurement
	lines   int
	correct string
	note    string
}

func (r row) median() time.Duration {
	d := make([]time.Duration, len(r.runs))
	for i, m := range r.runs {
		d[i] = m.elapsed
	}
	slices.Sort(d)
	return d[len(d)/2]
}

func (r row) rss() int64 {
	v := make([]int64, len(r.runs))
	for i, m := range r.runs {
		v[i] = m.rssKB
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func (r row) rate() float64 { return float64(r.lines) / r.median().Seconds() }

func humanRate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2f M", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1f k", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

func humanKB(kb int64) string {
	if kb >= 1<<20 {
		return fmt.Sprintf("%.2f GB", float64(kb)/(1<<20))
	}
	return fmt.Sprintf("%.0f MB", float64(kb)/1024)
}

// score compares the addresses a tool caught with the truth.
func score(truth *authlog.Truth, caught map[string]bool) string {
	want := map[string]bool{}
	for _, a := range truth.Banned {
		want[a] = true
	}
	missed, extra := 0, 0
	for a := range want {
		if !caught[a] {
			missed++
		}
	}
	for a := range caught {
		if !want[a] {
			extra++
		}
	}
	if missed == 0 && extra == 0 {
		return fmt.Sprintf("exactly the %d of the ground truth", len(want))
	}
	return fmt.Sprintf("%d of %d caught (%d missed), %d not in the truth", len(want)-missed, len(want), missed, extra)
}

// findingIPs reads breachd replay --findings output: the ip of each key.
func findingIPs(out []byte) map[string]bool {
	caught := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var f struct {
			Key map[string]string `json:"key"`
		}
		if json.Unmarshal(sc.Bytes(), &f) == nil && f.Key["ip"] != "" {
			caught[f.Key["ip"]] = true
		}
	}
	return caught
}

func throughput(o options, log string, truth *authlog.Truth, report io.Writer) error {
	repo := func(p string) string { return filepath.Join(o.repo, p) }
	var rows []row
	repeat := func(name string, n int, env []string, check func([]measurement) (string, error), argv ...string) error {
		r := row{name: name, lines: truth.Lines}
		for i := range n {
			logf("%s (run %d of %d)", name, i+1, n)
			m, err := measure(env, o.work, argv...)
			if err != nil {
				return err
			}
			r.runs = append(r.runs, m)
		}
		if check != nil {
			c, err := check(r.runs)
			if err != nil {
				return err
			}
			r.correct = c
		}
		rows = append(rows, r)
		return nil
	}
	skipped := func(name, why string) {
		logf("%s skipped: %s", name, why)
		rows = append(rows, row{name: name, note: "skipped: " + why})
	}
	patterns := repo("bench/grep-patterns.txt")
	// Output goes to a pipe, not /dev/null, where GNU grep stops at the
	// first match.
	if err := repeat("`LC_ALL=C grep -cE` (20 patterns)", o.runs, []string{"LC_ALL=C"}, nil,
		"grep", "-cE", "-f", patterns, log); err != nil {
		return err
	}
	if _, err := exec.LookPath("rg"); err == nil {
		if err := repeat("`rg -c` (the same patterns)", o.runs, nil, nil, "rg", "-c", "-f", patterns, log); err != nil {
			return err
		}
	} else {
		skipped("`rg -c`", "ripgrep is not installed (Debian package ripgrep)")
	}
	if err := repeat("breachd replay, no rules (read, cut, parse)", o.runs, nil, nil,
		o.breachd, "replay", "--config", repo("bench/configs/no-rules.hcl"), "--findings", log); err != nil {
		return err
	}
	ssh := func(ms []measurement) (string, error) { return score(truth, findingIPs(ms[0].stdout)), nil }
	if err := repeat("breachd replay, the 5-in-60-s SSH rule", o.runs, nil, ssh,
		o.breachd, "replay", "--config", repo("bench/configs/sshd-60s.hcl"), "--findings", log); err != nil {
		return err
	}
	if err := repeat("**breachd replay, every shipped pack**", o.runs, nil, nil, o.breachd, "replay", "--findings", log); err != nil {
		return err
	}
	if _, err := exec.LookPath("fail2ban-regex"); err == nil {
		matched := regexp.MustCompile(`Lines: (\d+) lines, (\d+) ignored, (\d+) matched`)
		check := func(ms []measurement) (string, error) {
			m := matched.FindSubmatch(ms[0].stdout)
			if m == nil {
				return "", fmt.Errorf("fail2ban-regex printed no Lines: summary:\n%s", tail(string(ms[0].stdout), 1000))
			}
			return fmt.Sprintf("%s of the %d failure lines matched (it counts lines; it does not ban)", m[3], truth.Failures), nil
		}
		if err := repeat("fail2ban-regex, stock sshd filter", o.slowRuns, nil, check,
			"fail2ban-regex", log, "/etc/fail2ban/filter.d/sshd.conf"); err != nil {
			return err
		}
	} else {
		skipped("fail2ban-regex", "fail2ban is not installed (Debian package fail2ban)")
	}
	if r, why := crowdsec(o, log, truth); why != "" {
		skipped("CrowdSec replay", why)
	} else {
		rows = append(rows, r)
	}

	fmt.Fprintf(report, "### Throughput on %d generated auth log lines (%d failure lines, %d addresses to catch)\n\n",
		truth.Lines, truth.Failures, truth.BannedCount)
	fmt.Fprintln(report, "| run | runs | median time | lines/s | peak RSS | caught |")
	fmt.Fprintln(report, "| --- | --- | --- | --- | --- | --- |")
	var all, f2b, cs, grep float64
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(report, "| %s | | | | | %s |\n", r.name, r.note)
			continue
		}
		fmt.Fprintf(report, "| %s | %d | %.2f s | %s | %s | %s |\n", r.name, len(r.runs), r.median().Seconds(), humanRate(r.rate()), humanKB(r.rss()), r.correct)
		switch {
		case strings.Contains(r.name, "every shipped pack"):
			all = r.rate()
		case strings.HasPrefix(r.name, "fail2ban"):
			f2b = r.rate()
		case strings.HasPrefix(r.name, "CrowdSec"):
			cs = r.rate()
		case strings.Contains(r.name, "grep"):
			grep = r.rate()
		}
	}
	fmt.Fprintln(report)
	if all > 0 {
		if f2b > 0 {
			fmt.Fprintf(report, "- every pack vs fail2ban-regex: %.0f× its lines/s (target 50×)\n", all/f2b)
		}
		if cs > 0 {
			fmt.Fprintf(report, "- every pack vs CrowdSec: %.0f× its lines/s (target 150×)\n", all/cs)
		}
		if grep > 0 {
			fmt.Fprintf(report, "- every pack vs grep: %.1f× grep's time (target: within 4×)\n", grep/all)
		}
	}
	fmt.Fprintln(report)
	return nil
}

func machine() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func cpus() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}
