// Package alertmanager is the Alertmanager API v2 channel: a new incident
// posts an alert (POST /api/v2/alerts) whose labels come from bounded sets
// (the rule, severity and category of the config, and breachd's own
// incident number), never from a log; closing the incident posts it again
// with endsAt now, which resolves it.
package alertmanager

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/notify/hook"
	"github.com/breachd/breachd/configs"
)

// firingFor is how long a posted alert stays firing without being posted
// again; breachd resolves it explicitly when the incident closes.
const firingFor = 7 * 24 * time.Hour

// Channel posts alerts to one Alertmanager.
type Channel struct {
	url    string
	client *http.Client
}

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec.
func New(spec *configs.Channel) *Channel {
	return &Channel{url: strings.TrimRight(spec.URL, "/") + "/api/v2/alerts", client: &http.Client{
		Timeout:       spec.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Alert is one element of the API's postable alerts.
type Alert struct {
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL,omitempty"`
}

// AlertOf builds the alert a message posts.
func AlertOf(m notify.Message) Alert {
	inc := m.Incident
	ends := m.SentAt.Add(firingFor)
	if m.Event == "incident.resolved" {
		ends = m.SentAt
	}
	return Alert{
		Labels: map[string]string{
			"alertname": "BreachdIncident", "incident": strconv.FormatInt(inc.ID, 10),
			"rule": inc.Rule, "severity": inc.Severity, "category": inc.Category,
		},
		Annotations: map[string]string{
			"summary":     fmt.Sprintf("breachd incident %d: %s", inc.ID, inc.Title),
			"description": fmt.Sprintf("%d findings; risk %s (suggested %s); status %s", inc.FindingCount, inc.Risk, inc.SuggestedRisk, inc.Status),
			"fingerprint": inc.Fingerprint,
		},
		StartsAt: inc.DetectedAt.UTC(),
		EndsAt:   ends.UTC(),
	}
}

// Send implements notify.Channel.
func (c *Channel) Send(ctx context.Context, m notify.Message) (string, error) {
	body, err := json.Marshal([]Alert{AlertOf(m)})
	if err != nil {
		return "", err
	}
	return hook.Post(ctx, c.client, c.url, body, m, nil)
}
