package actions_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/webhook"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// TestWebhookStoppedMidRetryIsSentAgain: a webhook run retrying against a
// receiver that is down when the runner stops is left pending (started);
// the next runner sends it again, with the same Idempotency-Key, and it is
// delivered once.
func TestWebhookStoppedMidRetryIsSentAgain(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var mu sync.Mutex
	up, delivered := false, 0
	var keys []string
	attempted := make(chan struct{}, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		attempted <- struct{}{}
		if !up {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		delivered++
	}))
	defer srv.Close()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	out, err := store.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: "a", Rule: "r", Status: incidents.StatusOpen, Fields: map[string]string{},
			FindingCount: 1, FirstSeen: now, LastSeen: now},
		Actions: []string{"tell"},
	}}, incidents.Progress{}, now)
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := configs.Parse("t.hcl", []byte(`action "webhook" "tell" {
  url           = "`+srv.URL+`"
  retry_backoff = "1h"
}`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	runner := func() (stop func()) {
		r := actions.NewRunner(actions.RunnerOptions{
			Store: store, Actions: map[string]actions.Action{"tell": webhook.New(cfg.Actions[0], nil, func() time.Time { return now }, nil)},
			Now: func() time.Time { return now },
		})
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- r.Run(runCtx) }()
		return func() { cancel(); <-done }
	}
	stop := runner()
	<-attempted // the first attempt failed; the runner waits an hour to retry
	stop()
	runs, _ := store.ActionRuns(ctx, out[0].IncidentID)
	if runs[0].State != incidents.ActionPending || runs[0].StartedAt == nil || runs[0].Attempts != 1 {
		t.Fatalf("after the stop: %+v, want pending, started once", runs[0])
	}
	mu.Lock()
	up = true
	mu.Unlock()
	stop = runner()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runs, _ = store.ActionRuns(ctx, out[0].IncidentID)
		if runs[0].State != incidents.ActionPending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run was not sent again")
		}
		time.Sleep(5 * time.Millisecond) // polling for the outcome
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if runs[0].State != incidents.ActionSucceeded || runs[0].Attempts != 2 || !strings.Contains(runs[0].Result, "is idempotent") {
		t.Errorf("run = %+v, want succeeded on its second start, saying why it ran again", runs[0])
	}
	if delivered != 1 || len(keys) != 2 || keys[0] != keys[1] || keys[0] != webhook.Key(out[0].IncidentID, "tell") {
		t.Errorf("delivered %d, keys %v; want 2 attempts with one key, delivered once", delivered, keys)
	}
}
