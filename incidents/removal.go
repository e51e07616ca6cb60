package incidents

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Who removed sensitive data a customer had stored (P22): the customer,
// asked to, or the company, when the customer did not in time.
const (
	RemovedByCustomer = "customer"
	RemovedByCompany  = "company"
)

// TimelineRemoval is the timeline kind of a recorded removal.
const TimelineRemoval = "removal"

// Removal is a person's record that the sensitive data an incident found
// was removed: by whom (the customer or the company), when, and what was
// removed, where. The person recording it is the change's actor.
type Removal struct {
	RemovedBy string    `json:"removed_by"`
	At        time.Time `json:"at"`
	What      string    `json:"what"`
}

// RecordRemoval records that the incident's sensitive data was removed and
// brings its obligations up to date: the request to the customer and the
// follow-up stop applying once the removal is recorded. At defaults to
// now and cannot be in the future; what is required and masked.
func (m *Manager) RecordRemoval(ctx context.Context, id int64, r Removal, reason, actor string) (TimelineEntry, error) {
	if r.RemovedBy != RemovedByCustomer && r.RemovedBy != RemovedByCompany {
		return TimelineEntry{}, fmt.Errorf("%w: removed_by is %q; say who removed the data: %q (the customer, as asked) or %q (the company, the customer did not in time)",
			ErrInvalid, r.RemovedBy, RemovedByCustomer, RemovedByCompany)
	}
	if strings.TrimSpace(r.What) == "" {
		return TimelineEntry{}, fmt.Errorf("%w: what is required: what was removed, and where (e.g. \"SSNs in /var/log/app/signup.log, lines rotated out and shredded\")", ErrInvalid)
	}
	if len(r.What) > maxTextBytes || len(reason) > maxTextBytes {
		return TimelineEntry{}, fmt.Errorf("%w: what and reason are limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	now := m.now()
	if r.At.IsZero() {
		r.At = now
	}
	if r.At.After(now) {
		return TimelineEntry{}, fmt.Errorf("%w: at is in the future; give the time the data was removed", ErrInvalid)
	}
	r.At, r.What = r.At.UTC(), Mask(r.What)
	e, err := m.store.RecordRemoval(ctx, id, r, Change{Actor: actor, Reason: reason, At: now})
	if err != nil {
		return e, err
	}
	m.syncObligations(ctx, id)
	return e, nil
}

// removed reports whether a removal is on the incident's timeline.
func (m *Manager) removed(ctx context.Context, id int64) (bool, error) {
	tl, err := m.store.Timeline(ctx, id)
	if err != nil {
		return false, err
	}
	for _, e := range tl {
		if e.Kind == TimelineRemoval {
			return true, nil
		}
	}
	return false, nil
}
