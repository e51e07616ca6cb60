package daemon_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestCardNumberMaskedInTitles: a card number typed as a user name reaches
// a plain (not sensitive) rule's title: the incident's title, group key
// and timeline hold it masked, as its evidence does (docs/rules.md,
// "Sensitive rules": masked in everything breachd stores).
func TestCardNumberMaskedInTitles(t *testing.T) {
	h := start(t, `
server {
  data_dir = "./var"
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for invalid user (?P<user>\\S+) from (?P<ip>\\S+) port \\d+"
  threshold {
    count    = 4
    within   = "1m"
    group_by = ["ip", "user"]
  }
  incident {
    title = "SSH brute force from ${ip} user ${user}"
  }
}
`)
	var lines []string
	for i := range 4 {
		lines = append(lines, fmt.Sprintf("Nov 23 10:00:%02d web1 sshd[%d]: Failed password for invalid user 4111111111111111 from 203.0.113.1 port %d ssh2", i, 100+i, 40000+i))
	}
	h.appendLines(lines...)
	h.waitFor("4 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 4
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 {
		t.Fatalf("got %d incidents, want 1", len(list.Incidents))
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &d)
	all := d.Incident.Title + " " + d.Incident.GroupKey + " " + d.Incident.Fingerprint
	for _, e := range d.Timeline {
		all += " " + e.Message
	}
	if strings.Contains(all, "4111111111111111") || !strings.Contains(d.Incident.Title, "************1111") {
		t.Errorf("the card number is in clear:\n%s", all)
	}
}
