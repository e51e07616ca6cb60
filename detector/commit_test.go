package detector

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

// TestCommitRetriesWithBackoff: a sink that fails is retried with a
// doubling backoff until it takes the batch (a line's findings are never
// dropped), each failure counted; a context that ends stops the retries.
// In a synctest bubble the backoff's 100 + 200 + 400 ms pass in virtual
// time, measured exactly.
func TestCommitRetriesWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		engine, diags := rules.Compile(&configs.Config{}, rules.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		calls := 0
		d, err := New(Options{Engine: engine, Sink: func(ctx context.Context, b Batch) error {
			calls++
			if calls <= 3 {
				return errors.New("database is locked")
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := d.commit(context.Background(), Batch{}); err != nil {
			t.Fatal(err)
		}
		if elapsed := time.Since(start); calls != 4 || elapsed != 700*time.Millisecond {
			t.Errorf("%d calls in %v, want 4 in 700ms (100, 200, 400 ms of backoff)", calls, elapsed)
		}
		if n := testutil.ToFloat64(d.m.sinkFailures); n != 3 {
			t.Errorf("breachd sink failures = %v, want 3", n)
		}
		// A context that ends during the backoff ends the retries.
		calls = -100
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		start = time.Now()
		if err := d.commit(ctx, Batch{}); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 250*time.Millisecond {
			t.Errorf("commit = %v after %v, want the deadline after 250ms", err, time.Since(start))
		}
	})
}
