package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// mergeCLIConfig: the city contract's pack on an asset of each city, the
// CRM under GDPR, a responder and the DPO.
func mergeCLIConfig(t *testing.T) string {
	return fmt.Sprintf(`
server {
  listen   = %q
  data_dir = "./var"
}
incidents {
  policy_packs = ["gdpr", "contract-24h"]
}
asset "austin-files" {
  hosts                = ["files1"]
  non_public_data      = true
  records              = 120
  counterparty         = "City of Austin"
  counterparty_address = "301 W 2nd St, Austin, TX 78701"
  counterparty_phone   = "+1 512 555 0200"
}
asset "sa-files" {
  hosts                = ["files2"]
  non_public_data      = true
  records              = 80
  counterparty         = "City of San Antonio"
  counterparty_address = "100 Military Plaza, San Antonio, TX 78205"
  counterparty_phone   = "+1 210 555 0100"
}
asset "crm" {
  hosts           = ["files2"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  jurisdictions   = ["DE"]
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"), hashHex("dora-token"))
}

func obligationTo(d httpapi.IncidentDetail, recipient string) incidents.Obligation {
	for _, o := range d.Obligations {
		if o.Recipient == recipient {
			return o
		}
	}
	return incidents.Obligation{}
}

// TestMergeCommands reproduces N1 with the CLI: (a) the older incident
// merged into one opened 20 hours later keeps the City of Austin's
// deadline; (b) an incident the DPO assessed high merged into a
// responder's "none" with no asset: refused for the responder, naming
// the DPO's decision, nothing merged; by the DPO, the survivor holds
// both scopes and the DPO's high; (c) the City of San Antonio, called on
// the merged incident, is not asked again.
func TestMergeCommands(t *testing.T) {
	clk := &lockedClock{now: time.Date(2026, 11, 24, 20, 10, 0, 0, time.UTC)}
	config, _ := runDaemonAt(t, t.TempDir(), mergeCLIConfig(t), clk.Now)
	rita := func(args ...string) string { t.Helper(); return mustAs(t, config, "rita-token", args...) }
	dora := func(args ...string) string { t.Helper(); return mustAs(t, config, "dora-token", args...) }

	// (a)
	first := clk.Now()
	older := openJSON(t, config, "rita-token", "--title", "Case files copied", "--reporter", "a clerk", "--host", "files1")
	d, _ := showJSON(t, config, "rita-token", older)
	due := obligationTo(d, "counterparty:City of Austin").DueAt
	if due == nil {
		t.Fatal("the City of Austin's notice has no due time")
	}
	clk.Add(20 * time.Hour)
	newer := openJSON(t, config, "rita-token", "--title", "More case files copied", "--reporter", "a clerk", "--host", "files1")
	out := rita("incidents", "merge", newer, older, "--reason", "same share")
	if w := "aware_at set to " + first.Format(time.RFC3339) + " (was " + clk.Now().Format(time.RFC3339) + "): the earliest of the merged incidents, incident " + older + "'s"; !strings.Contains(squash(out), w) {
		t.Errorf("incidents merge does not say %q:\n%s", w, out)
	}
	d, _ = showJSON(t, config, "rita-token", newer)
	if got := obligationTo(d, "counterparty:City of Austin"); got.DueAt == nil || !got.DueAt.Equal(*due) || !d.Incident.AwareAt.Equal(first) {
		t.Errorf("survivor: aware_at %v, City of Austin due %v; want %v and %v", d.Incident.AwareAt, got.DueAt, first, *due)
	}

	// (c)
	called := openJSON(t, config, "rita-token", "--title", "San Antonio case files copied", "--reporter", "a clerk", "--host", "files2")
	d, _ = showJSON(t, config, "rita-token", called)
	cp := obligationTo(d, "counterparty:City of San Antonio")
	clk.Add(10 * time.Minute)
	rita("obligations", "call", fmt.Sprint(cp.ID), "--caller", "lea", "--callee", "Jane Roe", "--number", "+1 210 555 0100",
		"--at", clk.Now().Format(time.RFC3339), "--said", "the case files were copied")
	d, _ = showJSON(t, config, "rita-token", called)
	sent := obligationTo(d, "counterparty:City of San Antonio")
	clk.Add(time.Hour)
	again := openJSON(t, config, "rita-token", "--title", "More San Antonio case files copied", "--reporter", "a clerk", "--host", "files2")
	rita("incidents", "merge", again, called, "--reason", "same share")
	d, _ = showJSON(t, config, "rita-token", again)
	o := obligationTo(d, "counterparty:City of San Antonio")
	why := "given on incident " + called + " before the merge"
	if o.State != incidents.ObligationSent || o.Proof != sent.Proof || o.DeliveredAt == nil || !o.DeliveredAt.Equal(*sent.DeliveredAt) || o.Reason != why {
		t.Errorf("the survivor's notice to San Antonio: %s %q %v %q; want sent, %q, %v, %q", o.State, o.Proof, o.DeliveredAt, o.Reason, sent.Proof, sent.DeliveredAt, why)
	}
	if list := rita("obligations", "list"); strings.Contains(list, "City of San Antonio") {
		t.Errorf("obligations list still asks to notify San Antonio:\n%s", list)
	}

	// (b)
	assessed := openJSON(t, config, "rita-token", "--title", "CRM copied", "--reporter", "a clerk", "--host", "files2")
	dora("incidents", "assess", assessed, "high", "--reason", "rows readable")
	none := openJSON(t, config, "rita-token", "--title", "Odd login", "--reporter", "a clerk", "--host", "web9")
	rita("incidents", "assess", none, "none", "--reason", "nothing reached")
	_, errOut, code := cliAs(config, "rita-token", "incidents", "merge", none, assessed, "--reason", "same attacker")
	want := "the DPO dora decided incident " + assessed + "'s risk (high); a merge decides the survivor's risk, clocks and scope, so merging incident " + assessed + " is the DPO's: ask the DPO to run the merge (nothing was merged)"
	if code == 0 || !strings.Contains(errOut, want) {
		t.Errorf("merge by the responder: exit %d, %q; want it refused saying %q", code, errOut, want)
	}
	if d, _ := showJSON(t, config, "rita-token", assessed); d.Incident.MergedInto != nil {
		t.Errorf("the refused merge merged incident %s", assessed)
	}
	dora("incidents", "merge", none, assessed, "--reason", "same attacker")
	d, _ = showJSON(t, config, "rita-token", none)
	if d.Incident.Risk != incidents.RiskHigh || d.Incident.RiskBy != "dora" || !slices.Equal(d.Incident.Scope.Assets, []string{"sa-files", "crm"}) {
		t.Errorf("survivor: risk %s by %s, assets %v; want high by dora, [sa-files crm]", d.Incident.Risk, d.Incident.RiskBy, d.Incident.Scope.Assets)
	}
}
