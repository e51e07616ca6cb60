// Package actions runs containment actions for incidents. The Runner takes
// pending action runs, handed over in memory right after their commit or
// read from the incidents store (they were committed with the incident, so
// none is lost on a crash), validates every value an action will
// interpolate (IP addresses through net/netip, user and unit names against
// strict patterns, everything else against a conservative default), runs the
// action with its timeout, and records the outcome on the incident's
// timeline.
//
// Each action kind lives in its own package under actions/ and implements
// Action; the daemon maps config kinds to constructors. Nothing here runs a
// shell.
package actions
