package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func hook(t *testing.T, url string) *Webhook {
	t.Helper()
	return hookWith(t, url, "retries = 0", nil)
}

func hookWith(t *testing.T, url, extra string, secret []byte) *Webhook {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(`action "webhook" "notify" {
  url     = "`+url+`"
  timeout = "2s"
  `+extra+`
}`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return New(cfg.Actions[0], nil, func() time.Time { return t0 }, secret)
}

// TestSignedAndRetried: a receiver checks the HMAC-SHA256 signature over
// the timestamp and body with the shared secret; 503s and a 429 are
// retried with the same idempotency key, a 400 is not.
func TestSignedAndRetried(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	var statuses []int
	var keys []string
	fail := []int{503, 429}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get(TimestampHeader), 10, 64)
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(r.Header.Get(TimestampHeader) + "."))
		mac.Write(body)
		want := "t=" + r.Header.Get(TimestampHeader) + ",v1=" + hex.EncodeToString(mac.Sum(nil))
		if !hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(want)) || ts != t0.Unix() {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			statuses = append(statuses, 401)
			return
		}
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		if len(fail) > 0 {
			code := fail[0]
			fail = fail[1:]
			statuses = append(statuses, code)
			w.WriteHeader(code)
			return
		}
		statuses = append(statuses, 200)
	}))
	defer srv.Close()
	req := actions.Request{RunID: 1, Incident: incidents.Incident{ID: 3}}
	detail, err := hookWith(t, srv.URL, `retries = 3
  retry_backoff = "1ms"`, secret).Run(context.Background(), req)
	if err != nil || fmt.Sprint(statuses) != "[503 429 200]" || !strings.Contains(detail, "after 2 retries") {
		t.Fatalf("detail %q, err %v, statuses %v; want two retries then success", detail, err, statuses)
	}
	if keys[0] != keys[2] {
		t.Errorf("idempotency keys differ across retries: %v", keys)
	}
	// A wrong secret is refused by the receiver, and a 4xx is final.
	statuses = nil
	_, err = hookWith(t, srv.URL, `retries = 3
  retry_backoff = "1ms"`, []byte("another secret of 16+ bytes")).Run(context.Background(), req)
	if err == nil || fmt.Sprint(statuses) != "[401]" {
		t.Errorf("wrong secret: %v, statuses %v; want one refused attempt", err, statuses)
	}
	if got := Sign(secret, []byte("{}"), t0); !strings.HasPrefix(got, fmt.Sprintf("t=%d,v1=", t0.Unix())) || len(got) != len(fmt.Sprintf("t=%d,v1=", t0.Unix()))+64 {
		t.Errorf("Sign = %q", got)
	}
}

func TestPostsTheIncident(t *testing.T) {
	var got Payload
	var key string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key = r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	detail, err := hook(t, srv.URL+"/secret-token/path?key=abc").Run(context.Background(), actions.Request{
		RunID: 9, Incident: incidents.Incident{ID: 7, Title: "x", Fields: map[string]string{"ip": "192.0.2.1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.Action != "notify" || got.RunID != 9 || got.Incident.ID != 7 || !got.SentAt.Equal(t0) || got.Incident.Fields["ip"] != "192.0.2.1" {
		t.Errorf("payload = %+v", got)
	}
	if key != "breachd-incident-7-notify" {
		t.Errorf("Idempotency-Key = %q", key)
	}
	if strings.Contains(detail, "secret-token") || strings.Contains(detail, "abc") || !strings.Contains(detail, "HTTP 200") {
		t.Errorf("detail = %q; want the status and no path or query (they may hold tokens)", detail)
	}
}

func TestFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/500":
			http.Error(w, "database down", http.StatusInternalServerError)
		case "/redirect":
			http.Redirect(w, r, "http://198.51.100.1/elsewhere", http.StatusFound)
		}
	}))
	defer srv.Close()
	detail, err := hook(t, srv.URL+"/500").Run(context.Background(), actions.Request{})
	if err == nil || !strings.Contains(detail, "HTTP 500") || !strings.Contains(detail, "database down") {
		t.Errorf("500: detail %q err %v", detail, err)
	}
	detail, err = hook(t, srv.URL+"/redirect").Run(context.Background(), actions.Request{})
	if err == nil || !strings.Contains(detail, "HTTP 302") {
		t.Errorf("redirect must not be followed: detail %q err %v", detail, err)
	}
	srv.Close()
	if _, err := hook(t, srv.URL+"/gone?token=s3cret").Run(context.Background(), actions.Request{}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("connection refused: err %v; want an error without the token", err)
	}
	if _, err := hook(t, "").Run(context.Background(), actions.Request{}); !errors.Is(err, actions.ErrSkip) {
		t.Errorf("empty url: err %v, want ErrSkip", err)
	}
}

// TestStoppingLeavesTheRunToTheNextStart: a receiver that is closed is
// retried until breachd stops; then the action gives up with ErrStopped
// (its run stays pending and is sent again, with the same key, at the next
// start), after exactly the attempts made before the stop.
func TestStoppingLeavesTheRunToTheNextStart(t *testing.T) {
	attempts := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts <- r.Header.Get("Idempotency-Key")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	stopping := make(chan struct{})
	done := make(chan error, 1)
	// A long first wait: the stop comes during it.
	w := hookWith(t, srv.URL, `retries = 5
  retry_backoff = "1h"`, nil)
	if !w.Idempotent() {
		t.Fatal("a webhook is idempotent: its runs carry one Idempotency-Key")
	}
	go func() {
		_, err := w.Run(context.Background(), actions.Request{RunID: 1, Incident: incidents.Incident{ID: 5}, Stopping: stopping})
		done <- err
	}()
	if key := <-attempts; key != "breachd-incident-5-notify" {
		t.Errorf("Idempotency-Key = %q", key)
	}
	close(stopping)
	if err := <-done; !errors.Is(err, actions.ErrStopped) {
		t.Errorf("err = %v, want ErrStopped", err)
	}
	if n := len(attempts); n != 0 {
		t.Errorf("%d more attempts after the stop, want none", n)
	}
}
