package daemon_test

import (
	"fmt"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/detector/journal/journaltest"
)

// TestJournaldSource follows a real journal file with the real journalctl:
// sshd's failures (and not cron's) open an incident, and after a restart the
// daemon resumes after its committed cursor, reading no entry twice, with
// the windows as they were.
func TestJournaldSource(t *testing.T) {
	jc := journaltest.Require(t)
	j := journaltest.New(t)
	config := fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "journald" "ssh" {
  journalctl = %q
  files      = [%q]
  match      = ["_SYSTEMD_UNIT=ssh.service", "+", "_SYSTEMD_UNIT=cron.service"]
  start_at   = "beginning"
}
rule "ssh-brute-force" {
  source = "ssh"
  match  = "Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd' && host == 'web1'"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "SSH brute force from ${ip} on ${host}"
  }
}
`, jc, j.Path)
	failures := func(ip string, n int, ident string) [][]journaltest.Field {
		var out [][]journaltest.Field
		for i := range n {
			out = append(out, journaltest.Syslog("web1", ident, "4242", "ssh.service",
				fmt.Sprintf("Failed password for root from %s port %d ssh2", ip, 40000+i)))
		}
		return out
	}
	// Before the daemon starts: 5 from one address, 4 from another, and 5
	// that a cron job logged (the where clause drops them).
	j.Append(t, failures("203.0.113.7", 5, "sshd")...)
	j.Append(t, failures("198.51.100.9", 4, "sshd")...)
	j.Append(t, failures("192.0.2.50", 5, "cron")...)

	dir := t.TempDir()
	h := startIn(t, dir, config)
	h.waitFor("14 entries", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="ssh"}`] == 14
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].Fields["ip"] != "203.0.113.7" ||
		list.Incidents[0].Title != "SSH brute force from 203.0.113.7 on web1" {
		t.Fatalf("incidents = %+v, want one for 203.0.113.7", list.Incidents)
	}
	h.shutdown()

	// While it is down, the second address fails once more (its fifth) and
	// a third address fails five times.
	j.Append(t, failures("198.51.100.9", 1, "sshd")...)
	j.Append(t, failures("233.252.0.1", 5, "sshd")...)
	h = startIn(t, dir, config)
	h.waitFor("the 6 new entries", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="ssh"}`] == 6
	})
	h.get("/api/v1/incidents", &list)
	got := map[string]int64{}
	for _, inc := range list.Incidents {
		got[inc.Fields["ip"]] += inc.FindingCount
	}
	// Window state survives the restart (committed with the cursor), so
	// 198.51.100.9's fifth failure fires on the four before it;
	// re-reading would have made 203.0.113.7 fire again.
	if len(list.Incidents) != 3 || got["203.0.113.7"] != 1 || got["198.51.100.9"] != 1 || got["233.252.0.1"] != 1 {
		t.Errorf("after restart: %v, want 203.0.113.7 once (not re-read), 198.51.100.9 once (4 failures, restart, its 5th) and 233.252.0.1 once", got)
	}
}
