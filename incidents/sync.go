package incidents

import (
	"fmt"
	"time"

	"github.com/breachd/breachd/configs"
)

// How an incident's obligations follow the policies' specs: which to
// create, which apply again, which no longer apply, which stay held for
// the role that alone rules them out, which are due at another time. A
// store applies each step and writes its entry.

// SyncKind is what bringing one obligation up to date does.
type SyncKind int

// The steps of SyncStep.
const (
	SyncNothing SyncKind = iota
	SyncCreate           // a new obligation, pending
	SyncReapply          // not required, by breachd, and its condition holds again: pending
	SyncHold             // its condition stopped holding, but only HeldFor rules it out: said once
	SyncRetire           // not required any more, decided by breachd
	SyncRedue            // due at another time
)

// SyncStep says what bringing obligation o (nil when there is none) up to
// date with sp does. An obligation a person decided, or that was sent,
// is left alone.
func SyncStep(o *Obligation, sp ObligationSpec) SyncKind {
	switch {
	case o == nil && sp.Applies:
		return SyncCreate
	case o == nil:
		return SyncNothing // never applied: nothing to record
	case o.State.Decided() && !(o.State == ObligationNotRequired && o.DecidedBy == "breachd"):
		return SyncNothing
	case sp.Applies && o.State == ObligationNotRequired:
		return SyncReapply
	case !sp.Applies && sp.HeldFor != "" && !o.State.Decided():
		return SyncHold
	case !sp.Applies:
		return SyncRetire
	case !sameTime(o.DueAt, sp.DueAt):
		return SyncRedue
	}
	return SyncNothing
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// SyncEntry is the entry of step k for obligation o (nil for a new one)
// and spec sp; withdrawn counts the queued messages of a retired,
// approved notice that are withdrawn.
func SyncEntry(k SyncKind, o *Obligation, sp ObligationSpec, withdrawn int64) Entry {
	due := "none"
	if sp.DueAt != nil {
		due = sp.DueAt.UTC().Format(time.RFC3339)
	}
	e := Entry{Kind: "obligation", Data: map[string]string{"policy": sp.Policy, "recipient": sp.Recipient}}
	switch k {
	case SyncCreate:
		e.Message = fmt.Sprintf("Obligation %s → %s: due %s (%s)", sp.Policy, sp.Recipient, due, sp.Deadline)
		e.Data["due"], e.Data["state"] = due, string(ObligationPending)
	case SyncReapply:
		e.Message = fmt.Sprintf("Obligation %s → %s applies again: due %s (%s)", sp.Policy, sp.Recipient, due, sp.Deadline)
		e.Data["due"], e.Data["state"] = due, string(ObligationPending)
	case SyncHold:
		e.Message = fmt.Sprintf("Obligation %s → %s no longer applies (%s), but only the %s rules it out: it stays owed until the %s decides it (breachd obligations decide %d not_required --reason ...)",
			sp.Policy, sp.Recipient, sp.Reason, sp.HeldFor, sp.HeldFor, o.ID)
		e.Data["state"], e.Data["held_for"], e.Data["reason"] = string(o.State), sp.HeldFor, sp.Reason
	case SyncRetire:
		e.Message = fmt.Sprintf("Obligation %s → %s not required: %s", sp.Policy, sp.Recipient, sp.Reason)
		if o.State == ObligationApproved {
			// A person approved it: say what became of it.
			e.Message += fmt.Sprintf("; it was approved by %s (%s), and %d queued message(s) carrying its notice are withdrawn, not sent", o.DecidedBy, o.Reason, withdrawn)
		}
		e.Data["state"], e.Data["reason"], e.Data["was"] = string(ObligationNotRequired), sp.Reason, string(o.State)
	case SyncRedue:
		e.Message = fmt.Sprintf("Obligation %s → %s now due %s (%s)", sp.Policy, sp.Recipient, due, sp.Deadline)
		e.Data["due"] = due
	}
	return e
}

// ExpandFanOut turns the specs of fan-out families into one spec per
// obligation: a family whose condition does not hold (a spec with no
// recipient) rules each of its obligations (have) out with that reason,
// and an obligation of a family whose party is no longer among the specs
// (the customer left the scope, the list replaced the placeholder) is no
// longer required.
func ExpandFanOut(have []Obligation, specs []ObligationSpec) []ObligationSpec {
	type family struct{ policy, name string }
	fams := map[family]ObligationSpec{}
	keys := map[[2]string]bool{}
	var out []ObligationSpec
	for _, sp := range specs {
		if sp.FanOut {
			if _, seen := fams[family{sp.Policy, sp.Family}]; !seen || sp.Recipient == "" {
				fams[family{sp.Policy, sp.Family}] = sp
			}
		}
		if sp.Recipient == "" {
			continue
		}
		keys[[2]string{sp.Policy, sp.Recipient}] = true
		out = append(out, sp)
	}
	for _, o := range have {
		kind, _ := configs.SplitRecipientKey(o.Recipient)
		f, ok := fams[family{o.Policy, kind}]
		if !ok || keys[[2]string{o.Policy, o.Recipient}] {
			continue
		}
		gone := f
		gone.Recipient, gone.Applies, gone.DueAt = o.Recipient, false, o.DueAt
		if f.Recipient != "" { // the family holds, this party is not in it
			gone.Reason = fmt.Sprintf("%s is no longer among the parties the obligation goes to", o.Recipient)
			if o.Recipient == kind {
				gone.Reason = "replaced by one obligation per party"
				gone.HeldFor = "" // the parties' obligations take over: nothing is lost
			}
		}
		out = append(out, gone)
	}
	return out
}
