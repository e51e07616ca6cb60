package incidents

import (
	"context"
	"errors"
	"time"
)

// Status is where an incident is in its lifecycle.
type Status string

// Incident statuses: open → triaged → contained → notifying → closed, or
// false_positive. An incident is active until it is closed or marked a false
// positive; only one active incident exists per fingerprint.
const (
	StatusOpen          Status = "open"
	StatusTriaged       Status = "triaged"
	StatusContained     Status = "contained"
	StatusNotifying     Status = "notifying"
	StatusClosed        Status = "closed"
	StatusFalsePositive Status = "false_positive"
)

// Statuses lists every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusOpen, StatusTriaged, StatusContained, StatusNotifying, StatusClosed, StatusFalsePositive}
}

// Active reports whether an incident in status s is still being worked.
func (s Status) Active() bool { return s != StatusClosed && s != StatusFalsePositive }

// Risk is the risk of a breach to the data subjects.
type Risk string

// Risk levels, from unknown to highest.
const (
	RiskUnassessed Risk = "unassessed"
	RiskNone       Risk = "none"
	RiskRisk       Risk = "risk"
	RiskHigh       Risk = "high"
)

// MergeOptions say who merges and how the survivor's scope is judged.
type MergeOptions struct {
	// DPO is true when the DPO merges: only the DPO merges an incident
	// whose risk the DPO decided.
	DPO bool
	// Rescope, when set, returns the cost exposure and the suggested
	// risk of the survivor with scope s (MergeScopes of all).
	Rescope func(survivor *Incident, s Scope) (cost float64, suggested Risk)
	// Obligations, when set, returns what the survivor owes as it
	// stands after the merge: the merge brings its obligations up to
	// date in its transaction, before it closes the merged ones.
	Obligations func(ctx context.Context, survivor *Incident) ([]ObligationSpec, error)
}

// Rank orders the risk levels: unassessed 0, none 1, risk 2, high 3.
func (r Risk) Rank() int {
	switch r {
	case RiskNone:
		return 1
	case RiskRisk:
		return 2
	case RiskHigh:
		return 3
	}
	return 0
}

// Risks lists the risk levels a person may confirm.
func Risks() []Risk { return []Risk{RiskNone, RiskRisk, RiskHigh} }

// Origin says how an incident was opened.
const (
	OriginRule   = "rule"
	OriginManual = "manual"
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
	// ActionAwaitingApproval waits for a responder to approve or deny it;
	// ActionDenied and ActionExpired are its ends without running.
	ActionAwaitingApproval ActionState = "awaiting_approval"
	ActionDenied           ActionState = "denied"
	ActionExpired          ActionState = "expired"
	// ActionUnknown means the run was started (its start committed just
	// before the program or request) and breachd stopped before its
	// outcome was committed: it may or may not have acted. A person
	// settles it: ActionRan or ActionNotRun (or pending again, to run it
	// once more).
	ActionUnknown ActionState = "unknown"
	ActionRan     ActionState = "ran"
	ActionNotRun  ActionState = "not_run"
)

// Errors the store returns; the API maps them to status codes.
var (
	// ErrNotFound is returned for an incident or entry that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned for a change the incident's state forbids:
	// an illegal transition, closing with undecided obligations.
	ErrConflict = errors.New("conflict")
	// ErrInvalid is returned for a change whose values are wrong.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden: the person's role may not do this (e.g. only the DPO
	// sends the notice to the supervisory authority).
	ErrForbidden = errors.New("forbidden")
)

// Scope is what an incident concerns: the assets it touches and what they
// hold. It is computed from the assets a rule names or whose hosts match,
// and edited by the response team as the facts develop.
type Scope struct {
	Assets         []string `json:"assets"`
	Hosts          []string `json:"hosts"`
	Services       []string `json:"services"`
	DataCategories []string `json:"data_categories"`
	DataSubjects   int64    `json:"data_subjects"`
	Records        int64    `json:"records"`
	// Encrypted is true when every asset in scope is encrypted at rest;
	// KeysExposed when the keys of any of them may be exposed.
	Encrypted   bool `json:"encrypted"`
	KeysExposed bool `json:"keys_exposed"`
	// Role is "controller" or "processor" when every asset in scope is
	// held in that role (controller without assets), "mixed" when the
	// scope holds both; Roles lists them. Controllers name the
	// controllers of the assets held as processor.
	Role           string   `json:"role"`
	Roles          []string `json:"roles,omitempty"`
	Controllers    []string `json:"controllers"`
	Counterparties []string `json:"counterparties"`
	Customers      []string `json:"customers"`
	Jurisdictions  []string `json:"jurisdictions"`
	// JurisdictionsKnown is true when every asset in scope that holds
	// personal data declares its jurisdictions: only then can a policy
	// rule itself out by where the data subjects are.
	JurisdictionsKnown bool `json:"jurisdictions_known"`
	// NonPublicData: an asset in scope holds the contract's Non-Public
	// Data (confidential, not personal; clause 12.6.2).
	NonPublicData bool `json:"non_public_data,omitempty"`
	// Parts are the assets in scope one by one, as declared when the
	// scope was computed: what an obligation judges and renders when it
	// concerns some of them only (View).
	Parts []ScopePart `json:"parts,omitempty"`
}

// PersonalData reports whether the scope holds personal data.
func (s Scope) PersonalData() bool { return len(s.DataCategories) > 0 }

// Unintelligible reports whether the personal data in scope was encrypted
// with keys that stayed safe, so that a breach of it is no "Data Breach"
// in a contract's sense (unauthorized access to unencrypted personal or
// non-public data) and needs no notice to data subjects.
func (s Scope) Unintelligible() bool { return s.Encrypted && !s.KeysExposed }

// Incident is a case opened from findings or by hand.
type Incident struct {
	ID          int64  `json:"id"`
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	GroupKey    string `json:"group_key"`
	Title       string `json:"title"`
	Category    string `json:"category"`
	Severity    string `json:"severity"`
	Status      Status `json:"status"`
	// Origin is "rule" or "manual"; Reporter and Description come with a
	// manual incident (who reported it, what they said).
	Origin      string            `json:"origin"`
	Reporter    string            `json:"reporter"`
	Description string            `json:"description"`
	Host        string            `json:"host"`
	Fields      map[string]string `json:"fields"`
	// Evidence is the first matched line, masked.
	Evidence     string `json:"evidence"`
	FindingCount int64  `json:"finding_count"`
	// EvidenceDropped counts findings beyond the evidence cap.
	EvidenceDropped int64     `json:"evidence_dropped"`
	FirstSeen       time.Time `json:"first_seen"`
	LastSeen        time.Time `json:"last_seen"`
	// Clocks. AwareAt starts the GDPR 72-hour clock; it defaults to
	// DetectedAt and is changed only with a reason.
	OccurredAt   *time.Time `json:"occurred_at"`
	DetectedAt   time.Time  `json:"detected_at"`
	AwareAt      time.Time  `json:"aware_at"`
	DeterminedAt *time.Time `json:"determined_at"`
	ContainedAt  *time.Time `json:"contained_at"`
	ClosedAt     *time.Time `json:"closed_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Resolution   string     `json:"resolution"`
	// Risk is what a person confirmed (unassessed until then);
	// SuggestedRisk what breachd computed from the scope and the rule.
	Risk          Risk `json:"risk"`
	SuggestedRisk Risk `json:"suggested_risk"`
	// SensitiveDataRemoved is whether a removal of the sensitive data
	// is on the timeline: the manager sets it for the policies.
	SensitiveDataRemoved bool `json:"-"`
	// RemovedFor are the customers whose sensitive data a recorded
	// removal names: a fan-out obligation over customers sees
	// sensitive_data_removed true for them.
	RemovedFor []string `json:"-"`
	// Indicates is what the evidence shows (the rule's indicates, from
	// the config): the manager sets it for the policies' conditions.
	Indicates []string `json:"-"`
	// SuggestedRiskReason says why breachd suggests SuggestedRisk; it is
	// written on the timeline entry that opens the incident.
	SuggestedRiskReason string `json:"-"`
	RiskReason          string `json:"risk_reason"`
	RiskBy              string `json:"risk_by"`
	// PersonalDataBreach is set when a person confirmed that personal
	// data was breached (unencrypted or with keys exposed): a "Data
	// Breach" in a contract's sense.
	PersonalDataBreach bool  `json:"personal_data_breach"`
	Scope              Scope `json:"scope"`
	// CostExposure is Scope.Records × the configured cost per record.
	CostExposure float64 `json:"cost_exposure"`
	Currency     string  `json:"currency"`
	// MergedInto is set on an incident merged into another.
	MergedInto *int64 `json:"merged_into"`
	Reopened   int    `json:"reopened"`
	// Facts the notices state, filled in by the team.
	Facts Facts `json:"facts"`
}

// Facts are what the notices say: the nature of the breach, its likely
// consequences, the measures taken, what happened to the data (the
// choices of the GDPR procedure's Appendix 4: disclosed, destroyed, lost,
// modified, accessed, other, with other's specification in EffectsOther)
// and by whom ("unauthorized persons" or "internal accident").
type Facts struct {
	Nature       string   `json:"nature"`
	Consequences string   `json:"consequences"`
	Measures     string   `json:"measures"`
	Effects      []string `json:"effects"`
	EffectsOther string   `json:"effects_other"`
	CausedBy     string   `json:"caused_by"`
	// DelayReason goes with a notice sent after its deadline (GDPR Art.
	// 33(1)).
	DelayReason string `json:"delay_reason"`
}

// FactsPatch changes some of an incident's facts: a field left nil is
// kept as it is; a field given replaces it, and an empty string (or an
// empty list of effects) clears it.
type FactsPatch struct {
	Nature       *string   `json:"nature,omitempty"`
	Consequences *string   `json:"consequences,omitempty"`
	Measures     *string   `json:"measures,omitempty"`
	Effects      *[]string `json:"effects,omitempty"`
	EffectsOther *string   `json:"effects_other,omitempty"`
	CausedBy     *string   `json:"caused_by,omitempty"`
	DelayReason  *string   `json:"delay_reason,omitempty"`
}

// Apply returns f with the patch's fields replaced.
func (p FactsPatch) Apply(f Facts) Facts {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&f.Nature, p.Nature)
	set(&f.Consequences, p.Consequences)
	set(&f.Measures, p.Measures)
	set(&f.CausedBy, p.CausedBy)
	set(&f.EffectsOther, p.EffectsOther)
	set(&f.DelayReason, p.DelayReason)
	if p.Effects != nil {
		f.Effects = *p.Effects
	}
	return f
}

// Empty says whether the patch changes nothing.
func (p FactsPatch) Empty() bool {
	return p.Nature == nil && p.Consequences == nil && p.Measures == nil && p.Effects == nil && p.EffectsOther == nil && p.CausedBy == nil && p.DelayReason == nil
}

// TimelineEntry is one append-only record in an incident's history, linked
// into the store's hash chain.
type TimelineEntry struct {
	ID         int64     `json:"id"`
	Seq        int64     `json:"seq"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	// Kind: opened, reopened, attached, transition, risk, note, decision,
	// scope, clock, merge, action, correction, purge, removal (of
	// sensitive data, by a person).
	Kind    string            `json:"kind"`
	Message string            `json:"message"`
	Data    map[string]string `json:"data,omitempty"`
	// Supersedes names the entry a correction replaces.
	Supersedes  *int64     `json:"supersedes,omitempty"`
	ContentHash string     `json:"content_hash"`
	PrevHash    string     `json:"prev_hash"`
	Hash        string     `json:"hash"`
	RedactedAt  *time.Time `json:"redacted_at,omitempty"`
}

// RegisterKind says what a register entry records.
const (
	// RegisterBreach: a confirmed personal-data breach.
	RegisterBreach = "breach"
	// RegisterNearMiss: an incident that touched, or could have touched,
	// personal data without being a breach of it.
	RegisterNearMiss = "near_miss"
	// RegisterCorrection supersedes an earlier entry.
	RegisterCorrection = "correction"
)

// RegisterEntry is one entry of the Data Breach Register: kept
// permanently, appended by the DPO (and by breachd when a risk is
// confirmed), corrected only by superseding entries, hash-chained.
type RegisterEntry struct {
	ID         int64     `json:"id"`
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	IncidentID *int64    `json:"incident_id"`
	Kind       string    `json:"kind"`
	Actor      string    `json:"actor"`
	Record     Record    `json:"record"`
	Supersedes *int64    `json:"supersedes,omitempty"`
	// Chain fields.
	ContentHash string `json:"content_hash"`
	PrevHash    string `json:"prev_hash"`
	Hash        string `json:"hash"`
}

// Record is the content of a register entry, with the fields of the GDPR
// procedure's records table. Field order is the canonical encoding's.
type Record struct {
	Nature         string   `json:"nature"`
	DataCategories []string `json:"data_categories"`
	DataSubjects   int64    `json:"data_subjects"`
	Records        int64    `json:"records"`
	Risk           Risk     `json:"risk"`
	Consequences   string   `json:"consequences"`
	Measures       string   `json:"measures"`
	Notified       string   `json:"notified"`
	Reason         string   `json:"reason"`
}

// EvidenceLine is a matched line kept on an incident, masked; a purge
// empties Line and sets PurgedAt.
type EvidenceLine struct {
	ID       int64      `json:"id"`
	At       time.Time  `json:"at"`
	Line     string     `json:"line"`
	PurgedAt *time.Time `json:"purged_at,omitempty"`
}

// Link relates two incidents that share an address or a user.
type Link struct {
	IncidentID int64     `json:"incident_id"`
	Kind       string    `json:"kind"`
	Value      string    `json:"value"`
	At         time.Time `json:"at"`
}

// ObligationState is where a notice obligation is.
type ObligationState string

// Obligation states; pending, drafted and approved are undecided.
const (
	ObligationPending     ObligationState = "pending"
	ObligationDrafted     ObligationState = "drafted"
	ObligationApproved    ObligationState = "approved"
	ObligationSent        ObligationState = "sent"
	ObligationNotRequired ObligationState = "not_required"
)

// Decided reports whether the obligation no longer blocks closing.
func (s ObligationState) Decided() bool {
	return s == ObligationSent || s == ObligationNotRequired
}

// Obligation is one notice an incident may require, for a (policy,
// recipient); the notification pipeline fills them.
type Obligation struct {
	ID         int64           `json:"id"`
	IncidentID int64           `json:"incident_id"`
	Policy     string          `json:"policy"`
	Recipient  string          `json:"recipient"`
	DueAt      *time.Time      `json:"due_at"`
	State      ObligationState `json:"state"`
	// Deadline says how the due time is computed ("72h from aware_at",
	// "without undue delay from aware_at").
	Deadline string `json:"deadline"`
	// Approval: a person approves the notice before it is sent.
	Approval  bool       `json:"approval"`
	DecidedBy string     `json:"decided_by"`
	Reason    string     `json:"reason"`
	DecidedAt *time.Time `json:"decided_at"`
	// CreatedAt is when the obligation arose; reminders are fractions of
	// the time from its clock's anchor to DueAt.
	CreatedAt time.Time `json:"created_at"`
	// Notice is the notice as approved and sent through the outbox;
	// empty when none was queued.
	Notice string `json:"notice,omitempty"`
	// Proof is what shows the notice reached its recipient, recorded
	// with "sent": SMTP's accepted recipient and message id, the
	// webhook's status and request id, the file's path and hash, or the
	// phone call a person confirmed.
	Proof string `json:"proof,omitempty"`
	// DeliveredAt is when a sent notice reached its recipient: the
	// channel's acceptance, or the time of the call, posting or
	// publication a person recorded (not the time it was recorded).
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	// DueLocal, TimeLeft and Overdue are read-time annotations
	// (Manager.Annotate): the due time in the organisation's time zone
	// and that zone's name,
	// the time left to it (negative once past), and whether an
	// undecided obligation is past its due time.
	DueLocal string `json:"due_local,omitempty"`
	// DueZone names DueLocal's zone: "CST (America/Chicago)".
	DueZone  string `json:"due_zone,omitempty"`
	TimeLeft string `json:"time_left,omitempty"`
	Overdue  bool   `json:"overdue"`
	// Decider is the role the policy leaves the decision to (its
	// decided_by), "" for any role with the notify permission; set by
	// Annotate.
	Decider string `json:"decider,omitempty"`
}

// NoticeOut is an approved notice to queue, with the approval, on the
// channels of its recipient; To is the recipient's email (every channel
// delivers to the recipient, never to the channel's own addresses).
type NoticeOut struct {
	Subject, Body string
	Channels      []string
	To            string
	// ToShown, when set, is how To is shown in logs, the delivery log
	// and the timeline: a data subject's address, masked. Shown, when
	// set, is the notice kept on the obligation and shown in the API in
	// place of Body (a data subject's, with the name masked).
	ToShown string
	Shown   string
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
	// ApprovalReason says why the run waits for approval;
	// ApprovalExpiresAt when it expires unanswered; ApprovedBy who
	// approved it.
	ApprovalReason    string     `json:"approval_reason,omitempty"`
	ApprovalExpiresAt *time.Time `json:"approval_expires_at,omitempty"`
	ApprovedBy        string     `json:"approved_by,omitempty"`
	// StartedAt is when the run's last attempt was committed as started,
	// just before it acted; SettledBy who settled an unknown outcome.
	StartedAt *time.Time `json:"started_at,omitempty"`
	SettledBy string     `json:"settled_by,omitempty"`
}

// NewIncident is a finding prepared for the store.
type NewIncident struct {
	Incident Incident
	Actions  []string
	// DryRun records the actions as dry runs instead of queueing them.
	DryRun bool
	// Entities are the values relating this incident to others, e.g.
	// {"ip": "203.0.113.7", "user": "alice"}.
	Entities map[string]string
	// ReopenWithin: a closed incident with the same fingerprint closed
	// less than this before is reopened instead of opening a new one.
	ReopenWithin time.Duration
	// EvidenceCap caps the evidence lines kept.
	EvidenceCap int
	// Page lists the messages owed when this opens an incident (the
	// team's routes); they are committed with it.
	Page []Page
}

// Page is a message to queue for a new incident: route names why, channel
// where.
type Page struct {
	Route, Channel string
}

// MessageState is where an outbox message is.
type MessageState string

// Message states.
const (
	MessagePending MessageState = "pending"
	MessageSent    MessageState = "sent"
	MessageDead    MessageState = "dead"
)

// Message is one outbox entry.
type Message struct {
	ID             int64        `json:"id"`
	IncidentID     int64        `json:"incident_id"`
	Channel        string       `json:"channel"`
	Route          string       `json:"route"`
	Event          string       `json:"event"`
	IdempotencyKey string       `json:"idempotency_key"`
	State          MessageState `json:"state"`
	Attempts       int          `json:"attempts"`
	NextAttemptAt  time.Time    `json:"next_attempt_at"`
	LastError      string       `json:"last_error,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
	SentAt         *time.Time   `json:"sent_at,omitempty"`
	// ObligationID names the obligation whose notice this message
	// carries (Subject, Body); 0 for a page or a reminder.
	ObligationID int64  `json:"obligation_id,omitempty"`
	Subject      string `json:"-"`
	Body         string `json:"-"`
	// Rcpt is the email a notice is delivered to: its recipient's;
	// RcptShown, when set, is how it is shown in logs, the delivery
	// log and the timeline (a data subject's, masked).
	Rcpt      string `json:"-"`
	RcptShown string `json:"-"`
	// ResendOf names the message this one sends again (a resend by
	// hand is a new message with its own key); 0 for an original.
	ResendOf int64 `json:"resend_of,omitempty"`
}

// Outcome says what Store.Record did with one item.
type Outcome struct {
	IncidentID int64
	// Opened is true when the item opened a new incident, Reopened when it
	// reopened a closed one; both false when it attached to an active one.
	Opened   bool
	Reopened bool
	// Incident is the incident as committed and Runs its pending action
	// runs, when the item opened one: the action runner starts on them
	// without reading them back (see Handoff).
	Incident *Incident
	Runs     []ActionRun
}

// Handoff is a committed incident with its pending runs, handed to the
// action runner in memory: between the commit and the first action there
// is no read. The runs are committed, so a runner that cannot take them
// (busy, stopped) loses nothing: it finds them pending.
type Handoff struct {
	Incident Incident
	Runs     []ActionRun
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
	// Rules is the state of the rules' group keys that the lines changed
	// (RuleKeyState), committed with the positions past those lines.
	Rules []RuleKeyState
}

// RuleKeyState is the state one group key of a rule holds, as the rules
// package encodes it; the store keeps the last one per rule and key. A
// nil State deletes the key's.
type RuleKeyState struct {
	Rule, Key string
	// Used orders the keys from least to most recently used.
	Used  int64
	State []byte
}

// Empty reports whether p holds nothing to store.
func (p Progress) Empty() bool { return len(p.Files) == 0 && len(p.Cursors) == 0 && len(p.Rules) == 0 }

// ListOptions filters Store.List. Empty fields do not filter.
type ListOptions struct {
	Status   []Status
	Severity string
	Rule     string
	Risk     Risk
	// Limit caps the result; 0 means 100. Offset skips that many first
	// (the next page).
	Limit, Offset int
	// Order is ListNewest (by id, the newest first) or ListDue: the
	// incidents with an undecided notice that has a due time first, the
	// soonest due first, then those owing a notice without a due time,
	// then the rest, each the most recently seen first.
	Order string
}

// ObligationQuery narrows a list of undecided obligations: to some
// incidents (none: every incident's), and to one page (Limit 0: all).
type ObligationQuery struct {
	Incidents     []int64
	Limit, Offset int
}

// The orders of a list of incidents.
const (
	ListNewest = "newest"
	ListDue    = "due"
)

// Change is who makes a change and why; every write carries one.
type Change struct {
	Actor  string
	Reason string
	At     time.Time
}

// Count is the number of incidents in one (severity, status).
type Count struct {
	Rule     string
	Severity string
	Status   Status
	N        int
}

// Assessment is a person's risk decision.
type Assessment struct {
	Risk Risk `json:"risk"`
	// PersonalData says whether personal data was affected; nil takes
	// it from the scope.
	PersonalData *bool `json:"personal_data"`
	// Consequences and Measures go to the register entry.
	Consequences string `json:"consequences"`
	Measures     string `json:"measures"`
	// Register: the decision also writes the incident's entry in the
	// Data Breach Register, which only the DPO edits (procedure §7);
	// otherwise the entry waits for the DPO's own decision.
	Register bool `json:"-"`
}

// Verification is the result of walking the hash chains.
type Verification struct {
	Timeline ChainReport `json:"timeline"`
	Register ChainReport `json:"register"`
}

// OK reports whether both chains verified.
func (v Verification) OK() bool { return v.Timeline.OK && v.Register.OK }

// ChainReport is what the walk of one chain found.
type ChainReport struct {
	Chain   string `json:"chain"`
	OK      bool   `json:"ok"`
	Entries int64  `json:"entries"`
	// Head is the hash of the last entry: record it elsewhere (a ticket,
	// a notice) and compare later to detect a truncated chain.
	Head     string `json:"head"`
	Redacted int64  `json:"redacted"`
	// Problem describes the first entry that was altered, removed or
	// reordered; BadSeq is its sequence number and BadRow its row id.
	Problem string `json:"problem,omitempty"`
	BadSeq  int64  `json:"bad_seq,omitempty"`
	BadRow  int64  `json:"bad_row,omitempty"`
}

// PurgeReport says what a purge removed.
type PurgeReport struct {
	EvidenceLines   int64 `json:"evidence_lines"`
	TimelineEntries int64 `json:"timeline_entries"`
	Incidents       int64 `json:"incidents"`
	// Retention is the period in force: the store's, when it recorded a
	// longer one than asked.
	Retention time.Duration `json:"-"`
}

// ContainmentState is where a lasting containment is.
type ContainmentState string

// Containment states.
const (
	ContainmentActive   ContainmentState = "active"
	ContainmentReverted ContainmentState = "reverted"
	ContainmentFailed   ContainmentState = "failed"
)

// Containment is a lasting effect of an action on a target (an address
// blocked, an account locked) until ExpiresAt.
type Containment struct {
	ID         int64  `json:"id"`
	RunID      int64  `json:"run_id"`
	IncidentID int64  `json:"incident_id"`
	Action     string `json:"action"`
	Target     string `json:"target"`
	// Offense counts this target's containments by this action, this one
	// included: the TTL escalates with it.
	Offense   int              `json:"offense"`
	AppliedAt time.Time        `json:"applied_at"`
	ExpiresAt time.Time        `json:"expires_at"`
	State     ContainmentState `json:"state"`
	EndedAt   *time.Time       `json:"ended_at,omitempty"`
	// Volatile is set by the runner when the containment lives in memory
	// that a power loss erases (an nftables block): its record is then
	// committed just after the kernel, without waiting for the disk.
	Volatile  bool   `json:"-"`
	EndReason string `json:"end_reason,omitempty"`
	// Undo is what the revert restores (an account's previous expiry).
	Undo string `json:"-"`
}
