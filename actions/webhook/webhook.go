package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// Payload is the JSON body a webhook receives.
type Payload struct {
	Version  int                `json:"version"`
	Action   string             `json:"action"`
	RunID    int64              `json:"run_id"`
	SentAt   time.Time          `json:"sent_at"`
	Incident incidents.Incident `json:"incident"`
}

// Signature headers. X-Breachd-Signature is "t=UNIX,v1=HEX": HMAC-SHA256
// with the secret over "UNIX.BODY", so a receiver checks both the body and
// its age (refuse old timestamps to stop replays).
const (
	SignatureHeader = "X-Breachd-Signature"
	TimestampHeader = "X-Breachd-Timestamp"
)

// Webhook is a configured webhook action.
type Webhook struct {
	name    string
	url     string
	client  *http.Client
	now     func() time.Time
	secret  []byte
	retries int
	backoff time.Duration
}

// Sign returns the signature header value of body at t with secret.
func Sign(secret, body []byte, t time.Time) string {
	mac := hmac.New(sha256.New, secret)
	ts := strconv.FormatInt(t.Unix(), 10)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

var (
	_ actions.Action     = (*Webhook)(nil)
	_ actions.Idempotent = (*Webhook)(nil)
)

// MaxRetryWait caps one wait between attempts (before jitter).
const MaxRetryWait = 30 * time.Second

// Idempotent implements actions.Idempotent: every attempt of a run, in
// this process or after a restart, carries the same Idempotency-Key, so a
// receiver that honours it acts once; after a crash the run is sent again.
func (w *Webhook) Idempotent() bool { return true }

// Key is the Idempotency-Key of the run of action on incident: a run is
// one (incident, action), so the key is the run's, stable across retries
// and restarts.
func Key(incident int64, action string) string {
	return fmt.Sprintf("breachd-incident-%d-%s", incident, action)
}

// New returns the webhook action for spec, signing with secret (nil:
// unsigned). client may be nil for a client with the action's timeout; now
// stamps the payload.
func New(spec *configs.Action, client *http.Client, now func() time.Time, secret []byte) *Webhook {
	if client == nil {
		client = &http.Client{
			Timeout: spec.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	return &Webhook{name: spec.Name, url: spec.Webhook.URL, client: client, now: now, secret: secret,
		retries: spec.Webhook.Retries, backoff: spec.Webhook.RetryBackoff}
}

// Fields implements actions.Action: the payload is JSON, so no field is
// interpolated into anything that could interpret it.
func (w *Webhook) Fields() []string { return nil }

// Run implements actions.Action.
func (w *Webhook) Run(ctx context.Context, req actions.Request) (string, error) {
	if w.url == "" {
		return "", fmt.Errorf("no url configured; set url to send incidents: %w", actions.ErrSkip)
	}
	body, err := json.Marshal(Payload{Version: 1, Action: w.name, RunID: req.RunID, SentAt: w.now().UTC(), Incident: req.Incident})
	if err != nil {
		return "", err
	}
	key := Key(req.Incident.ID, w.name)
	for attempt := 0; ; attempt++ {
		detail, retry, err := w.post(ctx, body, key)
		if err == nil || !retry || attempt >= w.retries {
			if attempt > 0 {
				detail += fmt.Sprintf(" (after %d retries)", attempt)
			}
			return detail, err
		}
		// The schedule of notifications: doubling from retry_backoff, at
		// most MaxRetryWait, with up to half of it added at random.
		wait := notify.Backoff(w.backoff, MaxRetryWait, attempt+1, rand.Float64())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return detail + "; no time left to retry", err
		case <-req.Stopping:
			// The run stays pending and is sent again, with the same
			// key, at the next start.
			t.Stop()
			return detail, fmt.Errorf("%w: %w", actions.ErrStopped, err)
		case <-t.C:
		}
	}
}

// post sends one attempt; retry says whether a failure may pass on a later
// attempt (network errors, 429, 5xx; never other 4xx).
func (w *Webhook) post(ctx context.Context, body []byte, key string) (detail string, retry bool, err error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return "", false, errors.New("invalid request to " + redact(w.url))
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("User-Agent", "breachd")
	hreq.Header.Set("Idempotency-Key", key)
	if w.secret != nil {
		now := w.now()
		hreq.Header.Set(TimestampHeader, strconv.FormatInt(now.Unix(), 10))
		hreq.Header.Set(SignatureHeader, Sign(w.secret, body, now))
	}
	resp, err := w.client.Do(hreq)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", true, fmt.Errorf("POST %s: %w", redact(w.url), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	detail = fmt.Sprintf("POST %s: HTTP %d", redact(w.url), resp.StatusCode)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if s := strings.TrimSpace(strings.ToValidUTF8(string(snippet), "")); s != "" {
			detail += fmt.Sprintf(" %q", s)
		}
		return detail, resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500, errors.New("non-2xx response")
	}
	return detail, false, nil
}

// redact keeps the scheme and host of a URL, dropping path, query and
// credentials, which may hold tokens.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid url>"
	}
	return u.Scheme + "://" + u.Host
}
