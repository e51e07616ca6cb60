// Package incidents turns findings into incidents the response team works,
// and keeps the record of that work.
//
// Findings become incidents by fingerprint (rule plus group key): one
// active incident per fingerprint, later findings attached with a count and
// capped, masked evidence, a closed incident reopened within reopen_within,
// incidents sharing an address or a user linked. The lifecycle (open →
// triaged → contained → notifying → closed, or false_positive) is checked
// by CheckTransition; assets declared in the config give an incident its
// scope, a suggested risk and a cost exposure, and a person confirms the
// risk. Every change is a timeline entry, and every risk decision a
// register entry, both linked into SHA-256 hash chains whose encoding and
// verifier live here (chain.go), so that any store writes and checks them
// the same way.
//
// The package declares the Store it needs (implemented by
// incidents/sqlstore): a store commits an incident, its timeline entries,
// its pending actions and the source progress in one transaction before
// anything acts on them, and appends chain entries one at a time under its
// single writer. The Manager carries out findings and the team's changes,
// reading the time from the clock it is given, and keeps the incident
// metrics; it is safe for concurrent use.
package incidents
