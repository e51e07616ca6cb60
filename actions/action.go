package actions

import (
	"context"
	"errors"
	"time"

	"github.com/breachd/breachd/incidents"
)

// Action is one configured containment action.
type Action interface {
	// Fields names the event fields the action interpolates into what it
	// runs or sends; the runner validates each one before Run.
	Fields() []string
	// Run performs the action. It returns a short description of what
	// happened; an error means the action failed, unless it wraps ErrSkip.
	Run(ctx context.Context, req Request) (string, error)
}

// Request is what an action acts on.
type Request struct {
	RunID    int64
	Incident incidents.Incident
	// Fields are the incident's fields; those named by Action.Fields have
	// been validated and canonicalised (an IP address is re-rendered by
	// net/netip, for example).
	Fields map[string]string
	// Stopping is closed when breachd stops. An idempotent action may
	// give up waiting (between retries) and return an error wrapping
	// ErrStopped: its run stays pending and runs again at the next start.
	Stopping <-chan struct{}
}

// Containment is an action with a lasting effect on one target (an address
// blocked, an account locked) that is reverted when its time is up.
type Containment interface {
	Action
	// Target returns the canonical target of a request, or an error
	// saying why the request's value must not be acted on (not an
	// address, on a never list).
	Target(req Request) (string, error)
	// TTL is how long the offense-th containment of a target lasts
	// (offense ≥ 1; repeat offenders get longer ones).
	TTL(offense int) time.Duration
	// Apply contains target for ttl; applying it again replaces the
	// time left. undo is what Revert will need to restore (stored with
	// the containment); "" when nothing.
	Apply(ctx context.Context, target string, ttl time.Duration) (detail, undo string, err error)
	// Revert undoes the containment of target, restoring undo; reverting
	// what is not contained is no error.
	Revert(ctx context.Context, target, undo string) (string, error)
	// Reconcile makes the system match the active containments (target
	// → time left): it re-applies what someone removed and removes what
	// is no longer active.
	Reconcile(ctx context.Context, active map[string]time.Duration) (string, error)
}

// Volatile is a containment whose effect lives in memory that a power loss
// erases (an nftables block, gone at reboot). Its record is committed
// before it is applied without waiting for the disk: after a power loss
// the record and the effect are gone together, and the run, committed
// with its incident, is applied again.
type Volatile interface {
	Volatile() bool
}

// Grouped is a containment that shares its system with other actions, so
// that reconciling any of them with the union of their targets reconciles
// them all. (nftables actions are not: each reconciles its own sets of the
// one table.)
type Grouped interface {
	Group() string
}

// Describer is an action that can say what it would do, for dry runs.
type Describer interface {
	Describe(req Request) (string, error)
}

// ErrSkip is returned (wrapped) by an action that is configured not to act.
var ErrSkip = errors.New("skipped")

// ErrStopped is returned (wrapped) by an idempotent action that gave up
// because breachd is stopping (Request.Stopping).
var ErrStopped = errors.New("breachd is stopping")
