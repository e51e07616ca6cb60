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

// TestIncidentsRemovalCommand: an SSN in an application log opens the
// company pack's removal request; a responder records with breachd
// incidents removal that the customer removed the data; the entry names
// them, and the request and its follow-up are no longer required. A wrong
// party is a usage error naming the two.
func TestIncidentsRemovalCommand(t *testing.T) {
	dir := t.TempDir()
	pack, err := os.ReadFile("../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["company"]
}
source "file" "app" { paths = ["./var/app.log"] }
source "file" "web" { paths = ["./var/access.log"] }
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"))+string(pack))
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
	if _, errOut, code := run("incidents", "removal", id, "someone", "--what", "x"); code != 1 || !strings.Contains(errOut, `"customer" (the customer, as asked) or "company"`) {
		t.Errorf("removal by someone: exit %d, %q", code, errOut)
	}
	out, errOut, code := run("incidents", "removal", id, "customer", "--what", "SSNs in /var/log/app/signup.log", "--reason", "Acme confirmed by mail")
	if code != 0 || !strings.Contains(out, "(removal) added to incident "+id+": Sensitive data removed by the customer at ") || !strings.Contains(out, "recorded by rita: SSNs in /var/log/app/signup.log") {
		t.Fatalf("removal: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = run("incidents", "show", id, "--json")
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	states := map[string]incidents.ObligationState{}
	for _, o := range d.Obligations {
		states[o.Recipient] = o.State
	}
	if states["customer_removal_request"] != incidents.ObligationNotRequired || states["sensitive_data_removal"] != incidents.ObligationNotRequired {
		t.Errorf("obligations after the removal: %v", states)
	}
}
