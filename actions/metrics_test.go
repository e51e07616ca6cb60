package actions_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/incidents"
)

// approvalsStore answers AwaitingApproval, the one read the runner's
// metrics make, and records whether the read had a deadline.
type approvalsStore struct {
	runs        int
	err         error
	hadDeadline bool
}

func (s *approvalsStore) AwaitingApproval(ctx context.Context) ([]incidents.ActionRun, error) {
	_, s.hadDeadline = ctx.Deadline()
	return make([]incidents.ActionRun, s.runs), s.err
}

// TestPendingApprovalsGauge: the gauge counts the awaiting runs with a
// bounded read; a store error fails the series with the error instead of
// reporting a number (it reported -1).
func TestPendingApprovalsGauge(t *testing.T) {
	s := &approvalsStore{runs: 3}
	reg := prometheus.NewPedanticRegistry()
	actions.NewRunnerMetrics(reg, s)
	got := gaugeValue(t, reg, "breachd_actions_pending_approvals")
	if got != 3 || !s.hadDeadline {
		t.Errorf("gauge = %v (read with a deadline: %v), want 3 with one", got, s.hadDeadline)
	}
	s.err = errors.New("database is locked")
	_, err := reg.Gather()
	if err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("gather with a failing store: %v, want the store's error", err)
	}
}

func gaugeValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no %s", name)
	return 0
}
