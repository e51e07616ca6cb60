package incidents

import (
	"context"
	"errors"
	"time"
)

// Status is where an incident is in its lifecycle.
type Status string

// Incident statuses. An incident is active until it is closed or marked a
// false positive; only one active incident exists per fingerprint.
const (
	StatusOpen          Status = "open"
	StatusTriaged       Status = "triaged"
	StatusContained     Status = "contained"
	StatusNotifying     Status = "notifying"
	StatusClosed        Status = "closed"
	StatusFalsePositive Status = "false_positive"
)

// ActionState is the state of one action run.
type ActionState string

// Action run states. Pending runs are committed before they execute and are
// resumed after a restart.
const (
	ActionPending   ActionState = "pending"
	ActionSucceeded ActionState = "succeeded"
	ActionFailed    ActionState = "failed"
	// ActionRejected means a value failed validation and nothing ran.
	ActionRejected ActionState = "rejected"
	// ActionSkipped means the action is configured not to act (for example
	// a webhook with no URL yet) or no longer exists in the config.
	ActionSkipped ActionState = "skipped"
	// ActionDryRun means the rule is in dry-run mode: the run is recorded
	// and never executed.
	ActionDryRun ActionState = "dry_run"
)

// ErrNotFound is returned for an incident id that does not exist.
var ErrNotFound = errors.New("incident not found")

// Incident is a case opened from findings.
type Incident struct {
	ID           int64             `json:"id"`
	Fingerprint  string            `json:"fingerprint"`
	Rule         string            `json:"rule"`
	GroupKey     string            `json:"group_key"`
	Title        string            `json:"title"`
	Category     string            `json:"category"`
	Severity     string            `json:"severity"`
	Status       Status            `json:"status"`
	Fields       map[string]string `json:"fields"`
	Evidence     string            `json:"evidence"`
	FindingCount int64             `json:"finding_count"`
	FirstSeen    time.Time         `json:"first_seen"`
	LastSeen     time.Time         `json:"last_seen"`
	DetectedAt   time.Time         `json:"detected_at"`
}

// TimelineEntry is one append-only record in an incident's history.
type TimelineEntry struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Kind       string    `json:"kind"`
	Message    string    `json:"message"`
}

// ActionRun is one action queued or run for an incident. (IncidentID,
// Action) is unique: an action runs at most once per incident.
type ActionRun struct {
	ID         int64             `json:"id"`
	IncidentID int64             `json:"incident_id"`
	Action     string            `json:"action"`
	Fields     map[string]string `json:"fields"`
	State      ActionState       `json:"state"`
	Attempts   int               `json:"attempts"`
	Result     string            `json:"result"`
	CreatedAt  time.Time         `json:"created_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
}

// NewIncident is a finding prepared for the store.
type NewIncident struct {
	Incident Incident
	Actions  []string
	// DryRun records the actions as dry runs instead of queueing them.
	DryRun bool
}

// Outcome says what Store.Record did with one item.
type Outcome struct {
	IncidentID int64
	// Opened is true when the item opened a new incident, false when it was
	// attached to an active one.
	Opened bool
}

// FilePosition is how far a log file has been read, committed together
// with the findings of the lines before it. The store keeps one per path;
// the detector defines what the fields mean.
type FilePosition struct {
	Path   string
	Dev    uint64
	Ino    uint64
	Offset int64
	FPLen  int
	FP     []byte
}

// SourceCursor is how far a source that has its own position scheme (the
// journal's cursor) has been read.
type SourceCursor struct {
	Source string
	Cursor string
}

// Progress is how far the sources have been read, committed together with
// the findings of what was read.
type Progress struct {
	Files   []FilePosition
	Cursors []SourceCursor
}

// Empty reports whether p holds nothing to store.
func (p Progress) Empty() bool { return len(p.Files) == 0 && len(p.Cursors) == 0 }

// ListOptions filters Store.List.
type ListOptions struct {
	// Limit caps the result; 0 means 100.
	Limit int
}

// Store keeps incidents durably. Implementations must make Record atomic.
type Store interface {
	// Record commits, in one transaction, every item: it attaches to the
	// active incident with the same fingerprint (adding FindingCount and
	// moving LastSeen) or opens a new incident with an "opened" timeline
	// entry and one pending action run per action. In the same
	// transaction it stores the progress, replacing the file positions of
	// the same paths and the cursors of the same sources. It returns one
	// Outcome per item, in order.
	Record(ctx context.Context, items []NewIncident, progress Progress, at time.Time) ([]Outcome, error)
	// Progress returns every stored file position and source cursor.
	Progress(ctx context.Context) (Progress, error)
	// PendingActions returns the action runs still pending, oldest first.
	PendingActions(ctx context.Context) ([]ActionRun, error)
	// StartAction counts an attempt of a pending run.
	StartAction(ctx context.Context, id int64, at time.Time) error
	// FinishAction records the outcome of a run and appends it to the
	// incident's timeline, in one transaction.
	FinishAction(ctx context.Context, id int64, state ActionState, result string, at time.Time) error
	// Incident returns one incident or ErrNotFound.
	Incident(ctx context.Context, id int64) (*Incident, error)
	// List returns incidents, newest first.
	List(ctx context.Context, opts ListOptions) ([]Incident, error)
	// Timeline returns an incident's entries in order.
	Timeline(ctx context.Context, id int64) ([]TimelineEntry, error)
	// ActionRuns returns an incident's action runs in order.
	ActionRuns(ctx context.Context, id int64) ([]ActionRun, error)
}
