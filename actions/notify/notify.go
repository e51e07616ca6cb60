package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/incidents"
)

// Message is what a channel sends: the outbox entry and its incident as it
// is now.
type Message struct {
	Key      string             `json:"idempotency_key"`
	Event    string             `json:"event"`
	Route    string             `json:"route"`
	SentAt   time.Time          `json:"sent_at"`
	Incident incidents.Incident `json:"incident"`
	// Notice is set on an obligation.notice message: the approved
	// notice, to be delivered as it is; Incident then holds only the
	// incident's id.
	Notice *Notice `json:"notice,omitempty"`
	// Detail says what a page about an action run is for (events
	// action.rejected and action.unknown): the run's state and reason.
	Detail string `json:"detail,omitempty"`
}

// Notice is an approved notice for one obligation.
type Notice struct {
	Obligation int64  `json:"obligation_id"`
	Subject    string `json:"subject"`
	Text       string `json:"text"`
	// To is the recipient's email: a channel that mails delivers the
	// notice there, never to its own addresses.
	To string `json:"to,omitempty"`
}

// Channel delivers messages to one place.
type Channel interface {
	// Send delivers m. It returns what happened, and an error wrapping
	// ErrPermanent when retrying cannot help (a 4xx other than 429). For
	// a notice, what happened is the proof of its delivery, recorded with
	// "sent": the accepted recipient and message id, the status and
	// request id, the file and its hash.
	Send(ctx context.Context, m Message) (string, error)
}

// ErrPermanent marks a failure a retry cannot fix.
var ErrPermanent = errors.New("permanent failure")

// Outbox is what the notifier needs of the incident store: the messages
// due, a record of each delivery attempt, and the incident a message is
// about.
type Outbox interface {
	DueMessages(ctx context.Context, now time.Time, limit int) ([]incidents.Message, error)
	RecordDelivery(ctx context.Context, id int64, ok bool, detail, payload string, next time.Time, dead bool, alert []string, at time.Time) error
	Incident(ctx context.Context, id int64) (*incidents.Incident, error)
}

// Options configures a Notifier.
type Options struct {
	Store    Outbox
	Channels map[string]Channel
	Now      func() time.Time
	Logger   *slog.Logger
	// Metrics are kept across reloads; nil makes new ones registered with
	// Registerer (nil registers nothing).
	Metrics    *Metrics
	Registerer prometheus.Registerer
	// MaxAttempts is the retry budget; RetryBase the first wait, doubled
	// each time up to RetryMax, with up to half of it added at random.
	MaxAttempts         int
	RetryBase, RetryMax time.Duration
	// PollEvery is how often due retries are looked for; 0 means 1s.
	PollEvery time.Duration
	// Jitter returns a fraction in [0, 1); nil uses math/rand.
	Jitter func() float64
	// DeadLetter are the channels told when a message is given up.
	DeadLetter []string
}

// Notifier delivers the outbox. Create it with New and start it with Run.
type Notifier struct {
	opts   Options
	logger *slog.Logger
	wake   chan struct{}
	mu     sync.Mutex

	m *Metrics
}

// Metrics are the notifier's metrics. They outlive a Notifier: a reload
// builds a new Notifier on the same Metrics, and Prune deletes the series
// of channels that left the config.
type Metrics struct {
	sent, failed, dead *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool // channels series were made for
}

// NewMetrics returns the notifier's metrics, registered with reg unless it
// is nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	mk := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"channel"})
	}
	m := &Metrics{names: map[string]bool{}}
	m.sent = mk("breachd_notifications_sent_total", "Messages delivered, by channel.")
	m.failed = mk("breachd_notifications_failed_total", "Delivery attempts that failed (and are retried or given up), by channel.")
	m.dead = mk("breachd_notifications_dead_letters_total", "Messages given up (a permanent failure, or the retry budget spent), by channel.")
	if reg != nil {
		reg.MustRegister(m.sent, m.failed, m.dead)
	}
	return m
}

// Configure makes the series of channels at zero; those that exist keep
// their values. A Notifier made with its own metrics does it itself.
func (m *Metrics) Configure(channels map[string]Channel) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range channels {
		m.names[name] = true
		m.sent.WithLabelValues(name)
		m.failed.WithLabelValues(name)
		m.dead.WithLabelValues(name)
	}
}

// Prune deletes the series of channels not named in keep.
func (m *Metrics) Prune(keep []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.names {
		if !slices.Contains(keep, name) {
			m.sent.DeleteLabelValues(name)
			m.failed.DeleteLabelValues(name)
			m.dead.DeleteLabelValues(name)
			delete(m.names, name)
		}
	}
}

// New returns a Notifier. It starts nothing.
func New(opts Options) *Notifier {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 5 * time.Second
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 10 * time.Minute
	}
	if opts.PollEvery <= 0 {
		opts.PollEvery = time.Second
	}
	if opts.Jitter == nil {
		opts.Jitter = rand.Float64
	}
	n := &Notifier{opts: opts, logger: opts.Logger, wake: make(chan struct{}, 1), m: opts.Metrics}
	if n.logger == nil {
		n.logger = slog.New(slog.DiscardHandler)
	}
	if n.m == nil {
		n.m = NewMetrics(opts.Registerer)
		n.m.Configure(opts.Channels)
	}
	return n
}

// Wake tells the notifier that messages were committed. It never blocks.
func (n *Notifier) Wake() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, starting with what a previous process
// left in the outbox.
func (n *Notifier) Run(ctx context.Context) error {
	t := time.NewTicker(n.opts.PollEvery)
	defer t.Stop()
	for {
		n.DeliverDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-n.wake:
		}
	}
}

// DeliverDue sends every message whose attempt is due, by the clock.
func (n *Notifier) DeliverDue(ctx context.Context) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for ctx.Err() == nil {
		due, err := n.opts.Store.DueMessages(ctx, n.opts.Now(), 100)
		if err != nil {
			if ctx.Err() == nil {
				n.logger.Error("cannot read the outbox", "err", err)
			}
			return
		}
		if len(due) == 0 {
			return
		}
		for _, m := range due {
			if ctx.Err() != nil {
				return // stopping: the rest stays in the outbox
			}
			n.deliver(ctx, m)
		}
	}
}

// backoff is the wait after the attempts-th failure.
func (n *Notifier) backoff(attempts int) time.Duration {
	return Backoff(n.opts.RetryBase, n.opts.RetryMax, attempts, n.opts.Jitter())
}

// Backoff is the wait after the attempts-th failure (attempts ≥ 1): base,
// doubled for each failure before, at most max, plus jitter (a fraction in
// [0, 1)) of half of it. Webhook actions retry on the same schedule.
func Backoff(base, max time.Duration, attempts int, jitter float64) time.Duration {
	d := base
	for i := 1; i < attempts && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d + time.Duration(jitter*float64(d)/2)
}

func (n *Notifier) deliver(ctx context.Context, m incidents.Message) {
	ch, ok := n.opts.Channels[m.Channel]
	now := n.opts.Now()
	record := func(ok bool, detail, payload string, dead bool) {
		next := now.Add(n.backoff(m.Attempts + 1))
		// Recorded even when the daemon is stopping: a message that was
		// sent must not be sent again for want of this commit.
		if err := n.opts.Store.RecordDelivery(context.WithoutCancel(ctx), m.ID, ok, detail, payload, next, dead, n.opts.DeadLetter, now); err != nil {
			n.logger.Error("cannot record a delivery; it is tried again", "message", m.ID, "err", err)
		}
	}
	if !ok {
		// The channel left the config: nothing can send it.
		record(false, "channel "+m.Channel+" is no longer configured", "", true)
		return
	}
	inc, err := n.opts.Store.Incident(ctx, m.IncidentID)
	if err != nil {
		record(false, "cannot load the incident: "+err.Error(), "", false)
		return
	}
	msg := Message{Key: m.IdempotencyKey, Event: m.Event, Route: m.Route, SentAt: now.UTC(), Incident: *inc}
	if m.ObligationID != 0 {
		// A notice carries the notice, to its recipient: not the
		// incident's scope, evidence and fields (which would tell one
		// customer of the others).
		msg.Incident = incidents.Incident{ID: inc.ID}
		msg.Notice = &Notice{Obligation: m.ObligationID, Subject: m.Subject, Text: m.Body, To: m.Rcpt}
	} else if m.Subject != "" {
		msg.Detail = m.Subject + ": " + m.Body
	}
	payload, _ := json.Marshal(msg)
	// The message in hand is finished even when the daemon is stopping,
	// bounded by the channel's timeout: a send cut off half-way may have
	// arrived, and would be sent again at the next start.
	detail, err := ch.Send(context.WithoutCancel(ctx), msg)
	if err != nil && m.Rcpt != "" && m.RcptShown != "" {
		// A data subject's address is not logged; the error keeps
		// its kind (ErrPermanent: a 550 is not retried).
		err = maskedError{msg: strings.ReplaceAll(err.Error(), m.Rcpt, m.RcptShown), err: err}
	}
	switch {
	case err == nil:
		n.m.sent.WithLabelValues(m.Channel).Inc()
		record(true, detail, string(payload), false)
	case errors.Is(err, ErrPermanent) || m.Attempts+1 >= n.opts.MaxAttempts:
		n.m.failed.WithLabelValues(m.Channel).Inc()
		n.m.dead.WithLabelValues(m.Channel).Inc()
		n.logger.Error("notification given up", "message", m.ID, "channel", m.Channel, "incident", m.IncidentID, "attempts", m.Attempts+1, "err", err)
		why := fmt.Sprintf("attempt %d, the last of max_attempts %d", m.Attempts+1, n.opts.MaxAttempts)
		if errors.Is(err, ErrPermanent) {
			why = fmt.Sprintf("attempt %d, not retried", m.Attempts+1)
		}
		record(false, fmt.Sprintf("%s: %s", why, joinDetail(detail, err)), string(payload), true)
	default:
		n.m.failed.WithLabelValues(m.Channel).Inc()
		n.logger.Warn("notification failed; retrying", "message", m.ID, "channel", m.Channel, "attempt", m.Attempts+1, "err", err)
		record(false, fmt.Sprintf("attempt %d: %s", m.Attempts+1, joinDetail(detail, err)), string(payload), false)
	}
}

// maskedError is err with its message masked: errors.Is still sees
// what err wraps.
type maskedError struct {
	msg string
	err error
}

func (e maskedError) Error() string { return e.msg }
func (e maskedError) Unwrap() error { return e.err }

func joinDetail(detail string, err error) string {
	if detail == "" {
		return err.Error()
	}
	return detail + ": " + err.Error()
}
