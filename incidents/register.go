package incidents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
)

// RecordPatch is the content of a register entry as the DPO writes it:
// a field not given (nil) is, in an entry that supersedes another,
// carried forward from it; an empty one ("" or []) is cleared. A new
// entry that supersedes none takes the fields given and leaves the
// others empty. The JSON names are Record's.
type RecordPatch struct {
	Nature         *string   `json:"nature,omitempty"`
	DataCategories *[]string `json:"data_categories,omitempty"`
	DataSubjects   *int64    `json:"data_subjects,omitempty"`
	Records        *int64    `json:"records,omitempty"`
	Risk           *Risk     `json:"risk,omitempty"`
	Consequences   *string   `json:"consequences,omitempty"`
	Measures       *string   `json:"measures,omitempty"`
	Notified       *string   `json:"notified,omitempty"`
	Reason         *string   `json:"reason,omitempty"`
}

// Apply returns r with the patch's fields replaced. The reason is never
// carried forward: an entry's reason is its own.
func (p RecordPatch) Apply(r Record) Record {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	str(&r.Nature, p.Nature)
	str(&r.Consequences, p.Consequences)
	str(&r.Measures, p.Measures)
	str(&r.Notified, p.Notified)
	if p.DataCategories != nil {
		r.DataCategories = slices.Clone(*p.DataCategories)
	}
	if p.DataSubjects != nil {
		r.DataSubjects = *p.DataSubjects
	}
	if p.Records != nil {
		r.Records = *p.Records
	}
	if p.Risk != nil {
		r.Risk = *p.Risk
	}
	r.Reason = ""
	str(&r.Reason, p.Reason)
	return r
}

// Changes says whether applying the patch to r changes a field other
// than the reason.
func (p RecordPatch) Changes(r Record) bool {
	a, b := p.Apply(r), r
	a.Reason, b.Reason = "", ""
	if len(a.DataCategories) == 0 && len(b.DataCategories) == 0 {
		a.DataCategories, b.DataCategories = nil, nil
	}
	return a.Nature != b.Nature || !slices.Equal(a.DataCategories, b.DataCategories) || a.DataSubjects != b.DataSubjects ||
		a.Records != b.Records || a.Risk != b.Risk || a.Consequences != b.Consequences || a.Measures != b.Measures || a.Notified != b.Notified
}

// size is the bytes of text the patch carries.
func (p RecordPatch) size() int {
	n := 0
	for _, v := range []*string{p.Nature, p.Consequences, p.Measures, p.Notified, p.Reason} {
		if v != nil {
			n += len(*v)
		}
	}
	if p.DataCategories != nil {
		for _, c := range *p.DataCategories {
			n += len(c)
		}
	}
	return n
}

// RegisterWrite is an entry of the Data Breach Register the DPO writes:
// a breach, a near miss, or a correction of an earlier entry
// (Supersedes), which belongs to the same incident as that entry and
// carries forward every field it does not change.
type RegisterWrite struct {
	IncidentID *int64
	Kind       string
	Supersedes *int64
	Record     RecordPatch
	// PersonalDataOf, when set, says whether the incident is a
	// personal-data breach (Manager.personalDataOf): a breach or near_miss
	// entry must agree with it (CheckKind).
	PersonalDataOf func(*Incident) bool
}

// CheckKind refuses a breach or near_miss entry for inc that contradicts
// whether inc is a personal-data breach (personal): ErrConflict saying to
// re-assess it first.
func CheckKind(inc *Incident, kind string, personal bool) error {
	want := RegisterKindFor(personal, inc.Scope, inc.Risk)
	if (kind != RegisterBreach && kind != RegisterNearMiss) || kind == want {
		return nil
	}
	state := "is assessed as"
	if inc.Risk == RiskUnassessed {
		state = "is not assessed yet; its scope or evidence makes it"
	}
	what := map[bool]string{true: "a personal-data breach", false: "no personal-data breach (a near miss)"}[personal]
	return fmt.Errorf("%w: incident %d %s %s, so its register entry is a %s, not a %s: re-assess it first with --personal-data %t "+
		"(breachd incidents assess %d none|risk|high --personal-data %t --reason ...), which writes the register entry",
		ErrConflict, inc.ID, state, what, want, kind, !personal, inc.ID, !personal)
}

// CheckRisk refuses an entry whose risk contradicts inc's risk decision:
// the register's risk is the incident's, changed by assessing it again
// (which writes the entry), not by an entry alone.
func CheckRisk(inc *Incident, p RecordPatch) error {
	if p.Risk == nil || inc.Risk == RiskUnassessed || *p.Risk == inc.Risk {
		return nil
	}
	return fmt.Errorf("%w: incident %d is assessed %s (by %s), so its register entry says risk %s, not %s: assess it again to change it "+
		"(breachd incidents assess %d %s --reason ...), which writes the register entry",
		ErrConflict, inc.ID, inc.Risk, inc.RiskBy, inc.Risk, *p.Risk, inc.ID, *p.Risk)
}

// CheckSupersedesOwn says whether w may supersede prev: an entry
// supersedes only an entry of its own incident (ErrInvalid otherwise).
// It is checked before whether prev is its incident's latest, so an
// entry of another incident is a 400 whether or not it was superseded.
func CheckSupersedesOwn(w RegisterWrite, prev RegisterEntry) error {
	switch {
	case prev.IncidentID == nil && w.IncidentID != nil:
		return fmt.Errorf("%w: register entry %d belongs to no incident, not to incident %d: an entry supersedes only an entry of its own incident",
			ErrInvalid, prev.ID, *w.IncidentID)
	case prev.IncidentID != nil && w.IncidentID != nil && *prev.IncidentID != *w.IncidentID:
		return fmt.Errorf("%w: register entry %d belongs to incident %d, not to incident %d: an entry supersedes only an entry of its own incident",
			ErrInvalid, prev.ID, *prev.IncidentID, *w.IncidentID)
	}
	return nil
}

// CheckWrite checks a register write against the entry it supersedes
// (nil when it supersedes none) and returns the entry to append, with
// its record complete: an entry corrects only its own incident's entry;
// a correction carries forward every field it does not give, changes at
// least one, and says why. The incident's notices' deliveries, not a
// person, write an incident's "notified".
func CheckWrite(w RegisterWrite, prev *RegisterEntry, reason string) (RegisterEntry, error) {
	e := RegisterEntry{IncidentID: w.IncidentID, Kind: w.Kind, Supersedes: w.Supersedes}
	switch w.Kind {
	case RegisterBreach, RegisterNearMiss, RegisterCorrection:
	default:
		return e, fmt.Errorf("%w: kind %q; use breach, near_miss or correction", ErrInvalid, w.Kind)
	}
	if w.Record.Risk != nil && *w.Record.Risk != RiskUnassessed && !ValidRisk(*w.Record.Risk) {
		return e, fmt.Errorf("%w: record.risk %q; use unassessed, none, risk or high", ErrInvalid, *w.Record.Risk)
	}
	for _, n := range []struct {
		name string
		v    *int64
	}{{"data_subjects", w.Record.DataSubjects}, {"records", w.Record.Records}} {
		if n.v != nil && *n.v < 0 {
			return e, fmt.Errorf("%w: record.%s is %d; give a count, 0 or more", ErrInvalid, n.name, *n.v)
		}
	}
	if w.Kind == RegisterCorrection && w.Supersedes == nil {
		return e, fmt.Errorf("%w: a correction names the entry it supersedes (supersedes)", ErrInvalid)
	}
	if w.Record.Reason == nil && strings.TrimSpace(reason) != "" {
		w.Record.Reason = &reason
	}
	var base Record
	if prev != nil {
		if err := CheckSupersedesOwn(w, *prev); err != nil {
			return e, err
		}
		e.IncidentID = prev.IncidentID // a correction is its incident's
		base = prev.Record
		if !w.Record.Changes(base) {
			return e, fmt.Errorf("%w: the entry changes nothing of register entry %d; give the fields to correct (an empty one clears it)", ErrInvalid, prev.ID)
		}
		if w.Record.Reason == nil || strings.TrimSpace(*w.Record.Reason) == "" {
			return e, fmt.Errorf("%w: say why register entry %d is corrected (reason)", ErrInvalid, prev.ID)
		}
	}
	if e.IncidentID != nil && w.Record.Notified != nil {
		return e, fmt.Errorf("%w: an incident's notified is written from its notices' deliveries; record a notice given another way on its obligation (breachd obligations decide ID sent, call or published)", ErrInvalid)
	}
	e.Record = w.Record.Apply(base)
	if strings.TrimSpace(e.Record.Nature) == "" {
		return e, fmt.Errorf("%w: record.nature is required: describe the breach", ErrInvalid)
	}
	if e.Record.Risk == "" {
		e.Record.Risk = RiskUnassessed
	}
	return e, nil
}

// AppendRegister appends a DPO's register entry.
func (m *Manager) AppendRegister(ctx context.Context, w RegisterWrite, reason, actor string) (RegisterEntry, error) {
	if w.Record.size()+len(reason) > maxTextBytes {
		return RegisterEntry{}, fmt.Errorf("%w: a register entry is limited to %d bytes of text", ErrInvalid, maxTextBytes)
	}
	w.PersonalDataOf = m.personalDataOf
	return m.store.AppendRegister(ctx, w, Change{Actor: actor, Reason: reason, At: m.now()})
}

// personalDataOf says whether inc is a personal-data breach: as its
// latest risk decision says, or, unassessed, as that decision would
// default (the scope holds personal data, or the rule indicates
// sensitive_data_exposed).
func (m *Manager) personalDataOf(inc *Incident) bool {
	if inc.Risk != RiskUnassessed {
		return inc.PersonalDataBreach
	}
	return inc.Scope.PersonalData() || slices.Contains(m.indicates[inc.Rule], configs.IndicatesSensitiveData)
}

// CheckRegistered says whether inc may close as far as the Data Breach
// Register goes: every personal-data breach is documented there, notified
// or not, whatever its risk (procedure §7), so an incident that is,
// or was at any risk decision, assessed as one closes only once the DPO
// has written its entry after the latest risk decision (breachd's own
// entries, which follow the deliveries, do not count). breach says whether
// it is or was assessed as one; documented whether the DPO's entry is
// there. The error wraps ErrConflict and says what to do.
func CheckRegistered(inc *Incident, breach, documented bool) error {
	if !breach || documented {
		return nil
	}
	return fmt.Errorf("%w: incident %d is a personal-data breach and the Data Breach Register has no entry for it by the DPO since its latest risk decision: "+
		"every breach is documented there, notified or not (procedure §7); the DPO writes it by assessing the incident (breachd incidents assess %d RISK --reason ...) "+
		"or by correcting the incident's latest register entry (breachd register correct ENTRY --reason ...; POST /api/v1/register with supersedes), or its first entry (POST /api/v1/register); %s",
		ErrConflict, inc.ID, inc.ID, movesBesidesClosing(inc))
}

// CheckNearMissRegistered says whether inc, assessed (it has a risk
// decision) as no personal-data breach, may close: only once the DPO has
// written its entry, a near miss, after the latest risk decision, so that
// the DPO, not only the one who judged that no personal data was
// reached, has documented it. assessed says whether it has a risk
// decision; documented whether the DPO's entry is there.
func CheckNearMissRegistered(inc *Incident, assessed, documented bool) error {
	if !assessed || documented {
		return nil
	}
	return fmt.Errorf("%w: incident %d was assessed as no personal-data breach (a near miss) and the Data Breach Register has no entry for it by the DPO since its latest risk decision: "+
		"every assessed incident is documented there, breach or near miss; the DPO writes it by assessing the incident (breachd incidents assess %d RISK --personal-data false --reason ...) "+
		"or by correcting the incident's latest register entry (breachd register correct ENTRY --reason ...; POST /api/v1/register with supersedes), or its first entry (POST /api/v1/register); %s",
		ErrConflict, inc.ID, inc.ID, movesBesidesClosing(inc))
}

// movesBesidesClosing says what inc can become while it may not close.
func movesBesidesClosing(inc *Incident) string {
	allowed := make([]Status, 0, len(transitions[inc.Status]))
	for _, s := range transitions[inc.Status] {
		if s != StatusClosed {
			allowed = append(allowed, s)
		}
	}
	if len(allowed) == 0 {
		return fmt.Sprintf("until then it stays %s", inc.Status)
	}
	return fmt.Sprintf("until then, from %s it can become %s", inc.Status, joinStatuses(allowed))
}
