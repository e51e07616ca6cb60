package incidents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
)

// The Manager's side of the notices: rendering them, the team's
// decisions on them, resending, and keeping the obligations in step with
// the incident.

// Notice renders obligation id's notice from what its incident holds now,
// as it is shown: a data subject's name and address stand masked (the
// notice mailed to the person names them).
func (m *Manager) Notice(ctx context.Context, id int64) (Notice, Obligation, error) {
	return m.notice(ctx, id, false)
}

// notice renders obligation id's notice; reveal fills in a data
// subject's name and address, for the notice that is sent.
func (m *Manager) notice(ctx context.Context, id int64, reveal bool) (Notice, Obligation, error) {
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Notice{}, ob, err
	}
	p, o := m.policies.compiled(ob.Policy, ob.Recipient)
	if o == nil || o.form == nil || m.cfg == nil {
		return Notice{}, ob, fmt.Errorf("%w: obligation %d's policy %s → %s is no longer configured", ErrConflict, id, ob.Policy, ob.Recipient)
	}
	inc, err := m.store.Incident(ctx, ob.IncidentID)
	if err != nil {
		return Notice{}, ob, err
	}
	to, err := m.contact(ctx, o.spec, ob, inc, reveal)
	if err != nil {
		return Notice{}, ob, err
	}
	n, err := renderNotice(m.cfg, p.spec, o.spec, o.form, ob, inc, to, m.now())
	if err != nil {
		return n, ob, err
	}
	header, err := m.updateHeader(ctx, ob)
	n.Text = header + n.Text
	return n, ob, err
}

// SetFacts changes what the notices say about an incident: the fields
// the patch gives replace the stored ones (an empty one clears it), the
// others are kept. Effects and caused_by take the form's choices
// (Appendix 4); a patch that would leave the facts as they are writes
// nothing and returns ErrUnchanged.
func (m *Manager) SetFacts(ctx context.Context, id int64, p FactsPatch, reason, actor string) error {
	if p.Empty() {
		return fmt.Errorf("%w: nothing to change: give at least one fact to change (nature, consequences, measures, effects, effects_other, caused_by, delay_reason); to clear one, give it empty (\"measures\": \"\", \"effects\": [])", ErrInvalid)
	}
	if err := p.normalize(); err != nil {
		return err
	}
	n := 0
	for _, v := range []*string{p.Nature, p.Consequences, p.Measures, p.EffectsOther, p.CausedBy, p.DelayReason} {
		if v != nil {
			n += len(*v)
		}
	}
	if n > maxTextBytes {
		return fmt.Errorf("%w: the facts are limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: say why the facts change (reason)", ErrInvalid)
	}
	for _, v := range []*string{p.Nature, p.Consequences, p.Measures, p.EffectsOther} {
		if v != nil {
			*v = Mask(*v)
		}
	}
	if err := m.store.SetFacts(ctx, id, p, Change{Actor: actor, Reason: reason, At: m.now()}); err != nil {
		return err
	}
	m.syncObligations(ctx, id) // a notice needing no approval may now be complete
	return nil
}

// DecideObligationAs is DecideObligation for a person of role: an
// obligation whose policy names the role that decides it (decided_by)
// is refused to every other role.
func (m *Manager) DecideObligationAs(ctx context.Context, id int64, state ObligationState, reason, actor, role string) (Obligation, error) {
	if err := m.MayDecide(ctx, id, actor, role); err != nil {
		return Obligation{}, err
	}
	return m.DecideObligation(ctx, id, state, reason, actor)
}

// MayDecide says whether a person of role may decide obligation id, or
// record how it was delivered (a call, a publication, a resend): every
// role may unless the policy names the one that decides it
// (decided_by).
func (m *Manager) MayDecide(ctx context.Context, id int64, actor, role string) error {
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return err
	}
	if _, spec := m.policies.spec(ob.Policy, ob.Recipient); spec != nil && spec.DecidedBy != "" && role != spec.DecidedBy {
		return fmt.Errorf("%w: only the %s may approve, send, rule out or record the delivery of the notice %s → %s (the policy's decided_by); %s holds the role %s",
			ErrForbidden, spec.DecidedBy, ob.Policy, ob.Recipient, actor, role)
	}
	return nil
}

// DecideObligation records a person's decision on an obligation; a notice
// is approved only when its form lacks nothing.
func (m *Manager) DecideObligation(ctx context.Context, id int64, state ObligationState, reason, actor string) (Obligation, error) {
	if len(reason) > maxTextBytes {
		return Obligation{}, fmt.Errorf("%w: reason is limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	var out *NoticeOut
	if state == ObligationSent || state == ObligationApproved {
		ob, err := m.store.ObligationByID(ctx, id)
		if err != nil {
			return Obligation{}, err
		}
		if err := m.hasParty(ob); err != nil {
			return Obligation{}, err
		}
	}
	if state == ObligationSent {
		if err := m.firstSentByID(ctx, id); err != nil {
			return Obligation{}, err
		}
	}
	if state == ObligationApproved {
		n, ob, err := m.Notice(ctx, id)
		if err != nil {
			return Obligation{}, err
		}
		if err := m.firstSent(ctx, ob); err != nil {
			return Obligation{}, err
		}
		if len(n.Missing) > 0 {
			return Obligation{}, fmt.Errorf("%w: the notice lacks %s; fill them in before approving it", ErrConflict, strings.Join(n.Missing, ", "))
		}
		if out, err = m.noticeOut(ctx, ob, n); err != nil {
			return Obligation{}, err
		}
	}
	ob, err := m.store.DecideObligationByID(ctx, id, state, Change{Actor: actor, Reason: reason, At: m.now()}, out)
	if err == nil && out != nil && m.onQueued != nil {
		m.onQueued(nil) // the notifier sends it now
	}
	return ob, err
}

// pages lists the messages a new incident of severity and category owes.
func (m *Manager) pages(severity, category string) []Page {
	return RoutePages(m.routes, severity, category)
}

// RoutePages lists the messages routes owe for an incident of severity
// and category: one per channel of every route that matches. The action
// runner pages the same channels when a run needs a person.
func RoutePages(routes []*configs.Route, severity, category string) []Page {
	var out []Page
	for _, r := range routes {
		if !r.Matches(severity, category) {
			continue
		}
		for _, ch := range r.Channels {
			out = append(out, Page{Route: r.Name, Channel: ch})
		}
	}
	return out
}

// ResendAs sends a message again by hand, as a new message with its own
// key, for a person of role: a notice is held to its obligation's
// decided_by, as approving and sending it are.
func (m *Manager) ResendAs(ctx context.Context, id int64, reason, actor, role string) (Message, error) {
	msg, err := m.store.Message(ctx, id)
	if err != nil {
		return Message{}, err
	}
	if msg.ObligationID != 0 {
		if err := m.MayDecide(ctx, msg.ObligationID, actor, role); err != nil {
			return Message{}, err
		}
	}
	return m.Resend(ctx, id, reason, actor)
}

// Resend sends a message again by hand, as a new message with its own
// key, linked to it.
func (m *Manager) Resend(ctx context.Context, id int64, reason, actor string) (Message, error) {
	msg, err := m.store.Resend(ctx, id, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()})
	if err == nil && m.onQueued != nil {
		m.onQueued(nil)
	}
	return msg, err
}

// syncObligations checks the incident against the policies after a
// person's change, and moves its notices along (drafted, or queued when
// they need no approval); a failure is logged (the obligations are
// checked again at the next change, the notices every minute).
func (m *Manager) syncObligations(ctx context.Context, id int64) {
	m.checkObligations(ctx, id, true, roleBreachd)
}

// syncObligationsAs is syncObligations after a risk decision, a move or
// a scope edit by a person of role ("" for a caller not limited by
// role, which rules out any obligation): an obligation
// whose condition stops holding is ruled out only if role may decide it
// (decided_by); otherwise it stays owed (ObligationSpec.HeldFor).
func (m *Manager) syncObligationsAs(ctx context.Context, id int64, role string) {
	m.checkObligations(ctx, id, true, role)
}

// checkObligations checks the incident against the policies; with
// advance, it renders its notices too. The detector's path (a new
// incident) does not: its notices lack the facts a person adds, and
// AdvanceNotices catches up within a minute.
func (m *Manager) checkObligations(ctx context.Context, id int64, advance bool, role string) {
	if m.policies.Empty() {
		return
	}
	inc, err := m.store.Incident(ctx, id)
	if err == nil {
		var specs []ObligationSpec
		if specs, err = m.specsFor(ctx, inc, role); err == nil {
			err = m.store.SyncObligations(ctx, id, specs, m.now())
		}
	}
	if err == nil && advance {
		var obs []Obligation
		if obs, err = m.store.Obligations(ctx, id); err == nil {
			_, err = m.advanceNotices(ctx, obs)
		}
	}
	if err != nil {
		m.logger.Error("cannot check the incident's obligations", "id", id, "err", err)
	}
}

// specsFor evaluates the policies for inc, held for role.
func (m *Manager) specsFor(ctx context.Context, inc *Incident, role string) ([]ObligationSpec, error) {
	id := inc.ID
	inc.Indicates = m.indicates[inc.Rule]
	all, removedFor, err := m.removed(ctx, id)
	if err != nil {
		return nil, err
	}
	inc.RemovedFor = removedFor
	// Removed for the incident: for all its customers, each named
	// by a removal, or by one that names none.
	inc.SensitiveDataRemoved = all || (len(inc.Scope.Customers) > 0 && !slices.ContainsFunc(inc.Scope.Customers, func(c string) bool {
		return !slices.Contains(inc.RemovedFor, c)
	}))
	var parties Parties
	if m.policies.fansOut(configs.ForEachDataSubjects) {
		if parties.Subjects, err = m.store.SubjectIDs(ctx, id); err != nil {
			return nil, err
		}
	}
	specs, err := m.policies.EvaluateFor(inc, parties)
	if err == nil && role != "" {
		m.holdFor(specs, role)
	}
	return specs, err
}

// AdvanceNotices moves undecided notices along as their facts arrive: a
// notice needing a person is drafted once its form lacks nothing (and
// back to pending if a fact goes); one needing no approval (approval =
// false) whose recipient names channels is queued then. The daemon calls
// it every minute, so a notice missed by a crash still goes out; the lists
// of data subjects no notice needs any more are purged then too. It
// returns how many notices it queued.
func (m *Manager) AdvanceNotices(ctx context.Context) (int, error) {
	if m.cfg == nil || m.policies.Empty() {
		return 0, nil
	}
	open, err := m.store.OpenObligations(ctx)
	if err != nil {
		return 0, err
	}
	n, err := m.advanceNotices(ctx, open)
	if err != nil {
		return n, err
	}
	_, err = m.PurgeSubjectLists(ctx)
	return n, err
}

func (m *Manager) advanceNotices(ctx context.Context, obs []Obligation) (int, error) {
	if m.cfg == nil {
		return 0, nil
	}
	queued := 0
	for _, ob := range obs {
		if ob.State != ObligationPending && ob.State != ObligationDrafted {
			continue
		}
		n, _, err := m.Notice(ctx, ob.ID)
		if errors.Is(err, ErrConflict) {
			continue // its policy left the config
		}
		if err != nil {
			return queued, err
		}
		complete := len(n.Missing) == 0
		var out *NoticeOut
		first := m.firstSent(ctx, ob)
		if first != nil && !errors.Is(first, ErrConflict) {
			return queued, first // the store failed: not "wait for the notice before"
		}
		if !ob.Approval && complete && first == nil {
			// Where it would go by itself; one that cannot (a party
			// without the address its channel needs, say) waits for a
			// person, and holds up no other notice.
			if out, err = m.noticeOut(ctx, ob, n); err != nil {
				m.logger.Warn("a notice that needs no approval cannot go out by itself; it waits for a person",
					"obligation", ob.ID, "policy", ob.Policy, "err", err)
				out = nil
			}
		}
		if ob.Approval || !complete || out == nil {
			// A person approves it, or sends it: say when it is ready.
			if complete != (ob.State == ObligationDrafted) {
				if err := m.store.SetDrafted(ctx, ob.ID, complete, m.now()); err != nil {
					return queued, err
				}
			}
			continue
		}
		if _, err := m.store.DecideObligationByID(ctx, ob.ID, ObligationApproved,
			Change{Actor: "breachd", Reason: "policy " + ob.Policy + " needs no approval for this notice", At: m.now()}, out); err != nil {
			return queued, err
		}
		queued++
	}
	if queued > 0 && m.onQueued != nil {
		m.onQueued(nil)
	}
	return queued, nil
}
