// Package hook is the webhook channel: the message as JSON, POSTed with its
// idempotency key and, with a key, an HMAC-SHA256 signature.
package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/webhook"
	"github.com/breachd/breachd/configs"
)

// Channel posts messages to a URL.
type Channel struct {
	url    string
	secret []byte
	client *http.Client
}

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec, signing with secret (nil: unsigned).
func New(spec *configs.Channel, secret []byte) *Channel {
	return &Channel{url: spec.URL, secret: secret, client: &http.Client{
		Timeout:       spec.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Send implements notify.Channel.
func (c *Channel) Send(ctx context.Context, m notify.Message) (string, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	return Post(ctx, c.client, c.url, body, m, c.secret)
}

// Post sends body to rawURL with the message's idempotency key (and a
// signature when secret is set); a 4xx other than 429 is permanent.
func Post(ctx context.Context, client *http.Client, rawURL string, body []byte, m notify.Message, secret []byte) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%w: invalid request", notify.ErrPermanent)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "breachd")
	req.Header.Set("Idempotency-Key", m.Key)
	if secret != nil {
		req.Header.Set(webhook.TimestampHeader, strconv.FormatInt(m.SentAt.Unix(), 10))
		req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, body, m.SentAt))
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("POST %s: %w", redact(rawURL), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	detail := fmt.Sprintf("POST %s: HTTP %d", redact(rawURL), resp.StatusCode)
	if resp.StatusCode/100 == 2 {
		// The proof of delivery: the status and the receiver's request
		// id, else the Idempotency-Key it was sent with.
		if id := strings.TrimSpace(resp.Header.Get("X-Request-Id")); id != "" && len(id) <= 128 && !strings.ContainsFunc(id, isCtl) {
			return detail + "; request id " + id, nil
		}
		return detail + "; Idempotency-Key " + m.Key, nil
	}
	if s := strings.TrimSpace(strings.ToValidUTF8(string(snippet), "")); s != "" {
		detail += fmt.Sprintf(" %q", s)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return detail, errors.New("the receiver failed")
	}
	return detail, fmt.Errorf("%w: the receiver refused it", notify.ErrPermanent)
}

func isCtl(r rune) bool { return r < 0x20 || r == 0x7f }

// redact keeps the scheme and host: paths and queries often hold tokens
// (a Slack webhook's whole path is its secret).
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid url>"
	}
	return u.Scheme + "://" + u.Host
}
