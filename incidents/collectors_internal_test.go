package incidents

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
)

// countsStore answers the collectors' reads and records whether each had
// a deadline.
type countsStore struct {
	err         error
	hadDeadline bool
}

func (s *countsStore) Counts(ctx context.Context) ([]Count, error) {
	_, s.hadDeadline = ctx.Deadline()
	return []Count{{Rule: "r", Severity: "high", Status: StatusOpen, N: 2}}, s.err
}

func (s *countsStore) OpenObligations(ctx context.Context) ([]Obligation, error) {
	_, s.hadDeadline = ctx.Deadline()
	return nil, s.err
}

// TestCollectorsReadWithADeadline: the scrape-time reads of the incident
// and obligation collectors are bounded, and a store error fails the
// scrape with it rather than reporting a number.
func TestCollectorsReadWithADeadline(t *testing.T) {
	s := &countsStore{}
	pols := &atomic.Pointer[Policies]{}
	pols.Store(&Policies{list: []*compiledPolicy{{spec: &configs.Policy{Name: "gdpr"}}}})
	for name, c := range map[string]prometheus.Collector{
		"incidents":   &openCollector{store: s, logger: slog.New(slog.DiscardHandler), rules: &atomic.Pointer[alertRules]{}, pending: &atomic.Pointer[func() map[string]int]{}},
		"obligations": &obligationCollector{store: s, logger: slog.New(slog.DiscardHandler), now: time.Now, policies: pols},
	} {
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(c)
		s.err, s.hadDeadline = nil, false
		if _, err := reg.Gather(); err != nil || !s.hadDeadline {
			t.Errorf("%s: gather = %v, read with a deadline: %v", name, err, s.hadDeadline)
		}
		s.err = errors.New("database is locked")
		if _, err := reg.Gather(); err == nil || !strings.Contains(err.Error(), "database is locked") {
			t.Errorf("%s: gather with a failing store = %v, want its error", name, err)
		}
	}
}
