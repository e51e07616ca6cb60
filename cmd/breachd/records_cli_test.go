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

// recordsDaemon runs a daemon with the GDPR pack, dora the DPO and rita a
// responder; as runs the CLI with one's token and returns its output.
func recordsDaemon(t *testing.T, assets string) (as func(token string, args ...string) string, open func(title string) string) {
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
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
// supervisory authority owed, due as before; the DPO's own decision rules
// it out.
func TestCLIResponderRiskNoneKeepsTheAuthoritysNotice(t *testing.T) {
	as, open := recordsDaemon(t, `
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
	if got := obligationOf(t, as, id, "supervisory_authority"); got.State != incidents.ObligationNotRequired {
		t.Errorf("after the DPO's risk none: %s, want not_required", got.State)
	}
}
