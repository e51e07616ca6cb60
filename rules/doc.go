// Package rules compiles rule specs from package configs into executable rules
// and evaluates events against them: the `match` regular expression with named
// captures, the `where` condition (expr-lang, compiled at load against a typed
// environment and required to be boolean), and the `threshold` sliding window
// keyed by group_by fields.
//
// The package is pure: it does no I/O, starts no goroutines and never reads
// the clock. Every event carries its own time, so rule tests and replays run
// exactly the production code. An Engine is not safe for concurrent
// Evaluate calls; its statistics may be read from any goroutine.
//
// Per-key window state is bounded per rule (Options.MaxKeysPerRule); when the
// bound is reached the least recently seen key is evicted and counted. On a
// reload, Engine.Adopt carries the state of rules whose detection is
// unchanged over to the new engine. Across restarts the caller keeps it:
// after Engine.TrackChanges, Engine.Changes reports the state of the keys
// each source's events changed (persist.go), for the caller to store with
// the positions of those events, and Engine.Import restores it.
//
// The hot path: dispatch on a source field the conditions require
// (guard.go), pick rules by anchored prefixes and required literals
// (package match, and filter.go), then run each expression once per
// line for its captures, recorded as offsets in slots, not maps: on ASCII
// text by a backtracking matcher that steps a literal or a byte run at a
// time and gives regexp's answers (match.ASCII), else by regexp. Common
// where conditions are compiled to Go (native.go), the rest run in expr's
// VM.
package rules
