// Package slack is the Slack incoming-webhook channel. Text taken from logs
// is escaped (& < >), so a hostile value cannot mention @channel or hide a
// link, and cut to Slack's limits.
package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/notify/hook"
	"github.com/breachd/breachd/configs"
)

// maxText is Slack's limit for a section's text.
const maxText = 3000

// Channel posts to an incoming webhook.
type Channel struct {
	url    string
	client *http.Client
}

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec.
func New(spec *configs.Channel) *Channel {
	return &Channel{url: spec.URL, client: &http.Client{
		Timeout:       spec.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Escape makes s plain text for Slack's mrkdwn.
func Escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// Text is the message as Slack shows it.
func Text(m notify.Message) string {
	inc := m.Incident
	what := map[string]string{"incident.acknowledged": " contained", "incident.resolved": " resolved", "incident.reopened": " reopened",
		"notification.dead": ": a notification could not be delivered", "obligation.reminder": ": a notice is due soon (breachd obligations list)",
		"obligation.overdue": ": a notice is OVERDUE (breachd obligations list)",
		"action.rejected":    ": an action was refused (see its timeline)", "action.unknown": ": an action's outcome is unknown (breachd actions settle)"}[m.Event]
	t := fmt.Sprintf("*breachd incident %d%s* (%s, %s): %s\nrule %s, %d findings, risk %s (suggested %s), status %s",
		inc.ID, what, Escape(inc.Severity), Escape(inc.Category), Escape(inc.Title), Escape(inc.Rule), inc.FindingCount,
		inc.Risk, inc.SuggestedRisk, inc.Status)
	if len(inc.Scope.Assets) > 0 {
		t += fmt.Sprintf("\nassets %s: %d data subjects, %d records", Escape(strings.Join(inc.Scope.Assets, ", ")), inc.Scope.DataSubjects, inc.Scope.Records)
	}
	if len(t) > maxText {
		t = t[:maxText]
		for !utf8.ValidString(t) {
			t = t[:len(t)-1]
		}
	}
	return t
}

// Send implements notify.Channel.
func (c *Channel) Send(ctx context.Context, m notify.Message) (string, error) {
	body, err := json.Marshal(map[string]any{
		"text":   Text(m),
		"blocks": []any{map[string]any{"type": "section", "text": map[string]string{"type": "mrkdwn", "text": Text(m)}}},
	})
	if err != nil {
		return "", err
	}
	return hook.Post(ctx, c.client, c.url, body, m, nil)
}
