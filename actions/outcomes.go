package actions

import (
	"context"
	"fmt"
	"time"

	"github.com/breachd/breachd/incidents"
)

// Idempotent is an action that says whether running it twice has the
// effect of running it once. After a crash, a run that started and has no
// recorded outcome is run again only when its action is idempotent: every
// Containment is (applying one again replaces its time left), an action
// implementing Idempotent when it returns true (a webhook, which sends the
// same Idempotency-Key; an exec action declared idempotent = true).
// Otherwise the run is marked unknown and the team paged.
type Idempotent interface {
	Idempotent() bool
}

// idempotent reports whether a may be run again after an attempt whose
// outcome is unknown.
func idempotent(a Action) bool {
	if _, ok := a.(Containment); ok {
		return true
	}
	i, ok := a.(Idempotent)
	return ok && i.Idempotent()
}

// unknownDetail says what is known of a run whose attempt has no outcome.
func unknownDetail(run incidents.ActionRun) string {
	return fmt.Sprintf("breachd stopped after starting this run at %s and before recording its outcome: it may or may not have acted, "+
		"and action %s is not idempotent, so it is not run again; settle it: breachd actions settle %d ran|not-run --reason R",
		run.StartedAt.UTC().Format(time.RFC3339Nano), run.Action, run.ID)
}

// finish records a run's outcome; one that needs a person (rejected, or
// unknown) pages the team in the same commit.
func (r *Runner) finish(ctx context.Context, run incidents.ActionRun, inc *incidents.Incident, state incidents.ActionState, detail string) error {
	if (state == incidents.ActionRejected || state == incidents.ActionUnknown) && inc != nil && r.opts.Page != nil {
		return r.opts.Store.FinishAndPage(ctx, run.ID, state, detail, r.opts.Page(*inc), r.opts.Now())
	}
	return r.opts.Store.FinishAction(ctx, run.ID, state, detail, r.opts.Now())
}

// Settle records a person's answer for a run whose outcome is unknown:
// ran, not_run, or pending to run it once more (the runner is woken).
func (r *Runner) Settle(ctx context.Context, id int64, to incidents.ActionState, reason, actor string) (incidents.ActionRun, error) {
	run, err := r.opts.Store.Settle(ctx, id, to, incidents.Change{Actor: actor, Reason: reason, At: r.opts.Now()})
	if err != nil {
		return run, err
	}
	if to == incidents.ActionPending {
		r.Wake()
	}
	return run, nil
}
