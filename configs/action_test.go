package configs

import (
	"strings"
	"testing"
	"time"
)

// TestIdempotentAndWebhookRetries: idempotent is an exec action's
// declaration, false unless set; a webhook's retries default to 7 from a
// 1s backoff, and more than 20 is refused at its line and column.
func TestIdempotentAndWebhookRetries(t *testing.T) {
	cfg, diags := Parse("x.hcl", []byte(`
action "exec" "once" { argv = ["/bin/true"] }
action "exec" "again" {
  argv       = ["/bin/true"]
  idempotent = true
}
action "webhook" "w" { url = "https://hooks.example.com/x" }
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if cfg.Actions[0].Exec.Idempotent || !cfg.Actions[1].Exec.Idempotent {
		t.Errorf("idempotent = %t, %t; want false (default), true", cfg.Actions[0].Exec.Idempotent, cfg.Actions[1].Exec.Idempotent)
	}
	if w := cfg.Actions[2].Webhook; w.Retries != 7 || w.RetryBackoff != time.Second {
		t.Errorf("webhook defaults = %d retries from %s", w.Retries, w.RetryBackoff)
	}
	_, diags = Parse("x.hcl", []byte(`action "webhook" "w" {
  url        = "https://hooks.example.com/x"
  idempotent = true
}
`), "/")
	if len(diags) != 1 || diags[0].Summary != "idempotent is for exec actions" || diags[0].Subject.Start.Line != 3 || diags[0].Subject.Start.Column != 3 ||
		!strings.Contains(diags[0].Detail, "Remove it") {
		t.Fatalf("idempotent on a webhook: %v", diags)
	}
	_, diags = Parse("x.hcl", []byte(`action "webhook" "w" {
  url     = "https://hooks.example.com/x"
  retries = 21
}
`), "/")
	if len(diags) != 1 || diags[0].Summary != "Invalid retries" || diags[0].Subject.Start.Line != 3 || diags[0].Subject.Start.Column != 13 {
		t.Fatalf("retries = 21: %v", diags)
	}
}
