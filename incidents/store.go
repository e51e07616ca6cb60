package incidents

import (
	"context"
	"time"
)

// Store keeps incidents durably: what the Manager needs of a store. Every
// method that writes appends its timeline (or register) entries in the
// same transaction. It is the sum of the smaller interfaces below, each a
// concern a store implements; code outside this package declares the few
// methods it uses (actions.Store, notify.Outbox, the API's reader).
type Store interface {
	Recorder
	CaseStore
	Reader
	RegisterStore
	ActionStore
	ObligationStore
	OutboxStore
	SubjectStore
}

// Recorder commits what the detector found, with the file positions
// and source cursors it has read up to, and gives them back at start.
type Recorder interface {
	// Record commits, in one transaction, every item: it attaches to the
	// active incident with the same fingerprint (or the one it was merged
	// into), reopens one closed within ReopenWithin, or opens a new
	// incident with an "opened" timeline entry, one pending action run per
	// action and links to incidents sharing an entity. In the same
	// transaction it stores the progress. It returns one Outcome per
	// item, in order.
	Record(ctx context.Context, items []NewIncident, progress Progress, at time.Time) ([]Outcome, error)

	// Progress returns every stored file position and source cursor.
	Progress(ctx context.Context) (Progress, error)
}

// CaseStore writes the decisions people take on an incident.
type CaseStore interface {
	// Open opens an incident by hand, with the messages it owes.
	Open(ctx context.Context, inc Incident, pages []Page, c Change) (int64, error)

	// Transition moves an incident to status to, checked by
	// CheckTransition; resolution is required to close.
	Transition(ctx context.Context, id int64, to Status, resolution string, c Change) error

	// Assess records a person's risk decision and, in the same
	// transaction, its register entry (breach or near miss).
	Assess(ctx context.Context, id int64, a Assessment, c Change) error

	// Note appends a note or a decision (kind "note" or "decision"), or a
	// correction of an earlier entry when supersedes is set.
	Note(ctx context.Context, id int64, kind, text string, supersedes *int64, c Change) (TimelineEntry, error)

	// RecordRemoval appends a removal of sensitive data (kind
	// "removal") to the incident's timeline.
	RecordRemoval(ctx context.Context, id int64, r Removal, c Change) (TimelineEntry, error)

	// SetScope replaces the incident's scope and cost exposure.
	SetScope(ctx context.Context, id int64, s Scope, cost float64, suggested Risk, c Change) error

	// SetClock sets aware_at or occurred_at.
	SetClock(ctx context.Context, id int64, clock string, t time.Time, c Change) error

	// SetFacts changes what the notices say about the incident: the
	// patch is applied to the facts as stored, in one transaction.
	SetFacts(ctx context.Context, id int64, p FactsPatch, c Change) error

	// Merge merges incidents from into into; both histories are kept.
	Merge(ctx context.Context, into int64, from []int64, o MergeOptions, c Change) error
}

// Reader answers reads of incidents and what hangs off them.
type Reader interface {
	// Incident returns one incident or ErrNotFound.
	Incident(ctx context.Context, id int64) (*Incident, error)
	// Case returns an incident and everything that hangs off it, read
	// at one point in time, or ErrNotFound.
	Case(ctx context.Context, id int64) (*Case, error)

	// List returns incidents, newest first.
	List(ctx context.Context, opts ListOptions) ([]Incident, error)

	// Timeline returns the entries of an incident and of the incidents
	// merged into it, in chain order.
	Timeline(ctx context.Context, id int64) ([]TimelineEntry, error)

	// ActionRuns returns an incident's action runs in order.
	ActionRuns(ctx context.Context, id int64) ([]ActionRun, error)

	// RunsInState returns the latest runs of every incident in one state
	// (the dry runs, the unknown ones), newest first, at most limit.
	RunsInState(ctx context.Context, state ActionState, limit int) ([]ActionRun, error)

	// Evidence returns an incident's evidence lines.
	Evidence(ctx context.Context, id int64) ([]EvidenceLine, error)

	// Related returns the incidents linked to id.
	Related(ctx context.Context, id int64) ([]Link, error)

	// Obligations returns an incident's notice obligations.
	Obligations(ctx context.Context, id int64) ([]Obligation, error)

	// Counts returns the number of incidents per severity and status.
	Counts(ctx context.Context) ([]Count, error)

	// Messages returns an incident's outbox messages.
	Messages(ctx context.Context, incident int64) ([]Message, error)
}

// RegisterStore keeps the Data Breach Register and the retention of
// records, and verifies the hash chains.
type RegisterStore interface {
	// AppendRegister appends a register entry written by the DPO; one
	// that supersedes another is checked against it (CheckWrite) and
	// carries forward what it does not change.
	AppendRegister(ctx context.Context, w RegisterWrite, c Change) (RegisterEntry, error)

	// Register returns the register in order.
	Register(ctx context.Context) ([]RegisterEntry, error)

	// Verify walks the timeline and register chains.
	Verify(ctx context.Context) (Verification, error)

	// Purge records the retention (a recorded period is only ever
	// lengthened) and, with cutoff c.At minus the period in force,
	// empties evidence lines and redacts timeline entries of incidents
	// closed before cutoff, leaving their hashes (a trace).
	Purge(ctx context.Context, retention time.Duration, c Change) (PurgeReport, error)
}

// ActionStore keeps action runs, approvals and containments.
type ActionStore interface {
	// PendingActions returns the action runs still pending, oldest first.
	PendingActions(ctx context.Context) ([]ActionRun, error)

	// StartAction counts an attempt of a pending run and records, synced
	// to disk before it returns, that the run is about to act (StartedAt):
	// a run found pending and started after a crash has an unknown outcome.
	StartAction(ctx context.Context, id int64, at time.Time) error

	// FinishAction records the outcome of a run and appends it to the
	// incident's timeline, in one transaction.
	FinishAction(ctx context.Context, id int64, state ActionState, result string, at time.Time) error

	// FinishAndPage is FinishAction that also queues, in the same
	// transaction, one message per page (event "action.<state>", keyed by
	// the run and state so that it is queued once), each with its
	// timeline entry: the team is told of a run that needs a person.
	FinishAndPage(ctx context.Context, id int64, state ActionState, result string, pages []Page, at time.Time) error

	// Settle records a person's answer for a run whose outcome is unknown:
	// it ran (ActionRan), it did not (ActionNotRun), or it did not and is
	// to run again (ActionPending; it runs once more). The answer, who
	// gave it and why go on the timeline.
	Settle(ctx context.Context, id int64, to ActionState, c Change) (ActionRun, error)

	// Offenses counts the ended containments of target by action: the
	// next (or the active) one is offence Offenses + 1; activeUntil is
	// when the active one ends (zero when none is).
	Offenses(ctx context.Context, action, target string) (prior int, activeUntil time.Time, err error)

	// RecordContainment commits a containment, with its timeline entry
	// and the start of its run (StartAction's count): before it is
	// applied, or for a volatile one (Containment.Volatile) just after;
	// while one is active for the same (action, target) it is extended
	// instead, and extended is true.
	RecordContainment(ctx context.Context, c Containment, at time.Time) (_ Containment, extended bool, _ error)

	// EndContainment marks an active containment reverted or failed.
	EndContainment(ctx context.Context, id int64, state ContainmentState, reason string, c Change) error

	// DueContainments returns the active containments whose end has come.
	DueContainments(ctx context.Context, now time.Time) ([]Containment, error)

	// ActiveContainments returns every active containment.
	ActiveContainments(ctx context.Context) ([]Containment, error)

	// Containments returns an incident's containments.
	Containments(ctx context.Context, incident int64) ([]Containment, error)

	// ContainmentByID returns one containment or ErrNotFound.
	ContainmentByID(ctx context.Context, id int64) (*Containment, error)

	// SetUndo records what reverting an active containment restores.
	SetUndo(ctx context.Context, id int64, undo string) error

	// AwaitApproval parks a run until a person decides, or expires.
	AwaitApproval(ctx context.Context, id int64, reason string, expires time.Time, at time.Time) error

	// Decide approves (back to pending, approved) or denies an awaiting
	// run, with its timeline entry.
	Decide(ctx context.Context, id int64, approve bool, c Change) (ActionRun, error)

	// ExpireApprovals ends the awaiting runs whose time is up.
	ExpireApprovals(ctx context.Context, now time.Time) (int, error)

	// AwaitingApproval returns the runs waiting for a person.
	AwaitingApproval(ctx context.Context) ([]ActionRun, error)

	// RecentRuns counts the runs of action that acted since since.
	RecentRuns(ctx context.Context, action string, since time.Time) (int, error)

	// RecentTargets lists the distinct targets contained since since
	// (containments that did not fail).
	RecentTargets(ctx context.Context, since time.Time) ([]string, error)
}

// ObligationStore keeps the notices the policies owe and the decisions
// on them.
type ObligationStore interface {
	// SyncObligations makes the incident's obligations match what the
	// policies ask now: new ones pending, due times moved with their
	// clock, ones whose condition stopped holding not required (with
	// the reason), ones a person decided left alone.
	SyncObligations(ctx context.Context, incident int64, specs []ObligationSpec, at time.Time) error

	// OpenObligations returns the undecided obligations of every
	// incident, soonest due first.
	OpenObligations(ctx context.Context) ([]Obligation, error)

	// UndecidedObligations is OpenObligations narrowed by q: the
	// obligations of some incidents, one page of them.
	UndecidedObligations(ctx context.Context, q ObligationQuery) ([]Obligation, error)

	// ObligationByID returns one obligation or ErrNotFound.
	ObligationByID(ctx context.Context, id int64) (Obligation, error)

	// AddUpdate opens the next update of sent obligation id's notice
	// (UpdateKey), pending, due without undue delay, linked to it, on
	// the timeline; refused while an earlier update is undecided.
	AddUpdate(ctx context.Context, id int64, c Change) (Obligation, error)

	// DecideObligationByID records a person's decision on an
	// obligation: approved, sent, or not required with a reason. An
	// approval with out queues the notice on out's channels in the same
	// transaction; the first delivery marks the obligation sent.
	DecideObligationByID(ctx context.Context, id int64, state ObligationState, c Change, out *NoticeOut) (Obligation, error)

	// SetDrafted moves an obligation from pending to drafted (its notice
	// lacks nothing) or back; any other state is left alone.
	SetDrafted(ctx context.Context, id int64, drafted bool, at time.Time) error

	// RecordProof records an undecided obligation sent, with the proof
	// of its delivery a person gives (a phone call), on the timeline.
	// delivered is when the notice was given (the call's time; zero is
	// c.At), which the register's "notified" says.
	RecordProof(ctx context.Context, id int64, proof string, delivered time.Time, c Change) (Obligation, error)
}

// OutboxStore keeps the messages queued to channels and their delivery
// attempts.
type OutboxStore interface {
	// DueMessages returns pending outbox messages whose next attempt is
	// due.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)

	// RecordDelivery logs one attempt and moves the message: sent, back to
	// pending at next, or dead, in which case a "notification.dead"
	// message is queued for each of alert (the dead-letter channels).
	RecordDelivery(ctx context.Context, id int64, ok bool, detail, payload string, next time.Time, dead bool, alert []string, at time.Time) error

	// Resend queues a sent or dead message again as a new message,
	// with its own key, linked to it.
	Resend(ctx context.Context, id int64, c Change) (Message, error)

	// Message returns one outbox message or ErrNotFound.
	Message(ctx context.Context, id int64) (Message, error)

	// Enqueue queues one message unless its key is already queued; it
	// reports whether it did, with a timeline entry then.
	Enqueue(ctx context.Context, incident int64, p Page, event, key, note string, at time.Time) (bool, error)
}

// SubjectStore keeps the lists of data subjects the DPO uploads.
type SubjectStore interface {
	// AddSubjects stores the list of an incident's data subjects the DPO
	// uploads, all rows or none; a list already stored is kept.
	AddSubjects(ctx context.Context, incident int64, list []DataSubject, c Change) error

	// SubjectIDs lists the ids of an incident's stored data subjects.
	SubjectIDs(ctx context.Context, incident int64) ([]int64, error)

	// Subject returns one data subject of an incident or ErrNotFound.
	Subject(ctx context.Context, incident, id int64) (DataSubject, error)

	// ListedIncidents lists the incidents whose list of data subjects
	// is not purged yet.
	ListedIncidents(ctx context.Context) ([]int64, error)

	// PurgeSubjects empties the names, emails and addresses of an
	// incident's list (the rows and their ids stay), on the timeline.
	PurgeSubjects(ctx context.Context, incident int64, c Change) (int, error)
}

// Case is an incident with everything that hangs off it, as read at one
// point in time.
type Case struct {
	Incident     Incident
	Timeline     []TimelineEntry
	Actions      []ActionRun
	Evidence     []EvidenceLine
	Related      []Link
	Obligations  []Obligation
	Containments []Containment
	Messages     []Message
}
