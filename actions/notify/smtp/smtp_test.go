package smtp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// backend is a real SMTP server's backend (emersion/go-smtp) that keeps
// what it receives; refuse, when set, is its answer to every RCPT TO.
type backend struct {
	mu     sync.Mutex
	mail   []received
	tls    []bool
	refuse *gosmtp.SMTPError
}

type received struct {
	from string
	to   []string
	data []byte
}

type session struct {
	b    *backend
	conn *gosmtp.Conn
	cur  received
}

func (b *backend) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	return &session{b: b, conn: c}, nil
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error { s.cur.from = from; return nil }
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if s.b.refuse != nil {
		return s.b.refuse
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	_, isTLS := s.conn.TLSConnectionState()
	s.b.mu.Lock()
	s.b.mail = append(s.b.mail, s.cur)
	s.b.tls = append(s.b.tls, isTLS)
	s.b.mu.Unlock()
	return nil
}
func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// selfSigned returns a certificate for 127.0.0.1 and the PEM file of it.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

// TestMailOverSTARTTLS sends an incident to a real SMTP server started
// in-process that offers STARTTLS with a certificate the channel trusts
// through ca_file, and checks the envelope, the headers and both parts.
func TestMailOverSTARTTLS(t *testing.T) {
	cert, caFile := selfSigned(t)
	be := &backend{}
	srv := gosmtp.NewServer(be)
	srv.Domain = "127.0.0.1"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	port, _ := strconv.Atoi(strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:"))
	ch, err := New(&configs.Channel{Host: "127.0.0.1", Port: port, TLS: configs.TLSStartTLS, CAFile: caFile,
		From: "breachd@example.com", To: []string{"dpo@example.com", "leader@example.com"}, Timeout: 10 * time.Second}, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	m := notify.Message{Key: "breachd-incident-7-page-mail-opened-v1", Event: "incident.opened", SentAt: sent, Incident: incidents.Incident{
		ID: 7, Title: "Brute force <script>alert(1)</script>\r\nBcc: victim@example.com", Severity: "high", Category: "unauthorized-access",
		Rule: "ssh", FindingCount: 5, Risk: incidents.RiskUnassessed, SuggestedRisk: incidents.RiskRisk, DetectedAt: sent, AwareAt: sent,
		Scope: incidents.Scope{Assets: []string{"crm"}, DataSubjects: 300, Records: 1200}}}
	detail, err := ch.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("send: %v (%s)", err, detail)
	}
	be.mu.Lock()
	n, viaTLS := len(be.mail), len(be.tls) > 0 && be.tls[0]
	be.mu.Unlock()
	if n != 1 || !viaTLS {
		t.Fatalf("server got %d mails, TLS %v; want one over STARTTLS", n, viaTLS)
	}
	got := be.mailAt(t, 0)
	if got.from != "breachd@example.com" || strings.Join(got.to, ",") != "dpo@example.com,leader@example.com" {
		t.Errorf("envelope from %q to %v", got.from, got.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got.data)))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mimeDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if !strings.HasPrefix(subj, "[breachd] incident 7 (high): Brute force") || strings.ContainsAny(subj, "\r\n") {
		t.Errorf("subject %q", subj)
	}
	if msg.Header.Get("Bcc") != "" {
		t.Error("a header was injected through the title")
	}
	if msg.Header.Get("Message-Id") != "<breachd-incident-7-page-mail-opened-v1@breachd>" || msg.Header.Get("X-Breachd-Idempotency-Key") != m.Key {
		t.Errorf("Message-ID %q, key %q", msg.Header.Get("Message-Id"), msg.Header.Get("X-Breachd-Idempotency-Key"))
	}
	body := string(got.data)
	if !strings.Contains(body, "multipart/alternative") || !strings.Contains(body, "text/plain") || !strings.Contains(body, "text/html") {
		t.Errorf("parts missing:\n%s", body)
	}
	htmlPart := body[strings.Index(body, "text/html"):]
	if strings.Contains(htmlPart, "<script>") || !strings.Contains(htmlPart, "&lt;script&gt;") {
		t.Errorf("the HTML part does not escape the title:\n%s", htmlPart)
	}
	if !strings.Contains(body, "300 data subjects") {
		t.Errorf("the scope is missing:\n%s", body)
	}

	// An approved notice is mailed as it was approved, its subject and
	// text, to its recipient alone (not the channel's own to), and the
	// detail is the proof: the accepted RCPT TO and the message id.
	nm := m
	nm.Key, nm.Event = "breachd-obligation-3-notice-mail-v1", "obligation.notice"
	nm.Notice = &notify.Notice{Obligation: 3, Subject: "Example Ltd: personal data breach notification (gdpr, incident 7)",
		Text: "To: Information Commissioner's Office\n\nNature of the breach: accounts read.\n", To: "casework@ico.example"}
	detail, err = ch.Send(context.Background(), nm)
	if err != nil {
		t.Fatalf("send the notice: %v (%s)", err, detail)
	}
	if rcpt := be.mailAt(t, 1).to; strings.Join(rcpt, ",") != "casework@ico.example" {
		t.Errorf("the notice went to %v, want casework@ico.example alone", rcpt)
	}
	if want := "accepted RCPT TO casework@ico.example; Message-ID <breachd-obligation-3-notice-mail-v1@breachd>"; !strings.HasSuffix(detail, want) {
		t.Errorf("proof %q, want it to end %q", detail, want)
	}
	// A notice whose recipient has no email is never mailed to the
	// channel's own addresses instead.
	lost := nm
	lost.Notice = &notify.Notice{Obligation: 4, Subject: "x", Text: "y"}
	if _, err := ch.Send(context.Background(), lost); !errors.Is(err, notify.ErrPermanent) {
		t.Errorf("a notice without a recipient email: %v, want a permanent failure", err)
	}
	nmsg, err := mail.ReadMessage(strings.NewReader(string(be.mailAt(t, 1).data)))
	if err != nil {
		t.Fatal(err)
	}
	nsubj, _ := new(mimeDecoder).DecodeHeader(nmsg.Header.Get("Subject"))
	nbody := string(be.mailAt(t, 1).data)
	if nsubj != nm.Notice.Subject || !strings.Contains(nbody, "Nature of the breach: accounts read.") || strings.Contains(nbody, "Brute force") ||
		nmsg.Header.Get("X-Breachd-Idempotency-Key") != nm.Key {
		t.Errorf("notice mail: subject %q\n%s", nsubj, nbody)
	}

	// Without the CA, the certificate is refused: no mail in clear.
	bad, _ := New(&configs.Channel{Host: "127.0.0.1", Port: port, TLS: configs.TLSStartTLS, From: "breachd@example.com", To: []string{"x@example.com"}, Timeout: 5 * time.Second}, "")
	if _, err := bad.Send(context.Background(), m); err == nil {
		t.Error("an untrusted certificate was accepted")
	}
}

type mimeDecoder = mime.WordDecoder

// mailAt returns the i-th mail the server received.
func (b *backend) mailAt(t *testing.T, i int) received {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if i >= len(b.mail) {
		t.Fatalf("the server received %d mails, want at least %d", len(b.mail), i+1)
	}
	return b.mail[i]
}

// TestReplyCodeDecidesRetry: a 5xx reply to RCPT TO is a permanent
// failure (notify.ErrPermanent: the notifier gives the message up), a 4xx
// is not (it is retried); both carry the server's reply.
func TestReplyCodeDecidesRetry(t *testing.T) {
	for _, c := range []struct {
		reply     *gosmtp.SMTPError
		permanent bool
		want      string
	}{
		{&gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}, true, "5.1.1 mailbox unavailable"},
		{&gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try again later"}, false, "4.3.0 try again later"},
	} {
		srv := gosmtp.NewServer(&backend{refuse: c.reply})
		srv.Domain = "127.0.0.1"
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(ln)
		port := ln.Addr().(*net.TCPAddr).Port
		ch, err := New(&configs.Channel{Host: "127.0.0.1", Port: port, TLS: configs.TLSNone, From: "breachd@example.com",
			To: []string{"gone@example.com"}, Timeout: 10 * time.Second}, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ch.Send(context.Background(), notify.Message{Key: "k", Event: "incident.opened", SentAt: time.Now(), Incident: incidents.Incident{ID: 1, Title: "t"}})
		srv.Close()
		if err == nil || errors.Is(err, notify.ErrPermanent) != c.permanent || !strings.Contains(err.Error(), c.want) {
			t.Errorf("reply %d: %v; want permanent %v, saying %q", c.reply.Code, err, c.permanent, c.want)
		}
	}
}
