// Package notify delivers the outbox: the messages breachd owes (the team
// paged on a new incident), committed in the store with the change that
// caused them. A Notifier sends each due message through its channel with
// its idempotency key, logs every attempt, retries failures with
// exponential backoff and jitter, and gives up after the retry budget
// (dead letter: on the timeline and in a metric). The channels are in the
// packages below it, one each.
package notify
