package daemon_test

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestSyslogReceiver sends with util-linux's logger over UDP (RFC 3164) and
// TCP (RFC 5424, octet-counted), plus garbage; both attackers are caught,
// the garbage is counted and harms nothing.
func TestSyslogReceiver(t *testing.T) {
	logger, err := exec.LookPath("logger")
	if err != nil {
		t.Skip("logger is not installed (Debian package bsdutils)")
	}
	h := start(t, `
source "syslog" "net" {
  listen_udp = "127.0.0.1:0"
  listen_tcp = "127.0.0.1:0"
  timezone   = "UTC"
}
rule "ssh-brute-force" {
  source = "net"
  match  = "^Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd' && pid == '4242' && sender == '127.0.0.1' && host != ''"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "SSH brute force from ${ip}, reported by ${sender}"
  }
}
`)
	udp, tcp := h.d.SyslogAddrs("net")
	port := func(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }
	send := func(ip string, args ...string) {
		for i := range 5 {
			msg := fmt.Sprintf("Failed password for root from %s port %d ssh2", ip, 40000+i)
			all := append([]string{"--server", "127.0.0.1", "--tag", "sshd", "--id=4242", "-p", "auth.info"}, args...)
			if out, err := exec.Command(logger, append(all, msg)...).CombinedOutput(); err != nil {
				t.Fatalf("logger: %v: %s", err, out)
			}
		}
	}
	send("203.0.113.7", "--udp", "--port", port(udp), "--rfc3164")
	send("198.51.100.9", "--tcp", "--port", port(tcp), "--rfc5424", "--octet-count")
	c, err := net.Dial("udp", udp)
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("\x00\xff\xfe garbage $(reboot) \x1b[2J"))
	c.Close()

	h.waitFor("11 messages", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="net"}`] == 11
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	got := map[string]string{}
	for _, inc := range list.Incidents {
		got[inc.Fields["ip"]] = inc.Title
	}
	if len(list.Incidents) != 2 || got["203.0.113.7"] != "SSH brute force from 203.0.113.7, reported by 127.0.0.1" || got["198.51.100.9"] == "" {
		t.Errorf("incidents = %v, want one per attacker", got)
	}
	m := h.metrics()
	if m[`breachd_detector_parse_failures_total{source="net"}`] != 1 {
		t.Errorf("parse failures = %v, want 1 (the garbage)", m[`breachd_detector_parse_failures_total{source="net"}`])
	}
	if m[`breachd_detector_messages_dropped_total{reason="queue_full",source="net"}`] != 0 || m[`breachd_detector_bytes_read_total{source="net"}`] == 0 {
		t.Errorf("metrics: %v", m)
	}
}

// TestStdinSource runs breachd at the end of a pipeline: the lines it reads
// on standard input open incidents, and the end of the input does not stop
// the daemon.
func TestStdinSource(t *testing.T) {
	pr, pw := io.Pipe()
	h := startWith(t, t.TempDir(), `
source "stdin" "in" {
  format = "logfmt"
  fields = { ip = "ip" }
}
rule "denied" {
  source = "in"
  match  = "denied"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
  }
}
`, daemon.Options{Stdin: pr})
	for range 3 {
		fmt.Fprintln(pw, `level=warn msg="access denied" ip=192.0.2.44`)
	}
	pw.Write([]byte("no newline at the end, and not logfmt"))
	pw.Close()
	h.waitFor("4 lines", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="in"}`] == 4
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].Fields["ip"] != "192.0.2.44" {
		t.Errorf("incidents = %+v", list.Incidents)
	}
	if m := h.metrics(); m[`breachd_detector_parse_failures_total{source="in"}`] != 1 {
		t.Errorf("parse failures = %v, want 1", m[`breachd_detector_parse_failures_total{source="in"}`])
	}
	h.waitFor("the source marked down at the end of its input", func() bool {
		v, ok := h.metrics()[`breachd_detector_source_up{source="in"}`]
		return ok && v == 0
	})
}

// TestAbsentRule: a log that stops opens an incident once, on the clock.
func TestAbsentRule(t *testing.T) {
	dir := t.TempDir()
	h := startWith(t, dir, `
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "auth-silent" {
  source = "auth"
  absent {
    within = "1s"
  }
  severity = "high"
  incident { title = "auth log went silent" }
}
`, daemon.Options{TickInterval: 20 * time.Millisecond})
	h.appendLines("a sign of life")
	h.waitFor("the silence incident", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1 && list.Incidents[0].Title == "auth log went silent" && list.Incidents[0].Severity == "high"
	})
}
