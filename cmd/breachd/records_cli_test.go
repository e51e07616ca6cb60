package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// recordsDaemon runs a daemon with the GDPR pack, dora the DPO and rita a
// responder; as runs the CLI with one's token and returns its output.
func recordsDaemon(t *testing.T, dir, assets string) (as func(token string, args ...string) string, open func(title string) string) {
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("dora-token"), hashHex("rita-token"))+assets)
	as = func(token string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := cli(context.Background(), append(args, "--config", config, "--token", token), &out, &errOut); code != 0 {
			t.Fatalf("breachd %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String()
	}
	open = func(title string) string {
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(as("rita-token", "incidents", "open", "--title", title, "--reporter", "staff", "--host", "db1", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(d.Incident.ID)
	}
	return as, open
}

// obligationOf is incident id's obligation to recipient, read with the CLI.
func obligationOf(t *testing.T, as func(string, ...string) string, id, recipient string) incidents.Obligation {
	t.Helper()
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(as("dora-token", "incidents", "show", id, "--json")), &d); err != nil {
		t.Fatal(err)
	}
	for _, o := range d.Obligations {
		if o.Recipient == recipient {
			return o
		}
	}
	t.Fatalf("incident %s has no obligation to %s", id, recipient)
	return incidents.Obligation{}
}

// TestCLIResponderRiskNoneKeepsTheAuthoritysNotice: "breachd incidents
// assess ID none" by a responder leaves the DPO's notice to the
// supervisory authority owed, due as before; so does the DPO's own risk
// decision (a notice decided_by the DPO is never ruled out
// automatically); the DPO's decide rules it out.
func TestCLIResponderRiskNoneKeepsTheAuthoritysNotice(t *testing.T) {
	as, open := recordsDaemon(t, t.TempDir(), `
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
}
`)
	id := open("Invoices on a paste site")
	as("rita-token", "incidents", "assess", id, "high", "--reason", "rows were read")
	sa := obligationOf(t, as, id, "supervisory_authority")
	if sa.State != incidents.ObligationPending || sa.DueAt == nil {
		t.Fatalf("the authority's notice after risk high: %s due %v", sa.State, sa.DueAt)
	}
	as("rita-token", "incidents", "assess", id, "none", "--reason", "x")
	if got := obligationOf(t, as, id, "supervisory_authority"); got.State != incidents.ObligationPending || got.DueAt == nil || !got.DueAt.Equal(*sa.DueAt) {
		t.Errorf("after the responder's risk none: %s (%s) due %v; want pending, due %v", got.State, got.Reason, got.DueAt, sa.DueAt)
	}
	as("dora-token", "incidents", "assess", id, "none", "--reason", "the rows were encrypted, keys safe")
	if got := obligationOf(t, as, id, "supervisory_authority"); got.State != incidents.ObligationPending {
		t.Errorf("after the DPO's risk none: %s, want pending (held until the DPO decides it)", got.State)
	}
	as("dora-token", "obligations", "decide", strconv.FormatInt(sa.ID, 10), "not_required", "--reason", "risk none: encrypted, keys safe")
	if got := obligationOf(t, as, id, "supervisory_authority"); got.State != incidents.ObligationNotRequired {
		t.Errorf("after the DPO's decision: %s, want not_required", got.State)
	}
}

// TestCLICardNumbersWaitForTheDPOsEntry: a card number in an application
// log (the shipped card-number-in-app-log rule, sensitive_data_exposed,
// no asset) assessed "risk" by a responder with "breachd incidents
// assess" is a personal-data breach: the notice to the authority is owed,
// and "breachd incidents transition ID closed" is refused until the DPO's
// decision writes the register entry, a breach.
func TestCLICardNumbersWaitForTheDPOsEntry(t *testing.T) {
	dir := t.TempDir()
	pack, err := os.ReadFile("../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "app.log")
	if err := os.WriteFile(log, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	as, _ := recordsDaemon(t, dir, fmt.Sprintf(`
source "file" "app" {
  paths = [%q]
}
source "file" "web" {
  paths = [%q]
}
`, log, filepath.Join(dir, "access.log"))+string(pack))
	f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "2026-11-23 10:00:00 INFO payment card=4111 1111 1111 1111 charged")
	f.Close()
	var list httpapi.IncidentList
	for deadline := time.Now().Add(10 * time.Second); len(list.Incidents) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no incident from the card number")
		}
		time.Sleep(20 * time.Millisecond)
		if err := json.Unmarshal([]byte(as("rita-token", "incidents", "list", "--json")), &list); err != nil {
			t.Fatal(err)
		}
	}
	id := fmt.Sprint(list.Incidents[0].ID)
	if out := as("rita-token", "incidents", "assess", id, "risk", "--reason", "card numbers in the log"); !strings.Contains(out, "waits for the DPO") {
		t.Errorf("the responder's decision:\n%s", out)
	}
	as("rita-token", "incidents", "transition", id, "contained", "--reason", "log shredded")
	// Personal data: the authority's notice is owed; the DPO sends it.
	sa := obligationOf(t, as, id, "supervisory_authority")
	as("dora-token", "obligations", "decide", fmt.Sprint(sa.ID), "sent", "--reason", "sent through the authority's portal")
	var out, errOut bytes.Buffer
	config := filepath.Join(dir, "breachd.hcl")
	code := cli(context.Background(), []string{"incidents", "transition", id, "closed", "--resolution", "log shredded", "--config", config, "--token", "rita-token"}, &out, &errOut)
	if want := fmt.Sprintf("incident %s is a personal-data breach and the Data Breach Register has no entry for it by the DPO", id); code != 1 || !strings.Contains(errOut.String(), want) {
		t.Errorf("closing without the DPO's entry: exit %d\n%s%s\nwant exit 1 saying %q", code, out.String(), errOut.String(), want)
	}
	as("dora-token", "incidents", "assess", id, "risk", "--reason", "confirmed: card numbers in the log")
	as("rita-token", "incidents", "transition", id, "closed", "--resolution", "log shredded")
	var entries []incidents.RegisterEntry
	out.Reset()
	if code := cli(context.Background(), []string{"register", "export", "--format", "json", "--config", config}, &out, &errOut); code != 0 {
		t.Fatalf("register export: exit %d %s", code, errOut.String())
	}
	if err := json.Unmarshal(out.Bytes(), &entries); err != nil || len(entries) != 1 || entries[0].Kind != incidents.RegisterBreach {
		t.Errorf("register: %+v (%v), want one breach entry", entries, err)
	}
}

// TestCLINearMissWaitsForTheDPOsEntry: a near miss assessed by a
// responder ("--personal-data false") closes only once the DPO's own
// decision has written its register entry, a near miss.
func TestCLINearMissWaitsForTheDPOsEntry(t *testing.T) {
	dir := t.TempDir()
	as, open := recordsDaemon(t, dir, `
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
}
`)
	id := open("Password spraying against the CRM")
	as("rita-token", "incidents", "assess", id, "none", "--personal-data", "false", "--reason", "no login succeeded")
	as("rita-token", "incidents", "transition", id, "contained", "--reason", "address blocked")
	// The authority's notice, owed on the suggested risk, is the DPO's to
	// rule out (the responder's decision does not).
	sa := obligationOf(t, as, id, "supervisory_authority")
	if sa.State != incidents.ObligationPending {
		t.Fatalf("the authority's notice after the responder's near miss: %s, want pending", sa.State)
	}
	as("dora-token", "obligations", "decide", fmt.Sprint(sa.ID), "not_required", "--reason", "no personal data reached")
	var out, errOut bytes.Buffer
	config := filepath.Join(dir, "breachd.hcl")
	code := cli(context.Background(), []string{"incidents", "transition", id, "closed", "--resolution", "blocked", "--config", config, "--token", "rita-token"}, &out, &errOut)
	if want := fmt.Sprintf("incident %s was assessed as no personal-data breach (a near miss) and the Data Breach Register has no entry for it by the DPO since its latest risk decision", id); code != 1 || !strings.Contains(errOut.String(), want) {
		t.Errorf("closing the near miss without the DPO's entry: exit %d\n%s%s\nwant exit 1 saying %q", code, out.String(), errOut.String(), want)
	}
	as("dora-token", "incidents", "assess", id, "none", "--personal-data", "false", "--reason", "confirmed: no login succeeded")
	as("rita-token", "incidents", "transition", id, "closed", "--resolution", "blocked")
	out.Reset()
	if code := cli(context.Background(), []string{"register", "export", "--format", "json", "--config", config}, &out, &errOut); code != 0 {
		t.Fatalf("register export: exit %d %s", code, errOut.String())
	}
	var entries []incidents.RegisterEntry
	if err := json.Unmarshal(out.Bytes(), &entries); err != nil || len(entries) != 1 || entries[0].Kind != incidents.RegisterNearMiss {
		t.Errorf("register: %+v (%v), want one near_miss entry", entries, err)
	}
}

// TestRegisterVerifyNamesTheMissingDatabase: with no database where the
// config's data_dir says, verify says which file it looked for.
func TestRegisterVerifyNamesTheMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "breachd.hcl")
	os.WriteFile(config, []byte("server {\n  data_dir = \"./var\"\n}\n"), 0o600)
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"register", "verify", "--config", config}, &stdout, &stderr)
	want := "no database at " + filepath.Join(dir, "var", "breachd.db") + " (the data_dir of " + config + ")"
	if code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, stderr %q; want 1 saying %q", code, stderr.String(), want)
	}
	stderr.Reset()
	code = cli(context.Background(), []string{"register", "verify", "--db", filepath.Join(dir, "nope.db")}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no database at "+filepath.Join(dir, "nope.db")+" (--db)") {
		t.Errorf("--db: exit %d, stderr %q", code, stderr.String())
	}
}
