// Package scrape turns metrics into samples for rules: it scrapes
// Prometheus exposition endpoints on an interval, with a timeout and a size
// cap, keeping each target's health; and it evaluates a PromQL query
// against a Prometheus server's HTTP API on an interval.
package scrape
