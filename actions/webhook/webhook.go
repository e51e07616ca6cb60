package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/breachd/breachd/actions"
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

// Webhook is a configured webhook action.
type Webhook struct {
	name   string
	url    string
	client *http.Client
	now    func() time.Time
}

var _ actions.Action = (*Webhook)(nil)

// New returns the webhook action for spec. client may be nil for a client
// with the action's timeout; now stamps the payload.
func New(spec *configs.Action, client *http.Client, now func() time.Time) *Webhook {
	if client == nil {
		client = &http.Client{
			Timeout: spec.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	return &Webhook{name: spec.Name, url: spec.Webhook.URL, client: client, now: now}
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
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return "", errors.New("invalid request to " + redact(w.url))
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("User-Agent", "breachd")
	hreq.Header.Set("Idempotency-Key", fmt.Sprintf("breachd-incident-%d-%s", req.Incident.ID, w.name))
	resp, err := w.client.Do(hreq)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("POST %s: %w", redact(w.url), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	detail := fmt.Sprintf("POST %s: HTTP %d", redact(w.url), resp.StatusCode)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if s := strings.TrimSpace(strings.ToValidUTF8(string(snippet), "")); s != "" {
			detail += fmt.Sprintf(" %q", s)
		}
		return detail, errors.New("non-2xx response")
	}
	return detail, nil
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
