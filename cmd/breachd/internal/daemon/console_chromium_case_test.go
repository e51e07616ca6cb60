package daemon_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/breachd/breachd/incidents"
)

// TestConsoleDPOInChromium: in Chromium, the DPO works a case a log line
// opened: decides the risk (the register's entry), uploads the list of
// data subjects as a file, approves a person's notice, which a real SMTP
// server accepts, and the notice's screen then shows it sent with that
// proof; the register's CSV, fetched by the page, holds the entry. No
// dialog opens and no script fails on the way.
func TestConsoleDPOInChromium(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	h := start(t, consoleRule+subjectsConfig(mb.port, dpoToken))
	h.appendLines("Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	h.put("/api/v1/incidents/1/facts", fullFacts)
	list := filepath.Join(t.TempDir(), "subjects.csv")
	if err := os.WriteFile(list, []byte("name,email,address\nAnna,anna@example.org,\nBen Post,,\"2 Road\nSpringfield\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, dialogs, exceptions := watchedBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := signInBrowserAs(ctx, h, dpoToken, chromedp.WaitVisible(chromedp.ID("incident-1"))); err != nil {
		t.Fatalf("the DPO signs in: %v", err)
	}
	// The risk decision, from the incident's screen.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("incident-1")),
		chromedp.Click(chromedp.Search(`//summary[h2[@id="assess"]]`)),
		chromedp.WaitVisible(chromedp.ID("assess-reason")),
		chromedp.SetValue(chromedp.ID("risk"), "high"),
		chromedp.SetValue(chromedp.ID("personal_data"), "true"),
		chromedp.SendKeys(chromedp.ID("assess-reason"), "names and card numbers of customers"),
		chromedp.Click(chromedp.Search(`//button[.="Decide the risk"]`)),
		chromedp.WaitVisible(chromedp.Search(`//ol[@class="timeline"]/li[contains(., "names and card numbers of customers")]`)),
	); err != nil {
		t.Fatalf("the risk decision: %v", err)
	}
	if reg := h.registerOf(1); len(reg) != 1 || reg[0].Actor != "dora" {
		t.Errorf("the register after the DPO's decision in Chromium: %+v", reg)
	}
	// The list of data subjects, as a file.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//summary[h2[@id="subjects"]]`)),
		chromedp.SendKeys(chromedp.ID("subjects-reason"), "export from the CRM"),
		chromedp.SetUploadFiles(chromedp.ID("subjects-list"), []string{list}),
		chromedp.Click(chromedp.Search(`//button[.="Upload the list"]`)),
		chromedp.WaitVisible(chromedp.ID("uploaded")),
	); err != nil {
		t.Fatalf("the upload: %v", err)
	}
	uploaded, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("uploaded")))
	if !strings.Contains(uploaded, "2 people") {
		t.Errorf("after the upload: %q", uploaded)
	}
	anna := h.obligationsOf(1)["data_subjects:1"]
	if anna.ID == 0 {
		t.Fatal("no notice for the first person on the list")
	}
	// Anna's notice: approved, mailed, accepted, shown sent with its proof.
	notice := fmt.Sprintf("http://%s/console/obligations/%d/notice", h.addr, anna.ID)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(notice),
		chromedp.WaitVisible(chromedp.ID("notice")),
		chromedp.SetValue(chromedp.ID("state"), "approved"),
		chromedp.SendKeys(chromedp.ID("reason"), "checked by the DPO"),
		chromedp.Click(chromedp.Search(`//button[.="Decide"]`)),
		chromedp.WaitVisible(chromedp.Search(`//strong[@id="state-now" and (.="approved" or .="sent")]`)),
	); err != nil {
		t.Fatalf("the approval: %v", err)
	}
	h.waitFor("the SMTP server's acceptance", func() bool { return h.obligationsOf(1)["data_subjects:1"].State == incidents.ObligationSent })
	if got := mb.to("anna@example.org"); len(got) != 1 {
		t.Fatalf("%d mails to Anna, want 1", len(got))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(notice), chromedp.WaitVisible(chromedp.ID("proof"))); err != nil {
		t.Fatalf("the notice's proof: %v", err)
	}
	state, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("state-now")))
	proof, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("proof")))
	if state != "sent" || !strings.Contains(proof, "accepted RCPT TO a******@example.org") {
		t.Errorf("the sent notice's screen: state %q, proof %q", state, proof)
	}
	// The register's export, fetched by the signed-in page.
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/console/register.csv").then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(csv, "names and card numbers of customers") || !strings.HasPrefix(csv, "seq,") {
		t.Errorf("the register's CSV in the browser (%v):\n%s", err, csv)
	}
	if dialogs.Load() != 0 || exceptions.Load() != 0 {
		t.Errorf("%d dialogs opened, %d script errors", dialogs.Load(), exceptions.Load())
	}
}
