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

// hasParty refuses to record sent (or approve for sending) a fan-out
// notice that has no party yet (its family's placeholder: no customer or
// controller in scope, no list of data subjects uploaded): it would be a
// notice sent to nobody. Ruling it not required stays possible.
func (m *Manager) hasParty(ob Obligation) error {
	_, o := m.policies.spec(ob.Policy, ob.Recipient)
	if o == nil || o.ForEach == "" {
		return nil
	}
	if _, party := configs.SplitRecipientKey(ob.Recipient); party != "" {
		return nil
	}
	what := ""
	if o.ForEach == configs.ForEachDataSubjects {
		what = fmt.Sprintf("upload the list of data subjects (breachd incidents subjects %d --file FILE.csv), which fans it out to each person or to a public communication", ob.IncidentID)
	}
	if what == "" {
		what = fmt.Sprintf("add the %s affected to the incident's scope (an asset that names it), which fans it out to each", o.ForEach)
	}
	return fmt.Errorf("%w: this notice has no recipient yet: obligation %d (%s → %s) goes to each of the %s affected and none is known yet; %s, or rule it out (breachd obligations decide %d not_required --reason ...)",
		ErrConflict, ob.ID, ob.Policy, ob.Recipient, o.ForEach, what, ob.ID)
}
