//go:build race

package daemon_test

// raceEnabled scales heavy tests down under the race detector, which makes
// this code about 20 times slower.
const raceEnabled = true
