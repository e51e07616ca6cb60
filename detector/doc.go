// Package detector runs breachd's sources and feeds what they read to the
// rules engine: each file source is followed by a logtail.Tailer, each line
// is parsed in its source's format into a rules.Event timed by the line's
// own timestamp (the time it was read only when the line has none, or one
// too far from the clock to be true), and the findings
// are handed to a FindingSink that the daemon provides. The sink returns
// only when the findings are durable; until then the source does not read
// on, so the files themselves are the buffer (back-pressure).
//
// The detector never learns what happens to findings: it imports neither
// incidents nor actions. It exports per-source line counters and the rules
// engine's per-rule statistics as Prometheus metrics.
package detector
