package main

import (
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
)

// replayLine is the last line of breachd replay's summary.
var replayLine = regexp.MustCompile(`lines \([0-9.]+ MB\) in (\S+): (\d+) lines/s`)

// scaling replays the auth log through the SSH rule plus n-1 rules of
// their own (each with its own literal, as real rules have), on one core
// and on two: the prefilter should keep the cost nearly flat in n.
func scaling(o options, log string, report io.Writer) error {
	base, err := os.ReadFile(filepath.Join(o.repo, "bench/configs/sshd-60s.hcl"))
	if err != nil {
		return err
	}
	_, taskset := exec.LookPath("taskset")
	cores := [][2]string{{"1", "0"}, {"2", "0,1"}}
	if cpus() < 2 {
		cores = cores[:1]
	}
	fmt.Fprintln(report, "### Scaling: `breachd replay` with n rules on the auth log (medians)")
	fmt.Fprintln(report)
	fmt.Fprintln(report, "lines/s as replay times its reading and evaluating; loading and compiling the config (expressions, conditions, the prefilter) is the rest of the process's time, once per start or reload.")
	fmt.Fprintln(report)
	header := "| rules |"
	sep := "| --- |"
	for _, c := range cores {
		header += fmt.Sprintf(" lines/s, %s core(s) | load, %s core(s) |", c[0], c[0])
		sep += " --- | --- |"
	}
	fmt.Fprintln(report, header)
	fmt.Fprintln(report, sep)
	for _, n := range []int{1, 10, 100, 1000} {
		var b strings.Builder
		b.Write(base)
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, `
rule "svc-%04d" {
  source = "auth"
  match  = "^Accepted publickey for svc%04d from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd'"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
`, i, i)
		}
		config := filepath.Join(o.work, fmt.Sprintf("rules-%d.hcl", n))
		if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
			return err
		}
		line := fmt.Sprintf("| %d |", n)
		for _, c := range cores {
			argv := []string{o.breachd, "replay", "--config", config, "--findings", log}
			if taskset == nil {
				argv = append([]string{"taskset", "-c", c[1]}, argv...)
			}
			var rates []float64
			var loads []time.Duration
			for i := range o.runs {
				logf("%d rules on %s core(s) (run %d of %d)", n, c[0], i+1, o.runs)
				m, err := measure(nil, o.work, argv...)
				if err != nil {
					return err
				}
				got := replayLine.FindSubmatch(m.stderr)
				if got == nil {
					return fmt.Errorf("breachd replay printed no summary line:\n%s", tail(string(m.stderr), 500))
				}
				d, err := time.ParseDuration(string(got[1]))
				if err != nil {
					return err
				}
				rate, _ := strconv.ParseFloat(string(got[2]), 64)
				rates = append(rates, rate)
				loads = append(loads, m.elapsed-d)
			}
			slices.Sort(rates)
			slices.Sort(loads)
			line += fmt.Sprintf(" %s | %.0f ms |", humanRate(rates[len(rates)/2]), float64(loads[len(loads)/2])/1e6)
		}
		fmt.Fprintln(report, line)
	}
	fmt.Fprintln(report)
	return nil
}
