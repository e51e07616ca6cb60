package incidents

import (
	"fmt"
	"strconv"
	"time"
)

// The entries of approvals and of obligations' decisions (see entries.go).

// AwaitingEntry is the entry of a run that waits for approval until
// expires.
func AwaitingEntry(run int64, action, reason string, expires time.Time) Entry {
	return Entry{
		Kind:    "approval",
		Message: fmt.Sprintf("Action %s waits for approval until %s: %s", action, expires.UTC().Format(time.RFC3339), reason),
		Data:    map[string]string{"action": action, "run": strconv.FormatInt(run, 10), "reason": reason},
	}
}

// VerdictEntry is the entry of a person's approval (or denial) of a run.
func VerdictEntry(run int64, action string, approve bool, c Change) Entry {
	verdict := "approved"
	if !approve {
		verdict = "denied"
	}
	return Entry{
		Kind:    "approval",
		Message: fmt.Sprintf("Action %s %s by %s: %s", action, verdict, c.Actor, c.Reason),
		Data:    map[string]string{"action": action, "run": strconv.FormatInt(run, 10), "verdict": verdict, "reason": c.Reason},
	}
}

// ExpiredResult is the result of a run nobody approved in time.
const ExpiredResult = "nobody approved it in time; nothing ran"

// ExpiredEntry is the entry of a run nobody approved in time.
func ExpiredEntry(run int64, action string) Entry {
	return Entry{Kind: "approval", Message: fmt.Sprintf("Action %s expired: %s", action, ExpiredResult),
		Data: map[string]string{"action": action, "run": strconv.FormatInt(run, 10), "verdict": "expired"}}
}

// Late says how long after its due time a decision at came, "" when it
// was not late.
func Late(due *time.Time, at time.Time) string {
	if due == nil || !at.After(*due) {
		return ""
	}
	return fmt.Sprintf(" (%s after its due time)", at.Sub(*due).Round(time.Minute))
}

// DecisionEntry is the entry of a person's decision of an obligation.
func DecisionEntry(o Obligation, state ObligationState, late string, c Change) Entry {
	return Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: %s%s; reason: %s", o.Policy, o.Recipient, state, late, c.Reason),
		Data:    map[string]string{"policy": o.Policy, "recipient": o.Recipient, "state": string(state), "reason": c.Reason, "late": late},
	}
}

// DraftedEntry is the entry of an obligation whose notice lacks nothing
// any more (drafted), or lacks a fact again.
func DraftedEntry(policy, recipient string, drafted bool) Entry {
	to, msg := ObligationDrafted, "drafted: the notice lacks nothing and waits for approval"
	if !drafted {
		to, msg = ObligationPending, "back to pending: the notice lacks a fact again"
	}
	return Entry{Kind: "obligation", Message: fmt.Sprintf("Obligation %s → %s %s", policy, recipient, msg),
		Data: map[string]string{"policy": policy, "recipient": recipient, "state": string(to)}}
}

// MergedAway is why an obligation of an incident merged into another is
// not required: the survivor's take over.
func MergedAway(into int64, c Change) string {
	return fmt.Sprintf("merged into incident %d, whose obligations take over; reason: %s", into, c.Reason)
}

// StaysOwedEntry is the merged incident's entry of an obligation the
// survivor does not owe: it stays owed there.
func StaysOwedEntry(o Obligation, into int64) Entry {
	return Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s stays owed: incident %d, merged into, does not owe it", o.Policy, o.Recipient, into),
		Data:    map[string]string{"policy": o.Policy, "recipient": o.Recipient, "into": strconv.FormatInt(into, 10)},
	}
}

// TakenOverEntries are the entries of an obligation of incident from,
// merged into into, that the survivor takes over: the merged incident's
// (not required) and the survivor's.
func TakenOverEntries(o Obligation, from, into int64, c Change) (merged, survivor Entry) {
	why := MergedAway(into, c)
	merged = Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: not_required: %s", o.Policy, o.Recipient, why),
		Data:    map[string]string{"policy": o.Policy, "recipient": o.Recipient, "state": string(ObligationNotRequired), "reason": why},
	}
	survivor = Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s of merged incident %d (was %s) is taken over by this incident", o.Policy, o.Recipient, from, o.State),
		Data:    map[string]string{"policy": o.Policy, "recipient": o.Recipient, "from": strconv.FormatInt(from, 10)},
	}
	return merged, survivor
}
