//go:build !race

package daemon_test

// raceEnabled scales heavy tests down under the race detector.
const raceEnabled = false
