package daemon_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// sensitivePack is the shipped sensitive-data pack as it is.
func sensitivePack(t *testing.T) string {
	t.Helper()
	pack, err := os.ReadFile("../../../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	return string(pack)
}

// incidentsBy returns the incidents of rule, with their detail.
func (h *harness) incidentsBy(rule string) []httpapi.IncidentDetail {
	h.t.Helper()
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	var out []httpapi.IncidentDetail
	for _, inc := range list.Incidents {
		if inc.Rule != rule {
			continue
		}
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), &d)
		out = append(out, d)
	}
	return out
}

// TestSensitivePackOpensOneIncidentPerHost: the shipped sensitive-data
// pack, reading syslog lines that name their host, opens one incident per
// host: an SSN from web2 within a day of one from web1 is not swallowed by
// web1's cooldown, while a second SSN from web1 within the day is. The
// window is keyed by where the line was seen, never by the SSN.
func TestSensitivePackOpensOneIncidentPerHost(t *testing.T) {
	h := start(t, `
source "file" "app" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
source "file" "web" {
  paths = ["./var/access.log"]
}
`+sensitivePack(t))
	now := time.Now().UTC().Truncate(time.Second)
	line := func(host, ssn string) string {
		return fmt.Sprintf("%s %s signup[812]: applicant ssn=%s verified", now.Format(time.RFC3339), host, ssn)
	}
	h.appendLines(line("web1", "078-05-1120"), line("web2", "219-09-9999"))
	h.waitFor("one incident per host", func() bool { return len(h.incidentsBy("ssn-in-app-log")) == 2 })
	// web1 again (a new SSN), then web3: once web3's incident is there,
	// web1's second line was read and committed before it.
	h.appendLines(line("web1", "123-45-6789"), line("web3", "078-05-1120"))
	h.waitFor("web3's incident", func() bool { return len(h.incidentsBy("ssn-in-app-log")) == 3 })

	byHost := map[string]int64{}
	for _, d := range h.incidentsBy("ssn-in-app-log") {
		byHost[d.Incident.Host] += d.Incident.FindingCount
		if strings.Contains(d.Incident.Fingerprint, "1120") || strings.Contains(d.Incident.Fingerprint, "6789") {
			t.Errorf("fingerprint %q carries the SSN", d.Incident.Fingerprint)
		}
	}
	if want := map[string]int64{"web1": 1, "web2": 1, "web3": 1}; fmt.Sprint(byHost) != fmt.Sprint(want) {
		t.Errorf("findings by host %v, want %v (web1's second SSN within the cooldown)", byHost, want)
	}
	if got := h.metrics()[`breachd_rules_matches_total{rule="ssn-in-app-log"}`]; got != 4 {
		t.Errorf("%v matches, want 4", got)
	}
}

// TestSensitivePackOpensOneIncidentPerFile: lines of a plain file source
// name no host; the shipped pack then opens one incident per file the
// source follows, and a second SSN in the same file within the day opens
// none.
func TestSensitivePackOpensOneIncidentPerFile(t *testing.T) {
	h := start(t, `
source "file" "app" {
  paths = ["./var/app-*.log"]
}
source "file" "web" {
  paths = ["./var/access.log"]
}
`+sensitivePack(t))
	write := func(name, line string) {
		f, err := os.OpenFile(filepath.Join(h.dir, "var", name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	write("app-signup.log", "2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified")
	h.waitFor("the signup log's incident", func() bool { return len(h.incidentsBy("ssn-in-app-log")) == 1 })
	write("app-signup.log", "2026-11-23 10:00:05 INFO applicant ssn=123-45-6789 verified")
	write("app-billing.log", "2026-11-23 10:00:06 INFO payer ssn=219-09-9999 on file")
	h.waitFor("the billing log's incident, every line read", func() bool {
		return len(h.incidentsBy("ssn-in-app-log")) == 2 &&
			h.metrics()[`breachd_rules_matches_total{rule="ssn-in-app-log"}`] == 3
	})
	// The signup log's second line was evaluated (3 matches): had it
	// fired, its finding would be in the same batch as the line.
	var files []string
	for _, d := range h.incidentsBy("ssn-in-app-log") {
		if d.Incident.FindingCount != 1 {
			t.Errorf("incident %d has %d findings, want 1", d.Incident.ID, d.Incident.FindingCount)
		}
		files = append(files, filepath.Base(d.Incident.Fingerprint))
	}
	slices.Sort(files)
	if want := []string{"app-billing.log", "app-signup.log"}; !slices.Equal(files, want) {
		t.Errorf("incidents keyed by %v, want one per file %v", files, want)
	}
}
