package incidents

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/configs"
)

// Posting is a person's record that a data subject's notice went by post
// (a person on the uploaded list with a postal address and no email, or
// one a person chose to write to): who posted it, when, and to which
// address. It is the delivery's proof, like a phone call's confirmation.
type Posting struct {
	PostedBy string    `json:"posted_by"`
	At       time.Time `json:"at"`
	// Address is the postal address it was sent to: the one on the
	// list for the person (compared ignoring case and spacing). The
	// proof names the list's row, never the address, which is purged
	// with the list while the timeline is kept.
	Address string `json:"address"`
}

// RecordPosting records that obligation id, a notice to one data subject,
// was posted to the person's postal address on the list: it is sent, with
// the posting as its proof, on the timeline (the notice to post is the
// one GET /api/v1/obligations/{id}/notice renders). It must be approved
// first (approval checks the notice lacks no required fact): otherwise
// ErrConflict. A record without who or when, dated in the future or before the incident's discovery (checkDelivery), or to another
// address than the list's is refused, and nothing is changed. Other notices do not wait for it.
func (m *Manager) RecordPosting(ctx context.Context, id int64, p Posting, actor string) (Obligation, error) {
	p.PostedBy, p.Address = strings.TrimSpace(p.PostedBy), strings.TrimSpace(p.Address)
	switch {
	case p.PostedBy == "":
		return Obligation{}, fmt.Errorf("%w: say who posted the notice (posted_by): a posted notice is confirmed by the person who sent it", ErrInvalid)
	case strings.ContainsFunc(p.PostedBy, func(r rune) bool { return r < 0x20 || r == 0x7f }) || len(p.PostedBy) > 256:
		return Obligation{}, fmt.Errorf("%w: posted_by is one short line", ErrInvalid)
	case p.At.IsZero():
		return Obligation{}, fmt.Errorf("%w: say when the notice was posted (at, RFC 3339)", ErrInvalid)
	case p.At.After(m.now().Add(time.Minute)):
		return Obligation{}, fmt.Errorf("%w: the posting is dated %s, in the future", ErrInvalid, p.At.UTC().Format(time.RFC3339))
	case p.Address == "":
		return Obligation{}, fmt.Errorf("%w: say to which postal address it was posted (address)", ErrInvalid)
	}
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Obligation{}, err
	}
	_, o := m.policies.compiled(ob.Policy, ob.Recipient)
	_, party := configs.SplitRecipientKey(ob.Recipient)
	num, perr := strconv.ParseInt(party, 10, 64)
	if o == nil || o.spec.ForEach != configs.ForEachDataSubjects || perr != nil {
		return Obligation{}, fmt.Errorf("%w: obligation %d (%s → %s) is not a notice to one data subject on the list; record how it was sent with decide, call or published",
			ErrConflict, id, ob.Policy, ob.Recipient)
	}
	if ob.State.Decided() {
		return Obligation{}, fmt.Errorf("%w: obligation %d is already %s", ErrConflict, id, ob.State)
	}
	if ob.State != ObligationApproved {
		return Obligation{}, fmt.Errorf("%w: obligation %d (%s → %s) is %s, not approved: approve it first (obligations decide %d approved), which checks the notice lacks no required fact, then post that notice and record the posting",
			ErrConflict, id, ob.Policy, ob.Recipient, ob.State, id)
	}
	subj, err := m.store.Subject(ctx, ob.IncidentID, num)
	if err != nil {
		return Obligation{}, err
	}
	if subj.Address == "" {
		return Obligation{}, fmt.Errorf("%w: data subject %d (row %d) has no postal address on the list (the list was purged, or the person is reached by email)", ErrConflict, subj.ID, subj.Row)
	}
	if !sameAddress(subj.Address, p.Address) {
		return Obligation{}, fmt.Errorf("%w: the address given is not data subject %d's postal address on the list (row %d); post the notice to that address, or correct the list",
			ErrInvalid, subj.ID, subj.Row)
	}
	if err := m.firstSent(ctx, ob); err != nil {
		return Obligation{}, err
	}
	if err := m.checkDelivery(ctx, ob, "the posting", p.At); err != nil {
		return Obligation{}, err
	}
	proof := fmt.Sprintf("posted by %s at %s to data subject %d's postal address on the list (row %d)",
		p.PostedBy, p.At.UTC().Format(time.RFC3339), subj.ID, subj.Row)
	return m.store.RecordProof(ctx, id, proof, p.At, Change{Actor: actor, Reason: "notice posted", At: m.now()})
}

// sameAddress compares two postal addresses ignoring case and spacing
// (line breaks included).
func sameAddress(a, b string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " "))
	}
	return norm(a) == norm(b)
}
