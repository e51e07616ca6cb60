package incidents

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Remind queues the reminders and escalations of the undecided
// obligations. The time to an obligation's deadline runs from its
// clock's anchor (the incident's aware_at for a 72-hour notice), not from
// when the obligation arose: once a fraction named in its reminders has
// passed, one obligation.reminder goes to each reminder channel, only
// the latest fraction passed (an obligation that arose late, past 50%
// and 75% of its time, is reminded once, at once, for 75%). Once its due
// time has passed, one obligation.overdue goes to each reminder and
// escalation channel (the leader), at once for an obligation that arose
// already overdue. It is idempotent: a message's key names the
// obligation and the fraction, or "overdue".
func (m *Manager) Remind(ctx context.Context) (int, error) {
	if m.cfg == nil || m.policies.Empty() {
		return 0, nil
	}
	reminders, escalation := m.cfg.Notifications.ReminderChannels, m.cfg.Notifications.EscalationChannels
	if len(reminders) == 0 && len(escalation) == 0 {
		return 0, nil
	}
	overdueTo := slices.Clone(reminders)
	for _, ch := range escalation {
		if !slices.Contains(overdueTo, ch) {
			overdueTo = append(overdueTo, ch)
		}
	}
	open, err := m.store.OpenObligations(ctx)
	if err != nil {
		return 0, err
	}
	now := m.now()
	loc := m.location()
	incs := map[int64]*Incident{}
	queued := 0
	enqueue := func(ob Obligation, route, event, key, note string, channels []string) error {
		for _, ch := range channels {
			ok, err := m.store.Enqueue(ctx, ob.IncidentID, Page{Route: route, Channel: ch}, event, fmt.Sprintf(key, ch), note, now)
			if err != nil {
				return err
			}
			if ok {
				queued++
			}
		}
		return nil
	}
	for _, ob := range open {
		_, spec := m.policies.spec(ob.Policy, ob.Recipient)
		if spec == nil || ob.DueAt == nil {
			continue
		}
		due := *ob.DueAt
		if !now.Before(due) {
			note := fmt.Sprintf("OVERDUE: %s → %s was due %s (%s ago); decide it now (breachd obligations list)",
				ob.Policy, ob.Recipient, due.In(loc).Format("2006-01-02 15:04 MST"), now.Sub(due).Round(time.Minute))
			if err := enqueue(ob, "escalation", "obligation.overdue", fmt.Sprintf("breachd-obligation-%d-overdue-%%s-v1", ob.ID), note, overdueTo); err != nil {
				return queued, err
			}
			continue
		}
		start := ob.CreatedAt
		inc, ok := incs[ob.IncidentID]
		if !ok {
			if inc, err = m.store.Incident(ctx, ob.IncidentID); err != nil {
				inc = nil
			}
			incs[ob.IncidentID] = inc
		}
		if inc != nil {
			if at := anchorTime(inc, spec.Anchor); at != nil && at.Before(due) {
				start = *at
			}
		}
		if !start.Before(due) {
			continue
		}
		span := due.Sub(start)
		best := -1.0
		for _, f := range spec.Reminders {
			if f > best && !now.Before(start.Add(time.Duration(f*float64(span)))) {
				best = f
			}
		}
		if best < 0 {
			continue
		}
		pct := int(best*100 + 0.5)
		note := fmt.Sprintf("Reminder: %s → %s is due %s, in %s (%d%% of its time has passed)",
			ob.Policy, ob.Recipient, due.In(loc).Format("2006-01-02 15:04 MST"), due.Sub(now).Round(time.Minute), pct)
		if err := enqueue(ob, "reminder", "obligation.reminder", fmt.Sprintf("breachd-obligation-%d-reminder-%d-%%s-v1", ob.ID, pct), note, reminders); err != nil {
			return queued, err
		}
	}
	if queued > 0 && m.onQueued != nil {
		m.onQueued(nil)
	}
	return queued, nil
}

// location is the zone due times are shown in.
func (m *Manager) location() *time.Location {
	if m.cfg != nil && m.cfg.Organisation.Location != nil {
		return m.cfg.Organisation.Location
	}
	return time.UTC
}

// ZoneName names t's time zone as a reader knows it: its abbreviation
// at t and its location, "CST (America/Chicago)"; "UTC" alone when the
// two are the same.
func ZoneName(t time.Time) string {
	abbr, _ := t.Zone()
	name := t.Location().String()
	if abbr == name || name == "" {
		return abbr
	}
	return abbr + " (" + name + ")"
}

// Annotate fills what an obligation's reader needs to see at a glance,
// by the manager's clock: its due time in the organisation's time zone
// (with the zone's name),
// the time left, whether it is overdue, and the role the policy leaves
// its decision to. Decided obligations (sent, not required) are never
// overdue.
func (m *Manager) Annotate(obs []Obligation) []Obligation {
	now, loc := m.now(), m.location()
	for i := range obs {
		o := &obs[i]
		if _, spec := m.policies.spec(o.Policy, o.Recipient); spec != nil {
			o.Decider = spec.DecidedBy
		}
		if o.DueAt == nil {
			continue
		}
		o.DueLocal = o.DueAt.In(loc).Format(time.RFC3339)
		o.DueZone = ZoneName(o.DueAt.In(loc))
		if o.State == ObligationSent || o.State == ObligationNotRequired {
			continue
		}
		left := o.DueAt.Sub(now).Round(time.Second)
		o.TimeLeft = left.String()
		o.Overdue = left <= 0
	}
	return obs
}
