package incidents

import (
	"context"
	"fmt"

	"github.com/breachd/breachd/configs"
)

// firstSent checks the order a policy sets between notices (an
// obligation's after): ob's notice may be approved or recorded sent only
// once the notice it comes after is sent (a follow-up after its request),
// for the same party when both fan out, or ruled not required by a
// person. Otherwise it returns ErrConflict naming that obligation.
func (m *Manager) firstSent(ctx context.Context, ob Obligation) error {
	f, want, err := m.predecessor(ctx, ob)
	if err != nil || want == "" {
		return err
	}
	if f == nil {
		return fmt.Errorf("%w: the notice %s → %s comes after %s → %s, which this incident does not have: there is nothing it can follow up",
			ErrConflict, ob.Policy, ob.Recipient, ob.Policy, want)
	}
	if f.State == ObligationSent || (f.State == ObligationNotRequired && f.DecidedBy != "breachd") {
		return nil
	}
	return fmt.Errorf("%w: the notice %s → %s comes after %s → %s (obligation %d), which is %s: send that one first (or record it sent)",
		ErrConflict, ob.Policy, ob.Recipient, f.Policy, f.Recipient, f.ID, f.State)
}

// predecessor is the obligation ob's notice comes after (its policy's
// after, for the same party when both fan out) and its recipient key;
// want is "" when ob comes after none, f nil when the incident has none.
func (m *Manager) predecessor(ctx context.Context, ob Obligation) (f *Obligation, want string, err error) {
	_, o := m.policies.spec(ob.Policy, ob.Recipient)
	if o == nil || o.After == "" {
		return nil, "", nil
	}
	want = o.After
	if _, first := m.policies.spec(ob.Policy, o.After); first != nil && first.ForEach != "" {
		_, party := configs.SplitRecipientKey(ob.Recipient)
		want = configs.RecipientKey(o.After, party)
		if party == "" {
			want = o.After
		}
	}
	obs, err := m.store.Obligations(ctx, ob.IncidentID)
	if err != nil {
		return nil, want, err
	}
	for i := range obs {
		if obs[i].Policy == ob.Policy && obs[i].Recipient == want {
			return &obs[i], want, nil
		}
	}
	return nil, want, nil
}

func (m *Manager) firstSentByID(ctx context.Context, id int64) error {
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return err
	}
	return m.firstSent(ctx, ob)
}
