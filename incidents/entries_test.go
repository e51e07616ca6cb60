package incidents

import (
	"testing"
	"time"
)

// TestReopens: a finding reopens a closed incident only within
// reopen_within of its closing, and never for a rule without one.
func TestReopens(t *testing.T) {
	closed := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		seen   time.Duration
		within time.Duration
		want   bool
	}{
		{time.Minute, 0, false},
		{time.Minute, time.Hour, true},
		{time.Hour - time.Nanosecond, time.Hour, true},
		{time.Hour, time.Hour, false},
		{2 * time.Hour, time.Hour, false},
	} {
		if got := Reopens(closed, closed.Add(tt.seen), tt.within); got != tt.want {
			t.Errorf("seen %v after closing, reopen_within %v: %v, want %v", tt.seen, tt.within, got, tt.want)
		}
	}
}

// TestSettledWhat: only the three answers a person may give settle a run.
func TestSettledWhat(t *testing.T) {
	for _, to := range []ActionState{ActionRan, ActionNotRun, ActionPending} {
		if what, err := SettledWhat(to); err != nil || what == "" {
			t.Errorf("%s: %q, %v", to, what, err)
		}
	}
	if _, err := SettledWhat(ActionSucceeded); err == nil {
		t.Error("succeeded settles a run")
	}
}
