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

	"github.com/breachd/breachd/incidents"
)

// TestWorkedExample runs docs/worked-example.md as written: the shipped
// example config, the log lines, and each command, with what the page
// shows of their answers.
func TestWorkedExample(t *testing.T) {
	raw, err := os.ReadFile("../../configs/examples/worked-example.hcl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := strings.Replace(string(raw), `listen   = "127.0.0.1:9741"`, fmt.Sprintf("listen   = %q", freeAddr(t)), 1)
	config, _ := runDaemon(t, dir, src)
	log := filepath.Join(dir, "var", "auth.log")
	var lines []string
	for i := 1; i <= 5; i++ {
		lines = append(lines, fmt.Sprintf("Dec  3 09:1%d:0%d db1 sshd[41%d]: Failed password for deploy from 203.0.113.50 port 5100%d ssh2", i, i, i, i))
	}
	lines = append(lines, "Dec  3 09:16:00 db1 sshd[420]: Accepted password for deploy from 203.0.113.50 port 51020 ssh2")
	if err := os.WriteFile(log, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(token string, args ...string) (string, string, int) {
		t.Helper()
		args = append(args, "--config", config)
		if token != "" {
			args = append(args, "--token", token)
		}
		var out, errOut bytes.Buffer
		code := cli(context.Background(), args, &out, &errOut)
		return out.String(), errOut.String(), code
	}
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	waitFor(t, "the incident", func() bool {
		out, _, _ := run("rita-token", "incidents", "list")
		return strings.Contains(out, "SSH login as deploy from 203.0.113.50 after repeated failures")
	})
	// Management's notice went out as the incident opened.
	waitFor(t, "management's notice", func() bool {
		_, err := os.Stat(filepath.Join(dir, "var", "outbox", "management", "breachd-obligation-2-notice-management-v1.json"))
		return err == nil
	})
	out := must("rita-token", "obligations", "list")
	for _, want := range []string{"supervisory_authority", "CET (Europe/Berlin)", "72h from aware_at", "customer:Acme Retail GmbH", "insurer"} {
		if !strings.Contains(out, want) {
			t.Errorf("obligations list lacks %q:\n%s", want, out)
		}
	}
	must("rita-token", "incidents", "transition", "1", "contained", "--reason", "deploy's password reset, its sessions killed, 203.0.113.50 blocked")
	must("rita-token", "incidents", "facts", "1", "--nature", "An attacker guessed the password of the deploy account on db1 and logged in over SSH.",
		"--consequences", "Phishing and fraud aimed at the customers.", "--measures", "The password was reset; SSH now takes keys only.",
		"--effects", "accessed", "--caused-by", "unauthorized persons", "--reason", "first findings")
	must("dora-token", "incidents", "assess", "1", "risk", "--reason", "a shell on the CRM host for 12 minutes")
	if out := must("dora-token", "notices", "render", "1", "1"); !strings.Contains(out, "To: Berliner Beauftragte für Datenschutz und Informationsfreiheit") {
		t.Errorf("the authority's notice:\n%s", out)
	}
	if _, errOut, code := run("rita-token", "obligations", "decide", "1", "approved", "--reason", "checked"); code != 1 || !strings.Contains(errOut, "only the dpo may") {
		t.Errorf("a responder approving the authority's notice: exit %d, %s", code, errOut)
	}
	must("dora-token", "obligations", "decide", "1", "approved", "--reason", "checked against Art. 33(3)")
	must("rita-token", "obligations", "decide", "3", "approved", "--reason", "checked by the leader")
	for id, how := range map[string]string{"4": "mailed to claims@cyber-mutual.example, claim 2026-4411", "5": "filed at tips.fbi.gov, reference 7731",
		"6": "reported to the SAPD cyber unit by phone, case 26-118", "7": "abuse ticket CR-99102 with Cloud Racks"} {
		must("rita-token", "obligations", "decide", id, "sent", "--reason", how)
	}
	waitFor(t, "every notice sent", func() bool {
		out, _, _ := run("rita-token", "obligations", "list")
		return strings.Contains(out, "No notice is due.")
	})
	must("rita-token", "incidents", "transition", "1", "closed", "--resolution", "account secured; every recipient notified")
	if out := must("", "register", "verify"); !strings.Contains(out, "register: ok, 7 entries") {
		t.Errorf("register verify:\n%s", out)
	}
	var entries []incidents.RegisterEntry
	if err := json.Unmarshal([]byte(must("", "register", "export", "--format", "json")), &entries); err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if last.Kind != incidents.RegisterBreach || last.Supersedes == nil || last.Record.Risk != incidents.RiskRisk {
		t.Errorf("the register's last entry: %+v", last)
	}
	for _, who := range []string{"management (company)", "supervisory_authority (gdpr)", "decided by dora", "sha256", "customer:Acme Retail GmbH (company)",
		"insurer (company)", "claim 2026-4411", "law_enforcement_fbi", "law_enforcement_police", "hosting_provider"} {
		if !strings.Contains(last.Record.Notified, who) {
			t.Errorf("the register's notified lacks %q: %s", who, last.Record.Notified)
		}
	}
}

// waitFor polls cond until it holds; it fails the test after a generous
// deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
