package daemon_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestAutoFormatReadsLinesWithoutHost (issue 20): a file source without
// format, tailed while it is written, is recognised as syslog from its
// first lines, and its lines without a host ("Nov 23 11:59:50 sshd[8148]:
// ...", busybox syslogd -S) give the program that a rule's where condition
// needs, before and after the format is chosen; a line whose header has no
// tag counts as a parse failure.
func TestAutoFormatReadsLinesWithoutHost(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	h := startWith(t, t.TempDir(), `
server {
  data_dir = "./var"
}
source "file" "auth" {
  paths    = ["./var/auth.log"]
  timezone = "UTC"
}
rule "ssh" {
  source = "auth"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd'"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
  incident { title = "SSH brute force from ${ip}" }
}
`, daemon.Options{Now: func() time.Time { return now }})
	at := time.Date(2026, 11, 23, 11, 59, 0, 0, time.UTC)
	stamp := func(s int) string { return at.Add(time.Duration(s) * time.Second).Format(time.Stamp) }
	// Before the choice (fewer lines than decide it): three failures from
	// one address, a cron line and a line without a tag.
	var first []string
	for i := range 3 {
		first = append(first, fmt.Sprintf("%s sshd[8148]: Failed password for root from 203.0.113.21 port %d ssh2", stamp(i), 40000+i))
	}
	first = append(first, stamp(3)+" CRON[99]: pam_unix(cron:session): session opened for user root", stamp(4)+" web1 last message repeated 2 times")
	h.appendLines(first...)
	h.waitFor("5 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 5
	})
	// After it: enough lines to choose syslog, then three failures from
	// another address, a program other than sshd from a third.
	var second []string
	for i := range 8 {
		second = append(second, fmt.Sprintf("%s CRON[%d]: pam_unix(cron:session): session closed for user root", stamp(10+i), 100+i))
	}
	for i := range 3 {
		second = append(second, fmt.Sprintf("%s sshd[%d]: Failed password for admin from 2001:db8::22 port %d ssh2", stamp(20+i), 200+i, 50000+i))
		second = append(second, fmt.Sprintf("%s notsshd[%d]: Failed password for admin from 198.51.100.23 port %d ssh2", stamp(20+i), 300+i, 50000+i))
	}
	h.appendLines(second...)
	h.waitFor("19 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 19
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	got := map[string]string{}
	for _, inc := range list.Incidents {
		got[inc.Fields["ip"]] = inc.Title
	}
	want := map[string]string{"203.0.113.21": "SSH brute force from 203.0.113.21", "2001:db8::22": "SSH brute force from 2001:db8::22"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("incidents %v, want %v", got, want)
	}
	if f := h.metrics()[`breachd_detector_parse_failures_total{source="auth"}`]; f != 1 {
		t.Errorf("parse failures %v, want 1 (the line without a tag)", f)
	}
}
