// Package promtest starts Debian's real prometheus binary for tests: the
// promql source queries it, and the daemon's tests have it scrape breachd
// with the shipped scrape config and alerting rules. Tests that use it are
// skipped, with the reason, when prometheus is not installed.
package promtest
