package incidents

import (
	"fmt"
	"strconv"
	"time"
)

// The entries of messages, notices, the data subjects' list, the register
// and retention (see entries.go).

// DeliveryEntry is the entry of a message delivered (ok), or given up
// (dead: detail says why), or neither.
func DeliveryEntry(message int64, channel, route, detail string, ok, dead bool) Entry {
	msg := fmt.Sprintf("Notified via %s (route %s): %s", channel, route, detail)
	if dead {
		// The detail says why: a permanent failure, or the last attempt
		// of the retry budget.
		msg = fmt.Sprintf("Could not notify via %s (route %s); given up: %s", channel, route, detail)
	}
	return Entry{Kind: "notification", Message: msg,
		Data: map[string]string{"channel": channel, "route": route, "message": strconv.FormatInt(message, 10), "ok": strconv.FormatBool(ok)}}
}

// DeadLetterKey is the idempotency key of the alert that message was given
// up, to channel.
func DeadLetterKey(message int64, channel string) string {
	return fmt.Sprintf("breachd-message-%d-dead-%s-v1", message, channel)
}

// ResentEntry is the entry of message id sent again by hand as message m.
func ResentEntry(id int64, m Message, c Change) Entry {
	return Entry{
		Kind: "notification",
		Message: fmt.Sprintf("Message %d via %s (route %s) sent again by hand as message %d, with its own key %s; reason: %s",
			id, m.Channel, m.Route, m.ID, m.IdempotencyKey, c.Reason),
		Data: map[string]string{"message": strconv.FormatInt(m.ID, 10), "resend_of": strconv.FormatInt(id, 10), "channel": m.Channel, "key": m.IdempotencyKey, "reason": c.Reason},
	}
}

// QueuedEntry is the entry of a page queued: note says what it is.
func QueuedEntry(p Page, event, note string) Entry {
	return Entry{Kind: "notification", Message: note, Data: map[string]string{"channel": p.Channel, "route": p.Route, "event": event}}
}

// DeliveredReason is what an approved obligation's reason gains when its
// notice is delivered.
func DeliveredReason(channel string, message int64) string {
	return fmt.Sprintf("; sent via %s (message %d)", channel, message)
}

// NoticeDeliveredEntry is the entry of an approved notice delivered, with
// the channel's proof.
func NoticeDeliveredEntry(policy, recipient, channel string, message int64, proof string) Entry {
	return Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: sent via %s (message %d): %s", policy, recipient, channel, message, proof),
		Data:    map[string]string{"policy": policy, "recipient": recipient, "state": string(ObligationSent), "channel": channel, "message": strconv.FormatInt(message, 10), "proof": proof},
	}
}

// GivenEntry is the entry of a notice given outside breachd (a call, a
// letter, a publication), with its proof.
func GivenEntry(o Obligation, late, proof string, c Change) Entry {
	return Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: sent%s: %s", o.Policy, o.Recipient, late, proof),
		Data:    map[string]string{"policy": o.Policy, "recipient": o.Recipient, "state": string(ObligationSent), "reason": c.Reason, "proof": proof, "late": late},
	}
}

// SubjectsEntry is the entry of the data subjects' list uploaded (n
// people) or purged: it names the count, never a person on the list.
func SubjectsEntry(n int, purged bool, c Change) Entry {
	msg := fmt.Sprintf("List of %d data subjects uploaded; reason: %s", n, c.Reason)
	if purged {
		msg = fmt.Sprintf("List of %d data subjects purged: %s", n, c.Reason)
	}
	return Entry{Kind: "subjects", Message: msg, Data: map[string]string{"subjects": strconv.Itoa(n), "reason": c.Reason}}
}

// ObligationStateEntry is the entry of an obligation set to state.
func ObligationStateEntry(policy, recipient string, state ObligationState, c Change) Entry {
	return Entry{
		Kind:    "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: %s; reason: %s", policy, recipient, state, c.Reason),
		Data:    map[string]string{"policy": policy, "recipient": recipient, "state": string(state), "reason": c.Reason},
	}
}

// PurgeEntry is the entry retention leaves of what it removed before
// cutoff.
func PurgeEntry(lines, entries int64, cutoff time.Time) Entry {
	return Entry{
		Kind: "purge",
		Message: fmt.Sprintf("Retention: %d evidence lines and %d timeline entries from before %s removed; their hashes remain in the chain",
			lines, entries, cutoff.UTC().Format(time.RFC3339)),
		Data: map[string]string{"evidence_lines": strconv.FormatInt(lines, 10), "timeline_entries": strconv.FormatInt(entries, 10),
			"cutoff": cutoff.UTC().Format(time.RFC3339Nano)},
	}
}

// RegisterWrittenEntry is the incident's entry of a register entry the
// DPO wrote.
func RegisterWrittenEntry(e RegisterEntry) Entry {
	msg := fmt.Sprintf("Register entry %d (%s) written by the DPO", e.ID, e.Kind)
	supersedes := ""
	if e.Supersedes != nil {
		msg += fmt.Sprintf(", superseding entry %d", *e.Supersedes)
		supersedes = strconv.FormatInt(*e.Supersedes, 10)
	}
	return Entry{Kind: "register", Message: msg + "; reason: " + e.Record.Reason,
		Data: map[string]string{"register_id": strconv.FormatInt(e.ID, 10), "supersedes": supersedes, "reason": e.Record.Reason}}
}

// UpdateDeadline is the deadline of update n of the notice of obligation
// first.
func UpdateDeadline(n int, first int64) string {
	return fmt.Sprintf("without undue delay: update %d of obligation %d (GDPR Art. 33(4))", n, first)
}

// UpdateRequestedEntry is the entry of update n of first's notice,
// requested as obligation up (recipient key).
func UpdateRequestedEntry(first Obligation, n int, up int64, key string, c Change) Entry {
	return Entry{
		Kind: "obligation",
		Message: fmt.Sprintf("Obligation %s → %s: update %d of the notice sent (obligation %d) requested as obligation %d; reason: %s",
			first.Policy, first.Recipient, n, first.ID, up, c.Reason),
		Data: map[string]string{"policy": first.Policy, "recipient": key, "update_of": strconv.FormatInt(first.ID, 10), "state": string(ObligationPending), "reason": c.Reason},
	}
}

// NoticeKey is the idempotency key of version v of obligation's notice on
// a channel: a notice whose text changed is a new message.
func NoticeKey(obligation int64, channel string, v int) string {
	return fmt.Sprintf("breachd-obligation-%d-notice-%s-v%d", obligation, channel, v)
}

// NoticeQueuedEntry is the entry of an approved notice queued on a channel.
func NoticeQueuedEntry(o Obligation, channel, key string) Entry {
	return Entry{
		Kind:    "notification",
		Message: fmt.Sprintf("Notice %s → %s queued via %s (key %s)", o.Policy, o.Recipient, channel, key),
		Data:    map[string]string{"channel": channel, "route": "notice", "event": "obligation.notice", "policy": o.Policy, "recipient": o.Recipient},
	}
}
