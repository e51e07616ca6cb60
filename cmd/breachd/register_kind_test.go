package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestRegisterKindOfAPersonalDataBreach: a breach that reached personal
// data is a breach in the register even when its risk is none (the risk
// decides the notices); one that reached none is a near miss.
func TestRegisterKindOfAPersonalDataBreach(t *testing.T) {
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("dora-token"), hashHex("rita-token")))
	run := func(args ...string) string {
		t.Helper()
		token := "dora-token"
		if args[1] == "open" {
			token = "rita-token"
		}
		args = append(args, "--config", config)
		if args[0] != "register" { // register export reads the database itself
			args = append(args, "--token", token)
		}
		var out, errOut bytes.Buffer
		if code := cli(context.Background(), args, &out, &errOut); code != 0 {
			t.Fatalf("breachd %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	open := func(title string) string {
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(run("incidents", "open", "--title", title, "--reporter", "staff", "--host", "db1", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(d.Incident.ID)
	}
	read := open("A laptop with the customer export was stolen; its owner says no one logged in")
	run("incidents", "assess", read, "none", "--reason", "the export holds names and emails only; no risk to the customers")
	tried := open("Password spraying against the CRM; no login succeeded")
	run("incidents", "assess", tried, "none", "--personal-data", "false", "--reason", "no login succeeded")
	var entries []incidents.RegisterEntry
	if err := json.Unmarshal([]byte(run("register", "export", "--format", "json")), &entries); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, e := range entries {
		kinds[fmt.Sprint(*e.IncidentID)] = e.Kind
	}
	if kinds[read] != incidents.RegisterBreach || kinds[tried] != incidents.RegisterNearMiss {
		t.Errorf("register kinds = %v; want incident %s a breach (personal data, risk none), %s a near miss", kinds, read, tried)
	}
	if out := run("incidents", "show", read); !strings.Contains(out, "Data breach:    yes: personal data affected") {
		t.Errorf("show:\n%s", out)
	}

	// The register is the DPO's alone: a responder's decision is on the
	// timeline and leaves the entry to the DPO's own.
	third := open("Backup tape of the CRM missing from the safe")
	rita := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := cli(context.Background(), append(args, "--config", config, "--token", "rita-token"), &out, &errOut); code != 0 {
			t.Fatalf("breachd %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	count := func() int {
		var entries []incidents.RegisterEntry
		if err := json.Unmarshal([]byte(run("register", "export", "--format", "json")), &entries); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if fmt.Sprint(*e.IncidentID) == third {
				n++
			}
		}
		return n
	}
	if out := rita("incidents", "assess", third, "risk", "--reason", "the tape is not encrypted"); !strings.Contains(out, "the register entry waits for the DPO") {
		t.Errorf("a responder's decision does not say the entry waits for the DPO:\n%s", out)
	}
	if n := count(); n != 0 {
		t.Fatalf("a responder's decision wrote %d register entries", n)
	}
	run("incidents", "assess", third, "risk", "--reason", "confirmed: the tape is not encrypted")
	if n := count(); n != 1 {
		t.Errorf("the DPO's decision wrote %d register entries, want 1", n)
	}
}
