package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// TestPostedNoticeCommands: with the data subjects' notices going by SMTP,
// "incidents subjects" refuses a list that repeats a person, by row, and
// accepts one with a person reached by post alone; each list is numbered
// from 1; the DPO records the posting with "obligations posted" (who,
// when, to the address on the list), which is the notice's proof, once
// the notice is approved (approval needs its facts); a posting before
// approval, without who, or to another address, is refused.
func TestPostedNoticeCommands(t *testing.T) {
	dir := t.TempDir()
	// An SMTP port nothing listens on: no notice is approved here.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
organisation {
  name        = "Example Shop Ltd"
  dpo_name    = "Dora Data"
  dpo_email   = "dpo@example.com"
  dpo_address = "1 Shop Street, Springfield"
}
asset "shop" {
  hosts           = ["db1"]
  data_categories = ["name", "email", "card_number"]
  data_subjects   = 2
  records         = 2
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "dpo@example.com"
}
recipient "data_subjects" {
  channels = ["mail"]
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), port, hashHex("dora-token"), hashHex("rita-token")))
	run := func(args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		// The responder opens incidents; the DPO does the rest (the GDPR
		// pack leaves the data subjects' notices to the DPO).
		token := "dora-token"
		if args[0] == "incidents" && args[1] == "open" {
			token = "rita-token"
		}
		code := cli(context.Background(), append(args, "--config", config, "--token", token), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	open := func(title string) (string, func() map[string]incidents.Obligation) {
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("incidents", "open", "--title", title, "--reporter", "a customer", "--host", "db1", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprint(d.Incident.ID)
		return id, func() map[string]incidents.Obligation {
			var d httpapi.IncidentDetail
			if err := json.Unmarshal([]byte(must("incidents", "show", id, "--json")), &d); err != nil {
				t.Fatal(err)
			}
			out := map[string]incidents.Obligation{}
			for _, o := range d.Obligations {
				if strings.HasPrefix(o.Recipient, "data_subjects:") {
					out[o.Recipient] = o
				}
			}
			return out
		}
	}
	list := filepath.Join(dir, "subjects.csv")
	first, _ := open("Card numbers on a paste site")
	os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nAlex,alex@example.org,\nEve,eve@example.org,\n"), 0o600)
	must("incidents", "subjects", first, "--file", list, "--reason", "CRM export")

	id, obligations := open("More card numbers on a paste site")
	os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nBen Post,,2 Road Springfield\nanna b,ANNA@example.org,\n"), 0o600)
	if _, errOut, code := run("incidents", "subjects", id, "--file", list, "--reason", "CRM export"); code != 1 ||
		!strings.Contains(errOut, "1 malformed rows, nothing imported: row 4: the same email as row 2 (one person, one row)") {
		t.Errorf("a list repeating a person: exit %d, %q", code, errOut)
	}
	os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nBen Post,,2 Road Springfield\n"), 0o600)
	if out := must("incidents", "subjects", id, "--file", list, "--reason", "CRM export"); !strings.Contains(out, "list of 2 data subjects stored") {
		t.Errorf("incidents subjects printed %q", out)
	}
	obs := obligations()
	if len(obs) != 2 || obs["data_subjects:1"].ID == 0 || obs["data_subjects:2"].ID == 0 {
		t.Fatalf("the second list's obligations: %v, want data_subjects:1 and :2", obs)
	}
	ben := fmt.Sprint(obs["data_subjects:2"].ID)
	at := time.Now().Add(time.Second).UTC().Truncate(time.Second).Format(time.RFC3339) // not before aware_at
	// Not approved, its notice lacking the facts: no posting yet; and no
	// approval until the facts are in.
	if _, errOut, code := run("obligations", "posted", ben, "--by", "dora", "--address", "2 Road Springfield", "--at", at); code != 1 ||
		!strings.Contains(errOut, "conflict: obligation "+ben+" (gdpr → data_subjects:2) is pending, not approved: approve it first (obligations decide "+ben+" approved), which checks the notice lacks no required fact") {
		t.Errorf("a posting before approval: exit %d, %q", code, errOut)
	}
	if o := obligations()["data_subjects:2"]; o.State != incidents.ObligationPending || o.Proof != "" {
		t.Errorf("a refused posting changed the obligation: %+v", o)
	}
	if _, errOut, code := run("obligations", "decide", ben, "approved", "--reason", "checked by the DPO"); code != 1 ||
		!strings.Contains(errOut, "conflict: the notice lacks description of the nature of the breach") {
		t.Errorf("approval of a notice lacking facts: exit %d, %q", code, errOut)
	}
	must("incidents", "facts", id, "--nature", "an export endpoint served card numbers", "--consequences", "fraud", "--measures", "endpoint removed",
		"--effects", "disclosed", "--caused-by", "unauthorized persons", "--reason", "investigation")
	must("obligations", "decide", ben, "approved", "--reason", "checked by the DPO")
	if _, errOut, code := run("obligations", "posted", ben, "--address", "2 Road Springfield", "--at", at); code != 2 || !strings.Contains(errOut, `required flag(s) "by" not set`) {
		t.Errorf("a posting without who: exit %d, %q", code, errOut)
	}
	// Given, but empty: the API refuses it.
	if _, errOut, code := run("obligations", "posted", ben, "--by", "", "--address", "2 Road Springfield", "--at", at); code != 1 || !strings.Contains(errOut, "say who posted the notice") {
		t.Errorf("a posting by nobody: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("obligations", "posted", ben, "--by", "dora", "--address", "9 Elsewhere", "--at", at); code != 1 || !strings.Contains(errOut, "not data subject 2's postal address on the list (row 3)") {
		t.Errorf("a posting to another address: exit %d, %q", code, errOut)
	}
	out := must("obligations", "posted", ben, "--by", "dora", "--address", "2 Road, Springfield", "--at", at)
	want := "sent: posted by dora at " + at + " to data subject 2's postal address on the list (row 3)"
	if !strings.Contains(out, want) {
		t.Errorf("obligations posted printed %q, want %q", out, want)
	}
	if o := obligations()["data_subjects:2"]; o.State != incidents.ObligationSent || o.DecidedBy != "dora" {
		t.Errorf("after the posting: %+v", o)
	}
}
