// Package incidents turns findings into incidents the response team works:
// one active incident per fingerprint (rule plus group key), later findings
// attached to it with a count and last-seen time, a timeline entry for every
// event in its life, and the containment actions it needs queued durably.
//
// It declares the Store it needs (implemented by incidents/sqlstore) and
// commits an incident, its timeline entry and its pending actions in one
// transaction before anything acts on them. Evidence is masked (card numbers,
// SSNs) before it is stored.
//
// A Manager is safe for concurrent use; it reads the time from the clock it
// is given.
package incidents
