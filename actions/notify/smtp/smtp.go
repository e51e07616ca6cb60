// Package smtp is the mail channel (wneessen/go-mail): a plain-text and an
// HTML part, the subject and addresses encoded by the library, STARTTLS or
// implicit TLS required unless the server is on loopback, and a Message-ID
// made from the idempotency key so that a resent message is recognised as
// the same one. A 5xx reply is a permanent failure, given up at once; a
// 4xx or a network error is retried.
package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"net/textproto"
	"os"
	"strings"

	mail "github.com/wneessen/go-mail"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
)

// Channel sends mail through one SMTP server.
type Channel struct {
	spec     *configs.Channel
	password string
	tlsConf  *tls.Config
}

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec; password is the SMTP password ("" for
// none). The CA file, when set, is read now.
func New(spec *configs.Channel, password string) (*Channel, error) {
	c := &Channel{spec: spec, password: password, tlsConf: &tls.Config{ServerName: spec.Host, MinVersion: tls.VersionTLS12}}
	if spec.CAFile != "" {
		pem, err := os.ReadFile(spec.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s holds no PEM certificate", spec.CAFile)
		}
		c.tlsConf.RootCAs = pool
	}
	return c, nil
}

// replyCode is the SMTP reply code of a failed send (0 when the server
// gave none: a network error, a timeout).
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// Subject and bodies of a message.
func Subject(m notify.Message) string {
	if m.Notice != nil {
		return clean(m.Notice.Subject)
	}
	inc := m.Incident
	what := map[string]string{"incident.acknowledged": "contained", "incident.resolved": "resolved", "incident.reopened": "reopened",
		"notification.dead": "a notification could not be delivered", "obligation.reminder": "reminder: a notice is due soon", "obligation.overdue": "OVERDUE: a notice is past its due time"}[m.Event]
	if what == "" {
		what = inc.Severity
	}
	return clean(fmt.Sprintf("[breachd] incident %d (%s): %s", inc.ID, what, inc.Title))
}

// clean removes control characters (from a log) from a header; the
// library encodes the rest.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func text(m notify.Message) string {
	if m.Notice != nil {
		return m.Notice.Text
	}
	inc := m.Incident
	var b strings.Builder
	fmt.Fprintf(&b, "Incident %d: %s\n\n", inc.ID, inc.Title)
	fmt.Fprintf(&b, "Event:      %s\nSeverity:   %s\nCategory:   %s\nStatus:     %s\nRule:       %s\nFindings:   %d\n",
		m.Event, inc.Severity, inc.Category, inc.Status, inc.Rule, inc.FindingCount)
	fmt.Fprintf(&b, "Risk:       %s (suggested %s)\nDetected:   %s\nAware:      %s\n", inc.Risk, inc.SuggestedRisk,
		inc.DetectedAt.UTC().Format("2006-01-02 15:04 UTC"), inc.AwareAt.UTC().Format("2006-01-02 15:04 UTC"))
	if len(inc.Scope.Assets) > 0 {
		fmt.Fprintf(&b, "Scope:      %s: %d data subjects, %d records\n", strings.Join(inc.Scope.Assets, ", "), inc.Scope.DataSubjects, inc.Scope.Records)
	}
	fmt.Fprintf(&b, "\nbreachd incidents show %d\n", inc.ID)
	return b.String()
}

func htmlBody(m notify.Message) string {
	lines := strings.Split(strings.TrimRight(text(m), "\n"), "\n")
	var b strings.Builder
	b.WriteString("<html><body><h2>")
	b.WriteString(html.EscapeString(lines[0]))
	b.WriteString("</h2><pre>")
	b.WriteString(html.EscapeString(strings.Join(lines[1:], "\n")))
	b.WriteString("</pre></body></html>")
	return b.String()
}

// Send implements notify.Channel.
func (c *Channel) Send(ctx context.Context, m notify.Message) (string, error) {
	msg := mail.NewMsg()
	if err := msg.From(c.spec.From); err != nil {
		return "", fmt.Errorf("%w: from %q: %v", notify.ErrPermanent, c.spec.From, err)
	}
	to := c.spec.To
	if m.Notice != nil {
		// A notice goes to its recipient, and only there.
		if m.Notice.To == "" {
			return "", fmt.Errorf("%w: notice of obligation %d: its recipient has no email", notify.ErrPermanent, m.Notice.Obligation)
		}
		to = []string{m.Notice.To}
	}
	if len(to) == 0 {
		return "", fmt.Errorf("%w: channel has no to for the team's messages", notify.ErrPermanent)
	}
	if err := msg.To(to...); err != nil {
		return "", fmt.Errorf("%w: to: %v", notify.ErrPermanent, err)
	}
	msg.Subject(Subject(m))
	msg.SetMessageIDWithValue(m.Key + "@breachd")
	msg.SetGenHeader("X-Breachd-Idempotency-Key", m.Key)
	msg.SetDateWithValue(m.SentAt)
	msg.SetBodyString(mail.TypeTextPlain, text(m))
	msg.AddAlternativeString(mail.TypeTextHTML, htmlBody(m))
	opts := []mail.Option{mail.WithPort(c.spec.Port), mail.WithTimeout(c.spec.Timeout), mail.WithTLSConfig(c.tlsConf)}
	switch c.spec.TLS {
	case configs.TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case configs.TLSNone:
		opts = append(opts, mail.WithTLSPortPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSMandatory))
	}
	if c.spec.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(c.spec.Username), mail.WithPassword(c.password))
	}
	client, err := mail.NewClient(c.spec.Host, opts...)
	if err != nil {
		return "", fmt.Errorf("%w: %v", notify.ErrPermanent, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if code := replyCode(err); code >= 500 && code < 600 {
			// A 5xx reply is permanent (RFC 5321 4.2.1): sending the
			// same again gets the same answer.
			return "", fmt.Errorf("%w: mail to %s via %s: the server refused it with a permanent %d: %v", notify.ErrPermanent, strings.Join(to, ", "), c.spec.Host, code, err)
		}
		return "", fmt.Errorf("mail to %s via %s: %w", strings.Join(to, ", "), c.spec.Host, err)
	}
	// The server accepted every RCPT TO and the data (go-mail fails the
	// send otherwise): that, and the message id, is the proof.
	return fmt.Sprintf("mailed %s via %s: accepted RCPT TO %s; Message-ID <%s@breachd>", strings.Join(to, ", "), c.spec.Host,
		strings.Join(to, ", "), m.Key), nil
}
