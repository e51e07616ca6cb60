package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/breachd/breachd/bench/authlog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genlog:", err)
		os.Exit(1)
	}
}

func run() error {
	var o authlog.Options
	out := flag.String("o", "auth.log", "the log to write")
	truth := flag.String("truth", "", "the ground truth to write (default: the log's name + .truth.json)")
	flag.IntVar(&o.Lines, "n", 1_000_000, "lines")
	flag.Uint64Var(&o.Seed, "seed", 20261120, "random seed: the same seed gives the same bytes")
	flag.Float64Var(&o.AttackRatio, "attack-ratio", 0.10, "share of failure lines")
	flag.Float64Var(&o.IPv6Ratio, "ipv6-ratio", 0.25, "share of attacker addresses that are IPv6")
	flag.DurationVar(&o.Duration, "duration", 24*time.Hour, "time the log spans")
	flag.StringVar(&o.Host, "host", "bastion", "host name on every line")
	flag.Parse()
	if *truth == "" {
		*truth = *out + ".truth.json"
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	tr, err := authlog.Generate(f, o)
	if err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(tr, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*truth, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d lines to %s: %d failure lines from %d addresses, %d to catch -> %s\n",
		tr.Lines, *out, tr.Failures, tr.Addresses, tr.BannedCount, *truth)
	return nil
}
