package configs

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Team roles of the response team.
var teamRoles = []string{"leader", "it", "security", "legal", "public_affairs", "dpo"}

// Member is one member of the response team.
type Member struct {
	Name, Role, Email, Phone string
}

// ChannelKind names a notification channel kind.
type ChannelKind string

// Channel kinds.
const (
	ChannelWebhook      ChannelKind = "webhook"
	ChannelSlack        ChannelKind = "slack"
	ChannelFile         ChannelKind = "file"
	ChannelPagerDuty    ChannelKind = "pagerduty"
	ChannelSMTP         ChannelKind = "smtp"
	ChannelAlertmanager ChannelKind = "alertmanager"
)

// TLS modes of the smtp channel.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
	TLSNone     = "none"
)

// Channel is a `channel "KIND" "NAME"` block: where messages go.
type Channel struct {
	Kind ChannelKind
	Name string
	// URL for webhook and slack; Dir (absolute) for file.
	URL, Dir string
	// SecretFile or SecretEnv signs webhook bodies.
	SecretFile, SecretEnv string
	Timeout               time.Duration
	// The smtp channel: server, TLS mode ("starttls", "implicit", or
	// "none" on loopback only), CA file to trust, sender, recipients (To,
	// plus the team members of ToRoles), and the user to log in as (the
	// password in SecretFile or SecretEnv).
	Host, TLS, CAFile, From, Username string
	Port                              int
	To, ToRoles                       []string
	DeclRange                         hcl.Range
}

// Route is a `route "NAME"` block: which new incidents page which
// channels.
type Route struct {
	Name string
	// Severities and Categories select incidents; empty selects all.
	Severities []string
	Categories []string
	Channels   []string
	DeclRange  hcl.Range
}

// Retry budget of the outbox.
const (
	DefaultMaxAttempts = 8
	DefaultRetryBase   = 5 * time.Second
	DefaultRetryMax    = 10 * time.Minute
)

// Notifications is the notifications block: the outbox's retry budget.
type Notifications struct {
	MaxAttempts         int
	RetryBase, RetryMax time.Duration
	// DeadLetterChannels are told when a message is given up;
	// ReminderChannels of obligations nearing their deadline.
	DeadLetterChannels []string
	ReminderChannels   []string
	// EscalationChannels hear of an obligation past its due time, on top
	// of the reminder channels: the ones that reach the team's leader.
	EscalationChannels []string
	// ReminderEvery is how often the daemon looks for reminders due.
	ReminderEvery time.Duration
	DeclRange     hcl.Range
}

// DefaultReminderEvery is how often reminders are looked for by default.
const DefaultReminderEvery = time.Minute

// Bounds of reminder_every.
const (
	minReminderEvery = 100 * time.Millisecond
	maxReminderEvery = time.Hour
)

type notificationsBlock struct {
	MaxAttempts *int      `hcl:"max_attempts,optional"`
	MaxRange    hcl.Range `hcl:"max_attempts,attr_value_range"`
	RetryBase   *string   `hcl:"retry_base,optional"`
	BaseRange   hcl.Range `hcl:"retry_base,attr_value_range"`
	RetryMax    *string   `hcl:"retry_max,optional"`
	RetryMaxRng hcl.Range `hcl:"retry_max,attr_value_range"`
	DeadLetter  []string  `hcl:"dead_letter_channels,optional"`
	DeadRange   hcl.Range `hcl:"dead_letter_channels,attr_value_range"`
	Reminder    []string  `hcl:"reminder_channels,optional"`
	RemRange    hcl.Range `hcl:"reminder_channels,attr_value_range"`
	Escalation  []string  `hcl:"escalation_channels,optional"`
	EscRange    hcl.Range `hcl:"escalation_channels,attr_value_range"`
	Every       *string   `hcl:"reminder_every,optional"`
	EveryRange  hcl.Range `hcl:"reminder_every,attr_value_range"`
	DefRange    hcl.Range `hcl:",def_range"`
}

func (c *Config) decodeNotifications(blocks []*notificationsBlock) hcl.Diagnostics {
	c.Notifications = Notifications{MaxAttempts: DefaultMaxAttempts, RetryBase: DefaultRetryBase, RetryMax: DefaultRetryMax, ReminderEvery: DefaultReminderEvery}
	var diags hcl.Diagnostics
	for i, b := range blocks {
		if i > 0 {
			diags = append(diags, duplicateBlock("notifications", blocks[0].DefRange, b.DefRange))
			continue
		}
		c.Notifications.DeclRange = b.DefRange
		if b.MaxAttempts != nil {
			if *b.MaxAttempts < 1 || *b.MaxAttempts > 10000 {
				diags = append(diags, errorAt(b.MaxRange.Ptr(), "Invalid max_attempts",
					fmt.Sprintf("max_attempts is %d; a message is tried 1 to 10000 times before it is given up (default %d).", *b.MaxAttempts, DefaultMaxAttempts)))
			} else {
				c.Notifications.MaxAttempts = *b.MaxAttempts
			}
		}
		for _, d := range []struct {
			attr string
			v    *string
			rng  hcl.Range
			dst  *time.Duration
		}{{"retry_base", b.RetryBase, b.BaseRange, &c.Notifications.RetryBase}, {"retry_max", b.RetryMax, b.RetryMaxRng, &c.Notifications.RetryMax}} {
			if d.v == nil {
				continue
			}
			v, diag := parseDuration(d.attr, *d.v, d.rng)
			if diag != nil {
				diags = append(diags, diag)
				continue
			}
			*d.dst = v
		}
		for _, name := range b.DeadLetter {
			if c.ChannelByName(name) == nil {
				diags = append(diags, errorAt(b.DeadRange.Ptr(), "Unknown channel",
					fmt.Sprintf("dead_letter_channels names %q, which is not declared.", name)))
			}
		}
		c.Notifications.DeadLetterChannels = b.DeadLetter
		for _, name := range b.Reminder {
			if c.ChannelByName(name) == nil {
				diags = append(diags, errorAt(b.RemRange.Ptr(), "Unknown channel",
					fmt.Sprintf("reminder_channels names %q, which is not declared.", name)))
			}
		}
		c.Notifications.ReminderChannels = b.Reminder
		for _, name := range b.Escalation {
			if c.ChannelByName(name) == nil {
				diags = append(diags, errorAt(b.EscRange.Ptr(), "Unknown channel",
					fmt.Sprintf("escalation_channels names %q, which is not declared.", name)))
			}
		}
		c.Notifications.EscalationChannels = b.Escalation
		if b.Every != nil {
			v, diag := parseDuration("reminder_every", *b.Every, b.EveryRange)
			switch {
			case diag != nil:
				diags = append(diags, diag)
			case v < minReminderEvery || v > maxReminderEvery:
				diags = append(diags, errorAt(b.EveryRange.Ptr(), "Invalid reminder_every",
					fmt.Sprintf("reminder_every is %s; write how often reminders are looked for, from %s to %s (default %s).", v, minReminderEvery, maxReminderEvery, DefaultReminderEvery)))
			default:
				c.Notifications.ReminderEvery = v
			}
		}
	}
	return diags
}

type teamBlock struct {
	Members  []*memberBlock `hcl:"member,block"`
	DefRange hcl.Range      `hcl:",def_range"`
}

type memberBlock struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	Role      string    `hcl:"role"`
	RoleRange hcl.Range `hcl:"role,attr_value_range"`
	Email     *string   `hcl:"email,optional"`
	Phone     *string   `hcl:"phone,optional"`
}

type channelBlock struct {
	Kind       string    `hcl:"kind,label"`
	Name       string    `hcl:"name,label"`
	KindRange  hcl.Range `hcl:"kind,label_range"`
	NameRange  hcl.Range `hcl:"name,label_range"`
	DefRange   hcl.Range `hcl:",def_range"`
	URL        *string   `hcl:"url,optional"`
	URLRange   hcl.Range `hcl:"url,attr_value_range"`
	Dir        *string   `hcl:"dir,optional"`
	SecretFile *string   `hcl:"secret_file,optional"`
	SecretEnv  *string   `hcl:"secret_env,optional"`
	Timeout    *string   `hcl:"timeout,optional"`
	TimeoutRng hcl.Range `hcl:"timeout,attr_value_range"`
	Host       *string   `hcl:"host,optional"`
	Port       *int      `hcl:"port,optional"`
	TLS        *string   `hcl:"tls,optional"`
	TLSRange   hcl.Range `hcl:"tls,attr_value_range"`
	CAFile     *string   `hcl:"ca_file,optional"`
	From       *string   `hcl:"from,optional"`
	To         []string  `hcl:"to,optional"`
	ToRoles    []string  `hcl:"to_roles,optional"`
	Username   *string   `hcl:"username,optional"`
}

type routeBlock struct {
	Name       string    `hcl:"name,label"`
	NameRange  hcl.Range `hcl:"name,label_range"`
	DefRange   hcl.Range `hcl:",def_range"`
	Severities []string  `hcl:"severities,optional"`
	SevRange   hcl.Range `hcl:"severities,attr_value_range"`
	Categories []string  `hcl:"categories,optional"`
	Channels   []string  `hcl:"channels"`
	ChanRange  hcl.Range `hcl:"channels,attr_value_range"`
}

func (c *Config) decodeNotify(teams []*teamBlock, channels []*channelBlock, routes []*routeBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, t := range teams {
		if i > 0 {
			diags = append(diags, duplicateBlock("team", teams[0].DefRange, t.DefRange))
			continue
		}
		seen := map[string]hcl.Range{}
		for _, m := range t.Members {
			if d := checkName("member", m.Name, m.NameRange, seen); d != nil {
				diags = append(diags, d)
				continue
			}
			if !slices.Contains(teamRoles, m.Role) {
				diags = append(diags, errorAt(m.RoleRange.Ptr(), "Invalid team role",
					fmt.Sprintf("role is %q; use one of %s.", m.Role, strings.Join(teamRoles, ", "))))
				continue
			}
			mem := &Member{Name: m.Name, Role: m.Role}
			if m.Email != nil {
				mem.Email = *m.Email
			}
			if m.Phone != nil {
				mem.Phone = *m.Phone
			}
			c.Team = append(c.Team, mem)
		}
	}
	seen := map[string]hcl.Range{}
	for _, b := range channels {
		if d := checkName("channel", b.Name, b.NameRange, seen); d != nil {
			diags = append(diags, d)
			continue
		}
		ch := &Channel{Kind: ChannelKind(b.Kind), Name: b.Name, Timeout: 10 * time.Second, DeclRange: b.DefRange}
		if b.Timeout != nil {
			d, diag := parseDuration("timeout", *b.Timeout, b.TimeoutRng)
			if diag != nil {
				diags = append(diags, diag)
			} else {
				ch.Timeout = d
			}
		}
		switch ch.Kind {
		case ChannelWebhook, ChannelSlack, ChannelAlertmanager:
			if b.URL == nil {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "Channel without url",
					fmt.Sprintf("A %s channel posts to a URL: set url = \"https://...\".", ch.Kind)))
				continue
			}
			if u, err := url.Parse(*b.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				diags = append(diags, errorAt(b.URLRange.Ptr(), "Invalid channel URL",
					fmt.Sprintf("%q is not an http:// or https:// URL with a host.", *b.URL)))
				continue
			}
			ch.URL = *b.URL
			if b.SecretFile != nil {
				ch.SecretFile = c.Abs(*b.SecretFile)
			}
			if b.SecretEnv != nil {
				ch.SecretEnv = *b.SecretEnv
			}
		case ChannelSMTP:
			if b.Host == nil || b.From == nil {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "Incomplete smtp channel",
					"An smtp channel needs host and from; to (addresses) or to_roles (team roles whose members' emails receive it) for the team's messages. A notice goes to its recipient's email."))
				continue
			}
			ch.Host, ch.From, ch.Port, ch.TLS = *b.Host, *b.From, 587, TLSStartTLS
			if b.Port != nil {
				ch.Port = *b.Port
			}
			if b.TLS != nil {
				ch.TLS = *b.TLS
			}
			switch {
			case ch.TLS != TLSStartTLS && ch.TLS != TLSImplicit && ch.TLS != TLSNone:
				diags = append(diags, errorAt(b.TLSRange.Ptr(), "Invalid tls",
					fmt.Sprintf("tls is %q; use \"starttls\" (port 587, the default), \"implicit\" (port 465) or \"none\" (a relay on loopback only).", ch.TLS)))
				continue
			case ch.TLS == TLSNone && ch.Host != "localhost" && !isLoopbackListen(fmt.Sprintf("%s:%d", ch.Host, ch.Port)):
				diags = append(diags, errorAt(b.TLSRange.Ptr(), "Mail in clear off loopback",
					fmt.Sprintf("tls = \"none\" sends incidents and notices unencrypted; it is only allowed to a relay on loopback, not %s.", ch.Host)))
				continue
			}
			if b.CAFile != nil {
				ch.CAFile = c.Abs(*b.CAFile)
			}
			if b.Username != nil {
				ch.Username = *b.Username
			}
			ch.To, ch.ToRoles = b.To, b.ToRoles
			if b.SecretFile != nil {
				ch.SecretFile = c.Abs(*b.SecretFile)
			}
			if b.SecretEnv != nil {
				ch.SecretEnv = *b.SecretEnv
			}
		case ChannelPagerDuty:
			if b.SecretFile == nil && b.SecretEnv == nil {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "PagerDuty channel without a routing key",
					"Give the service's Events API v2 routing key with secret_file (a file only breachd reads) or secret_env."))
				continue
			}
			if b.SecretFile != nil {
				ch.SecretFile = c.Abs(*b.SecretFile)
			}
			if b.SecretEnv != nil {
				ch.SecretEnv = *b.SecretEnv
			}
			if b.URL != nil {
				ch.URL = *b.URL
			}
		case ChannelFile:
			if b.Dir == nil || strings.TrimSpace(*b.Dir) == "" {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "Channel without dir",
					"A file channel writes one JSON file per message into a folder, for hand delivery: set dir = \"./var/outbox\"."))
				continue
			}
			ch.Dir = c.Abs(*b.Dir)
		default:
			diags = append(diags, errorAt(b.KindRange.Ptr(), "Unsupported channel kind",
				fmt.Sprintf("Channel kind %q is not known; use \"webhook\", \"slack\", \"pagerduty\", \"alertmanager\", \"smtp\" or \"file\".", b.Kind)))
			continue
		}
		for _, role := range ch.ToRoles {
			found := false
			for _, m := range c.Team {
				if m.Role == role && m.Email != "" {
					ch.To, found = append(ch.To, m.Email), true
				}
			}
			if !found {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "No one to mail",
					fmt.Sprintf("to_roles names %q, but no team member with that role has an email.", role)))
			}
		}
		c.Channels = append(c.Channels, ch)
	}
	seenRoutes := map[string]hcl.Range{}
	for _, b := range routes {
		if d := checkName("route", b.Name, b.NameRange, seenRoutes); d != nil {
			diags = append(diags, d)
			continue
		}
		r := &Route{Name: b.Name, Severities: b.Severities, Categories: b.Categories, Channels: b.Channels, DeclRange: b.DefRange}
		for _, s := range b.Severities {
			if _, err := ParseSeverity(s); err != nil {
				diags = append(diags, errorAt(b.SevRange.Ptr(), "Invalid severity", err.Error()+"."))
			}
		}
		names := make([]string, 0, len(c.Channels))
		for _, ch := range c.Channels {
			names = append(names, ch.Name)
		}
		for _, name := range b.Channels {
			if c.ChannelByName(name) == nil {
				diags = append(diags, errorAt(b.ChanRange.Ptr(), "Unknown channel",
					fmt.Sprintf("Route %q pages channel %q, which is not declared (%s).", b.Name, name, didYouMean(name, names))))
			}
		}
		c.Routes = append(c.Routes, r)
	}
	return diags
}

// ChannelByName returns the channel with the given name, or nil.
func (c *Config) ChannelByName(name string) *Channel {
	for _, ch := range c.Channels {
		if ch.Name == name {
			return ch
		}
	}
	return nil
}

// Matches reports whether a new incident of severity and category takes
// this route.
func (r *Route) Matches(severity, category string) bool {
	return (len(r.Severities) == 0 || slices.Contains(r.Severities, severity)) &&
		(len(r.Categories) == 0 || slices.Contains(r.Categories, category))
}
