package daemon_test

import (
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// refusingMailbox is a real SMTP server (emersion/go-smtp) on loopback
// that answers RCPT TO with the reply its replies map gives the address
// (550, 451) and counts the RCPT TO commands it saw per address.
type refusingMailbox struct {
	mu      sync.Mutex
	replies map[string]*gosmtp.SMTPError
	rcpts   map[string]int
	port    int
}

type refusingSession struct{ b *refusingMailbox }

func (b *refusingMailbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) {
	return refusingSession{b: b}, nil
}
func (s refusingSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s refusingSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.rcpts[to]++
	if r := s.b.replies[to]; r != nil {
		return r
	}
	return nil
}
func (s refusingSession) Data(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
func (s refusingSession) Reset()                 {}
func (s refusingSession) Logout() error          { return nil }

func (b *refusingMailbox) seen(rcpt string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rcpts[rcpt]
}

func startRefusingMailbox(t *testing.T, replies map[string]*gosmtp.SMTPError) *refusingMailbox {
	t.Helper()
	b := &refusingMailbox{replies: replies, rcpts: map[string]int{}}
	srv := gosmtp.NewServer(b)
	srv.Domain = "127.0.0.1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	b.port = ln.Addr().(*net.TCPAddr).Port
	return b
}

// smtpRefusalConfig pages two SMTP channels on every incident: one to a
// mailbox the server refuses for good (550), one to a mailbox it refuses
// for now (451); a given-up message is told to a webhook.
func smtpRefusalConfig(port int, deadURL string) string {
	return fmt.Sprintf(`
channel "smtp" "gone" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
  to   = ["gone@example.com"]
}
channel "smtp" "busy" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
  to   = ["busy@example.com"]
}
channel "webhook" "dead" {
  url = %q
}
route "page" {
  channels = ["gone", "busy"]
}
notifications {
  retry_base           = "20ms"
  retry_max            = "50ms"
  max_attempts         = 1000
  dead_letter_channels = ["dead"]
}
`, port, port, deadURL)
}

func smtpRefusals() map[string]*gosmtp.SMTPError {
	return map[string]*gosmtp.SMTPError{
		"gone@example.com": {Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"},
		"busy@example.com": {Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try again later"},
	}
}

// TestSMTPPermanentFailureIsGivenUp: a 550 from the SMTP server gives the
// message up at its first attempt, with the server's reply on the
// timeline and in the API, and the dead-letter channel told once; a 451
// is retried.
func TestSMTPPermanentFailureIsGivenUp(t *testing.T) {
	mb := startRefusingMailbox(t, smtpRefusals())
	dead := &noticeHook{}
	srv := httptest.NewServer(dead)
	defer srv.Close()
	h := start(t, smtpRefusalConfig(mb.port, srv.URL))
	id := h.openManual("Payroll rows on a paste site", "db1", time.Now().Add(-time.Hour).UTC())

	// The 451 is retried: by its third attempt the 550 has long had its
	// one.
	h.waitFor("the 451 retried twice", func() bool { return mb.seen("busy@example.com") >= 3 })
	h.waitFor("the dead letter", func() bool {
		dead.mu.Lock()
		defer dead.mu.Unlock()
		return len(dead.notices) > 0
	})
	if n := mb.seen("gone@example.com"); n != 1 {
		t.Errorf("the server saw %d RCPT TO for the refused mailbox, want 1: a 550 is not retried", n)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	byChannel := map[string]incidents.Message{}
	for _, m := range d.Messages {
		byChannel[m.Channel] = m
	}
	if g := byChannel["gone"]; g.State != incidents.MessageDead || g.Attempts != 1 || !strings.Contains(g.LastError, "not retried") || !strings.Contains(g.LastError, `550 "5.1.1 mailbox unavailable"`) {
		t.Errorf("the 550 message: state %s after %d attempts, error %q; want dead after 1 with the server's reply", g.State, g.Attempts, g.LastError)
	}
	if b := byChannel["busy"]; b.State != incidents.MessagePending || b.Attempts < 2 || !strings.Contains(b.LastError, `451 "4.3.0 try again later"`) {
		t.Errorf("the 451 message: state %s after %d attempts, error %q; want pending, retried", b.State, b.Attempts, b.LastError)
	}
	onTimeline := 0
	for _, e := range d.Timeline {
		if strings.Contains(e.Message, "given up") && strings.Contains(e.Message, `550 "5.1.1 mailbox unavailable"`) {
			onTimeline++
		}
	}
	if onTimeline != 1 {
		t.Errorf("%d timeline entries carry the server's 550, want 1", onTimeline)
	}
	dead.mu.Lock()
	defer dead.mu.Unlock()
	if len(dead.notices) != 1 || !strings.Contains(dead.notices[0], "notification.dead") || !strings.Contains(dead.notices[0], `"breachd-message-1-dead-dead-v1"`) {
		t.Errorf("the dead-letter channel got %d messages, want 1 notification.dead for the 550's message: %v", len(dead.notices), dead.notices)
	}
}

// TestSMTPPermanentFailureOfADataSubjectsNotice: a data subject's notice
// (whose address is masked in errors) refused with a 550 at RCPT TO is
// given up at its first attempt, with max_attempts = 3 set: the server
// sees exactly one RCPT TO, and the message is dead after 1 attempt, "not
// retried"; a resend of it is tried once too.
func TestSMTPPermanentFailureOfADataSubjectsNotice(t *testing.T) {
	const rcpt = "reject550-5@ex.org"
	mb := startRefusingMailbox(t, map[string]*gosmtp.SMTPError{
		rcpt: {Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"},
	})
	const dpoToken = "dora-token"
	h := start(t, subjectsConfig(mb.port, dpoToken)+`
notifications {
  retry_base   = "20ms"
  retry_max    = "50ms"
  max_attempts = 3
}
`)
	id := h.openManual("Card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	if code, body := h.upload(id, dpoToken, "name,email,address\nRita Reject,"+rcpt+",\n"); code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	ob := h.obligationsOf(id)["data_subjects:1"]
	h.bearer = harnessDPOToken
	h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", ob.ID), map[string]any{"state": "approved", "reason": "checked by the DPO"})
	notices := func() []incidents.Message {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		var out []incidents.Message
		for _, m := range d.Messages {
			if m.ObligationID == ob.ID {
				out = append(out, m)
			}
		}
		return out
	}
	given := func(n int) func() bool {
		return func() bool {
			ms := notices()
			return len(ms) == n && ms[n-1].State == incidents.MessageDead
		}
	}
	h.waitFor("the notice given up", given(1))
	if n := mb.seen(rcpt); n != 1 {
		t.Errorf("the server saw %d RCPT TO for the data subject, want 1: a 550 is not retried", n)
	}
	m := notices()[0]
	if m.Attempts != 1 || !strings.Contains(m.LastError, "attempt 1, not retried") || !strings.Contains(m.LastError, `550 "5.1.1 mailbox unavailable"`) || strings.Contains(m.LastError, rcpt) {
		t.Errorf("the 550 notice: %s after %d attempts, error %q; want dead after 1, not retried, the address masked", m.State, m.Attempts, m.LastError)
	}
	h.post(fmt.Sprintf("/api/v1/messages/%d/resend", m.ID), map[string]any{"reason": "the person says the mailbox works again"})
	h.waitFor("the resend given up", given(2))
	if n := mb.seen(rcpt); n != 2 {
		t.Errorf("after the resend the server saw %d RCPT TO, want 2: one per message", n)
	}
	if r := notices()[1]; r.Attempts != 1 || !strings.Contains(r.LastError, "attempt 1, not retried") {
		t.Errorf("the resend: %s after %d attempts, error %q; want dead after 1, not retried", r.State, r.Attempts, r.LastError)
	}
}
