package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestMixedScopeCommands: a reported incident on a host holding the
// company's own data (controller) and data it processes for two
// controllers; "obligations list" shows exactly the notice to the
// authority (on the company's own data) and one per controller, no
// notice to the data subjects (the company's own data suggests no high
// risk, the combined scope would); "incidents show" shows both roles;
// "notices render" writes each controller's notice with its own
// categories and counts only.
func TestMixedScopeCommands(t *testing.T) {
	dir := t.TempDir()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
organisation {
  name      = "Example Payroll Ltd"
  dpo_name  = "Dora Protector"
  dpo_email = "dpo@example.com"
  dpo_address = "1 Data Street, London"
}
asset "own-crm" {
  hosts           = ["mix1"]
  data_categories = ["name", "email"]
  data_subjects   = 400
  records         = 900
  jurisdictions   = ["DE"]
}
asset "acme-payroll" {
  hosts              = ["mix1"]
  data_categories    = ["name", "iban"]
  data_subjects      = 120
  records            = 480
  role               = "processor"
  controller         = "Acme Corp"
  controller_address = "1 Acme Way, Springfield"
  jurisdictions      = ["DE"]
}
asset "globex-hr" {
  hosts              = ["mix1"]
  data_categories    = ["health"]
  data_subjects      = 60
  records            = 75
  role               = "processor"
  controller         = "Globex Inc"
  controller_address = "2 Globex Road, Shelbyville"
  jurisdictions      = ["FR"]
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")))
	must := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := cli(context.Background(), append(args, "--config", config, "--token", "rita-token"), &stdout, &stderr); code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	var detail httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(must("incidents", "open", "--title", "Backup of mix1 on a public bucket", "--reporter", "a researcher", "--host", "mix1", "--json")), &detail); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(detail.Incident.ID)
	must("incidents", "facts", id, "--nature", "a backup was public", "--consequences", "fraud", "--measures", "bucket closed",
		"--effects", "disclosed", "--caused-by", "unauthorized persons", "--reason", "investigation")

	// ID INCIDENT POLICY RECIPIENT DUE LEFT STATE DEADLINE: recipients
	// may hold spaces, so read the columns between POLICY and the due
	// time by the header's positions.
	out := must("obligations", "list")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	start, end := strings.Index(lines[0], "RECIPIENT"), strings.Index(lines[0], "DUE")
	byRecipient := map[string]string{}
	var got []string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if f[1] != id {
			continue
		}
		r := strings.TrimSpace(l[start:end])
		got = append(got, f[2]+"/"+r)
		byRecipient[r] = f[0]
	}
	slices.Sort(got)
	if want := []string{"gdpr/controller:Acme Corp", "gdpr/controller:Globex Inc", "gdpr/supervisory_authority"}; !slices.Equal(got, want) {
		t.Fatalf("obligations list shows %v, want %v:\n%s", got, want, out)
	}
	if show := must("incidents", "show", id); !strings.Contains(show, "held as controller and processor (for Acme Corp, Globex Inc)") {
		t.Errorf("incidents show does not show both roles:\n%s", show)
	}
	for r, e := range map[string]struct{ want, never []string }{
		"supervisory_authority": {[]string{"name, email.", "around 400 data subjects and 900 records"}, []string{"iban", "health", "Acme", "Globex"}},
		"controller:Acme Corp":  {[]string{"To: Acme Corp\n1 Acme Way, Springfield", "name, iban.", "around 120 data subjects and 480 records"}, []string{"name, email", "health", "Globex", "400"}},
		"controller:Globex Inc": {[]string{"To: Globex Inc\n2 Globex Road, Shelbyville", "health.", "around 60 data subjects and 75 records"}, []string{"iban", "name,", "Acme", "400"}},
	} {
		text := must("notices", "render", id, byRecipient[r])
		for _, w := range e.want {
			if !strings.Contains(text, w) {
				t.Errorf("notices render (%s) lacks %q:\n%s", r, w, text)
			}
		}
		for _, n := range e.never {
			if strings.Contains(text, n) {
				t.Errorf("notices render (%s) names %q:\n%s", r, n, text)
			}
		}
	}
}
