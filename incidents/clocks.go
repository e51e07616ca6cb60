package incidents

import (
	"context"
	"fmt"
	"time"

	"github.com/breachd/breachd/configs"
)

// ClockSkew is how far in the future a clock a person sets may be: the
// time a person types may come from a clock a little ahead of the
// daemon's.
const ClockSkew = time.Minute

// The clocks a person may set.
const (
	ClockAware    = "aware_at"
	ClockOccurred = "occurred_at"
)

// CheckClock says whether inc's clock may be set to t at now: not further
// in the future than ClockSkew, and in order with the other clocks: a
// breach occurs before anyone becomes aware of it and before it is
// contained.
func CheckClock(inc *Incident, clock string, t, now time.Time) error {
	if t.After(now.Add(ClockSkew)) {
		return fmt.Errorf("%w: %s %s is %s in the future by the daemon's clock (%s); at most %s of clock skew is allowed",
			ErrInvalid, clock, stamp(t), t.Sub(now).Round(time.Second), stamp(now), ClockSkew)
	}
	switch clock {
	case ClockAware:
		if inc.OccurredAt != nil && t.Before(*inc.OccurredAt) {
			return fmt.Errorf("%w: aware_at %s is before occurred_at %s: nobody becomes aware of a breach before it occurs; give a later aware_at, or set occurred_at earlier first (incidents clock %d occurred_at TIME)",
				ErrInvalid, stamp(t), stamp(*inc.OccurredAt), inc.ID)
		}
		for _, c := range []struct {
			name string
			at   *time.Time
			why  string
		}{
			{"determined_at", inc.DeterminedAt, "the risk was confirmed by someone aware of the breach"},
			{"contained_at", inc.ContainedAt, "the breach was contained by someone aware of it"},
			{"closed_at", inc.ClosedAt, "the incident was closed by someone aware of it"},
		} {
			if c.at != nil && t.After(*c.at) {
				return fmt.Errorf("%w: aware_at %s is after %s %s: %s; give an aware_at at or before %s",
					ErrInvalid, stamp(t), c.name, stamp(*c.at), c.why, stamp(*c.at))
			}
		}
	case ClockOccurred:
		if t.After(inc.AwareAt) {
			return fmt.Errorf("%w: occurred_at %s is after aware_at %s: a breach occurs before anyone becomes aware of it; give an earlier occurred_at, or set aware_at later first (incidents clock %d aware_at TIME)",
				ErrInvalid, stamp(t), stamp(inc.AwareAt), inc.ID)
		}
		if inc.ContainedAt != nil && t.After(*inc.ContainedAt) {
			return fmt.Errorf("%w: occurred_at %s is after contained_at %s: a breach occurs before it is contained; give an earlier occurred_at",
				ErrInvalid, stamp(t), stamp(*inc.ContainedAt))
		}
	default:
		return fmt.Errorf("%w: clock %q; use %s or %s", ErrInvalid, clock, ClockAware, ClockOccurred)
	}
	return nil
}

// CheckAwareAfterDelivery says whether aware_at may be set to t when
// first, the incident's notice delivered earliest, was delivered at
// first.DeliveredAt: a notice of the breach was sent by someone aware of
// it, so awareness may not move after it (the deadlines run from it, and
// a late notice would look on time). first nil: nothing delivered yet.
func CheckAwareAfterDelivery(t time.Time, first *Obligation) error {
	if first == nil || first.DeliveredAt == nil || !t.After(*first.DeliveredAt) {
		return nil
	}
	return fmt.Errorf("%w: aware_at %s is after the delivery of the notice %s → %s (obligation %d) at %s: a notice is sent by someone aware of the breach; give an aware_at at or before %s",
		ErrInvalid, stamp(t), first.Policy, first.Recipient, first.ID, stamp(*first.DeliveredAt), stamp(*first.DeliveredAt))
}

// SetClockAs is SetClock by a person of role: moving aware_at later is
// the DPO's alone, since the GDPR deadline (and every deadline running
// from awareness) moves later with it; ErrForbidden for any other role.
func (m *Manager) SetClockAs(ctx context.Context, id int64, clock string, t time.Time, reason, actor, role string) error {
	if clock == ClockAware && role != configs.RoleDPO {
		inc, err := m.store.Incident(ctx, id)
		if err != nil {
			return err
		}
		if t.After(inc.AwareAt) {
			return fmt.Errorf("%w: moving aware_at later (from %s to %s) moves the GDPR 72-hour deadline and every deadline running from awareness later with it: only the DPO may; %s holds the role %s; ask the DPO, or give an aware_at at or before %s",
				ErrForbidden, stamp(inc.AwareAt), stamp(t), actor, role, stamp(inc.AwareAt))
		}
	}
	return m.SetClock(ctx, id, clock, t, reason, actor)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
