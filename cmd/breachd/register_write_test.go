package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// smtpSink is a real SMTP server (emersion/go-smtp) on loopback keeping
// the RCPT TO and the Message-ID of every mail it accepted.
type smtpSink struct {
	mu     sync.Mutex
	rcpt   []string
	ids    []string
	bodies []string
	port   int
	fresh  []string // the RCPT TO of the current session
}

func (s *smtpSink) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return s, nil }
func (s *smtpSink) Mail(string, *gosmtp.MailOptions) error          { return nil }
func (s *smtpSink) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.mu.Lock()
	s.fresh = append(s.fresh, to)
	s.mu.Unlock()
	return nil
}
func (s *smtpSink) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.rcpt = append(s.rcpt, strings.Join(s.fresh, ","))
	s.bodies = append(s.bodies, string(body))
	s.ids = append(s.ids, msg.Header.Get("Message-Id"))
	s.fresh = nil
	s.mu.Unlock()
	return nil
}
func (s *smtpSink) Reset()        {}
func (s *smtpSink) Logout() error { return nil }

func (s *smtpSink) accepted() ([]string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rcpt...), append([]string(nil), s.ids...)
}

// bodiesTo returns the bodies of the mails accepted for exactly the one
// address rcpt.
func (s *smtpSink) bodiesTo(rcpt string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for i, r := range s.rcpt {
		if r == rcpt {
			out = append(out, s.bodies[i])
		}
	}
	return out
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	s := &smtpSink{}
	srv := gosmtp.NewServer(s)
	srv.Domain = "127.0.0.1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.port = ln.Addr().(*net.TCPAddr).Port
	return s
}

// TestRegisterAndResendCommands: the DPO corrects a register entry with
// "register correct" (fields not given are carried forward, --clear
// empties one); a breach does not close before the DPO's entry; a call's
// own time is the register's; "obligations resend" of the authority's
// notice is the DPO's alone and sends a new message with its own
// Message-ID; so is "obligations update", whose notice goes out as its
// own message once the DPO approves it.
func TestRegisterAndResendCommands(t *testing.T) {
	sink := startSMTPSink(t)
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "dpo@example.com"
}
recipient "supervisory_authority" {
  name     = "Information Commissioner's Office"
  address  = "Wycliffe House, Water Lane, Wilmslow SK9 5AF"
  email    = "casework@ico.example"
  channels = ["mail"]
}
organisation {
  name        = "Example Ltd"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example.com"
  dpo_address = "Example Ltd, DPO, 1 Data Street, London"
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, freeAddr(t), sink.port, hashHex("rita-token"), hashHex("dora-token")))
	run := func(token string, args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append(args, "--config", config)
		if token != "" {
			args = append(args, "--token", token)
		}
		code := cli(context.Background(), args, &stdout, &stderr)
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
	register := func() []incidents.RegisterEntry {
		t.Helper()
		var entries []incidents.RegisterEntry
		if err := json.Unmarshal([]byte(must("", "register", "export", "--format", "json")), &entries); err != nil {
			t.Fatal(err)
		}
		return entries
	}
	show := func(id string) httpapi.IncidentDetail {
		t.Helper()
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("rita-token", "incidents", "show", id, "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	open := func(title string) string {
		t.Helper()
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("rita-token", "incidents", "open", "--title", title, "--reporter", "a customer", "--host", "db1", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(d.Incident.ID)
	}
	id := open("Invoices on a paste site")
	must("dora-token", "incidents", "facts", id, "--nature", "invoices copied to a paste site", "--consequences", "phishing", "--measures", "endpoint removed",
		"--effects", "disclosed", "--caused-by", "unauthorized persons", "--reason", "investigation")
	must("dora-token", "incidents", "assess", id, "risk", "--reason", "names and emails of 300 customers")

	// 7b: a correction carries forward what it does not give.
	if _, errOut, code := run("rita-token", "register", "correct", "1", "--measures", "x", "--reason", "r"); code != 1 || !strings.Contains(errOut, "forbidden") {
		t.Errorf("a responder correcting the register: exit %d, %q", code, errOut)
	}
	if out := must("dora-token", "register", "correct", "1", "--measures", "endpoint removed; passwords reset", "--reason", "passwords reset too"); !strings.Contains(out, "Register entry 2 (correction) supersedes entry 1") {
		t.Errorf("register correct printed %q", out)
	}
	must("dora-token", "register", "correct", "2", "--clear", "consequences", "--reason", "no consequence known yet")
	if _, errOut, code := run("dora-token", "register", "correct", "3", "--reason", "r"); code != 2 || !strings.Contains(errOut, "at least one field") {
		t.Errorf("a correction of nothing: exit %d, %q", code, errOut)
	}
	entries := register()
	if len(entries) != 3 {
		t.Fatalf("register has %d entries, want 3", len(entries))
	}
	first, last := entries[0].Record, entries[2].Record
	if last.Nature != first.Nature || last.DataSubjects != 300 || last.Records != 1200 || last.Risk != incidents.RiskRisk || len(last.DataCategories) != 2 ||
		last.Measures != "endpoint removed; passwords reset" || last.Consequences != "" || first.Consequences != "phishing" || fmt.Sprint(*entries[2].IncidentID) != id {
		t.Errorf("after two corrections: %+v (the first %+v)", last, first)
	}

	// 8a, 8b: the authority's notice and its resend, the DPO's alone.
	obs := show(id).Obligations
	if len(obs) != 1 || obs[0].Recipient != "supervisory_authority" {
		t.Fatalf("obligations %+v, want the authority's", obs)
	}
	must("dora-token", "obligations", "decide", fmt.Sprint(obs[0].ID), "approved", "--reason", "checked")
	waitFor(t, "the notice delivered", func() bool { return len(show(id).Messages) == 1 && show(id).Messages[0].State == incidents.MessageSent })
	orig := show(id).Messages[0]
	if _, errOut, code := run("rita-token", "obligations", "resend", fmt.Sprint(orig.ID), "--reason", "asked again"); code != 1 || !strings.Contains(errOut, "only the dpo may") {
		t.Errorf("a responder resending the authority's notice: exit %d, %q", code, errOut)
	}
	out := must("dora-token", "obligations", "resend", fmt.Sprint(orig.ID), "--reason", "asked again")
	if want := fmt.Sprintf("Message %d via mail sent again as message %d (key %s-resend-1)", orig.ID, orig.ID+1, orig.IdempotencyKey); !strings.Contains(out, want) {
		t.Errorf("resend printed %q, want %q", out, want)
	}
	waitFor(t, "two mails", func() bool { r, _ := sink.accepted(); return len(r) == 2 })
	rcpt, ids := sink.accepted()
	if rcpt[0] != "casework@ico.example" || rcpt[1] != "casework@ico.example" ||
		ids[0] != "<"+orig.IdempotencyKey+"@breachd>" || ids[1] != "<"+orig.IdempotencyKey+"-resend-1@breachd>" {
		t.Errorf("mails to %v with Message-IDs %v, want two to the authority, each with its own", rcpt, ids)
	}

	// 8c: an update of the notice sent, the DPO's alone, its own mail.
	if _, errOut, code := run("rita-token", "obligations", "update", fmt.Sprint(obs[0].ID), "--reason", "records counted"); code != 1 || !strings.Contains(errOut, "only the dpo may") {
		t.Errorf("a responder opening an update: exit %d, %q", code, errOut)
	}
	var up incidents.Obligation
	if err := json.Unmarshal([]byte(must("dora-token", "obligations", "update", fmt.Sprint(obs[0].ID), "--reason", "records counted", "--json")), &up); err != nil ||
		up.Recipient != "update 1 of supervisory_authority" {
		t.Fatalf("obligations update: %+v, %v", up, err)
	}
	if _, errOut, code := run("rita-token", "obligations", "decide", fmt.Sprint(up.ID), "approved", "--reason", "ok"); code != 1 || !strings.Contains(errOut, "only the dpo may") {
		t.Errorf("a responder approving the update: exit %d, %q", code, errOut)
	}
	must("dora-token", "obligations", "decide", fmt.Sprint(up.ID), "approved", "--reason", "checked")
	waitFor(t, "the update mailed", func() bool { r, _ := sink.accepted(); return len(r) == 3 })
	if rcpt, ids := sink.accepted(); rcpt[2] != "casework@ico.example" || ids[2] != fmt.Sprintf("<breachd-obligation-%d-notice-mail-v1@breachd>", up.ID) {
		t.Errorf("the update went to %q with Message-ID %q", rcpt[2], ids[2])
	}

	// 7c, 7d: a responder's decision does not close a breach; the DPO's
	// entry does; the register says when the call was made.
	other := open("CRM export mailed to the wrong customer")
	must("rita-token", "incidents", "transition", other, "contained", "--reason", "mail recalled")
	must("rita-token", "incidents", "assess", other, "risk", "--reason", "one customer got 300 rows")
	called := time.Now().Add(-3 * time.Hour).UTC().Truncate(time.Second)
	// Known four hours ago: a call is never dated before the discovery.
	must("rita-token", "incidents", "clock", other, "occurred_at", called.Add(-2*time.Hour).Format(time.RFC3339), "--reason", "the mail went out five hours ago")
	must("rita-token", "incidents", "clock", other, "aware_at", called.Add(-time.Hour).Format(time.RFC3339), "--reason", "the customer wrote four hours ago")
	var sa int64
	for _, o := range show(other).Obligations {
		if o.Recipient == "supervisory_authority" {
			sa = o.ID
		}
	}
	must("dora-token", "obligations", "call", fmt.Sprint(sa), "--caller", "dora", "--callee", "Ann Officer, ICO", "--number", "+44 303 123 1113",
		"--at", called.Format(time.RFC3339), "--said", "told of the breach")
	if _, errOut, code := run("rita-token", "incidents", "transition", other, "closed", "--resolution", "recalled"); code != 1 ||
		!strings.Contains(errOut, "no entry for it by the DPO") || !strings.Contains(errOut, "from contained it can become notifying") {
		t.Errorf("closing a breach without the DPO's entry: exit %d, %q", code, errOut)
	}
	must("dora-token", "incidents", "assess", other, "risk", "--reason", "confirmed")
	entries = register()
	notified := entries[len(entries)-1].Record.Notified
	if want := "supervisory_authority (gdpr) on " + called.Format("2006-01-02 15:04 UTC"); !strings.HasPrefix(notified, want) {
		t.Errorf("the register's notified %q, want it to start %q (the call's time)", notified, want)
	}
	must("rita-token", "incidents", "transition", other, "closed", "--resolution", "recalled; authority told")
}

// TestRegisterHoldsNoSubjectData: the data subjects' notices, recorded
// with "obligations call" (a callee's name and number) and "obligations
// decide ... sent" (a reason naming the person), reach the register only
// as a count, with when and how.
func TestRegisterHoldsNoSubjectData(t *testing.T) {
	dir := t.TempDir()
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  policy_packs = ["gdpr"]
}
asset "shop" {
  hosts           = ["db1"]
  data_categories = ["name", "email", "card_number"]
  data_subjects   = 3
  records         = 3
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
	must := func(args ...string) string {
		t.Helper()
		token := "dora-token"
		if args[1] == "open" {
			token = "rita-token"
		}
		var stdout, stderr bytes.Buffer
		if code := cli(context.Background(), append(args, "--config", config, "--token", token), &stdout, &stderr); code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	var d httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(must("incidents", "open", "--title", "Card numbers on a paste site", "--reporter", "a customer", "--host", "db1", "--json")), &d); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(d.Incident.ID)
	must("incidents", "assess", id, "high", "--reason", "card numbers in clear")
	list := dir + "/subjects.csv"
	if err := os.WriteFile(list, []byte("name,email,address\nAnna Smith,anna@example.org,\nBen Jones,ben@example.org,\nCleo Park,cleo@example.org,3 Long Road\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	must("incidents", "subjects", id, "--file", list, "--reason", "CRM export")
	if err := json.Unmarshal([]byte(must("incidents", "show", id, "--json")), &d); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, o := range d.Obligations {
		if strings.HasPrefix(o.Recipient, "data_subjects:") {
			subjects = append(subjects, fmt.Sprint(o.ID))
		}
	}
	if len(subjects) != 3 {
		t.Fatalf("%d obligations to the data subjects, want 3", len(subjects))
	}
	called := time.Now().Add(time.Second).UTC().Truncate(time.Second) // not before aware_at
	must("obligations", "call", subjects[0], "--caller", "dora", "--callee", "Anna Smith", "--number", "+1 210 555 0101",
		"--at", called.Format(time.RFC3339), "--said", "told Anna Smith her card number was exposed")
	var first []incidents.RegisterEntry
	var out, errOut bytes.Buffer
	if code := cli(context.Background(), []string{"register", "export", "--format", "json", "--config", config}, &out, &errOut); code != 0 {
		t.Fatalf("register export: exit %d %s", code, errOut.String())
	}
	if err := json.Unmarshal(out.Bytes(), &first); err != nil || len(first) == 0 {
		t.Fatalf("register: %d entries, %v", len(first), err)
	}
	if got, want := first[len(first)-1].Record.Notified, fmt.Sprintf("data subjects (data_subjects, gdpr): 1 of 3 notified individually on %s (by telephone 1)",
		called.Format("2006-01-02 15:04 UTC")); got != want {
		t.Errorf("the register's notified after one of three calls:\n%s\nwant\n%s", got, want)
	}
	must("obligations", "decide", subjects[1], "sent", "--reason", "letter to Ben Jones, ben@example.org")
	must("obligations", "decide", subjects[2], "sent", "--reason", "letter to Cleo Park, 3 Long Road")
	var entries []incidents.RegisterEntry
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"register", "export", "--format", "json", "--config", config}, &stdout, &stderr); code != 0 {
		t.Fatalf("register export: exit %d %s", code, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &entries); err != nil || len(entries) == 0 {
		t.Fatalf("register: %d entries, %v", len(entries), err)
	}
	if len(entries) != 4 {
		t.Errorf("register: %d entries, want the DPO's and one per notice recorded", len(entries))
	}
	notified := entries[len(entries)-1].Record.Notified
	// From the earliest of the three deliveries: the call's time as given,
	// the letters' when they were recorded (which can be the second
	// before the call's, on the real clock).
	if err := json.Unmarshal([]byte(must("incidents", "show", id, "--json")), &d); err != nil {
		t.Fatal(err)
	}
	earliest := called
	for _, o := range d.Obligations {
		if at := o.DeliveredAt; strings.HasPrefix(o.Recipient, "data_subjects:") && at != nil && at.Before(earliest) {
			earliest = *at
		} else if at := o.DecidedAt; strings.HasPrefix(o.Recipient, "data_subjects:") && o.DeliveredAt == nil && at != nil && at.Before(earliest) {
			earliest = *at
		}
	}
	if want := fmt.Sprintf("data subjects (data_subjects, gdpr): 3 of 3 notified individually from %s to ", earliest.UTC().Format("2006-01-02 15:04 UTC")); !strings.HasPrefix(notified, want) ||
		!strings.HasSuffix(notified, "(by telephone 1, recorded by hand 2)") {
		t.Errorf("the register's notified %q, want the count, when and how", notified)
	}
	for _, e := range entries {
		for _, personal := range []string{"Anna", "Ben", "Cleo", "example.org", "Long Road", "+1 210"} {
			if strings.Contains(fmt.Sprintf("%+v", e.Record), personal) {
				t.Errorf("register entry %d carries %q: %+v", e.ID, personal, e.Record)
			}
		}
	}
}
