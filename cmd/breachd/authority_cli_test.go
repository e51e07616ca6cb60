package main

import (
	"fmt"
	"strings"
	"testing"
)

// authorityDaemon runs a daemon with a responder (rita-token) and a DPO
// (dora-token) and returns run(token, args...).
func authorityDaemon(t *testing.T, extra string) func(token string, args ...string) (string, string, int) {
	t.Helper()
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"), hashHex("dora-token"))+extra)
	return func(token string, args ...string) (string, string, int) { return cliAs(config, token, args...) }
}

// TestResponderCannotOverrideDPORiskCLI: at the command line, a
// responder's risk decision after the DPO's exits 1 saying whose decision
// stands and to add a note; the incident keeps the DPO's risk.
func TestResponderCannotOverrideDPORiskCLI(t *testing.T) {
	run := authorityDaemon(t, "")
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	must("rita-token", "incidents", "open", "--title", "Invoices on a paste site", "--host", "db1")
	must("rita-token", "incidents", "assess", "1", "high", "--reason", "rows were read")
	must("dora-token", "incidents", "assess", "1", "risk", "--reason", "no special categories")
	out, errOut, code := run("rita-token", "incidents", "assess", "1", "none", "--personal-data", "false", "--reason", "nothing reached")
	if code != 1 || !strings.Contains(errOut, "the DPO dora decided incident 1's risk (risk, personal data true)") ||
		!strings.Contains(errOut, `Add a note for the DPO instead (breachd incidents note 1 "...")`) {
		t.Errorf("the responder's assessment after the DPO's: exit %d\n%s%s\nwant exit 1 naming the DPO's decision and the note", code, out, errOut)
	}
	if show := must("rita-token", "incidents", "show", "1"); strings.Contains(show, "Risk none") {
		t.Errorf("the refused decision is on the timeline:\n%s", show)
	}
	must("rita-token", "incidents", "note", "1", "I think nothing was reached")
}
