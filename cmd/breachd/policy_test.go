package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
