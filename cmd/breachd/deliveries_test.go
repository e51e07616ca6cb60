package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// testClock is a time the test moves; the daemon reads it for every
// decision.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// obligationsOf reads incident id's obligations with "incidents show
// --json", by recipient.
func obligationsOf(t *testing.T, config, token, id string) map[string]incidents.Obligation {
	t.Helper()
	out, errOut, code := cliAs(config, token, "incidents", "show", id, "--json")
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil {
		t.Fatalf("incidents show %s: exit %d, %v\n%s", id, code, err, errOut)
	}
	obs := map[string]incidents.Obligation{}
	for _, o := range d.Obligations {
		obs[o.Recipient] = o
	}
	return obs
}

// TestCallCommandChecksNumberAndDate: "obligations call" for the City of
// Austin's notice to San Antonio's number, or dated two days before the
// incident's discovery, exits 1 saying the number or the time expected,
// and the obligation stays owed (a number with letters too); the call
// to Austin's number after aware_at records it sent, and aware_at may
// then not be moved after it.
func TestCallCommandChecksNumberAndDate(t *testing.T) {
	clk := &testClock{now: time.Date(2026, 11, 24, 13, 12, 0, 0, time.UTC)}
	config, _ := runDaemonAt(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["contract-24h"]
}
asset "austin-files" {
  hosts                = ["files1"]
  non_public_data      = true
  records              = 120
  counterparty         = "City of Austin"
  counterparty_address = "301 W 2nd St, Austin, TX 78701"
  counterparty_phone   = "+1 512 555 0200"
}
token "lea" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), hashHex("lea-token"), hashHex("dora-token")), clk.Now)
	var d httpapi.IncidentDetail
	out, errOut, code := cliAs(config, "lea-token", "incidents", "open", "--title", "Case files copied", "--reporter", "the city", "--host", "files1", "--json")
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil {
		t.Fatalf("incidents open: exit %d, %v\n%s", code, err, errOut)
	}
	id := fmt.Sprint(d.Incident.ID)
	cp := obligationsOf(t, config, "lea-token", id)["counterparty:City of Austin"]
	if cp.ID == 0 {
		t.Fatal("no obligation to the City of Austin")
	}
	clk.Set(clk.Now().Add(time.Hour))
	call := func(number, at string) (string, string, int) {
		return cliAs(config, "lea-token", "obligations", "call", fmt.Sprint(cp.ID), "--caller", "lea", "--callee", "John Doe",
			"--number", number, "--at", at, "--said", "the case files were copied")
	}
	for _, bad := range []struct{ number, at, says string }{
		{"+1 210 555 0100", "2026-11-24T13:30:00Z", "the number dialled, +1 210 555 0100, is not the number of City of Austin, +1 512 555 0200"},
		{"+1 512 555 0200abc", "2026-11-24T13:30:00Z", "the number dialled, +1 512 555 0200abc, holds 'a': a number is written with digits, spaces and + - ( ) . / only (letters are other digits on a keypad)"},
		{"+1 512 555 0200", "2026-11-22T13:12:00Z", "the call is dated 2026-11-22T13:12:00Z, before incident " + id + " was discovered (aware_at 2026-11-24T13:12:00Z)"},
	} {
		if _, errOut, code := call(bad.number, bad.at); code != 1 || !strings.Contains(errOut, "bad_request: invalid: "+bad.says) {
			t.Errorf("a call to %s at %s: exit %d, %q; want 1 saying %q", bad.number, bad.at, code, errOut, bad.says)
		}
		if o := obligationsOf(t, config, "lea-token", id)["counterparty:City of Austin"]; o.State != cp.State || o.Proof != "" {
			t.Errorf("a refused call changed the obligation: %+v", o)
		}
	}
	if out, errOut, code := call("+1-512-555-0200", "2026-11-24T13:30:00Z"); code != 0 ||
		!strings.Contains(out, "sent: phone call by lea to John Doe (+1-512-555-0200) at 2026-11-24T13:30:00Z: the case files were copied") {
		t.Errorf("the call to Austin's number: exit %d\n%s%s", code, out, errOut)
	}
	// Awareness moved later: the DPO's alone; and not even the DPO may
	// move it after the call: the city's 24 h would run from after its
	// notice.
	if _, errOut, code := cliAs(config, "lea-token", "incidents", "clock", id, "aware_at", "2026-11-24T13:20:00Z", "--reason", "later"); code != 1 ||
		!strings.Contains(errOut, "forbidden: moving aware_at later (from 2026-11-24T13:12:00Z to 2026-11-24T13:20:00Z) moves the GDPR 72-hour deadline and every deadline running from awareness later with it: only the DPO may; lea holds the role responder") {
		t.Errorf("aware_at later by a responder: exit %d, %q", code, errOut)
	}
	if _, errOut, code := cliAs(config, "dora-token", "incidents", "clock", id, "aware_at", "2026-11-24T13:45:00Z", "--reason", "later"); code != 1 ||
		!strings.Contains(errOut, fmt.Sprintf("bad_request: invalid: aware_at 2026-11-24T13:45:00Z is after the delivery of the notice %s → counterparty:City of Austin (obligation %d) at 2026-11-24T13:30:00Z", cp.Policy, cp.ID)) {
		t.Errorf("aware_at after the call: exit %d, %q", code, errOut)
	}
	if out, _, _ := cliAs(config, "lea-token", "incidents", "show", id); strings.Contains(out, "aware_at set to") {
		t.Errorf("a refused clock is on the timeline:\n%s", out)
	}
}

// TestRemovalCommandAfterTheRequest: "incidents removal" by the customer
// dated 18 s before the request to the customer was delivered exits 1
// naming the delivery time, and Acme's follow-up stays owed; dated at
// the delivery it is recorded and the follow-up is no longer required.
func TestRemovalCommandAfterTheRequest(t *testing.T) {
	dir := t.TempDir()
	pack, err := os.ReadFile("../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	rules := strings.ReplaceAll(string(pack), "    category = \"sensitive-data-exposure\"\n", "    category = \"sensitive-data-exposure\"\n    assets   = [\"portal\"]\n")
	clk := &testClock{now: time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)}
	config, _ := runDaemonAt(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["company"]
}
organisation {
  name = "Jivosoft"
}
asset "portal" {
  data_categories = ["name", "email"]
  customers       = ["Acme Ltd"]
  customer "Acme Ltd" {
    address = "1 Acme Way, Springfield"
  }
}
source "file" "app" { paths = ["./var/app.log"] }
source "file" "web" { paths = ["./var/access.log"] }
channel "file" "letters" {
  dir = "./var/letters"
}
recipient "customer_removal_request" {
  channels = ["letters"]
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"))+rules, clk.Now)
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "var", "app.log"), []byte("2026-11-23 13:00:00 INFO applicant ssn=078-05-1120 verified\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, int) { return cliAs(config, "rita-token", args...) }
	var list httpapi.IncidentList
	for deadline := time.Now().Add(20 * time.Second); len(list.Incidents) != 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no incident for the SSN")
		}
		out, _, _ := run("incidents", "list", "--json")
		json.Unmarshal([]byte(out), &list)
	}
	id := fmt.Sprint(list.Incidents[0].ID)
	req := obligationsOf(t, config, "rita-token", id)["customer_removal_request:Acme Ltd"]
	if req.ID == 0 {
		t.Fatal("no removal request to Acme Ltd")
	}
	clk.Set(time.Date(2026, 11, 23, 13, 12, 8, 0, time.UTC))
	if _, errOut, code := run("obligations", "decide", fmt.Sprint(req.ID), "approved", "--reason", "checked"); code != 0 {
		t.Fatalf("approve the request: exit %d, %q", code, errOut)
	}
	for deadline := time.Now().Add(20 * time.Second); obligationsOf(t, config, "rita-token", id)["customer_removal_request:Acme Ltd"].State != incidents.ObligationSent; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request to Acme Ltd was not delivered")
		}
	}
	clk.Set(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC))
	_, errOut, code := run("incidents", "removal", id, "customer", "--customer", "Acme Ltd", "--what", "SSNs in signup.log", "--at", "2026-11-23T13:11:50Z")
	if want := fmt.Sprintf("bad_request: invalid: at (2026-11-23T13:11:50Z) is before the request to remove it (company → customer_removal_request:Acme Ltd, obligation %d) was delivered at 2026-11-23T13:12:08Z", req.ID); code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("a removal before the request was delivered: exit %d, %q; want 1 saying %q", code, errOut, want)
	}
	if f := obligationsOf(t, config, "rita-token", id)["sensitive_data_removal:Acme Ltd"]; f.ID == 0 || f.State.Decided() {
		t.Errorf("after the refused removal, Acme's follow-up: %+v, want it owed", f)
	}
	if out, errOut, code := run("incidents", "removal", id, "customer", "--customer", "Acme Ltd", "--what", "SSNs in signup.log", "--at", "2026-11-23T13:12:08Z"); code != 0 ||
		!strings.Contains(out, "Sensitive data of Acme Ltd removed by the customer at 2026-11-23T13:12:08Z") {
		t.Errorf("the removal at the delivery: exit %d\n%s%s", code, out, errOut)
	}
	if f := obligationsOf(t, config, "rita-token", id)["sensitive_data_removal:Acme Ltd"]; f.State != incidents.ObligationNotRequired {
		t.Errorf("after the removal, Acme's follow-up: %s, want not_required", f.State)
	}
}
