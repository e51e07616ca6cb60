package incidents

import (
	"fmt"
	"strconv"
	"time"
)

// What the timeline says of each change, and the few decisions a store
// takes while recording one: here, so that every store writes the same
// words and decides the same way, and a store holds storage alone.

// Entry is a timeline entry's content before a store places it: its kind,
// its message and its data.
type Entry struct {
	Kind    string
	Message string
	Data    map[string]string
}

// Reopens says whether a finding seen at seen reopens the last incident
// of its fingerprint, closed at closed: within reopen_within (within) of
// its closing; a rule without reopen_within never reopens.
func Reopens(closed, seen time.Time, within time.Duration) bool {
	return within > 0 && closed.Add(within).After(seen)
}

// ReopenedEntry is the entry of an incident that a finding of rule reopened.
func ReopenedEntry(rule string, closed, seen time.Time, within time.Duration) Entry {
	return Entry{
		Kind: "reopened",
		Message: fmt.Sprintf("Reopened by rule %s: a new finding came %s after the incident was closed (reopen_within %s)",
			rule, seen.Sub(closed).Round(time.Second), within),
		Data: map[string]string{"from": string(StatusClosed), "to": string(StatusOpen)},
	}
}

// OpenedEntry is the entry of an incident a rule's finding opened.
func OpenedEntry(inc Incident) Entry {
	e := Entry{
		Kind:    "opened",
		Message: fmt.Sprintf("Opened by rule %s (%s, %s): %s", inc.Rule, inc.Severity, inc.Category, inc.Title),
		Data:    map[string]string{"suggested_risk": string(inc.SuggestedRisk)},
	}
	e.suggested(inc)
	return e
}

// OpenedByHandEntry is the entry of an incident a person opened from a
// report.
func OpenedByHandEntry(inc Incident, c Change) Entry {
	e := Entry{
		Kind:    "opened",
		Message: fmt.Sprintf("Opened by hand by %s (%s, %s): %s", c.Actor, inc.Severity, inc.Category, inc.Title),
		Data:    map[string]string{"reporter": inc.Reporter, "reason": c.Reason, "suggested_risk": string(inc.SuggestedRisk)},
	}
	if inc.Reporter != "" {
		e.Message += "; reported by " + inc.Reporter
	}
	e.suggested(inc)
	return e
}

// suggested adds the suggested risk's reason, when there is one.
func (e *Entry) suggested(inc Incident) {
	if inc.SuggestedRiskReason != "" {
		e.Message += fmt.Sprintf("; suggested risk %s: %s", inc.SuggestedRisk, inc.SuggestedRiskReason)
		e.Data["suggested_risk_reason"] = inc.SuggestedRiskReason
	}
}

// TransitionEntry is the entry of a move from one status to another.
func TransitionEntry(from, to Status, resolution string, c Change) Entry {
	msg := fmt.Sprintf("%s → %s", from, to)
	if resolution != "" {
		msg += "; resolution: " + resolution
	}
	if c.Reason != "" {
		msg += "; reason: " + c.Reason
	}
	return Entry{Kind: "transition", Message: msg,
		Data: map[string]string{"from": string(from), "to": string(to), "resolution": resolution, "reason": c.Reason}}
}

// RiskEntry is the entry of a risk decision: kind is the register entry
// it makes (RegisterKindFor), recorded is false when the entry waits for
// the DPO's own decision.
func RiskEntry(inc Incident, a Assessment, personal bool, kind string, c Change) Entry {
	what := "not a personal-data breach: a near miss"
	if kind == RegisterBreach {
		what = "a personal-data breach"
	}
	register := kind
	if !a.Register {
		what += "; the register entry waits for the DPO, whose own decision records it"
		register = "waiting for the DPO"
	}
	return Entry{
		Kind:    "risk",
		Message: fmt.Sprintf("Risk %s (suggested %s, was %s); %s; reason: %s", a.Risk, inc.SuggestedRisk, inc.Risk, what, c.Reason),
		Data: map[string]string{
			"risk": string(a.Risk), "previous": string(inc.Risk), "suggested": string(inc.SuggestedRisk),
			"personal_data": strconv.FormatBool(personal), "register": register, "reason": c.Reason,
		},
	}
}

// FirstRun is the state a rule's action run starts in, and its result:
// pending, or dry_run (finished at once, nothing executed) for a rule in
// dry-run mode.
func FirstRun(dryRun bool) (ActionState, string) {
	if dryRun {
		return ActionDryRun, "dry run: the rule is in dry-run mode; nothing was executed"
	}
	return ActionPending, ""
}

// PageKey is the idempotency key of the page a new incident owes a route's
// channel: the same incident, route and channel give the same key, so a
// receiver that deduplicates sees it once however often it is sent.
func PageKey(incident int64, route, channel string) string {
	return fmt.Sprintf("breachd-incident-%d-%s-%s-opened-v1", incident, route, channel)
}

// FollowUpEvent is the event a move to status sends the channels paged on
// the incident: contained acknowledges, closed and false_positive
// resolve, reopened triggers again; "" for the others.
func FollowUpEvent(to Status) string {
	switch to {
	case StatusContained:
		return "incident.acknowledged"
	case StatusClosed, StatusFalsePositive:
		return "incident.resolved"
	case StatusOpen:
		return "incident.reopened"
	}
	return ""
}

// ScopeEntry is the entry of a scope change: sc the new scope, suggested
// the risk it suggests, cost its exposure, old and now the scopes as JSON.
func ScopeEntry(sc Scope, suggested Risk, cost float64, old, now string, c Change) Entry {
	return Entry{
		Kind: "scope",
		Message: fmt.Sprintf("Scope: assets %v, %d data subjects, %d records, categories %v, encrypted %t, keys exposed %t; suggested risk %s; reason: %s",
			sc.Assets, sc.DataSubjects, sc.Records, sc.DataCategories, sc.Encrypted, sc.KeysExposed, suggested, c.Reason),
		Data: map[string]string{"old": old, "new": now, "cost_exposure": strconv.FormatFloat(cost, 'f', 2, 64), "reason": c.Reason},
	}
}

// FactsEntry is the entry of a change of the notices' facts, old and now
// as JSON.
func FactsEntry(old, now string, c Change) Entry {
	return Entry{Kind: "facts", Message: "Notice facts updated; reason: " + c.Reason,
		Data: map[string]string{"old": old, "new": now, "reason": c.Reason}}
}

// ClockEntry is the entry of a clock (aware_at, occurred_at) set to t; old
// is what it was, nil when unset.
func ClockEntry(clock string, old *time.Time, t time.Time, c Change) Entry {
	was := ""
	if old != nil {
		was = old.Format(time.RFC3339Nano)
	}
	return Entry{
		Kind:    "clock",
		Message: fmt.Sprintf("%s set to %s (was %s); reason: %s", clock, t.UTC().Format(time.RFC3339), was, c.Reason),
		Data:    map[string]string{"clock": clock, "old": was, "new": t.UTC().Format(time.RFC3339Nano), "reason": c.Reason},
	}
}

// ContainedEntry is the entry of a containment applied.
func ContainedEntry(c Containment) Entry {
	return Entry{
		Kind:    "containment",
		Message: fmt.Sprintf("Action %s: %s contained until %s (offence %d)", c.Action, c.Target, c.ExpiresAt.Format(time.RFC3339), c.Offense),
		Data:    map[string]string{"action": c.Action, "target": c.Target, "containment": strconv.FormatInt(c.ID, 10), "offense": strconv.Itoa(c.Offense)},
	}
}

// ExtendedEntry is the entry of a containment asked for again while in
// force: one containment, its end moved to c.ExpiresAt.
func ExtendedEntry(c Containment) Entry {
	return Entry{
		Kind:    "containment",
		Message: fmt.Sprintf("Action %s: %s already contained; now until %s", c.Action, c.Target, c.ExpiresAt.Format(time.RFC3339)),
		Data:    map[string]string{"action": c.Action, "target": c.Target, "containment": strconv.FormatInt(c.ID, 10), "extended": "true"},
	}
}

// ContainmentEndedEntry is the entry of containment id ended in state.
func ContainmentEndedEntry(id int64, action, target string, state ContainmentState, reason string, c Change) Entry {
	return Entry{
		Kind:    "containment",
		Message: fmt.Sprintf("Action %s: %s %s: %s", action, target, state, reason),
		Data:    map[string]string{"action": action, "target": target, "containment": strconv.FormatInt(id, 10), "state": string(state), "reason": c.Reason},
	}
}

// ActionEntry is the entry of an action run that finished in state.
func ActionEntry(action string, state ActionState, result string) Entry {
	return Entry{Kind: "action", Message: fmt.Sprintf("Action %s %s: %s", action, state, result),
		Data: map[string]string{"action": action, "state": string(state)}}
}

// RunPageKey is the idempotency key of the page that run's outcome (state)
// owes a channel.
func RunPageKey(run int64, state ActionState, channel string) string {
	return fmt.Sprintf("breachd-run-%d-%s-%s", run, state, channel)
}

// PagedEntry is the entry of a page sent on run's outcome.
func PagedEntry(p Page, run int64, action string, state ActionState, event string) Entry {
	return Entry{
		Kind:    "notification",
		Message: fmt.Sprintf("Paged via %s (route %s): action %s %s", p.Channel, p.Route, action, state),
		Data:    map[string]string{"channel": p.Channel, "route": p.Route, "event": event, "run": strconv.FormatInt(run, 10)},
	}
}

// SettledWhat says what a person's answer for a run of unknown outcome
// means: ran, not run, or pending (not run, and run again).
func SettledWhat(to ActionState) (string, error) {
	switch to {
	case ActionRan:
		return "it ran", nil
	case ActionNotRun:
		return "it did not run", nil
	case ActionPending:
		return "it did not run; it runs again", nil
	}
	return "", fmt.Errorf("%w: settle a run as ran, not_run or pending (to run it again), not %q", ErrInvalid, to)
}

// SettledEntry is the entry of a person's answer for run's outcome.
func SettledEntry(run int64, action string, to ActionState, what string, c Change) Entry {
	return Entry{
		Kind:    "settle",
		Message: fmt.Sprintf("Action %s settled by %s: %s; reason: %s", action, c.Actor, what, c.Reason),
		Data:    map[string]string{"action": action, "run": strconv.FormatInt(run, 10), "outcome": string(to), "reason": c.Reason},
	}
}
