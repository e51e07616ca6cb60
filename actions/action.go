package actions

import (
	"context"
	"errors"

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
}

// ErrSkip is returned (wrapped) by an action that is configured not to act.
var ErrSkip = errors.New("skipped")
