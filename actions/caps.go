package actions

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/breachd/breachd/incidents"
)

// gate holds the runs that passed the rate limit and blast-radius checks
// until their outcome is in the store. The checks count these
// reservations with the store's records, under one lock, so that runs
// executing at once cannot all see room under a cap and overshoot it:
// with max_targets_per_hour = 5 and 30 attackers at once, exactly 5
// targets are contained and 25 runs wait.
type gate struct {
	mu      sync.Mutex
	byRun   map[int64]reservation
	runs    map[string]int // action -> admitted runs without an outcome
	targets map[string]int // target -> admitted containments without a record
}

type reservation struct{ action, target string }

func newGate() gate {
	return gate{byRun: map[int64]reservation{}, runs: map[string]int{}, targets: map[string]int{}}
}

// reserve counts run as acting; the caller holds g.mu.
func (g *gate) reserve(id int64, action, target string) {
	g.byRun[id] = reservation{action, target}
	g.runs[action]++
	if target != "" {
		g.targets[target]++
	}
}

// settle records a run's outcome with record and then drops its
// reservation, both under the lock when it holds one, so no check sees
// the run neither reserved nor recorded (nor both).
func (g *gate) settle(id int64, record func() error) error {
	g.mu.Lock()
	res, ok := g.byRun[id]
	if !ok {
		g.mu.Unlock()
		return record()
	}
	defer g.mu.Unlock()
	err := record()
	delete(g.byRun, id)
	if g.runs[res.action]--; g.runs[res.action] <= 0 {
		delete(g.runs, res.action)
	}
	if res.target != "" {
		if g.targets[res.target]--; g.targets[res.target] <= 0 {
			delete(g.targets, res.target)
		}
	}
	return err
}

// needsApproval says why run must wait for a person, or "" when it may
// act: its action requires approval, its rate limit is reached, or the
// blast radius is (target is "" for actions without one). A target
// already contained within the hour does not widen the blast radius. An
// approved run never waits again. A run let through under a cap is
// reserved until its outcome is recorded (gate.settle).
func (r *Runner) needsApproval(ctx context.Context, run incidents.ActionRun, target string) string {
	if run.ApprovedBy != "" {
		return ""
	}
	p := r.opts.Policies[run.Action]
	if p.RequireApproval {
		what := "run"
		if target != "" {
			what = "contain " + target
		}
		return fmt.Sprintf("action %s requires approval to %s", run.Action, what)
	}
	limitTargets := target != "" && r.opts.MaxTargetsPerHour > 0
	if p.MaxPerHour <= 0 && !limitTargets {
		return ""
	}
	g := &r.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	since := r.opts.Now().Add(-time.Hour)
	if p.MaxPerHour > 0 {
		n, err := r.opts.Store.RecentRuns(ctx, run.Action, since)
		if err != nil {
			return fmt.Sprintf("cannot count recent runs (%v); a person decides", err)
		}
		if n += g.runs[run.Action]; n >= p.MaxPerHour {
			return fmt.Sprintf("rate limit: action %s acted %d times in the last hour (max_per_hour %d)", run.Action, n, p.MaxPerHour)
		}
	}
	if limitTargets {
		recent, err := r.opts.Store.RecentTargets(ctx, since)
		if err != nil {
			return fmt.Sprintf("cannot count recent containments (%v); a person decides", err)
		}
		n := len(recent)
		for t := range g.targets {
			if !slices.Contains(recent, t) {
				n++
			}
		}
		if g.targets[target] == 0 && !slices.Contains(recent, target) && n >= r.opts.MaxTargetsPerHour {
			return fmt.Sprintf("blast radius: %d distinct targets contained in the last hour (max_targets_per_hour %d)", n, r.opts.MaxTargetsPerHour)
		}
	}
	g.reserve(run.ID, run.Action, target)
	return ""
}
