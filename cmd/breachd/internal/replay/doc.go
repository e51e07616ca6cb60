// Package replay runs a config's parsers and rules over historical log
// files by their own timestamps (breachd replay): it reports matches,
// findings, the incidents they would open and the actions that would run,
// without running anything.
package replay
