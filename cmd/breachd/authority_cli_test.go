package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
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
	return func(token string, args ...string) (string, string, int) {
		if token == "" { // a local command, on the daemon's database
			var stdout, stderr bytes.Buffer
			code := cli(context.Background(), append(args, "--config", config), &stdout, &stderr)
			return stdout.String(), stderr.String(), code
		}
		return cliAs(config, token, args...)
	}
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

// TestRegisterKindAgreesCLI: `register correct ENTRY --kind near_miss`
// for an incident the DPO assessed a personal-data breach exits 1 saying
// to re-assess with --personal-data false; nothing is written; --kind
// outside correction, breach, near_miss exits 2.
func TestRegisterKindAgreesCLI(t *testing.T) {
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
	must("dora-token", "incidents", "assess", "1", "risk", "--reason", "rows were read")
	before := must("", "register", "export")
	out, errOut, code := run("dora-token", "register", "correct", "1", "--kind", "near_miss", "--nature", "nothing", "--reason", "r")
	if code != 1 || !strings.Contains(errOut, "incident 1 is assessed as a personal-data breach, so its register entry is a breach, not a near_miss: re-assess it first with --personal-data false (breachd incidents assess 1 none|risk|high --personal-data false --reason ...)") {
		t.Errorf("register correct --kind near_miss: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := run("dora-token", "register", "correct", "1", "--kind", "oops", "--nature", "x", "--reason", "r"); code != 2 || !strings.Contains(errOut, `--kind "oops"; use correction, breach or near_miss`) {
		t.Errorf("register correct --kind oops: exit %d %s", code, errOut)
	}
	if after := must("", "register", "export"); after != before {
		t.Errorf("the refused entries changed the register:\n%s\nwas\n%s", after, before)
	}
	must("dora-token", "register", "correct", "1", "--kind", "breach", "--nature", "invoices posted", "--reason", "clearer")
}

// TestNoticeToNobodyCLI: the company pack's removal request for a
// sensitive-data incident with no customer in scope (its placeholder)
// cannot be recorded sent at the command line, by decide or call: exit
// 1 saying it has no recipient yet; it can be ruled out.
func TestNoticeToNobodyCLI(t *testing.T) {
	run := authorityDaemon(t, `
incidents {
  policy_packs = ["company"]
}
`)
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	must("rita-token", "incidents", "open", "--title", "SSNs in an uploaded file", "--host", "db1", "--category", "sensitive-data-exposure")
	list := must("rita-token", "obligations", "list")
	var id string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 2 && strings.Contains(line, "customer_removal_request") && !strings.Contains(line, "customer_removal_request:") {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatalf("no placeholder removal request in\n%s", list)
	}
	want := "this notice has no recipient yet: obligation " + id + " (company → customer_removal_request) goes to each of the customers affected and none is known yet; add the customers affected to the incident's scope"
	for _, args := range [][]string{
		{"obligations", "decide", id, "sent", "--reason", "told them"},
		{"obligations", "call", id, "--caller", "Rita", "--callee", "someone", "--said", "remove it", "--at", time.Now().UTC().Format(time.RFC3339)},
	} {
		if out, errOut, code := run("rita-token", args...); code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("breachd %s: exit %d\n%s%s\nwant exit 1 saying %s", strings.Join(args, " "), code, out, errOut, want)
		}
	}
	must("rita-token", "obligations", "decide", id, "not_required", "--reason", "no customer stored it: it was ours")
}

// TestDPONoticeHeldCLI: at the command line, the notice to the
// supervisory authority (decided by the DPO alone) owed after a high risk
// stays owed through the DPO's own risk none; `incidents show` says once
// that its condition no longer holds and how the DPO rules it out; the
// DPO's decide does.
func TestDPONoticeHeldCLI(t *testing.T) {
	run := authorityDaemon(t, `
organisation {
  name    = "Example Payroll Ltd"
  address = "1 Data Street, London"
}
incidents {
  policy_packs = ["gdpr"]
}
`)
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
	must("dora-token", "incidents", "assess", "1", "none", "--reason", "encrypted, keys safe")
	var id string
	for _, line := range strings.Split(must("dora-token", "obligations", "list"), "\n") {
		if f := strings.Fields(line); len(f) > 2 && strings.Contains(line, "supervisory_authority") {
			id = f[0]
			if strings.Contains(line, "not_required") {
				t.Errorf("after the DPO's risk none the authority's notice is ruled out: %s", line)
			}
		}
	}
	if id == "" {
		t.Fatal("no notice to the supervisory authority")
	}
	want := "but only the dpo rules it out: it stays owed until the dpo decides it (breachd obligations decide " + id + " not_required --reason ...)"
	if show := must("dora-token", "incidents", "show", "1"); strings.Count(show, want) != 1 {
		t.Errorf("incidents show 1 says %d times %q, want once:\n%s", strings.Count(show, want), want, show)
	}
	must("dora-token", "obligations", "decide", id, "not_required", "--reason", "risk none: encrypted, keys safe")
}

// TestApprovedNoticeRuledOutCLI: at the command line, a customer's
// notice approved by the responder and waiting in the outbox, then ruled
// out by the DPO's assessment that no personal data was reached: the
// timeline (incidents show) says it was approved, by whom, and that its
// message is withdrawn, not sent.
func TestApprovedNoticeRuledOutCLI(t *testing.T) {
	run := authorityDaemon(t, fmt.Sprintf(`
organisation {
  name      = "Example Payroll Ltd"
  address   = "1 Data Street, London"
  dpo_name  = "Dora Protector"
  dpo_email = "dpo@example.com"
}
incidents {
  policy_packs = ["company"]
}
asset "shop" {
  hosts           = ["db2"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
  customers       = ["Acme Corp"]
  customer "Acme Corp" {
    address = "1 Acme Way, Springfield"
    email   = "security@acme.example"
  }
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %s
  tls  = "none"
  from = "breachd@example.com"
  to   = ["dpo@example.com"]
}
recipient "customer" {
  channels = ["mail"]
}
`, strings.Split(freeAddr(t), ":")[1]))
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	must("rita-token", "incidents", "open", "--title", "Orders on a paste site", "--host", "db2")
	must("rita-token", "incidents", "facts", "1", "--nature", "an export endpoint served orders", "--consequences", "phishing",
		"--measures", "the endpoint was removed", "--effects", "accessed", "--caused-by", "unauthorized persons", "--reason", "investigation")
	must("rita-token", "incidents", "transition", "1", "contained", "--reason", "endpoint removed")
	must("dora-token", "incidents", "assess", "1", "risk", "--reason", "orders were read")
	var id string
	for _, line := range strings.Split(must("rita-token", "obligations", "list"), "\n") {
		if f := strings.Fields(line); len(f) > 2 && strings.Contains(line, "customer:Acme") {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatal("no notice to the customer")
	}
	must("rita-token", "obligations", "decide", id, "approved", "--reason", "checked")
	must("dora-token", "incidents", "assess", "1", "none", "--personal-data", "false", "--reason", "synthetic test orders")
	if show := must("dora-token", "incidents", "show", "1"); !strings.Contains(show, "; it was approved by rita (checked), and 1 queued message(s) carrying its notice are withdrawn, not sent") {
		t.Errorf("incidents show 1 does not say the approved notice's message was withdrawn:\n%s", show)
	}
}
