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

// TestRecipientCommands: the city's 24 h notice given by telephone is
// recorded with "obligations call" (a call without the caller is refused);
// the DPO uploads the data subjects with "incidents subjects" (a responder
// may not; a malformed list is refused by row), and each gets an
// obligation; a public communication's publication is recorded with
// "obligations published".
func TestRecipientCommands(t *testing.T) {
	dir := t.TempDir()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["contract-24h", "gdpr"]
}
asset "students" {
  hosts           = ["db1"]
  data_categories = ["name", "card_number"]
  data_subjects   = 3
  records         = 3
  counterparty    = "City of San Antonio"
}
recipient "counterparty" {
  name  = "City of San Antonio, IT Security Office"
  phone = "+1 210 555 0100"
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"), hashHex("dora-token")))
	run := func(token string, args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), append(args, "--config", config, "--token", token), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	var detail httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(must("rita-token", "incidents", "open", "--title", "Student records read", "--reporter", "the city", "--host", "db1", "--json")), &detail); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(detail.Incident.ID)
	obligation := func(recipient string) incidents.Obligation {
		t.Helper()
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("rita-token", "incidents", "show", id, "--json")), &d); err != nil {
			t.Fatal(err)
		}
		for _, o := range d.Obligations {
			if o.Recipient == recipient {
				return o
			}
		}
		return incidents.Obligation{}
	}
	cp := fmt.Sprint(obligation("counterparty:City of San Antonio").ID)
	at := time.Now().Add(time.Second).UTC().Truncate(time.Second).Format(time.RFC3339) // not before aware_at
	if _, errOut, code := run("rita-token", "obligations", "call", cp, "--callee", "Jane Roe", "--at", at, "--said", "told her"); code != 2 || !strings.Contains(errOut, `required flag(s) "caller" not set`) {
		t.Errorf("a call without a caller: exit %d, %q", code, errOut)
	}
	// Given, but blank: the API refuses it.
	if _, errOut, code := run("rita-token", "obligations", "call", cp, "--caller", " ", "--callee", "Jane Roe", "--at", at, "--said", "told her"); code != 1 || !strings.Contains(errOut, "who made the call") {
		t.Errorf("a call by nobody: exit %d, %q", code, errOut)
	}
	out := must("rita-token", "obligations", "call", cp, "--caller", "alice", "--callee", "Jane Roe", "--number", "+1 210 555 0100", "--at", at, "--said", "student records were read; the written notice follows")
	want := "sent: phone call by alice to Jane Roe (+1 210 555 0100) at " + at + ": student records were read; the written notice follows"
	if !strings.Contains(out, want) {
		t.Errorf("obligations call printed %q, want %q", out, want)
	}
	if o := obligation("counterparty:City of San Antonio"); o.State != incidents.ObligationSent || o.DecidedBy != "rita" {
		t.Errorf("after the call: %+v", o)
	}
	if out := must("rita-token", "incidents", "show", id); !strings.Contains(out, "proof: phone call by alice to Jane Roe") {
		t.Errorf("incidents show does not show the proof:\n%s", out)
	}

	list := filepath.Join(dir, "subjects.csv")
	os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nBen,,\nCleo,cleo@example.org,3 Road\n"), 0o600)
	if _, errOut, code := run("dora-token", "incidents", "subjects", id, "--file", list, "--reason", "CRM export"); code != 1 || !strings.Contains(errOut, "row 3: neither an email nor a postal address") {
		t.Errorf("a malformed list: exit %d, %q", code, errOut)
	}
	os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nBen,ben@example.org,\nCleo,cleo@example.org,3 Road\n"), 0o600)
	if _, errOut, code := run("rita-token", "incidents", "subjects", id, "--file", list, "--reason", "CRM export"); code != 1 || !strings.Contains(errOut, "forbidden") {
		t.Errorf("a responder uploading the list: exit %d, %q", code, errOut)
	}
	if out := must("dora-token", "incidents", "subjects", id, "--file", list, "--reason", "CRM export"); !strings.Contains(out, "list of 3 data subjects stored") {
		t.Errorf("incidents subjects printed %q", out)
	}
	n := 0
	for i := range 10 {
		if obligation(fmt.Sprintf("data_subjects:%d", i)).ID != 0 {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d obligations to data subjects, want 3", n)
	}
	if _, errOut, code := run("rita-token", "obligations", "published", cp, "--by", "dora", "--where", "https://x.example", "--at", at); code != 1 || !strings.Contains(errOut, "conflict") {
		t.Errorf("a publication record on a sent notice: exit %d, %q", code, errOut)
	}
}
