// Package pagerduty is the PagerDuty Events API v2 channel: a new incident
// triggers an alert whose dedup key is the incident's fingerprint, so
// containment acknowledges and closing resolves the same alert, and
// further findings never open a second one.
package pagerduty

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/notify/hook"
	"github.com/breachd/breachd/configs"
)

// DefaultURL is the Events API v2 endpoint.
const DefaultURL = "https://events.pagerduty.com/v2/enqueue"

// Limits of the Events API.
const (
	maxSummary  = 1024 // runes: a longer summary is refused and the page never fires
	maxDedupKey = 255
)

// Channel sends events to one PagerDuty service.
type Channel struct {
	url, routingKey string
	client          *http.Client
}

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec with the service's routing key.
func New(spec *configs.Channel, routingKey string) *Channel {
	u := spec.URL
	if u == "" {
		u = DefaultURL
	}
	return &Channel{url: u, routingKey: routingKey, client: &http.Client{
		Timeout:       spec.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Event is the body of an Events API v2 request.
type Event struct {
	RoutingKey  string   `json:"routing_key"`
	EventAction string   `json:"event_action"`
	DedupKey    string   `json:"dedup_key"`
	Payload     *Payload `json:"payload,omitempty"`
	Client      string   `json:"client"`
}

// Payload describes the alert of a trigger.
type Payload struct {
	Summary       string         `json:"summary"`
	Source        string         `json:"source"`
	Severity      string         `json:"severity"`
	Timestamp     string         `json:"timestamp"`
	Component     string         `json:"component"`
	Group         string         `json:"group"`
	Class         string         `json:"class"`
	CustomDetails map[string]any `json:"custom_details"`
}

// DedupKey is the alert's key: the incident's fingerprint, hashed when it
// is longer than PagerDuty takes.
func DedupKey(fingerprint string) string {
	if len(fingerprint) <= maxDedupKey {
		return fingerprint
	}
	sum := sha256.Sum256([]byte(fingerprint))
	return "breachd-" + hex.EncodeToString(sum[:])
}

func severity(s string) string {
	switch s {
	case "critical":
		return "critical"
	case "high":
		return "error"
	case "medium":
		return "warning"
	}
	return "info"
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// EventOf builds the event a message sends.
func EventOf(m notify.Message, routingKey string) Event {
	inc := m.Incident
	e := Event{RoutingKey: routingKey, DedupKey: DedupKey(inc.Fingerprint), Client: "breachd"}
	switch m.Event {
	case "incident.acknowledged":
		e.EventAction = "acknowledge"
		return e
	case "incident.resolved":
		e.EventAction = "resolve"
		return e
	}
	e.EventAction = "trigger"
	source := inc.Host
	if source == "" {
		source = "breachd"
	}
	e.Payload = &Payload{
		Summary:   clipRunes(fmt.Sprintf("breachd incident %d: %s", inc.ID, inc.Title), maxSummary),
		Source:    source,
		Severity:  severity(inc.Severity),
		Timestamp: inc.DetectedAt.UTC().Format(time.RFC3339),
		Component: inc.Rule,
		Group:     inc.Category,
		Class:     inc.Category,
		CustomDetails: map[string]any{
			"incident": inc.ID, "risk": inc.Risk, "suggested_risk": inc.SuggestedRisk, "findings": inc.FindingCount,
			"assets": inc.Scope.Assets, "data_subjects": inc.Scope.DataSubjects, "records": inc.Scope.Records,
		},
	}
	return e
}

// Send implements notify.Channel.
func (c *Channel) Send(ctx context.Context, m notify.Message) (string, error) {
	body, err := json.Marshal(EventOf(m, c.routingKey))
	if err != nil {
		return "", err
	}
	return hook.Post(ctx, c.client, c.url, body, m, nil)
}
