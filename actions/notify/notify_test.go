package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/notify/file"
	"github.com/breachd/breachd/actions/notify/hook"
	"github.com/breachd/breachd/actions/notify/pagerduty"
	"github.com/breachd/breachd/actions/notify/slack"
	"github.com/breachd/breachd/actions/webhook"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// receiver is an httptest server answering with the codes it is given in
// turn (then 200), recording what it got.
type receiver struct {
	mu     sync.Mutex
	codes  []int
	bodies [][]byte
	heads  []http.Header
	srv    *httptest.Server
}

func newReceiver(t *testing.T, codes ...int) *receiver {
	r := &receiver{codes: codes}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		defer r.mu.Unlock()
		b, _ := io.ReadAll(req.Body)
		r.bodies = append(r.bodies, b)
		r.heads = append(r.heads, req.Header.Clone())
		if len(r.codes) > 0 {
			code := r.codes[0]
			r.codes = r.codes[1:]
			w.WriteHeader(code)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

type fixture struct {
	t     *testing.T
	store *sqlstore.Store
	n     *notify.Notifier
	reg   *prometheus.Registry
	now   time.Time
}

func newFixture(t *testing.T, channels map[string]notify.Channel) *fixture {
	t.Helper()
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{t: t, store: store, reg: prometheus.NewRegistry(), now: t0}
	f.n = notify.New(notify.Options{Store: store, Channels: channels, Now: func() time.Time { return f.now }, Registerer: f.reg,
		MaxAttempts: 3, RetryBase: time.Minute, RetryMax: time.Hour, Jitter: func() float64 { return 0 }})
	return f
}

// open commits an incident that pages channel; the message is in the
// outbox from that commit on.
func (f *fixture) open(title string, channels ...string) int64 {
	f.t.Helper()
	var pages []incidents.Page
	for _, c := range channels {
		pages = append(pages, incidents.Page{Route: "oncall", Channel: c})
	}
	out, err := f.store.Record(context.Background(), []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: "r/" + title, Rule: "r", Title: title, Severity: "high", Category: "c",
			Fields: map[string]string{}, FindingCount: 1, FirstSeen: f.now, LastSeen: f.now},
		Page: pages,
	}}, incidents.Progress{}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return out[0].IncidentID
}

func (f *fixture) messages(id int64) []incidents.Message {
	f.t.Helper()
	ms, err := f.store.Messages(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func TestWebhookSignedWithItsKey(t *testing.T) {
	r := newReceiver(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	f := newFixture(t, map[string]notify.Channel{"hook": hook.New(&configs.Channel{URL: r.srv.URL + "/secret-path", Timeout: 5 * time.Second}, secret)})
	id := f.open("SSH brute force from 203.0.113.7", "hook")
	if ms := f.messages(id); len(ms) != 1 || ms[0].State != incidents.MessagePending {
		t.Fatalf("outbox after the commit = %+v", ms)
	}
	f.n.DeliverDue(context.Background())
	if len(r.bodies) != 1 {
		t.Fatalf("receiver got %d messages", len(r.bodies))
	}
	var got notify.Message
	if err := json.Unmarshal(r.bodies[0], &got); err != nil || got.Incident.ID != id || got.Event != "incident.opened" || got.Key != r.heads[0].Get("Idempotency-Key") {
		t.Errorf("payload %s, %v", r.bodies[0], err)
	}
	if want := webhook.Sign(secret, r.bodies[0], t0); r.heads[0].Get(webhook.SignatureHeader) != want {
		t.Errorf("signature %q, want %q", r.heads[0].Get(webhook.SignatureHeader), want)
	}
	ms := f.messages(id)
	if ms[0].State != incidents.MessageSent || ms[0].SentAt == nil {
		t.Errorf("message = %+v", ms[0])
	}
	tl, _ := f.store.Timeline(context.Background(), id)
	if last := tl[len(tl)-1]; last.Kind != "notification" || strings.Contains(last.Message, "secret-path") {
		t.Errorf("timeline entry %+v; want the delivery, without the URL's path", last)
	}
	// Nothing is sent twice.
	f.n.DeliverDue(context.Background())
	if len(r.bodies) != 1 {
		t.Errorf("a sent message was sent again")
	}
}

func TestRetriesBackoffAndDeadLetter(t *testing.T) {
	r := newReceiver(t, 503, 429, 503, 503, 503)
	f := newFixture(t, map[string]notify.Channel{"hook": hook.New(&configs.Channel{URL: r.srv.URL, Timeout: 5 * time.Second}, nil)})
	ctx := context.Background()
	id := f.open("a", "hook")
	f.n.DeliverDue(ctx) // 503
	m := f.messages(id)[0]
	if m.State != incidents.MessagePending || m.Attempts != 1 || !m.NextAttemptAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after a 503: %+v, want a retry in 1 minute", m)
	}
	f.n.DeliverDue(ctx) // not due yet
	if len(r.bodies) != 1 {
		t.Fatalf("retried before its time: %d attempts", len(r.bodies))
	}
	f.now = t0.Add(time.Minute)
	f.n.DeliverDue(ctx) // 429
	if m := f.messages(id)[0]; !m.NextAttemptAt.Equal(f.now.Add(2 * time.Minute)) {
		t.Fatalf("second backoff: next %v, want doubled", m.NextAttemptAt)
	}
	f.now = f.now.Add(2 * time.Minute)
	f.n.DeliverDue(ctx) // 503: the third attempt uses up the budget
	m = f.messages(id)[0]
	if m.State != incidents.MessageDead || m.Attempts != 3 {
		t.Fatalf("after the budget: %+v", m)
	}
	if got := counterSum(t, f.reg, "breachd_notifications_dead_letters_total"); got != 1 {
		t.Errorf("dead letters = %v", got)
	}
	// All three attempts carried the same idempotency key.
	for _, h := range r.heads {
		if h.Get("Idempotency-Key") != m.IdempotencyKey {
			t.Errorf("key %q, want %q", h.Get("Idempotency-Key"), m.IdempotencyKey)
		}
	}
	// A refusal (400) is not retried.
	r2 := newReceiver(t, 400)
	g := newFixture(t, map[string]notify.Channel{"hook": hook.New(&configs.Channel{URL: r2.srv.URL, Timeout: 5 * time.Second}, nil)})
	id = g.open("b", "hook")
	g.n.DeliverDue(ctx)
	if m := g.messages(id)[0]; m.State != incidents.MessageDead || m.Attempts != 1 {
		t.Errorf("after a 400: %+v, want dead at once", m)
	}
}

func TestSlackTextIsEscaped(t *testing.T) {
	r := newReceiver(t)
	f := newFixture(t, map[string]notify.Channel{"slack": slack.New(&configs.Channel{URL: r.srv.URL, Timeout: 5 * time.Second})})
	f.open("login by <!channel> from <https://evil.example|click> & co", "slack")
	f.n.DeliverDue(context.Background())
	var got struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(r.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(got.Text, "<>") || !strings.Contains(got.Text, "&lt;!channel&gt;") || !strings.Contains(got.Text, "&amp; co") {
		t.Errorf("text = %q; want < > & escaped", got.Text)
	}
}

func TestFileChannelWritesOnce(t *testing.T) {
	dir := t.TempDir()
	ch := file.New(&configs.Channel{Dir: dir})
	m := notify.Message{Key: "breachd-incident-1-regulator-file-opened-v1", Event: "incident.opened", SentAt: t0, Incident: incidents.Incident{ID: 1}}
	for range 2 {
		if _, err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != m.Key+".json" {
		t.Errorf("folder holds %v, want one file named by the key", entries)
	}
	if _, err := ch.Send(context.Background(), notify.Message{Key: "../../etc/passwd"}); err == nil {
		t.Error("a key with a path was written")
	}
}

// counterSum adds up every series of the counter name.
func counterSum(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
			return sum
		}
	}
	t.Fatalf("no %s", name)
	return 0
}

// TestPagerDutyFollowsTheIncident: the page triggers with the incident's
// fingerprint as dedup key; containment acknowledges and closing resolves
// the same alert.
func TestPagerDutyFollowsTheIncident(t *testing.T) {
	r := newReceiver(t, 202, 202, 202)
	f := newFixture(t, map[string]notify.Channel{"pd": pagerduty.New(&configs.Channel{URL: r.srv.URL, Timeout: 5 * time.Second}, "R0UT1NGKEY")})
	ctx := context.Background()
	title := strings.Repeat("é", 1100)
	id := f.open(title, "pd")
	f.n.DeliverDue(ctx)
	c := incidents.Change{Actor: "alice", Reason: "blocked", At: t0}
	if err := f.store.Transition(ctx, id, incidents.StatusContained, "", c); err != nil {
		t.Fatal(err)
	}
	f.n.DeliverDue(ctx)
	// The DPO's decision, which documents the near miss in the register:
	// an assessed incident closes only then.
	if err := f.store.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskNone, Register: true}, c); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Transition(ctx, id, incidents.StatusClosed, "blocked; nothing taken", c); err != nil {
		t.Fatal(err)
	}
	f.n.DeliverDue(ctx)
	if len(r.bodies) != 3 {
		t.Fatalf("PagerDuty got %d events, want trigger, acknowledge, resolve", len(r.bodies))
	}
	var events []pagerduty.Event
	for _, b := range r.bodies {
		var e pagerduty.Event
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if events[0].EventAction != "trigger" || events[1].EventAction != "acknowledge" || events[2].EventAction != "resolve" {
		t.Errorf("actions = %s, %s, %s", events[0].EventAction, events[1].EventAction, events[2].EventAction)
	}
	// The fingerprint is longer than PagerDuty's 255: it is hashed, the
	// same way for every event.
	for _, e := range events {
		if e.DedupKey != pagerduty.DedupKey("r/"+title) || len(e.DedupKey) > 255 || e.RoutingKey != "R0UT1NGKEY" {
			t.Errorf("dedup key %q routing key %q; want one key of at most 255 throughout", e.DedupKey, e.RoutingKey)
		}
	}
	if pagerduty.DedupKey("ssh/ip=203.0.113.7") != "ssh/ip=203.0.113.7" {
		t.Error("a short fingerprint is not used as is")
	}
	p := events[0].Payload
	if p == nil || p.Severity != "error" || utf8.RuneCountInString(p.Summary) != 1024 || !utf8.ValidString(p.Summary) {
		t.Errorf("payload = %+v; want severity error and the summary cut to 1024 runes", p)
	}
	if ms := f.messages(id); len(ms) != 3 || ms[1].Event != "incident.acknowledged" || ms[2].Event != "incident.resolved" || ms[2].State != incidents.MessageSent {
		t.Errorf("outbox = %+v", ms)
	}
}

// TestDeadLetterAlertAndResend: a message given up tells the dead-letter
// channel; a person can send it again, as a new message with its own key.
func TestDeadLetterAlertAndResend(t *testing.T) {
	r := newReceiver(t, 500)
	dir := t.TempDir()
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	f := &fixture{t: t, store: store, reg: prometheus.NewRegistry(), now: t0}
	f.n = notify.New(notify.Options{Store: store, Now: func() time.Time { return f.now }, Registerer: f.reg,
		Channels: map[string]notify.Channel{
			"hook": hook.New(&configs.Channel{URL: r.srv.URL, Timeout: 5 * time.Second}, nil),
			"desk": file.New(&configs.Channel{Dir: dir}),
		},
		MaxAttempts: 1, RetryBase: time.Minute, DeadLetter: []string{"desk"}, Jitter: func() float64 { return 0 }})
	ctx := context.Background()
	id := f.open("a", "hook")
	f.n.DeliverDue(ctx) // the hook dies at once (budget 1); the alert is queued and sent
	ms := f.messages(id)
	if len(ms) != 2 || ms[0].State != incidents.MessageDead || ms[1].Event != "notification.dead" || ms[1].Channel != "desk" || ms[1].State != incidents.MessageSent {
		t.Fatalf("outbox = %+v", ms)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("desk folder = %v, want the dead-letter alert", entries)
	}
	m, err := f.store.Resend(ctx, ms[0].ID, incidents.Change{Actor: "alice", Reason: "the receiver is back", At: f.now})
	if err != nil || m.State != incidents.MessagePending || m.ID == ms[0].ID || m.ResendOf != ms[0].ID || m.IdempotencyKey != ms[0].IdempotencyKey+"-resend-1" {
		t.Fatalf("resend: %+v, %v; want a new message with its own key, linked to the original", m, err)
	}
	f.n.DeliverDue(ctx)
	if ms := f.messages(id); len(ms) != 3 || ms[0].State != incidents.MessageDead || ms[2].ID != m.ID || ms[2].State != incidents.MessageSent ||
		len(r.bodies) != 2 || r.heads[1].Get("Idempotency-Key") != m.IdempotencyKey {
		t.Errorf("after the resend: %+v, %d posts", ms, len(r.bodies))
	}
	if _, err := f.store.Resend(ctx, 999, incidents.Change{Actor: "a", Reason: "r", At: f.now}); err == nil {
		t.Error("resent a message that does not exist")
	}
}

// TestApprovedNoticeDelivered: a notice queued by its approval reaches the
// receiver as it was approved, and its delivery marks the obligation sent.
func TestApprovedNoticeDelivered(t *testing.T) {
	r := newReceiver(t, http.StatusServiceUnavailable)
	f := newFixture(t, map[string]notify.Channel{"authority": hook.New(&configs.Channel{URL: r.srv.URL, Timeout: 5 * time.Second}, nil)})
	ctx := context.Background()
	id := f.open("Customer database read")
	due := t0.Add(72 * time.Hour)
	if err := f.store.SyncObligations(ctx, id, []incidents.ObligationSpec{{Policy: "gdpr", Recipient: "supervisory_authority", Applies: true,
		DueAt: &due, Deadline: "72h from aware_at", Approval: true}}, t0); err != nil {
		t.Fatal(err)
	}
	obs, _ := f.store.Obligations(ctx, id)
	text := "To: Information Commissioner's Office\n\nNature of the breach: accounts read.\n"
	if _, err := f.store.DecideObligationByID(ctx, obs[0].ID, incidents.ObligationApproved, incidents.Change{Actor: "dora", Reason: "checked", At: t0},
		&incidents.NoticeOut{Subject: "Example Ltd: breach notification", Body: text, Channels: []string{"authority"}}); err != nil {
		t.Fatal(err)
	}
	f.n.DeliverDue(ctx) // 503: retried
	if obs, _ := f.store.Obligations(ctx, id); obs[0].State != incidents.ObligationApproved {
		t.Fatalf("obligation %s after a failed attempt, want approved", obs[0].State)
	}
	f.now = f.now.Add(time.Minute)
	f.n.DeliverDue(ctx)
	if len(r.bodies) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(r.bodies))
	}
	var got notify.Message
	if err := json.Unmarshal(r.bodies[1], &got); err != nil || got.Event != "obligation.notice" || got.Notice == nil ||
		got.Notice.Text != text || got.Notice.Obligation != obs[0].ID || got.Key != r.heads[1].Get("Idempotency-Key") || got.Key != r.heads[0].Get("Idempotency-Key") {
		t.Fatalf("payload %s, %v", r.bodies[1], err)
	}
	obs, _ = f.store.Obligations(ctx, id)
	if obs[0].State != incidents.ObligationSent || obs[0].Notice != text || obs[0].DecidedAt == nil || !obs[0].DecidedAt.Equal(f.now) {
		t.Errorf("obligation after delivery: %+v", obs[0])
	}
}
