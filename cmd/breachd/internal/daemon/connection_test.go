package daemon_test

import (
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestConnectionCorrelatedLineOpensIncident: through the daemon, a
// failure logged without the address (sshd's MaxAuthTries disconnect
// before 7.5) waits in its connection and opens the incident on the
// connection's next line, with that line's address; the connection
// state is exported at /metrics.
func TestConnectionCorrelatedLineOpensIncident(t *testing.T) {
	config := `
server {
  data_dir = "./var"
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh-maxtries" {
  source = "auth"
  match  = "^Disconnecting: Too many authentication failures(?: for (?P<user>.*?))?(?: \\[preauth\\])?$"
  where  = "program == 'sshd'"
  connection {
    by     = ["host", "program", "pid"]
    fill   = ["ip"]
    within = "10m"
    note   = ["^Connection from (?P<ip>[0-9A-Fa-f:.]+) port \\d+$"]
    end    = ["^Connection closed by (?P<ip>[0-9A-Fa-f:.]+)(?: \\[preauth\\])?$"]
  }
  severity = "high"
  incident {
    title = "SSH MaxAuthTries reached from ${ip} (${user})"
  }
}
`
	h := start(t, config)
	h.appendLines(
		"Nov 23 10:00:00 web1 sshd[500]: Disconnecting: Too many authentication failures for root [preauth]",
		"Nov 23 10:00:01 web1 sshd[501]: Connection from 198.51.100.20 port 40000",
		"Nov 23 10:00:02 web1 sshd[502]: Connection closed by 198.51.100.21 [preauth]",
	)
	h.waitFor("3 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 3
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 0 {
		t.Fatalf("incidents %+v before the connection named its address, want none", list.Incidents)
	}
	h.appendLines("Nov 23 10:00:03 web1 sshd[500]: Connection closed by 203.0.113.9 [preauth]")
	h.waitFor("4 lines processed", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="auth"}`] == 4
	})
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 {
		t.Fatalf("got %d incidents, want 1: %+v", len(list.Incidents), list.Incidents)
	}
	inc := list.Incidents[0]
	if inc.Fields["ip"] != "203.0.113.9" || inc.Fields["user"] != "root" || inc.Title != "SSH MaxAuthTries reached from 203.0.113.9 (root)" {
		t.Errorf("incident %+v, want one for 203.0.113.9, user root", inc)
	}
	m := h.metrics()
	for key, want := range map[string]float64{
		`breachd_rules_matches_total{rule="ssh-maxtries"}`:                  1,
		`breachd_rules_findings_total{rule="ssh-maxtries"}`:                 1,
		`breachd_rules_connections{rule="ssh-maxtries"}`:                    1, // 501's; 500 ended
		`breachd_rules_connection_evictions_total{rule="ssh-maxtries"}`:     0,
		`breachd_rules_connection_lines_dropped_total{rule="ssh-maxtries"}`: 0,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
}
