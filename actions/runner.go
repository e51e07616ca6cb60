package actions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/incidents"
)

// DefaultConcurrency is how many actions run at once.
const DefaultConcurrency = 8

// results are the outcomes counted in metrics: every action state but
// pending.
func results() []incidents.ActionState {
	return []incidents.ActionState{incidents.ActionSucceeded, incidents.ActionFailed, incidents.ActionRejected, incidents.ActionSkipped, incidents.ActionDryRun, incidents.ActionUnknown}
}

// Policy is when an action's runs wait for a person.
type Policy struct {
	// RequireApproval: every run waits.
	RequireApproval bool
	// MaxPerHour: runs past that many in an hour wait; 0 is no limit.
	MaxPerHour int
}

// Store is what the runner needs of the incident store: its runs, their
// approvals and the containments they hold.
type Store interface {
	PendingActions(ctx context.Context) ([]incidents.ActionRun, error)
	StartAction(ctx context.Context, id int64, at time.Time) error
	FinishAction(ctx context.Context, id int64, state incidents.ActionState, result string, at time.Time) error
	FinishAndPage(ctx context.Context, id int64, state incidents.ActionState, result string, pages []incidents.Page, at time.Time) error
	Settle(ctx context.Context, id int64, to incidents.ActionState, c incidents.Change) (incidents.ActionRun, error)
	Incident(ctx context.Context, id int64) (*incidents.Incident, error)
	Offenses(ctx context.Context, action, target string) (prior int, activeUntil time.Time, err error)
	RecordContainment(ctx context.Context, c incidents.Containment, at time.Time) (_ incidents.Containment, extended bool, _ error)
	EndContainment(ctx context.Context, id int64, state incidents.ContainmentState, reason string, c incidents.Change) error
	DueContainments(ctx context.Context, now time.Time) ([]incidents.Containment, error)
	ActiveContainments(ctx context.Context) ([]incidents.Containment, error)
	ContainmentByID(ctx context.Context, id int64) (*incidents.Containment, error)
	SetUndo(ctx context.Context, id int64, undo string) error
	AwaitApproval(ctx context.Context, id int64, reason string, expires time.Time, at time.Time) error
	Decide(ctx context.Context, id int64, approve bool, c incidents.Change) (incidents.ActionRun, error)
	ExpireApprovals(ctx context.Context, now time.Time) (int, error)
	AwaitingApproval(ctx context.Context) ([]incidents.ActionRun, error)
	RecentRuns(ctx context.Context, action string, since time.Time) (int, error)
	RecentTargets(ctx context.Context, since time.Time) ([]string, error)
}

// RunnerOptions configures a Runner.
type RunnerOptions struct {
	Store   Store
	Actions map[string]Action
	Now     func() time.Time
	Logger  *slog.Logger
	// Metrics are the runner's metrics, kept across reloads; nil makes new
	// ones registered with Registerer (nil registers nothing).
	Metrics    *RunnerMetrics
	Registerer prometheus.Registerer
	// Concurrency caps actions running at once; 0 means DefaultConcurrency.
	Concurrency int
	// DryRun lists the actions in dry-run mode (their own mode, or the
	// containment block's): their runs record what they would do.
	DryRun map[string]bool
	// Policies are each action's approval rules.
	Policies map[string]Policy
	// MaxTargetsPerHour caps the distinct targets contained in an hour
	// across all actions; past it runs wait for approval. 0: no cap.
	MaxTargetsPerHour int
	// ApprovalExpires is how long a run waits for approval; 0 means 1h.
	ApprovalExpires time.Duration
	// RevertEvery and ReconcileEvery are how often due containments are
	// reverted and the kernel's state reconciled; 0 means 1s and 30s.
	RevertEvery, ReconcileEvery time.Duration
	// Page returns the messages owed to the team for a run of inc that
	// needs a person (rejected, or its outcome unknown); nil pages no one.
	Page func(inc incidents.Incident) []incidents.Page
}

// Runner executes pending action runs. Create it with NewRunner and start it
// with Run.
type Runner struct {
	opts   RunnerOptions
	logger *slog.Logger
	wake   chan struct{}
	handed chan incidents.Handoff
	sem    chan struct{}
	wg     sync.WaitGroup

	mu       sync.Mutex
	inflight map[int64]bool
	// reading is true while the loop reads the pending runs; runs that
	// finish meanwhile are noted in finished, since the read may have
	// begun before their result was committed and still list them.
	reading  bool
	finished map[int64]bool
	// recent are the runs finished last, a ring of recentRuns: a run a
	// read executed before its incident's hand-off came is not run again.
	// Only hand-offs consult it: reads may not, since a run that waited
	// for approval comes back pending under its ID once approved.
	recent    map[int64]bool
	recentIDs []int64
	recentAt  int

	// applying is held (shared) from a containment's apply to its record,
	// and exclusively by what compares the store with the system
	// (Reconcile, reverts), so that none of them sees one without the
	// other.
	applying sync.RWMutex

	// gate makes the rate limits and the blast radius exact while runs
	// execute at once.
	gate gate

	m *RunnerMetrics
}

// NewRunner returns a Runner. It starts nothing.
func NewRunner(opts RunnerOptions) *Runner {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.RevertEvery <= 0 {
		opts.RevertEvery = time.Second
	}
	if opts.ApprovalExpires <= 0 {
		opts.ApprovalExpires = time.Hour
	}
	if opts.ReconcileEvery <= 0 {
		opts.ReconcileEvery = 30 * time.Second
	}
	r := &Runner{
		opts:      opts,
		logger:    opts.Logger,
		wake:      make(chan struct{}, 1),
		handed:    make(chan incidents.Handoff, handoffQueue),
		sem:       make(chan struct{}, opts.Concurrency),
		inflight:  make(map[int64]bool),
		finished:  make(map[int64]bool),
		recent:    make(map[int64]bool, recentRuns),
		recentIDs: make([]int64, 0, recentRuns),
		gate:      newGate(),
		m:         opts.Metrics,
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.m == nil {
		r.m = NewRunnerMetrics(opts.Registerer, opts.Store)
		r.m.Configure(opts.Actions)
	}
	return r
}

// Wake tells the runner that new pending runs were committed. It never
// blocks.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// handoffQueue is how many handed incidents wait for the runner before
// Hand falls back to waking it to read them.
const handoffQueue = 256

// recentRuns is how many finished runs the runner remembers, far more
// than can finish between a commit and its hand-off.
const recentRuns = 4096

// Hand gives the runner committed incidents with their pending runs, to
// start on without reading them back. The runs are claimed here, so that
// a read of the pending runs meanwhile leaves them; one that such a read
// already ran is dropped. It never blocks: when the runner is behind, it
// is woken instead and reads them from the store.
func (r *Runner) Hand(hs []incidents.Handoff) {
	for _, h := range hs {
		r.mu.Lock()
		runs := make([]incidents.ActionRun, 0, len(h.Runs))
		for _, run := range h.Runs {
			if !r.inflight[run.ID] && !r.recent[run.ID] {
				r.inflight[run.ID] = true
				runs = append(runs, run)
			}
		}
		r.mu.Unlock()
		if len(runs) == 0 {
			continue
		}
		h.Runs = runs
		select {
		case r.handed <- h:
		default:
			r.mu.Lock()
			for _, run := range runs {
				delete(r.inflight, run.ID)
			}
			r.mu.Unlock()
			r.Wake()
			return
		}
	}
}

// Run executes pending runs until ctx is done, starting with those left
// pending by a previous process. On return, runs already started have
// finished: each is bounded by its action's own timeout.
func (r *Runner) Run(ctx context.Context) error {
	defer r.wg.Wait()
	r.Wake()
	// Containments first: what expired while breachd was down is
	// reverted, and the kernel is made to match the store.
	r.RevertDue(ctx)
	r.Reconcile(ctx)
	revert := time.NewTicker(r.opts.RevertEvery)
	defer revert.Stop()
	reconcile := time.NewTicker(r.opts.ReconcileEvery)
	defer reconcile.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-revert.C:
			r.RevertDue(ctx)
			r.ExpireApprovals(ctx)
			continue
		case <-reconcile.C:
			r.Reconcile(ctx)
			continue
		case h := <-r.handed:
			for _, run := range h.Runs { // claimed by Hand
				if !r.start(ctx, run, &h.Incident) {
					return nil
				}
			}
			continue
		case <-r.wake:
		}
		r.mu.Lock()
		r.reading = true
		r.mu.Unlock()
		runs, err := r.opts.Store.PendingActions(ctx)
		r.mu.Lock()
		var claimed []incidents.ActionRun
		for _, run := range runs {
			if !r.inflight[run.ID] && !r.finished[run.ID] {
				r.inflight[run.ID] = true
				claimed = append(claimed, run)
			}
		}
		r.reading = false
		clear(r.finished)
		r.mu.Unlock()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.logger.Error("cannot read pending actions", "err", err)
			continue
		}
		for _, run := range claimed {
			if !r.start(ctx, run, nil) {
				return nil
			}
		}
	}
}

// remember notes a finished run in the ring of recent ones; r.mu is held.
func (r *Runner) remember(id int64) {
	if len(r.recentIDs) < recentRuns {
		r.recentIDs = append(r.recentIDs, id)
	} else {
		delete(r.recent, r.recentIDs[r.recentAt])
		r.recentIDs[r.recentAt] = id
		r.recentAt = (r.recentAt + 1) % recentRuns
	}
	r.recent[id] = true
}

// start executes a claimed run in its own goroutine once a slot is free;
// inc is its incident when in hand. It returns false, the claim dropped,
// when ctx is done first.
func (r *Runner) start(ctx context.Context, run incidents.ActionRun, inc *incidents.Incident) bool {
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		r.mu.Lock()
		delete(r.inflight, run.ID)
		r.mu.Unlock()
		return false
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		// A started action finishes under its own timeout even when the
		// daemon is stopping.
		r.execute(context.WithoutCancel(ctx), ctx.Done(), run, inc)
		<-r.sem
		r.mu.Lock()
		delete(r.inflight, run.ID)
		if r.reading {
			r.finished[run.ID] = true
		}
		r.remember(run.ID)
		r.mu.Unlock()
	}()
	return true
}

// RunOnce executes one run now, as the loop would; for tests and for
// callers that hold a run in hand.
func (r *Runner) RunOnce(ctx context.Context, run incidents.ActionRun) {
	r.execute(ctx, ctx.Done(), run, nil)
}

// execute performs run and records its result; inc is its incident when
// in hand (nil: read it). stopping is closed when the runner stops.
func (r *Runner) execute(ctx context.Context, stopping <-chan struct{}, run incidents.ActionRun, inc *incidents.Incident) {
	start := time.Now()
	var state incidents.ActionState
	var detail string
	if inc == nil {
		var err error
		if inc, err = r.opts.Store.Incident(ctx, run.IncidentID); err != nil {
			state, detail = incidents.ActionFailed, fmt.Sprintf("cannot load incident: %v", err)
		}
	}
	if state == "" {
		state, detail = r.perform(ctx, stopping, run, inc)
	}
	switch state {
	case "":
		return // left pending: perform logged why
	case incidents.ActionAwaitingApproval:
		now := r.opts.Now()
		if err := r.opts.Store.AwaitApproval(ctx, run.ID, detail, now.Add(r.opts.ApprovalExpires), now); err != nil {
			r.logger.Error("cannot park the run for approval; it stays pending", "run", run.ID, "err", err)
			return
		}
		r.logger.Warn("action waits for approval", "incident", run.IncidentID, "action", run.Action, "why", detail)
		return
	}
	if err := r.gate.settle(run.ID, func() error { return r.finish(ctx, run, inc, state, detail) }); err != nil {
		r.logger.Error("cannot record action result; it stays pending", "run", run.ID, "action", run.Action, "err", err)
		return
	}
	// Metric labels come from the config only: a run left over for an
	// action that is no longer configured is logged, not counted.
	if _, ok := r.opts.Actions[run.Action]; ok {
		r.m.duration.WithLabelValues(run.Action).Observe(time.Since(start).Seconds())
		r.m.executions.WithLabelValues(run.Action, string(state)).Inc()
	}
	level := slog.LevelInfo
	if state == incidents.ActionFailed || state == incidents.ActionRejected || state == incidents.ActionUnknown {
		level = slog.LevelWarn
	}
	r.logger.Log(ctx, level, "action finished", "incident", run.IncidentID, "action", run.Action, "state", state, "detail", detail)
}

// perform acts on run of inc and says how it ended; state "" leaves the
// run pending (its start could not be recorded, so nothing ran).
func (r *Runner) perform(ctx context.Context, stopping <-chan struct{}, run incidents.ActionRun, inc *incidents.Incident) (incidents.ActionState, string) {
	a, ok := r.opts.Actions[run.Action]
	if !ok {
		return incidents.ActionSkipped, "action is no longer configured"
	}
	again := ""
	if run.StartedAt != nil {
		// An earlier attempt started and its outcome was never
		// recorded: breachd stopped while it acted.
		if !idempotent(a) {
			return incidents.ActionUnknown, unknownDetail(run)
		}
		again = fmt.Sprintf(" (run again: an attempt started at %s has no recorded outcome, and action %s is idempotent)",
			run.StartedAt.UTC().Format(time.RFC3339Nano), run.Action)
	}
	fields := maps.Clone(run.Fields)
	if fields == nil {
		fields = map[string]string{}
	}
	fields["incident_id"] = strconv.FormatInt(run.IncidentID, 10)
	for _, name := range a.Fields() {
		v, ok := fields[name]
		if !ok {
			return incidents.ActionRejected, fmt.Sprintf("field %s is missing; nothing ran", name)
		}
		canon, err := ValidateField(name, v)
		if err != nil {
			return incidents.ActionRejected, err.Error() + "; nothing ran"
		}
		fields[name] = canon
	}
	req := Request{RunID: run.ID, Incident: *inc, Fields: fields, Stopping: stopping}
	if c, ok := a.(Containment); ok {
		return r.contain(ctx, run, c, req)
	}
	if r.opts.DryRun[run.Action] {
		what := "run action " + run.Action
		if d, ok := a.(Describer); ok {
			if s, err := d.Describe(req); err == nil {
				what = s
			}
		}
		return incidents.ActionDryRun, "dry run: would " + what + "; nothing was executed"
	}
	if why := r.needsApproval(ctx, run, ""); why != "" {
		return incidents.ActionAwaitingApproval, why
	}
	// The start is on disk before the action acts: after a crash from
	// here on, the run is not run again blindly.
	if err := r.opts.Store.StartAction(ctx, run.ID, r.opts.Now()); err != nil {
		r.logger.Error("cannot record the start of a run; nothing ran and it stays pending", "run", run.ID, "action", run.Action, "err", err)
		return "", ""
	}
	detail, err := a.Run(ctx, req)
	switch {
	case errors.Is(err, ErrStopped) && idempotent(a):
		r.logger.Warn("action stopped with breachd; it stays pending and runs again at the next start",
			"run", run.ID, "action", run.Action, "detail", detail)
		return "", ""
	case errors.Is(err, ErrSkip):
		return incidents.ActionSkipped, strings.TrimSuffix(err.Error(), ": "+ErrSkip.Error()) + again
	case err != nil:
		if detail != "" {
			return incidents.ActionFailed, detail + ": " + err.Error() + again
		}
		return incidents.ActionFailed, err.Error() + again
	}
	return incidents.ActionSucceeded, detail + again
}

// contain applies a lasting containment: the target is checked, then the
// containment committed (or the active one extended) with its escalated
// TTL and applied. A volatile one (a block in the kernel) is applied
// first and recorded just after, unsynced: its run is committed, so after
// a crash in between it is applied and recorded again, and the kernel's
// own timeout ends the block meanwhile.
func (r *Runner) contain(ctx context.Context, run incidents.ActionRun, c Containment, req Request) (incidents.ActionState, string) {
	target, err := c.Target(req)
	if err != nil {
		return incidents.ActionRejected, err.Error() + "; nothing ran"
	}
	prior, activeUntil, err := r.opts.Store.Offenses(ctx, run.Action, target)
	if err != nil {
		return incidents.ActionFailed, fmt.Sprintf("cannot count earlier containments: %v", err)
	}
	ttl := c.TTL(prior + 1)
	if r.opts.DryRun[run.Action] {
		return incidents.ActionDryRun, fmt.Sprintf("dry run: would contain %s for %s (offence %d); nothing was executed", target, ttl, prior+1)
	}
	if why := r.needsApproval(ctx, run, target); why != "" {
		return incidents.ActionAwaitingApproval, why
	}
	now := r.opts.Now()
	rec := incidents.Containment{
		RunID: run.ID, IncidentID: run.IncidentID, Action: run.Action, Target: target, Offense: prior + 1,
		AppliedAt: now, ExpiresAt: now.Add(ttl),
	}
	r.applying.RLock()
	defer r.applying.RUnlock()
	var (
		cont           incidents.Containment
		extended       bool
		detail, undo   string
		applyErr, rerr error
	)
	if v, ok := c.(Volatile); ok && v.Volatile() {
		// An extension keeps the later end: the kernel is given it too.
		end := rec.ExpiresAt
		if activeUntil.After(end) {
			end = activeUntil
		}
		if detail, undo, applyErr = c.Apply(ctx, target, end.Sub(now)); applyErr != nil {
			return incidents.ActionFailed, detail + ": " + applyErr.Error()
		}
		rec.Volatile, rec.Undo = true, undo
		if cont, extended, rerr = r.opts.Store.RecordContainment(ctx, rec, now); rerr != nil {
			// Unrecorded, nothing would revert it but the kernel's
			// timeout: it is taken back, unless it extended one in force.
			if activeUntil.IsZero() {
				if _, e := c.Revert(ctx, target, undo); e != nil {
					r.logger.Error("cannot take back an unrecorded containment; the kernel's timeout ends it", "target", target, "err", e)
				}
			}
			return incidents.ActionFailed, fmt.Sprintf("cannot record the containment; it was taken back: %v", rerr)
		}
	} else {
		if cont, extended, rerr = r.opts.Store.RecordContainment(ctx, rec, now); rerr != nil {
			return incidents.ActionFailed, fmt.Sprintf("cannot record the containment; nothing ran: %v", rerr)
		}
		detail, undo, applyErr = c.Apply(ctx, target, cont.ExpiresAt.Sub(now))
		if applyErr == nil && undo != "" && !extended {
			if e := r.opts.Store.SetUndo(ctx, cont.ID, undo); e != nil {
				r.logger.Error("cannot record what the revert restores", "containment", cont.ID, "err", e)
			}
		}
		if applyErr != nil {
			if !extended {
				if e := r.opts.Store.EndContainment(ctx, cont.ID, incidents.ContainmentFailed, "apply failed: "+applyErr.Error(),
					incidents.Change{Actor: "breachd", At: r.opts.Now()}); e != nil {
					r.logger.Error("cannot record a failed containment", "containment", cont.ID, "err", e)
				}
			}
			return incidents.ActionFailed, detail + ": " + applyErr.Error()
		}
	}
	r.refreshActive(ctx)
	if extended {
		return incidents.ActionSucceeded, fmt.Sprintf("%s; already contained, extended until %s", detail, cont.ExpiresAt.Format(time.RFC3339))
	}
	return incidents.ActionSucceeded, fmt.Sprintf("%s for %s until %s (offence %d)", detail, ttl, cont.ExpiresAt.Format(time.RFC3339), cont.Offense)
}

// RevertDue reverts the containments whose time is up, by the clock.
func (r *Runner) RevertDue(ctx context.Context) {
	r.applying.Lock()
	defer r.applying.Unlock()
	due, err := r.opts.Store.DueContainments(ctx, r.opts.Now())
	if err != nil {
		if ctx.Err() == nil {
			r.logger.Error("cannot read due containments", "err", err)
		}
		return
	}
	for _, c := range due {
		if err := r.revert(ctx, c, "its time is up", "breachd"); err != nil && ctx.Err() == nil {
			r.logger.Warn("containment not reverted yet; it is tried again", "containment", c.ID, "err", err)
		}
	}
	if len(due) > 0 {
		r.refreshActive(ctx)
	}
}

// RevertByHand reverts one active containment now (breachd actions revert).
func (r *Runner) RevertByHand(ctx context.Context, id int64, reason, actor string) error {
	r.applying.Lock()
	defer r.applying.Unlock()
	c, err := r.opts.Store.ContainmentByID(ctx, id)
	if err != nil {
		return err
	}
	if c.State != incidents.ContainmentActive {
		return fmt.Errorf("%w: containment %d is %s", incidents.ErrConflict, id, c.State)
	}
	if err := r.revert(ctx, *c, "by hand: "+reason, actor); err != nil {
		return err
	}
	r.refreshActive(ctx)
	return nil
}

func (r *Runner) revert(ctx context.Context, c incidents.Containment, why, actor string) error {
	a, ok := r.opts.Actions[c.Action].(Containment)
	if !ok {
		// The action left the config: nothing can undo it here; the
		// kernel's own timeout still ends a block.
		r.logger.Warn("containment of an action no longer configured", "containment", c.ID, "action", c.Action)
		return fmt.Errorf("%w: action %s is no longer configured", incidents.ErrConflict, c.Action)
	}
	detail, err := a.Revert(ctx, c.Target, c.Undo)
	ch := incidents.Change{Actor: actor, Reason: why, At: r.opts.Now()}
	if err != nil {
		r.m.reverts.WithLabelValues(c.Action, "failed").Inc()
		r.logger.Error("revert failed; it is tried again", "containment", c.ID, "action", c.Action, "err", err)
		return fmt.Errorf("revert %s: %w", c.Target, err)
	}
	if err := r.opts.Store.EndContainment(ctx, c.ID, incidents.ContainmentReverted, fmt.Sprintf("%s (%s)", detail, why), ch); err != nil {
		return err
	}
	r.m.reverts.WithLabelValues(c.Action, "reverted").Inc()
	r.logger.Info("containment reverted", "containment", c.ID, "action", c.Action, "target", c.Target, "why", why)
	return nil
}

// Reconcile makes every containment action's system match the store.
func (r *Runner) Reconcile(ctx context.Context) {
	r.applying.Lock()
	defer r.applying.Unlock()
	active, err := r.opts.Store.ActiveContainments(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.logger.Error("cannot read active containments", "err", err)
		}
		return
	}
	now := r.opts.Now()
	// One reconcile per system: actions of one group (Grouped) are
	// reconciled together with the union of their targets, so none
	// removes another's.
	groupOf := func(name string, c Containment) string {
		if g, ok := c.(Grouped); ok {
			return "group:" + g.Group()
		}
		return "action:" + name
	}
	want := map[string]map[string]time.Duration{}
	first := map[string]string{}
	names := make([]string, 0, len(r.opts.Actions))
	for name := range r.opts.Actions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c, ok := r.opts.Actions[name].(Containment)
		if !ok || r.opts.DryRun[name] {
			continue
		}
		g := groupOf(name, c)
		if _, ok := first[g]; !ok {
			first[g] = name
			want[g] = map[string]time.Duration{}
		}
	}
	for _, c := range active {
		a, ok := r.opts.Actions[c.Action].(Containment)
		if !ok {
			continue
		}
		if w := want[groupOf(c.Action, a)]; w != nil {
			w[c.Target] = max(w[c.Target], c.ExpiresAt.Sub(now))
		}
	}
	for g, name := range first {
		detail, err := r.opts.Actions[name].(Containment).Reconcile(ctx, want[g])
		switch {
		case err != nil:
			r.logger.Error("reconcile failed", "action", name, "err", err)
		case detail != "":
			r.logger.Warn("containments restored", "action", name, "detail", detail)
		}
	}
	r.refreshActive(ctx)
}

func (r *Runner) refreshActive(ctx context.Context) {
	active, err := r.opts.Store.ActiveContainments(ctx)
	if err != nil {
		return
	}
	counts := map[string]int{}
	for _, c := range active {
		counts[c.Action]++
	}
	for name, a := range r.opts.Actions {
		if _, ok := a.(Containment); ok {
			r.m.active.WithLabelValues(name).Set(float64(counts[name]))
		}
	}
}

// Decide approves or denies a run waiting for approval; an approved run
// is executed at once.
func (r *Runner) Decide(ctx context.Context, id int64, approve bool, reason, actor string) (incidents.ActionRun, error) {
	run, err := r.opts.Store.Decide(ctx, id, approve, incidents.Change{Actor: actor, Reason: reason, At: r.opts.Now()})
	if err != nil {
		return run, err
	}
	if approve {
		r.Wake()
	}
	return run, nil
}

// ExpireApprovals ends the runs that waited for approval past their time.
func (r *Runner) ExpireApprovals(ctx context.Context) {
	n, err := r.opts.Store.ExpireApprovals(ctx, r.opts.Now())
	switch {
	case err != nil && ctx.Err() == nil:
		r.logger.Error("cannot expire approvals", "err", err)
	case n > 0:
		r.logger.Warn("action runs expired unapproved", "runs", n)
	}
}
