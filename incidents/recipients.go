package incidents

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/configs"
)

// contact is who obligation ob's notice goes to: RecipientContact, with a
// data subject's name, email and postal address read from the uploaded
// list; without reveal, the person's name and address are masked (the
// notice as shown in the API).
func (m *Manager) contact(ctx context.Context, o *configs.Obligation, ob Obligation, inc *Incident, reveal bool) (configs.Contact, error) {
	c := RecipientContact(m.cfg, o, ob.Recipient, inc)
	if o.ForEach != configs.ForEachDataSubjects {
		return c, nil
	}
	_, party := configs.SplitRecipientKey(ob.Recipient)
	id, err := strconv.ParseInt(party, 10, 64)
	if err != nil {
		return c, nil // the public, or no list yet
	}
	subj, err := m.store.Subject(ctx, inc.ID, id)
	if err != nil {
		return c, err
	}
	if !reveal && subj.Name != "" {
		shown := configs.Contact{Name: fmt.Sprintf("[data subject %d on the list]", subj.ID), Email: subj.Email}
		if subj.Address != "" {
			shown.Address = "[postal address on the list]"
		}
		return shown, nil
	}
	return configs.Contact{Name: subj.Name, Email: subj.Email, Address: subj.Address}, nil
}

// noticeOut is what approving obligation ob's notice n (as shown)
// queues: n on the channels of its recipient's block, addressed to the
// recipient's email (a data subject's notice with the person's name and
// address filled in); nil when the block names no channel (a person sends
// it).
func (m *Manager) noticeOut(ctx context.Context, ob Obligation, n Notice) (*NoticeOut, error) {
	base, _ := UpdateBase(ob.Recipient)
	kind, _ := configs.SplitRecipientKey(base)
	r := m.cfg.RecipientByKind(kind)
	if r == nil || len(r.Channels) == 0 {
		return nil, nil
	}
	_, o := m.policies.compiled(ob.Policy, ob.Recipient)
	if o == nil {
		return nil, fmt.Errorf("%w: obligation %d's policy %s → %s is no longer configured", ErrConflict, ob.ID, ob.Policy, ob.Recipient)
	}
	inc, err := m.store.Incident(ctx, ob.IncidentID)
	if err != nil {
		return nil, err
	}
	to, err := m.contact(ctx, o.spec, ob, inc, true)
	if err != nil {
		return nil, err
	}
	if o.spec.ForEach == configs.ForEachDataSubjects && to.Email == "" && to.Address != "" {
		// Reached by post only: a person posts the notice and records
		// it (RecordPosting); nothing is queued.
		return nil, nil
	}
	if _, party := configs.SplitRecipientKey(ob.Recipient); o.spec.ForEach == configs.ForEachDataSubjects && party == PublicParty {
		// A public communication: a person publishes the approved text
		// and records where (RecordPublication); nothing is mailed.
		return nil, nil
	}
	for _, name := range r.Channels {
		if ch := m.cfg.ChannelByName(name); ch != nil && ch.Kind == configs.ChannelSMTP && to.Email == "" {
			return nil, fmt.Errorf("%w: the notice goes through smtp channel %s, but %s has no email; add it (or record the notice sent another way)", ErrConflict, name, ob.Recipient)
		}
	}
	out := &NoticeOut{Subject: noticeSubject(m.cfg, ob, o.spec.Template), Body: n.Text, Channels: r.Channels, To: to.Email}
	if o.spec.ForEach == configs.ForEachDataSubjects {
		// The person's notice names them; what is kept on the
		// obligation and shown is the masked one.
		real, _, err := m.notice(ctx, ob.ID, true)
		if err != nil {
			return nil, err
		}
		out.Body, out.Shown = real.Text, n.Text
		if to.Email != "" {
			out.ToShown = MaskEmail(to.Email)
		}
	}
	return out, nil
}

// MaskEmail shows an email address by its first character and its
// domain (p******@example.org): enough to tell deliveries apart, not to
// reach the person.
func MaskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return "******"
	}
	return local[:1] + "******@" + domain
}

// PhoneCall is a notice given by telephone (the city contract's clause
// 12.5.2: "by telephone"), confirmed by the person who made the call: the
// proof that the obligation was met.
type PhoneCall struct {
	// Caller is the person who called; Callee whom they reached, Number
	// the number dialled; At when; Said what was said.
	Caller string    `json:"caller"`
	Callee string    `json:"callee"`
	Number string    `json:"number"`
	At     time.Time `json:"at"`
	Said   string    `json:"said"`
}

// Proof is how a phone call shows on the obligation and the timeline.
func (c PhoneCall) Proof() string {
	number := ""
	if c.Number != "" {
		number = " (" + c.Number + ")"
	}
	return fmt.Sprintf("phone call by %s to %s%s at %s: %s", c.Caller, c.Callee, number, c.At.UTC().Format(time.RFC3339), c.Said)
}

// RecordCall records that obligation id's notice was given by telephone:
// the obligation is sent, with the call as its proof, on the timeline.
// A call without the person who made it, whom they reached, when, or
// what was said is refused, and nothing is changed; so is a call to
// another number than the recipient's phone, when it has one (checkNumber),
// or dated before the incident's discovery (checkDelivery).
func (m *Manager) RecordCall(ctx context.Context, id int64, call PhoneCall, actor string) (Obligation, error) {
	call.Caller, call.Callee, call.Number = strings.TrimSpace(call.Caller), strings.TrimSpace(call.Callee), strings.TrimSpace(call.Number)
	call.Said = strings.TrimSpace(call.Said)
	switch {
	case call.Caller == "":
		return Obligation{}, fmt.Errorf("%w: say who made the call (caller): a phone notice is confirmed by the person who gave it", ErrInvalid)
	case call.Callee == "":
		return Obligation{}, fmt.Errorf("%w: say whom the caller reached (callee)", ErrInvalid)
	case call.At.IsZero():
		return Obligation{}, fmt.Errorf("%w: say when the call was made (at, RFC 3339)", ErrInvalid)
	case call.At.After(m.now().Add(time.Minute)):
		return Obligation{}, fmt.Errorf("%w: the call is dated %s, in the future", ErrInvalid, call.At.UTC().Format(time.RFC3339))
	case call.Said == "":
		return Obligation{}, fmt.Errorf("%w: say what was said (said)", ErrInvalid)
	case len(call.Caller)+len(call.Callee)+len(call.Number)+len(call.Said) > maxTextBytes:
		return Obligation{}, fmt.Errorf("%w: the call's record is limited to %d bytes", ErrInvalid, maxTextBytes)
	}
	for _, v := range []string{call.Caller, call.Callee, call.Number} {
		if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return Obligation{}, fmt.Errorf("%w: caller, callee and number are one line each", ErrInvalid)
		}
	}
	call.Said = Mask(call.Said)
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Obligation{}, err
	}
	if ob.State.Decided() {
		return Obligation{}, fmt.Errorf("%w: obligation %d is already %s", ErrConflict, id, ob.State)
	}
	if err := m.hasParty(ob); err != nil {
		return Obligation{}, err
	}
	if err := m.firstSent(ctx, ob); err != nil {
		return Obligation{}, err
	}
	if err := m.checkNumber(ctx, ob, call.Number); err != nil {
		return Obligation{}, err
	}
	if err := m.checkDelivery(ctx, ob, "the call", call.At); err != nil {
		return Obligation{}, err
	}
	return m.store.RecordProof(ctx, id, call.Proof(), call.At, Change{Actor: actor, Reason: "notice given by telephone", At: m.now()})
}

// Publication is the record of a public communication (GDPR procedure
// §6.3): where the notice was published, by whom and when; the proof
// that the obligation was met.
type Publication struct {
	PublishedBy string    `json:"published_by"`
	Where       string    `json:"where"`
	At          time.Time `json:"at"`
}

// RecordPublication records that obligation id, a public communication
// to the data subjects, was published: it is sent, with the publication
// as its proof, on the timeline. It must be approved first (approval
// checks the communication lacks no required fact). Any other
// obligation, or a record without who, where or when, or dated before
// the incident's discovery (checkDelivery), is refused and nothing is
// changed.
func (m *Manager) RecordPublication(ctx context.Context, id int64, p Publication, actor string) (Obligation, error) {
	p.PublishedBy, p.Where = strings.TrimSpace(p.PublishedBy), strings.TrimSpace(p.Where)
	switch {
	case p.PublishedBy == "":
		return Obligation{}, fmt.Errorf("%w: say who published it (published_by)", ErrInvalid)
	case p.Where == "":
		return Obligation{}, fmt.Errorf("%w: say where it was published (where: the page, the newspaper)", ErrInvalid)
	case p.At.IsZero() || p.At.After(m.now().Add(time.Minute)):
		return Obligation{}, fmt.Errorf("%w: say when it was published (at, RFC 3339, not in the future)", ErrInvalid)
	case len(p.PublishedBy)+len(p.Where) > maxTextBytes || strings.ContainsFunc(p.PublishedBy+p.Where, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return Obligation{}, fmt.Errorf("%w: published_by and where are one short line each", ErrInvalid)
	}
	ob, err := m.store.ObligationByID(ctx, id)
	if err != nil {
		return Obligation{}, err
	}
	if _, party := configs.SplitRecipientKey(ob.Recipient); party != PublicParty {
		return Obligation{}, fmt.Errorf("%w: obligation %d (%s) is not a public communication; record how it was sent with decide or call", ErrConflict, id, ob.Recipient)
	}
	if ob.State.Decided() {
		return Obligation{}, fmt.Errorf("%w: obligation %d is already %s", ErrConflict, id, ob.State)
	}
	if ob.State != ObligationApproved {
		// What is published is what was approved: approval checks the
		// communication lacks no required fact.
		return Obligation{}, fmt.Errorf("%w: obligation %d (%s → %s) is %s, not approved: approve it first (obligations decide %d approved), which checks the communication lacks no required fact, then publish that text and record the publication",
			ErrConflict, id, ob.Policy, ob.Recipient, ob.State, id)
	}
	if err := m.firstSent(ctx, ob); err != nil {
		return Obligation{}, err
	}
	if err := m.checkDelivery(ctx, ob, "the publication", p.At); err != nil {
		return Obligation{}, err
	}
	proof := fmt.Sprintf("published by %s at %s on %s", p.PublishedBy, p.Where, p.At.UTC().Format(time.RFC3339))
	return m.store.RecordProof(ctx, id, proof, p.At, Change{Actor: actor, Reason: "public communication published", At: m.now()})
}

// DeliveryMethod names how a notice went, from its proof, without the
// proof's addresses, names or numbers: "recorded by hand" for a notice a
// person recorded as sent with no record of its delivery.
func DeliveryMethod(proof string) string {
	switch {
	case strings.HasPrefix(proof, "mailed "):
		return "by email"
	case strings.HasPrefix(proof, "POST "):
		return "by webhook"
	case strings.HasPrefix(proof, "wrote "):
		return "to the outbox folder"
	case strings.HasPrefix(proof, "phone call "):
		return "by telephone"
	case strings.HasPrefix(proof, "published "):
		return "by publication"
	case strings.HasPrefix(proof, "posted by "):
		return "by post"
	case strings.HasPrefix(proof, "recorded by "):
		return "recorded by hand"
	}
	return "other"
}
