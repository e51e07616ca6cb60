package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// IncidentList is the body of GET /api/v1/incidents.
type IncidentList struct {
	Incidents []incidents.Incident `json:"incidents"`
}

// IncidentDetail is the body of GET /api/v1/incidents/{id} and of the
// answers to changes.
type IncidentDetail struct {
	Incident incidents.Incident `json:"incident"`
	// Allowed are the statuses the incident may move to.
	Allowed      []incidents.Status        `json:"allowed_transitions"`
	Timeline     []incidents.TimelineEntry `json:"timeline"`
	Actions      []incidents.ActionRun     `json:"actions"`
	Evidence     []incidents.EvidenceLine  `json:"evidence"`
	Related      []incidents.Link          `json:"related"`
	Obligations  []incidents.Obligation    `json:"obligations"`
	Containments []incidents.Containment   `json:"containments"`
	Messages     []incidents.Message       `json:"messages"`
	// Unchanged is set when a change asked for left everything as it
	// was (the facts already said so): nothing was written.
	Unchanged bool `json:"unchanged,omitempty"`
}

func (a *api) list(w http.ResponseWriter, r *http.Request, _ principal) {
	q := r.URL.Query()
	opts := incidents.ListOptions{Limit: 100, Severity: q.Get("severity"), Rule: q.Get("rule"), Risk: incidents.Risk(q.Get("risk"))}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			a.fail(w, http.StatusBadRequest, errors.New("limit must be a number from 1 to 10000"))
			return
		}
		opts.Limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			a.fail(w, http.StatusBadRequest, errors.New("offset must be a number, 0 or more"))
			return
		}
		opts.Offset = n
	}
	switch opts.Order = q.Get("sort"); opts.Order {
	case "", incidents.ListNewest, incidents.ListDue:
	default:
		a.fail(w, http.StatusBadRequest, fmt.Errorf("sort %q; use newest or due", opts.Order))
		return
	}
	if s := q.Get("status"); s != "" {
		for _, st := range strings.Split(s, ",") {
			st := incidents.Status(strings.TrimSpace(st))
			if st == "active" {
				opts.Status = append(opts.Status, incidents.StatusOpen, incidents.StatusTriaged, incidents.StatusContained, incidents.StatusNotifying)
				continue
			}
			if !incidents.ValidStatus(st) {
				a.fail(w, http.StatusBadRequest, fmt.Errorf("status %q is not a status; use active or a comma list of open, triaged, contained, notifying, closed, false_positive", st))
				return
			}
			opts.Status = append(opts.Status, st)
		}
	}
	if opts.Severity != "" {
		if _, err := configs.ParseSeverity(opts.Severity); err != nil {
			a.fail(w, http.StatusBadRequest, err)
			return
		}
	}
	if opts.Risk != "" && opts.Risk != incidents.RiskUnassessed && !incidents.ValidRisk(opts.Risk) {
		a.fail(w, http.StatusBadRequest, fmt.Errorf("risk %q; use unassessed, none, risk or high", opts.Risk))
		return
	}
	list, err := a.store.List(r.Context(), opts)
	if err != nil {
		a.fail(w, http.StatusInternalServerError, err)
		return
	}
	a.reply(w, http.StatusOK, IncidentList{Incidents: list})
}

// detail answers with the incident as it is now.
func (a *api) detail(w http.ResponseWriter, r *http.Request, id int64, code int) {
	a.detailMarked(w, r, id, code, false)
}

// detailMarked is detail, saying whether the change asked for left the
// incident unchanged.
func (a *api) detailMarked(w http.ResponseWriter, r *http.Request, id int64, code int, unchanged bool) {
	ctx := r.Context()
	c, err := a.store.Case(ctx, id)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	d := IncidentDetail{Incident: c.Incident, Allowed: incidents.Allowed(c.Incident.Status), Unchanged: unchanged,
		Timeline: c.Timeline, Actions: c.Actions, Evidence: c.Evidence, Related: c.Related,
		Obligations: a.mgr.Annotate(c.Obligations), Containments: c.Containments, Messages: c.Messages}
	if c.Incident.MergedInto != nil {
		d.Allowed = []incidents.Status{}
	}
	a.reply(w, code, d)
}

// change decodes a body of type T for the incident in the path, applies it
// and answers with the incident as it is then.
func change[T any](a *api, w http.ResponseWriter, r *http.Request, apply func(id int64, req T) error) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req T
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	if err := apply(id, req); err != nil {
		a.fail(w, 0, err)
		return
	}
	a.detail(w, r, id, http.StatusOK)
}

func (a *api) show(w http.ResponseWriter, r *http.Request, _ principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.detail(w, r, id, http.StatusOK)
}

func (a *api) open(w http.ResponseWriter, r *http.Request, p principal) {
	var rep incidents.ManualReport
	if err := decode(r, &rep); err != nil {
		a.fail(w, 0, err)
		return
	}
	id, err := a.mgr.Open(r.Context(), rep, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/incidents/%d", id))
	a.detail(w, r, id, http.StatusCreated)
}

// TransitionRequest is the body of POST /api/v1/incidents/{id}/transition.
type TransitionRequest struct {
	To         incidents.Status `json:"to"`
	Reason     string           `json:"reason"`
	Resolution string           `json:"resolution"`
}

func (a *api) transition(w http.ResponseWriter, r *http.Request, p principal) {
	change(a, w, r, func(id int64, req TransitionRequest) error {
		return a.mgr.TransitionAs(r.Context(), id, req.To, req.Resolution, req.Reason, p.Name, p.Role)
	})
}

// AssessRequest is the body of POST /api/v1/incidents/{id}/assess.
type AssessRequest struct {
	incidents.Assessment
	Reason string `json:"reason"`
}

func (a *api) assess(w http.ResponseWriter, r *http.Request, p principal) {
	change(a, w, r, func(id int64, req AssessRequest) error {
		return a.mgr.AssessAs(r.Context(), id, req.Assessment, req.Reason, p.Name, p.Role)
	})
}

// NoteRequest is the body of POST /api/v1/incidents/{id}/notes.
type NoteRequest struct {
	// Kind is note (the default) or decision.
	Kind string `json:"kind"`
	Text string `json:"text"`
	// Supersedes, when set, makes the entry a correction of that entry.
	Supersedes *int64 `json:"supersedes"`
	Reason     string `json:"reason"`
}

func (a *api) note(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req NoteRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	if req.Kind == "" {
		req.Kind = "note"
	}
	if req.Supersedes != nil && strings.TrimSpace(req.Reason) == "" {
		a.fail(w, 0, fmt.Errorf("%w: a correction needs a reason", incidents.ErrInvalid))
		return
	}
	e, err := a.mgr.Note(r.Context(), id, req.Kind, req.Text, req.Supersedes, req.Reason, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusCreated, e)
}

// ScopeRequest is the body of PUT /api/v1/incidents/{id}/scope.
type ScopeRequest struct {
	incidents.ScopeEdit
	Reason string `json:"reason"`
}

func (a *api) scope(w http.ResponseWriter, r *http.Request, p principal) {
	change(a, w, r, func(id int64, req ScopeRequest) error {
		_, err := a.mgr.EditScopeAs(r.Context(), id, req.ScopeEdit, req.Reason, p.Name, p.Role)
		return err
	})
}

// ClockRequest is the body of PUT /api/v1/incidents/{id}/clocks/{clock}.
type ClockRequest struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func (a *api) clock(w http.ResponseWriter, r *http.Request, p principal) {
	change(a, w, r, func(id int64, req ClockRequest) error {
		if req.At.IsZero() {
			return fmt.Errorf("%w: at is required (RFC 3339)", incidents.ErrInvalid)
		}
		return a.mgr.SetClockAs(r.Context(), id, r.PathValue("clock"), req.At, req.Reason, p.Name, p.Role)
	})
}

// MergeRequest is the body of POST /api/v1/incidents/{id}/merge.
type MergeRequest struct {
	From   []int64 `json:"from"`
	Reason string  `json:"reason"`
}

func (a *api) merge(w http.ResponseWriter, r *http.Request, p principal) {
	change(a, w, r, func(id int64, req MergeRequest) error {
		return a.mgr.MergeAs(r.Context(), id, req.From, req.Reason, p.Name, p.Role)
	})
}

// RegisterList is the body of GET /api/v1/register.
type RegisterList struct {
	Entries []incidents.RegisterEntry `json:"entries"`
}

func (a *api) register(w http.ResponseWriter, r *http.Request, _ principal) {
	entries, err := a.store.Register(r.Context())
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, RegisterList{Entries: entries})
}

// RegisterRequest is the body of POST /api/v1/register. In an entry that
// supersedes another (a correction), a record field not given is carried
// forward from it and an empty one is cleared.
type RegisterRequest struct {
	IncidentID *int64                `json:"incident_id"`
	Kind       string                `json:"kind"`
	Record     incidents.RecordPatch `json:"record"`
	Supersedes *int64                `json:"supersedes"`
	Reason     string                `json:"reason"`
}

func (a *api) appendRegister(w http.ResponseWriter, r *http.Request, p principal) {
	var req RegisterRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	e, err := a.mgr.AppendRegister(r.Context(), incidents.RegisterWrite{
		IncidentID: req.IncidentID, Kind: req.Kind, Record: req.Record, Supersedes: req.Supersedes,
	}, req.Reason, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusCreated, e)
}

func (a *api) verify(w http.ResponseWriter, r *http.Request, _ principal) {
	v, err := a.store.Verify(r.Context())
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, v)
}

func (a *api) purge(w http.ResponseWriter, r *http.Request, p principal) {
	rep, err := a.mgr.Purge(r.Context(), p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, rep)
}

// ContainmentList is the body of GET /api/v1/containments.
type ContainmentList struct {
	Containments []incidents.Containment `json:"containments"`
}

func (a *api) containments(w http.ResponseWriter, r *http.Request, _ principal) {
	list, err := a.store.ActiveContainments(r.Context())
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, ContainmentList{Containments: list})
}

// RevertRequest is the body of POST /api/v1/containments/{id}/revert.
type RevertRequest struct {
	Reason string `json:"reason"`
}

func (a *api) revertContainment(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req RevertRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		a.fail(w, 0, fmt.Errorf("%w: say why the containment is lifted (reason)", incidents.ErrInvalid))
		return
	}
	if a.revert == nil {
		a.fail(w, 0, fmt.Errorf("%w: this breachd runs no actions", incidents.ErrConflict))
		return
	}
	if err := a.revert(r.Context(), id, req.Reason, p.Name); err != nil {
		a.fail(w, 0, err)
		return
	}
	c, err := a.store.ContainmentByID(r.Context(), id)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, c)
}

// ApprovalList is the body of GET /api/v1/approvals.
type ApprovalList struct {
	Runs []incidents.ActionRun `json:"runs"`
}

func (a *api) approvals(w http.ResponseWriter, r *http.Request, _ principal) {
	runs, err := a.store.AwaitingApproval(r.Context())
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, ApprovalList{Runs: runs})
}

// runs lists the runs of every incident in one state (?state=, required;
// ?limit= 1-10000, 100 by default), newest first: the dry runs a rule in
// dry-run mode recorded, the runs whose outcome is unknown.
func (a *api) runs(w http.ResponseWriter, r *http.Request, _ principal) {
	q := r.URL.Query()
	state := incidents.ActionState(q.Get("state"))
	switch state {
	case incidents.ActionPending, incidents.ActionSucceeded, incidents.ActionFailed, incidents.ActionRejected, incidents.ActionSkipped,
		incidents.ActionDryRun, incidents.ActionAwaitingApproval, incidents.ActionDenied, incidents.ActionExpired,
		incidents.ActionUnknown, incidents.ActionRan, incidents.ActionNotRun:
	default:
		a.fail(w, http.StatusBadRequest, fmt.Errorf("state %q; use one of pending, succeeded, failed, rejected, skipped, dry_run, awaiting_approval, denied, expired, unknown, ran, not_run", state))
		return
	}
	limit := 100
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			a.fail(w, http.StatusBadRequest, errors.New("limit must be a number from 1 to 10000"))
			return
		}
		limit = n
	}
	runs, err := a.store.RunsInState(r.Context(), state, limit)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, ApprovalList{Runs: runs})
}

// DecisionRequest is the body of POST /api/v1/actions/{id}/approve and
// /deny.
type DecisionRequest struct {
	Reason string `json:"reason"`
}

func (a *api) approve(w http.ResponseWriter, r *http.Request, p principal) {
	a.decideRun(w, r, p, true)
}

func (a *api) deny(w http.ResponseWriter, r *http.Request, p principal) { a.decideRun(w, r, p, false) }

func (a *api) decideRun(w http.ResponseWriter, r *http.Request, p principal, approve bool) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req DecisionRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		a.fail(w, 0, fmt.Errorf("%w: say why (reason): the decision goes on the incident's timeline", incidents.ErrInvalid))
		return
	}
	if a.decide == nil {
		a.fail(w, 0, fmt.Errorf("%w: this breachd runs no actions", incidents.ErrConflict))
		return
	}
	run, err := a.decide(r.Context(), id, approve, req.Reason, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, run)
}

// SettleRequest is the body of POST /api/v1/actions/{id}/settle: a
// person's answer for a run whose outcome is unknown. Outcome is "ran" or
// "not_run"; RunAgain with "not_run" queues the run to run once more.
type SettleRequest struct {
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason"`
	RunAgain bool   `json:"run_again,omitempty"`
}

func (a *api) settleRun(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req SettleRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	var to incidents.ActionState
	switch {
	case req.Outcome == string(incidents.ActionRan) && !req.RunAgain:
		to = incidents.ActionRan
	case req.Outcome == string(incidents.ActionRan):
		a.fail(w, 0, fmt.Errorf("%w: run_again is for a run that did not run (outcome not_run)", incidents.ErrInvalid))
		return
	case req.Outcome == string(incidents.ActionNotRun) && req.RunAgain:
		to = incidents.ActionPending
	case req.Outcome == string(incidents.ActionNotRun):
		to = incidents.ActionNotRun
	default:
		a.fail(w, 0, fmt.Errorf("%w: outcome is %q; say whether the run acted: \"ran\" or \"not_run\"", incidents.ErrInvalid, req.Outcome))
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		a.fail(w, 0, fmt.Errorf("%w: say how you know (reason): the answer goes on the incident's timeline", incidents.ErrInvalid))
		return
	}
	if a.settle == nil {
		a.fail(w, 0, fmt.Errorf("%w: this breachd runs no actions", incidents.ErrConflict))
		return
	}
	run, err := a.settle(r.Context(), id, to, req.Reason, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, run)
}

// ObligationList is the body of GET /api/v1/obligations.
type ObligationList struct {
	Obligations []incidents.Obligation `json:"obligations"`
}

func (a *api) obligations(w http.ResponseWriter, r *http.Request, _ principal) {
	q := r.URL.Query()
	var oq incidents.ObligationQuery
	if s := q.Get("incident"); s != "" {
		for _, f := range strings.Split(s, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil || id < 1 {
				a.fail(w, http.StatusBadRequest, fmt.Errorf("incident %q: give incident ids, comma separated", f))
				return
			}
			oq.Incidents = append(oq.Incidents, id)
		}
		if len(oq.Incidents) > 1000 {
			a.fail(w, http.StatusBadRequest, errors.New("incident: at most 1000 ids"))
			return
		}
	}
	for _, p := range []struct {
		name     string
		into     *int
		min, max int
	}{{"limit", &oq.Limit, 1, 10000}, {"offset", &oq.Offset, 0, math.MaxInt32}} {
		if s := q.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < p.min || n > p.max {
				a.fail(w, http.StatusBadRequest, fmt.Errorf("%s must be a number from %d to %d", p.name, p.min, p.max))
				return
			}
			*p.into = n
		}
	}
	list, err := a.store.UndecidedObligations(r.Context(), oq)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, ObligationList{Obligations: a.mgr.Annotate(list)})
}

// ObligationDecision is the body of POST /api/v1/obligations/{id}/decide.
type ObligationDecision struct {
	State  incidents.ObligationState `json:"state"`
	Reason string                    `json:"reason"`
}

func (a *api) decideObligation(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req ObligationDecision
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	o, err := a.mgr.DecideObligationAs(r.Context(), id, req.State, req.Reason, p.Name, p.Role)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, o)
}

// ResendRequest is the body of POST /api/v1/messages/{id}/resend.
type ResendRequest struct {
	Reason string `json:"reason"`
}

func (a *api) resend(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req ResendRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		a.fail(w, 0, fmt.Errorf("%w: say why it is sent again (reason)", incidents.ErrInvalid))
		return
	}
	m, err := a.mgr.ResendAs(r.Context(), id, req.Reason, p.Name, p.Role)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, m)
}

// UpdateRequest is the body of POST /api/v1/obligations/{id}/update.
type UpdateRequest struct {
	Reason string `json:"reason"`
}

// updateNotice opens the next update of a sent notice (GDPR Art. 33(4)):
// a new obligation, approved and sent like the first.
func (a *api) updateNotice(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req UpdateRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	o, err := a.mgr.RequestUpdate(r.Context(), id, req.Reason, p.Name, p.Role)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusCreated, o)
}

// NoticeDetail is the body of GET /api/v1/obligations/{id}/notice.
type NoticeDetail struct {
	Obligation incidents.Obligation `json:"obligation"`
	Notice     incidents.Notice     `json:"notice"`
}

func (a *api) notice(w http.ResponseWriter, r *http.Request, _ principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	n, ob, err := a.mgr.Notice(r.Context(), id)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, NoticeDetail{Obligation: a.mgr.Annotate([]incidents.Obligation{ob})[0], Notice: n})
}

// FactsRequest is the body of PUT /api/v1/incidents/{id}/facts.
// Facts not given are kept; an empty one is cleared.
type FactsRequest struct {
	incidents.FactsPatch
	Reason string `json:"reason"`
}

// facts answers the incident; when the facts already said what the
// request gives, nothing is written and the answer says unchanged.
func (a *api) facts(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req FactsRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	err = a.mgr.SetFacts(r.Context(), id, req.FactsPatch, req.Reason, p.Name)
	switch {
	case errors.Is(err, incidents.ErrUnchanged):
		a.detailMarked(w, r, id, http.StatusOK, true)
	case err != nil:
		a.fail(w, 0, err)
	default:
		a.detail(w, r, id, http.StatusOK)
	}
}
