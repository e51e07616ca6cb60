package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// cliAs runs the CLI against config with token and returns its output and
// exit code.
func cliAs(config, token string, args ...string) (string, string, int) {
	var stdout, stderr bytes.Buffer
	args = append(args, "--config", config, "--token", token)
	code := cli(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// formsDaemon runs a daemon on the fixed clock t0 with an organisation in
// Chicago and, for every incident, a notice on the GDPR procedure's
// Appendix 4 form, and incident 1 reported; run and must call the CLI as
// a responder.
func formsDaemon(t *testing.T, t0 time.Time) (run func(args ...string) (string, string, int), must func(args ...string) string) {
	t.Helper()
	config, _ := runDaemonAt(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
organisation {
  name        = "Example Payroll Ltd"
  address     = "1 Alamo Plaza, San Antonio"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example.com"
  dpo_address = "Example Payroll Ltd, DPO, 1 Alamo Plaza, San Antonio"
  time_zone   = "America/Chicago"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
policy "forms" {
  obligation "subject_letter" {
    template = "controller-subject"
    when     = "true"
    anchor   = "aware_at"
    within   = "72h"
  }
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token")), func() time.Time { return t0 })
	run = func(args ...string) (string, string, int) { return cliAs(config, "rita-token", args...) }
	must = func(args ...string) string {
		t.Helper()
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	must("incidents", "open", "--title", "Payroll rows on a paste site", "--reporter", "a customer", "--host", "db1", "--occurred-at", "2026-11-24T03:30:00Z")
	return run, must
}

// TestFactsAtTheCommandLine: `incidents facts` with nothing to change
// exits 2 and says how to clear a fact; effects and caused-by outside the
// form's choices, and other without --effects-other, are refused naming
// the choices; the same facts again are reported unchanged, and written
// once; the notice prints other's specification.
func TestFactsAtTheCommandLine(t *testing.T) {
	run, must := formsDaemon(t, time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC))
	refused := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--reason", "r"}, 2, "nothing to change"},
		{[]string{"--reason", "r"}, 2, "--clear FACT"},
		{[]string{"--effects", "leaked", "--reason", "r"}, 1, "disclosed, destroyed, lost, modified, accessed, other"},
		{[]string{"--caused-by", "hackers", "--reason", "r"}, 1, `"unauthorized persons" or "internal accident"`},
		{[]string{"--effects", "disclosed,other", "--reason", "r"}, 1, `effects has "other": say what in effects_other (--effects-other)`},
	}
	for _, c := range refused {
		_, errOut, code := run(append([]string{"incidents", "facts", "1"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("incidents facts 1 %s: exit %d, %q; want exit %d saying %q", strings.Join(c.args, " "), code, errOut, c.code, c.want)
		}
	}
	set := []string{"incidents", "facts", "1", "--nature", "an export endpoint served payroll rows", "--consequences", "phishing",
		"--measures", "the endpoint was removed", "--effects", "disclosed,other", "--effects-other", "posted on a paste site",
		"--caused-by", "unauthorized persons", "--reason", "from the investigation"}
	if out, errOut, code := run(set...); code != 0 || strings.Contains(out, "unchanged") {
		t.Fatalf("the first facts: exit %d\n%s%s", code, out, errOut)
	}
	if out := must(set...); !strings.Contains(out, "Incident 1: facts unchanged: they already say this; nothing was written.") {
		t.Errorf("the same facts again:\n%s", out)
	}
	show := must("incidents", "show", "1")
	if strings.Count(show, "Notice facts updated") != 1 {
		t.Errorf("want one facts change on the timeline:\n%s", show)
	}
	// incidents show prints each obligation's id, the one notices
	// render and obligations decide take.
	_, rest, _ := strings.Cut(show, "Obligations (id, policy, recipient, due, state):\n")
	obl := strings.Fields(rest)
	if len(obl) < 3 || obl[0] != "1" || obl[1] != "forms" {
		t.Fatalf("no obligation ids in incidents show:\n%s", show)
	}
	if text := must("notices", "render", "1", obl[0]); !strings.Contains(text, "- other: posted on a paste site\n") {
		t.Errorf("the notice lacks other's specification:\n%s", text)
	}
}

// TestNoticeDatesAtTheCommandLine: `notices render` prints the notice's
// dates in the organisation's zone, named.
func TestNoticeDatesAtTheCommandLine(t *testing.T) {
	_, must := formsDaemon(t, time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC))
	text := must("notices", "render", "1", "1")
	for _, w := range []string{"on 23 November 2026 (America/Chicago) we have discovered", "\n2026-11-23 22:00 CST (America/Chicago)\n"} {
		if !strings.Contains(text, w) {
			t.Errorf("the notice lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "UTC") {
		t.Errorf("the notice has a date in UTC:\n%s", text)
	}
}

// TestIncidentShowNamesItsZones: `incidents show` prints every time with
// its zone (this terminal's), an obligation's due time in the
// organisation's zone as `obligations list` does, and says when a report
// names no reporter.
func TestIncidentShowNamesItsZones(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC)
	_, must := formsDaemon(t, t0)
	must("incidents", "open", "--title", "A laptop was stolen", "--host", "db1")
	out := must("incidents", "show", "1")
	// Due 72 h after awareness (t0), in Chicago, the zone named.
	if want := "due 2026-11-26 22:00 CST (America/Chicago)  pending"; !strings.Contains(out, want) {
		t.Errorf("show 1 lacks %q:\n%s", want, out)
	}
	if want := "aware " + t0.Local().Format(time.DateTime+" MST"); !strings.Contains(out, want) {
		t.Errorf("show 1 lacks %q:\n%s", want, out)
	}
	if out := must("incidents", "show", "2"); !strings.Contains(out, "reported by (not given)") {
		t.Errorf("a report without a reporter:\n%s", out)
	}
}

// TestClocksAtTheCommandLine: `incidents clock` refuses awareness before
// occurrence and a time in the future, saying why, and writes nothing.
func TestClocksAtTheCommandLine(t *testing.T) {
	run, must := formsDaemon(t, time.Date(2026, 11, 24, 4, 0, 0, 0, time.UTC))
	for _, c := range []struct{ clock, at, want string }{
		{"aware_at", "2026-11-24T03:00:00Z", "aware_at 2026-11-24T03:00:00Z is before occurred_at 2026-11-24T03:30:00Z"},
		{"occurred_at", "2026-11-24T05:00:00Z", "occurred_at 2026-11-24T05:00:00Z is 1h0m0s in the future"},
	} {
		_, errOut, code := run("incidents", "clock", "1", c.clock, c.at, "--reason", "r")
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("incidents clock 1 %s %s: exit %d, %q; want exit 1 saying %q", c.clock, c.at, code, errOut, c.want)
		}
	}
	if out := must("incidents", "show", "1"); strings.Contains(out, "set to") {
		t.Errorf("a refused clock is on the timeline:\n%s", out)
	}
	must("incidents", "clock", "1", "occurred_at", "2026-11-24T03:00:00Z", "--reason", "the paste is dated 03:00")
	if out := must("incidents", "show", "1"); strings.Count(out, "occurred_at set to 2026-11-24T03:00:00Z") != 1 {
		t.Errorf("want the one clock change on the timeline:\n%s", out)
	}
}

// refusingSMTP is a real SMTP server (emersion/go-smtp) on loopback
// answering every RCPT TO with 550 mailbox unavailable, counting them.
type refusingSMTP struct {
	mu    sync.Mutex
	rcpts int
}

func (b *refusingSMTP) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return refusingSMTPSession{b}, nil
}

type refusingSMTPSession struct{ b *refusingSMTP }

func (s refusingSMTPSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s refusingSMTPSession) Rcpt(string, *gosmtp.RcptOptions) error {
	s.b.mu.Lock()
	s.b.rcpts++
	s.b.mu.Unlock()
	return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
}
func (s refusingSMTPSession) Data(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
func (s refusingSMTPSession) Reset()                 {}
func (s refusingSMTPSession) Logout() error          { return nil }

// TestSMTPRefusalAtTheCommandLine: a page refused with 550 shows in
// `incidents show` as dead after one attempt, with the server's reply.
func TestSMTPRefusalAtTheCommandLine(t *testing.T) {
	b := &refusingSMTP{}
	srv := gosmtp.NewServer(b)
	srv.Domain = "127.0.0.1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	config, _ := runDaemon(t, t.TempDir(), fmt.Sprintf(`
server { listen = %q }
channel "smtp" "gone" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
  to   = ["gone@example.com"]
}
route "page" {
  channels = ["gone"]
}
notifications {
  retry_base   = "20ms"
  retry_max    = "50ms"
  max_attempts = 1000
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), ln.Addr().(*net.TCPAddr).Port, hashHex("rita-token")))
	if _, errOut, code := cliAs(config, "rita-token", "incidents", "open", "--title", "Payroll rows on a paste site", "--reporter", "a customer"); code != 0 {
		t.Fatal(errOut)
	}
	deadline := time.Now().Add(20 * time.Second)
	var out string
	for !strings.Contains(out, "dead") {
		if time.Now().After(deadline) {
			t.Fatalf("the refused page was not given up:\n%s", out)
		}
		time.Sleep(20 * time.Millisecond) // polling the daemon, not timing
		out, _, _ = cliAs(config, "rita-token", "incidents", "show", "1")
	}
	if !strings.Contains(out, "dead     attempts=1 attempt 1, not retried") || !strings.Contains(out, `550 "5.1.1 mailbox unavailable"`) {
		t.Errorf("incidents show, want the page dead after 1 attempt with the server's reply:\n%s", out)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rcpts != 1 {
		t.Errorf("the server saw %d RCPT TO, want 1", b.rcpts)
	}
}

// TestValidateNamesUnlistedCustomer: `breachd validate` refuses a customer
// block not among its asset's customers, at file:line:column, naming the
// customers listed.
func TestValidateNamesUnlistedCustomer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "breachd.hcl")
	if err := os.WriteFile(path, []byte(`asset "payroll" {
  data_categories = ["name"]
  customers       = ["Acme Corp"]
  customer "Acme Crop" {
    email = "security@acme.example"
  }
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"validate", path}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "breachd.hcl:4:12: error: Customer not listed") ||
		!strings.Contains(stdout.String(), `Customer "Acme Crop" is not among asset "payroll"'s customers ("Acme Corp")`) {
		t.Errorf("validate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
