package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/breachd/breachd/bench/authlog"
)

// memory replays a spray of distinct addresses, each failing once within
// five minutes, through every shipped pack: every rule that groups by
// address meets a new key per line, and its key cap must hold memory down.
func memory(o options, report io.Writer) error {
	path := filepath.Join(o.work, "spray.log")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = authlog.Spray(f, o.spray, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), 5*time.Minute, "bastion")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	r := row{name: "spray", lines: o.spray}
	for i := range o.runs {
		logf("memory under a %d-address spray (run %d of %d)", o.spray, i+1, o.runs)
		m, err := measure(nil, o.work, o.breachd, "replay", path)
		if err != nil {
			return err
		}
		r.runs = append(r.runs, m)
	}
	// The summary's evicted column, per rule.
	evictions := regexp.MustCompile(`(?m)^(\S+)\s+\d+\s+\d+\s+\d+\s+(\d+)\s*$`)
	var total int64
	rules := 0
	// The summary is on standard output (on standard error with --findings).
	for _, m := range evictions.FindAllSubmatch(append(r.runs[0].stdout, r.runs[0].stderr...), -1) {
		n, _ := strconv.ParseInt(string(m[2]), 10, 64)
		if n > 0 {
			total += n
			rules++
		}
	}
	fmt.Fprintf(report, "### Memory under attack: %d distinct addresses failing once each within 5 minutes, every shipped pack\n\n", o.spray)
	fmt.Fprintln(report, "| runs | median time | lines/s | peak RSS (median) | window keys evicted (breachd_rules_window_evictions_total) |")
	fmt.Fprintln(report, "| --- | --- | --- | --- | --- |")
	fmt.Fprintf(report, "| %d | %.2f s | %s | %s | %d, across %d rules (each holds at most 100,000 keys) |\n\n",
		len(r.runs), r.median().Seconds(), humanRate(r.rate()), humanKB(r.rss()), total, rules)
	return nil
}
