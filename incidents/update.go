package incidents

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/breachd/breachd/configs"
)

// An updated notice (GDPR Art. 33(4): "where, and in so far as, it is not
// possible to provide the information at the same time, the information
// may be provided in phases") is an obligation of its own, keyed
// UpdateKey(n, recipient): rendered from the facts as they are now, marked
// as an update of the first, approved per the policy's decided_by, with
// its own delivery and proof.

// UpdateKey is the recipient key of the n-th update of the notice to
// recipient: "update 1 of supervisory_authority".
func UpdateKey(n int, recipient string) string {
	return fmt.Sprintf("update %d of %s", n, recipient)
}

// UpdateBase returns the recipient an update's key names and its number;
// a key that is no update is returned as it is, with 0.
func UpdateBase(key string) (recipient string, n int) {
	rest, ok := strings.CutPrefix(key, "update ")
	if !ok {
		return key, 0
	}
	num, base, ok := strings.Cut(rest, " of ")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 {
		return key, 0
	}
	return base, n
}

// RequestUpdate opens the next update of obligation id's notice, which
// was sent: a person of role decided_by asks for it, with the reason;
// approving it sends it as its own message.
func (m *Manager) RequestUpdate(ctx context.Context, id int64, reason, actor, role string) (Obligation, error) {
	if strings.TrimSpace(reason) == "" {
		return Obligation{}, fmt.Errorf("%w: say what the update adds or corrects (reason)", ErrInvalid)
	}
	if err := m.MayDecide(ctx, id, actor, role); err != nil {
		return Obligation{}, err
	}
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Obligation{}, err
	}
	_, spec := m.policies.spec(ob.Policy, ob.Recipient)
	if spec == nil {
		return Obligation{}, fmt.Errorf("%w: obligation %d's policy %s → %s is no longer configured", ErrConflict, id, ob.Policy, ob.Recipient)
	}
	if spec.ForEach == configs.ForEachDataSubjects {
		return Obligation{}, fmt.Errorf("%w: obligation %d is a notice to the data subjects; an update goes to an authority, a controller, a customer or a counterparty", ErrConflict, id)
	}
	up, err := m.store.AddUpdate(ctx, id, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()})
	if err != nil {
		return up, err
	}
	m.syncObligations(ctx, up.IncidentID) // drafted at once when its form lacks nothing
	return m.store.ObligationByID(ctx, up.ID)
}

// updateHeader is the line that marks an update's notice as one, naming
// the notice it updates and when that was sent.
func (m *Manager) updateHeader(ctx context.Context, ob Obligation) (string, error) {
	base, n := UpdateBase(ob.Recipient)
	if n == 0 {
		return "", nil
	}
	obs, err := m.store.Obligations(ctx, ob.IncidentID)
	if err != nil {
		return "", err
	}
	sent := "[missing: the first notice]"
	for i := range obs {
		o := &obs[i]
		if o.Policy != ob.Policy || o.Recipient != base || o.DecidedAt == nil {
			continue
		}
		// When it reached its recipient (a call's time as the caller
		// gave it), else when it was recorded.
		at, ok := delivered(o)
		if !ok {
			at = *o.DecidedAt
		}
		sent = at.In(m.location()).Format("2006-01-02 15:04 MST")
		break
	}
	return fmt.Sprintf("UPDATE %d to our notification of this breach sent on %s (incident %d): the information below is as we know it now and replaces that notice's where they differ.\n\n",
		n, sent, ob.IncidentID), nil
}
