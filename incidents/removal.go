package incidents

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/breachd/breachd/configs"
)

// Who removed sensitive data a customer had stored: the customer,
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
	// Customer is the customer whose data was removed: required when
	// more than one is in scope (each has its own request and
	// follow-up), the one in scope otherwise.
	Customer  string    `json:"customer,omitempty"`
	RemovedBy string    `json:"removed_by"`
	At        time.Time `json:"at"`
	What      string    `json:"what"`
}

// RecordRemoval records that the incident's sensitive data was removed and
// brings its obligations up to date: the request to the customer and the
// follow-up stop applying once the removal is recorded, for that customer
// alone when they fan out over customers. With more than one customer in
// scope the removal names the customer (else it is refused with the
// list); with one it is that one. At defaults to now and lies between the
// incident's discovery (aware_at), and the delivery of the request to
// the customer, and now; what is required and masked. A
// removal the policy's request has not been sent for yet (its follow-up
// comes after it, and the removal ends both) is refused.
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
	inc, err := m.store.Incident(ctx, id)
	if err != nil {
		return TimelineEntry{}, err
	}
	now := m.now()
	if r.At.IsZero() {
		r.At = now
	}
	if r.At.After(now) {
		return TimelineEntry{}, fmt.Errorf("%w: at is in the future; give the time the data was removed", ErrInvalid)
	}
	if r.At.Before(inc.AwareAt) {
		return TimelineEntry{}, fmt.Errorf("%w: at (%s) is before the incident's discovery (aware_at %s): data found then cannot have been removed earlier; give the time it was removed",
			ErrInvalid, r.At.UTC().Format(time.RFC3339), inc.AwareAt.UTC().Format(time.RFC3339))
	}
	r.Customer = strings.TrimSpace(r.Customer)
	customers := inc.Scope.Customers
	switch {
	case r.Customer == "" && len(customers) == 1:
		r.Customer = customers[0]
	case r.Customer == "" && len(customers) > 1:
		return TimelineEntry{}, fmt.Errorf("%w: %d customers are in scope (%s); name the one whose data was removed (customer): each has its own request",
			ErrInvalid, len(customers), strings.Join(customers, ", "))
	case r.Customer != "" && !slices.Contains(customers, r.Customer):
		in := "no customer is in scope"
		if len(customers) > 0 {
			in = "the customers in scope are " + strings.Join(customers, ", ")
		}
		return TimelineEntry{}, fmt.Errorf("%w: customer %q is not in the incident's scope; %s", ErrInvalid, r.Customer, in)
	}
	if err := m.requestSent(ctx, id, r.Customer, r.At); err != nil {
		return TimelineEntry{}, err
	}
	r.At, r.What = r.At.UTC(), Mask(r.What)
	e, err := m.store.RecordRemoval(ctx, id, r, Change{Actor: actor, Reason: reason, At: now})
	if err != nil {
		return e, err
	}
	m.syncObligations(ctx, id)
	return e, nil
}

// requestSent checks that the obligations a removal of customer's data
// would end (their condition reads sensitive_data_removed) and that come
// after another (the follow-up after its request) may end: the notice
// they follow is sent. A removal before the request was sent is refused
// with ErrConflict naming the request; one dated (at) before the
// request was delivered, with ErrInvalid naming its delivery time.
func (m *Manager) requestSent(ctx context.Context, id int64, customer string, at time.Time) error {
	obs, err := m.store.Obligations(ctx, id)
	if err != nil {
		return err
	}
	for _, ob := range obs {
		if ob.State.Decided() {
			continue
		}
		_, o := m.policies.spec(ob.Policy, ob.Recipient)
		if o == nil || o.After == "" || !strings.Contains(o.When, "sensitive_data_removed") {
			continue
		}
		if _, party := configs.SplitRecipientKey(ob.Recipient); party != "" && party != customer {
			continue
		}
		if err := m.firstSent(ctx, ob); err != nil {
			return fmt.Errorf("%w; a removal is recorded once the customer has been asked", err)
		}
		f, _, err := m.predecessor(ctx, ob)
		if err != nil {
			return err
		}
		if d, ok := delivered(f); ok && at.Before(d) {
			return fmt.Errorf("%w: at (%s) is before the request to remove it (%s → %s, obligation %d) was delivered at %s: a removal as asked comes after the asking; give the time the data was removed, at or after %s",
				ErrInvalid, stamp(at), f.Policy, f.Recipient, f.ID, stamp(d), stamp(d))
		}
	}
	return nil
}

// removed reads the removals on the incident's timeline: all when one
// names no customer (recorded with no customer in scope, or before
// removals named theirs), else the customers they name.
func (m *Manager) removed(ctx context.Context, id int64) (all bool, customers []string, err error) {
	tl, err := m.store.Timeline(ctx, id)
	if err != nil {
		return false, nil, err
	}
	for _, e := range tl {
		if e.Kind != TimelineRemoval {
			continue
		}
		if c := e.Data["customer"]; c != "" {
			customers = append(customers, c)
		} else {
			all = true
		}
	}
	return all, customers, nil
}
