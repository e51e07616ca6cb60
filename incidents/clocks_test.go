package incidents_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// TestCheckClock: the clocks a person sets stay in order, and at most
// ClockSkew in the future.
func TestCheckClock(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	occurred, contained := now.Add(-5*time.Hour), now.Add(-time.Hour)
	inc := &incidents.Incident{ID: 7, OccurredAt: &occurred, AwareAt: now.Add(-2 * time.Hour), ContainedAt: &contained}
	for _, c := range []struct {
		clock string
		at    time.Time
		want  string // "" when allowed
	}{
		{incidents.ClockAware, occurred, ""},
		{incidents.ClockAware, occurred.Add(-time.Second), "is before occurred_at"},
		{incidents.ClockAware, contained, ""},
		{incidents.ClockAware, contained.Add(time.Second), "is after contained_at"},
		{incidents.ClockAware, now.Add(incidents.ClockSkew + time.Second), "in the future"},
		{incidents.ClockOccurred, now.Add(-3 * time.Hour), ""},
		{incidents.ClockOccurred, now.Add(-90 * time.Minute), "is after aware_at"},
		{incidents.ClockOccurred, now.Add(-2 * time.Hour), ""},
		{"closed_at", now, "use aware_at or occurred_at"},
	} {
		err := incidents.CheckClock(inc, c.clock, c.at, now)
		if c.want == "" && err != nil || c.want != "" && (!errors.Is(err, incidents.ErrInvalid) || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s = %s: %v, want %q", c.clock, c.at.Format(time.RFC3339), err, c.want)
		}
	}
	// Not contained: up to ClockSkew ahead; not after determined_at or
	// closed_at either.
	open := &incidents.Incident{ID: 7, OccurredAt: &occurred, AwareAt: now.Add(-2 * time.Hour)}
	if err := incidents.CheckClock(open, incidents.ClockAware, now.Add(incidents.ClockSkew), now); err != nil {
		t.Errorf("aware_at within the skew: %v", err)
	}
	for _, clock := range []string{"determined_at", "closed_at"} {
		at := now.Add(-time.Hour)
		inc := &incidents.Incident{ID: 7, AwareAt: now.Add(-2 * time.Hour)}
		if clock == "determined_at" {
			inc.DeterminedAt = &at
		} else {
			inc.ClosedAt = &at
		}
		if err := incidents.CheckClock(inc, incidents.ClockAware, at.Add(time.Second), now); !errors.Is(err, incidents.ErrInvalid) || !strings.Contains(err.Error(), "is after "+clock) {
			t.Errorf("aware_at after %s: %v", clock, err)
		}
	}
	// Contained before the occurrence.
	late := &incidents.Incident{ID: 7, AwareAt: now, ContainedAt: &contained}
	if err := incidents.CheckClock(late, incidents.ClockOccurred, contained.Add(time.Minute), now); err == nil || !strings.Contains(err.Error(), "is after contained_at") {
		t.Errorf("occurred_at after contained_at: %v", err)
	}
}

// TestFactsCheck: the effect other and its specification go together.
func TestFactsCheck(t *testing.T) {
	for _, c := range []struct {
		f    incidents.Facts
		want string
	}{
		{incidents.Facts{Effects: []string{"disclosed"}}, ""},
		{incidents.Facts{Effects: []string{"disclosed", "other"}, EffectsOther: "sold"}, ""},
		{incidents.Facts{Effects: []string{"other"}}, "say what in effects_other"},
		{incidents.Facts{EffectsOther: "sold"}, "which effects does not list"},
	} {
		err := c.f.Check()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.f, err, c.want)
		}
	}
}
