package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestValidateIndicatesAndJurisdictions: breachd validate reports a rule's
// unknown indicates, an asset's malformed jurisdiction and a condition
// naming a region its policy does not declare, each at its
// file:line:column with how to fix it.
func TestValidateIndicatesAndJurisdictions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "breachd.hcl")
	src := `source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "r" {
  source    = "auth"
  match     = "Failed password"
  indicates = ["breach"]
}
asset "portal" {
  data_categories = ["name"]
  jurisdictions   = ["Germany"]
}
policy "p" {
  obligation "authority" {
    within = "72h"
    when   = "in_region('EEA', jurisdictions)"
  }
}
`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"validate", path}, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	out := stdout.String()
	for _, want := range []string{
		path + `:7:15: error: Invalid indicates`,
		`one or more of attempt, access, exfiltration, sensitive_data_exposed`,
		path + `:11:21: error: Invalid jurisdiction`,
		`write where the data subjects live and where the data is processed as ISO 3166 codes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The region mistake shows once the rest loads.
	fixed := strings.NewReplacer(`["breach"]`, `["attempt"]`, `["Germany"]`, `["DE"]`).Replace(src)
	if err := os.WriteFile(path, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := cli(context.Background(), []string{"validate", path}, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if want := path + `:16:14: error: Invalid obligation condition`; !strings.Contains(stdout.String(), want) ||
		!strings.Contains(stdout.String(), `in_region names region "EEA", which the policy does not declare`) {
		t.Errorf("output lacks %q and the region's name:\n%s", want, stdout.String())
	}

}

// TestIncidentsRemovalCommand: an SSN in an application log of an asset
// of two customers opens the company pack's removal request and follow-up
// for each; the follow-up cannot be recorded sent before its request
// ("obligations decide" exits 1 naming the request), nor the removal
// recorded; "incidents removal" names the customer when two are in scope
// (else it exits 1 with the list) and refuses a time before the discovery;
// a responder then records that Acme removed the data: the entry names
// them, and Acme's follow-up is no longer required while Globex's stand. A
// wrong party is a usage error naming the two.
func TestIncidentsRemovalCommand(t *testing.T) {
	dir := t.TempDir()
	pack, err := os.ReadFile("../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	rules := strings.ReplaceAll(string(pack), "    category = \"sensitive-data-exposure\"\n", "    category = \"sensitive-data-exposure\"\n    assets   = [\"portal\"]\n")
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["company"]
}
asset "portal" {
  data_categories = ["name", "email"]
  customers       = ["Acme Corp", "Globex Inc"]
}
source "file" "app" { paths = ["./var/app.log"] }
source "file" "web" { paths = ["./var/access.log"] }
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"))+rules)
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "var", "app.log"), []byte("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), append(args, "--config", config, "--token", "rita-token"), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	var list httpapi.IncidentList
	deadline := time.Now().Add(20 * time.Second)
	for len(list.Incidents) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("no incident for the SSN")
		}
		out, errOut, code := run("incidents", "list", "--json")
		if code != 0 {
			t.Fatalf("list: %d %s", code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	id := fmt.Sprint(list.Incidents[0].ID)
	obligations := func() map[string]incidents.Obligation {
		out, _, _ := run("incidents", "show", id, "--json")
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		obs := map[string]incidents.Obligation{}
		for _, o := range d.Obligations {
			obs[o.Recipient] = o
		}
		return obs
	}
	obs := obligations()
	acmeReq, acmeFollow := obs["customer_removal_request:Acme Corp"], obs["sensitive_data_removal:Acme Corp"]
	if acmeReq.ID == 0 || acmeFollow.ID == 0 || obs["customer_removal_request:Globex Inc"].ID == 0 || obs["sensitive_data_removal:Globex Inc"].ID == 0 {
		t.Fatalf("obligations %v, want a request and a follow-up per customer", obs)
	}
	if _, errOut, code := run("obligations", "decide", fmt.Sprint(acmeFollow.ID), "sent", "--reason", "mailed"); code != 1 ||
		!strings.Contains(errOut, fmt.Sprintf("comes after company → customer_removal_request:Acme Corp (obligation %d)", acmeReq.ID)) {
		t.Errorf("the follow-up sent before its request: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("incidents", "removal", id, "someone", "--what", "x"); code != 2 || !strings.Contains(errOut, `who removed it "someone": use one of customer, company`) {
		t.Errorf("removal by someone: exit %d, %q", code, errOut)
	}
	// The API refuses it too, for a client that is not this command line.
	api := clientFlags{config: config, token: "rita-token"}
	var entry incidents.TimelineEntry
	if _, err := api.do(context.Background(), "POST", "/api/v1/incidents/"+id+"/removals",
		httpapi.RemovalRequest{Removal: incidents.Removal{RemovedBy: "someone", What: "x"}}, &entry); err == nil || !strings.Contains(err.Error(), `"customer" (the customer, as asked) or "company"`) {
		t.Errorf("POST removals by someone: %v", err)
	}
	if _, errOut, code := run("incidents", "removal", id, "customer", "--what", "SSNs in /var/log/app/signup.log"); code != 1 ||
		!strings.Contains(errOut, "2 customers are in scope (Acme Corp, Globex Inc); name the one whose data was removed") {
		t.Errorf("removal naming no customer: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("incidents", "removal", id, "customer", "--customer", "Acme Corp", "--what", "SSNs in /var/log/app/signup.log"); code != 1 ||
		!strings.Contains(errOut, "customer_removal_request:Acme Corp") || !strings.Contains(errOut, "conflict") {
		t.Errorf("removal before the request: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("obligations", "decide", fmt.Sprint(acmeReq.ID), "sent", "--reason", "mailed to Acme by hand"); code != 0 {
		t.Fatalf("the request sent: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("incidents", "removal", id, "customer", "--customer", "Acme Corp", "--what", "SSNs", "--at", "2020-01-01T00:00:00Z"); code != 1 ||
		!strings.Contains(errOut, "is before the incident's discovery (aware_at") {
		t.Errorf("removal before the discovery: exit %d, %q", code, errOut)
	}
	out, errOut, code := run("incidents", "removal", id, "customer", "--customer", "Acme Corp", "--what", "SSNs in /var/log/app/signup.log", "--reason", "Acme confirmed by mail")
	if code != 0 || !strings.Contains(out, "(removal) added to incident "+id+": Sensitive data of Acme Corp removed by the customer at ") || !strings.Contains(out, "recorded by rita: SSNs in /var/log/app/signup.log") {
		t.Fatalf("removal: exit %d\n%s%s", code, out, errOut)
	}
	states := map[string]incidents.ObligationState{}
	for r, o := range obligations() {
		if strings.Contains(r, "removal") {
			states[r] = o.State
		}
	}
	want := map[string]incidents.ObligationState{
		"customer_removal_request:Acme Corp": incidents.ObligationSent, "sensitive_data_removal:Acme Corp": incidents.ObligationNotRequired,
		// (the notices lack the company: no organisation block)
		"customer_removal_request:Globex Inc": incidents.ObligationPending, "sensitive_data_removal:Globex Inc": incidents.ObligationPending,
	}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("obligations after Acme's removal: %v, want %v", states, want)
	}
}
