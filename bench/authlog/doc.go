// Package authlog generates a deterministic sshd auth log for benchmarks,
// with its ground truth: the addresses that a "5 failures within 60
// seconds, by address" rule must catch, and none that it must not.
//
// The workload mixes benign noise (sessions, cron, systemd timers, sudo)
// with attackers of several kinds, some just under the threshold, so that
// an approximate window shows up as misses or false positives. The same
// options always give the same bytes.
package authlog
