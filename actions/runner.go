package actions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
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
	return []incidents.ActionState{incidents.ActionSucceeded, incidents.ActionFailed, incidents.ActionRejected, incidents.ActionSkipped}
}

// RunnerOptions configures a Runner.
type RunnerOptions struct {
	Store   incidents.Store
	Actions map[string]Action
	Now     func() time.Time
	Logger  *slog.Logger
	// Registerer receives the runner's metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// Concurrency caps actions running at once; 0 means DefaultConcurrency.
	Concurrency int
}

// Runner executes pending action runs. Create it with NewRunner and start it
// with Run.
type Runner struct {
	opts     RunnerOptions
	logger   *slog.Logger
	wake     chan struct{}
	sem      chan struct{}
	mu       sync.Mutex
	inflight map[int64]bool
	wg       sync.WaitGroup

	executions *prometheus.CounterVec
	duration   *prometheus.HistogramVec
}

// NewRunner returns a Runner. It starts nothing.
func NewRunner(opts RunnerOptions) *Runner {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	r := &Runner{
		opts:     opts,
		logger:   opts.Logger,
		wake:     make(chan struct{}, 1),
		sem:      make(chan struct{}, opts.Concurrency),
		inflight: make(map[int64]bool),
		executions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "breachd_actions_executions_total",
			Help: "Action runs finished, by action and result (succeeded, failed, rejected, skipped).",
		}, []string{"action", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "breachd_actions_duration_seconds",
			Help:    "How long action runs took, by action.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"action"}),
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	for name := range opts.Actions {
		for _, res := range results() {
			r.executions.WithLabelValues(name, string(res))
		}
		r.duration.WithLabelValues(name)
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(r.executions, r.duration)
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

// Run executes pending runs until ctx is done, starting with those left
// pending by a previous process. On return, runs already started have
// finished: each is bounded by its action's own timeout.
func (r *Runner) Run(ctx context.Context) error {
	defer r.wg.Wait()
	r.Wake()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		}
		runs, err := r.opts.Store.PendingActions(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.logger.Error("cannot read pending actions", "err", err)
			continue
		}
		for _, run := range runs {
			r.mu.Lock()
			busy := r.inflight[run.ID]
			if !busy {
				r.inflight[run.ID] = true
			}
			r.mu.Unlock()
			if busy {
				continue
			}
			select {
			case r.sem <- struct{}{}:
			case <-ctx.Done():
				r.mu.Lock()
				delete(r.inflight, run.ID)
				r.mu.Unlock()
				return nil
			}
			r.wg.Add(1)
			go func() {
				defer r.wg.Done()
				// A started action finishes under its own timeout even
				// when the daemon is stopping.
				r.execute(context.WithoutCancel(ctx), run)
				<-r.sem
				r.mu.Lock()
				delete(r.inflight, run.ID)
				r.mu.Unlock()
			}()
		}
	}
}

func (r *Runner) execute(ctx context.Context, run incidents.ActionRun) {
	start := time.Now()
	state, detail := r.perform(ctx, run)
	if err := r.opts.Store.FinishAction(ctx, run.ID, state, detail, r.opts.Now()); err != nil {
		r.logger.Error("cannot record action result; it stays pending", "run", run.ID, "action", run.Action, "err", err)
		return
	}
	// Metric labels come from the config only: a run left over for an
	// action that is no longer configured is logged, not counted.
	if _, ok := r.opts.Actions[run.Action]; ok {
		r.duration.WithLabelValues(run.Action).Observe(time.Since(start).Seconds())
		r.executions.WithLabelValues(run.Action, string(state)).Inc()
	}
	level := slog.LevelInfo
	if state == incidents.ActionFailed || state == incidents.ActionRejected {
		level = slog.LevelWarn
	}
	r.logger.Log(ctx, level, "action finished", "incident", run.IncidentID, "action", run.Action, "state", state, "detail", detail)
}

func (r *Runner) perform(ctx context.Context, run incidents.ActionRun) (incidents.ActionState, string) {
	a, ok := r.opts.Actions[run.Action]
	if !ok {
		return incidents.ActionSkipped, "action is no longer configured"
	}
	if err := r.opts.Store.StartAction(ctx, run.ID, r.opts.Now()); err != nil {
		return incidents.ActionFailed, fmt.Sprintf("cannot record start: %v", err)
	}
	inc, err := r.opts.Store.Incident(ctx, run.IncidentID)
	if err != nil {
		return incidents.ActionFailed, fmt.Sprintf("cannot load incident: %v", err)
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
	detail, err := a.Run(ctx, Request{RunID: run.ID, Incident: *inc, Fields: fields})
	switch {
	case errors.Is(err, ErrSkip):
		return incidents.ActionSkipped, strings.TrimSuffix(err.Error(), ": "+ErrSkip.Error())
	case err != nil:
		if detail != "" {
			return incidents.ActionFailed, detail + ": " + err.Error()
		}
		return incidents.ActionFailed, err.Error()
	}
	return incidents.ActionSucceeded, detail
}
