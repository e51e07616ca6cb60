package incidents

import (
	"fmt"
	"strconv"
	"time"
)

// What a merge decides for its survivor, and what the timelines say of
// it: the store applies the decisions and writes the entries.

// ClockTaken is a clock the survivor of a merge takes from a merged
// incident.
type ClockTaken struct {
	Clock string     // occurred_at, aware_at or determined_at
	Old   *time.Time // the survivor's, nil when unset
	New   time.Time
	From  int64 // the merged incident it comes from
}

// MergeClocks gives the survivor the earliest occurred_at, aware_at and
// determined_at of the merged incidents: the case was known as early as
// its earliest part, so a merge only moves deadlines earlier. It returns
// the clocks that change.
func MergeClocks(target *Incident, srcs []*Incident) []ClockTaken {
	type clock struct {
		name string
		get  func(*Incident) *time.Time
	}
	var out []ClockTaken
	for _, k := range []clock{
		{ClockOccurred, func(i *Incident) *time.Time { return i.OccurredAt }},
		{ClockAware, func(i *Incident) *time.Time {
			if i.AwareAt.IsZero() {
				return nil
			}
			return &i.AwareAt
		}},
		{"determined_at", func(i *Incident) *time.Time { return i.DeterminedAt }},
	} {
		old := k.get(target)
		best, by := old, target.ID
		for _, src := range srcs {
			if t := k.get(src); t != nil && (best == nil || t.Before(*best)) {
				best, by = t, src.ID
			}
		}
		if by != target.ID {
			out = append(out, ClockTaken{Clock: k.name, Old: old, New: *best, From: by})
		}
	}
	return out
}

// ClockTakenEntry is the survivor's entry of a clock taken in a merge.
func ClockTakenEntry(k ClockTaken, c Change) Entry {
	was := "unset"
	if k.Old != nil {
		was = k.Old.UTC().Format(time.RFC3339)
	}
	return Entry{
		Kind: "clock",
		Message: fmt.Sprintf("%s set to %s (was %s): the earliest of the merged incidents, incident %d's; reason: %s",
			k.Clock, k.New.UTC().Format(time.RFC3339), was, k.From, c.Reason),
		Data: map[string]string{"clock": k.Clock, "old": was, "new": k.New.UTC().Format(time.RFC3339Nano), "from": strconv.FormatInt(k.From, 10), "reason": c.Reason},
	}
}

// MergedScopeEntry is the survivor's entry of the union of the merged
// scopes (sc), judged again (suggested, cost); old and now as JSON.
func MergedScopeEntry(sc Scope, suggested Risk, cost float64, old, now string, c Change) Entry {
	e := ScopeEntry(sc, suggested, cost, old, now, Change{Reason: "the union of the merged incidents' scopes; " + c.Reason})
	e.Data["reason"] = c.Reason
	return e
}

// MergeRisk gives the survivor the highest risk decision of the merged
// incidents (best, whose decision it is) and says whether personal data
// was affected in any of them.
func MergeRisk(target *Incident, srcs []*Incident) (best *Incident, personal bool) {
	best, personal = target, target.PersonalDataBreach
	for _, src := range srcs {
		if src.Risk.Rank() > best.Risk.Rank() {
			best = src
		}
		personal = personal || src.PersonalDataBreach
	}
	return best, personal
}

// MergedRiskEntry is the survivor's entry of the risk decision it takes
// from best; dpo says the DPO decided one of the merged incidents (the
// merge's register entry then records it).
func MergedRiskEntry(target, best *Incident, personal, dpo bool, c Change) Entry {
	register := "waiting for the DPO"
	if dpo {
		register = "merge"
	}
	return Entry{
		Kind: "risk",
		Message: fmt.Sprintf("Risk %s (was %s): the highest decision of the merged incidents, incident %d's by %s (%s); reason: %s",
			best.Risk, target.Risk, best.ID, best.RiskBy, best.RiskReason, c.Reason),
		Data: map[string]string{
			"risk": string(best.Risk), "previous": string(target.Risk), "suggested": string(target.SuggestedRisk),
			"personal_data": strconv.FormatBool(personal), "register": register, "from": strconv.FormatInt(best.ID, 10),
			"decided_by": best.RiskBy, "reason": c.Reason,
		},
	}
}

// MergedIntoEntry is the merged incident's entry.
func MergedIntoEntry(into int64, c Change) Entry {
	return Entry{Kind: "merge", Message: fmt.Sprintf("Merged into incident %d; reason: %s", into, c.Reason),
		Data: map[string]string{"into": strconv.FormatInt(into, 10), "reason": c.Reason}}
}

// MergedInEntry is the survivor's entry of src merged into it.
func MergedInEntry(src *Incident, c Change) Entry {
	return Entry{
		Kind: "merge",
		Message: fmt.Sprintf("Incident %d merged in (%d findings, %s, was %s): %s; reason: %s",
			src.ID, src.FindingCount, src.Rule, src.Status, src.Title, c.Reason),
		Data: map[string]string{"from": strconv.FormatInt(src.ID, 10), "reason": c.Reason},
	}
}

// SentBeforeMergeEntries are the entries of a notice sent on incident from
// that counts for into, merged into: the survivor's (sent, with the
// original's proof and delivery time) and the merged incident's.
func SentBeforeMergeEntries(into, from int64, policy, recipient, proof string, delivered time.Time) (survivor, merged Entry) {
	why := SentBeforeMerge(from)
	survivor = Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: sent %s: %s (delivered %s)", policy, recipient, why, proof, delivered.UTC().Format(time.RFC3339)),
		Data: map[string]string{"policy": policy, "recipient": recipient, "state": "sent", "reason": why, "proof": proof,
			"delivered": delivered.UTC().Format(time.RFC3339Nano), "from": strconv.FormatInt(from, 10)},
	}
	merged = Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s sent here counts for incident %d, merged into", policy, recipient, into),
		Data:    map[string]string{"policy": policy, "recipient": recipient, "into": strconv.FormatInt(into, 10)},
	}
	return survivor, merged
}

// SentBeforeMerge is the reason a survivor's obligation is sent: its
// notice was given on incident from before the merge.
func SentBeforeMerge(from int64) string {
	return fmt.Sprintf("given on incident %d before the merge", from)
}
