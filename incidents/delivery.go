package incidents

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// checkDelivery says whether a delivery a person records by hand (a phone
// call, a posting, a publication) of obligation ob's notice at t may be
// recorded: not before the incident's discovery (aware_at: there was
// nothing to notify before anyone knew of the breach), and, for a notice
// that comes after another (a follow-up after its request), not before
// that notice was delivered. Otherwise ErrInvalid naming the earliest
// time allowed; what is "the call", "the posting", "the publication".
func (m *Manager) checkDelivery(ctx context.Context, ob Obligation, what string, t time.Time) error {
	inc, err := m.store.Incident(ctx, ob.IncidentID)
	if err != nil {
		return err
	}
	if t.Before(inc.AwareAt) {
		return fmt.Errorf("%w: %s is dated %s, before incident %d was discovered (aware_at %s): nobody can be notified of a breach before it is known; give the time it was made, at or after %s",
			ErrInvalid, what, stamp(t), inc.ID, stamp(inc.AwareAt), stamp(inc.AwareAt))
	}
	f, _, err := m.predecessor(ctx, ob)
	if err != nil {
		return err
	}
	if d, ok := delivered(f); ok && t.Before(d) {
		return fmt.Errorf("%w: %s is dated %s, before the notice it follows (%s → %s, obligation %d) was delivered at %s; give the time it was made, at or after %s",
			ErrInvalid, what, stamp(t), f.Policy, f.Recipient, f.ID, stamp(d), stamp(d))
	}
	return nil
}

// delivered is when f, a sent obligation, was delivered: the channel's
// acceptance, or the call, posting or publication a person recorded; ok
// false when f is nil, not sent, or was recorded sent by a decision alone
// (obligations decide ... sent), which says no delivery time.
func delivered(f *Obligation) (time.Time, bool) {
	if f == nil || f.State != ObligationSent || f.DeliveredAt == nil {
		return time.Time{}, false
	}
	return *f.DeliveredAt, true
}

// checkNumber says whether a call to number reaches ob's recipient: a
// number holds digits, spaces and + - ( ) . / only (a letter is another
// digit on a keypad, so "0100abc" is not "0100"); when
// the recipient has a phone (its asset's contact or its recipient block),
// the number is required and must be that phone, compared by its digits
// alone (spaces, punctuation and a leading + or 00 ignored). Otherwise
// ErrInvalid naming the number expected.
func (m *Manager) checkNumber(ctx context.Context, ob Obligation, number string) error {
	if i := strings.IndexFunc(number, notPhoneRune); i >= 0 {
		r, _ := utf8.DecodeRuneInString(number[i:])
		return fmt.Errorf("%w: the number dialled, %s, holds %q: a number is written with digits, spaces and + - ( ) . / only (letters are other digits on a keypad); give the digits dialled",
			ErrInvalid, number, r)
	}
	_, o := m.policies.spec(ob.Policy, ob.Recipient)
	if o == nil {
		return nil
	}
	inc, err := m.store.Incident(ctx, ob.IncidentID)
	if err != nil {
		return err
	}
	c := RecipientContact(m.cfg, o, ob.Recipient, inc)
	want, who := strings.TrimSpace(c.Phone), c.Name
	if want == "" {
		return nil
	}
	if who == "" {
		who = ob.Recipient
	}
	if number == "" {
		return fmt.Errorf("%w: say which number was dialled (number): %s is reached at %s", ErrInvalid, who, want)
	}
	if phoneDigits(number) != phoneDigits(want) {
		return fmt.Errorf("%w: the number dialled, %s, is not the number of %s, %s: a call to another number does not notify it; call %s and record that call",
			ErrInvalid, number, who, want, want)
	}
	return nil
}

// notPhoneRune says whether r may not appear in a telephone number as
// written: digits, spaces and + - ( ) . / may.
func notPhoneRune(r rune) bool {
	return !(r >= '0' && r <= '9' || strings.ContainsRune(" +-()./", r))
}

// phoneDigits is a telephone number's digits, without a leading + or 00:
// "+1 (512) 555-0200" and "001 512 555 0200" are "15125550200".
func phoneDigits(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if !strings.HasPrefix(s, "+") && strings.HasPrefix(d, "00") {
		d = d[2:]
	}
	return d
}
