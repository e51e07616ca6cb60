package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"go.uber.org/goleak"
)

// TestMain lets the test binary be breachd itself: with BREACHD_TEST_MAIN=1
// it runs main with its arguments, so tests can run the program as a user
// does, in its own process (exit codes, signals, fatal errors).
func TestMain(m *testing.M) {
	if os.Getenv("BREACHD_TEST_MAIN") == "1" {
		main()
	}
	goleak.VerifyTestMain(m) // fails the tests if a goroutine outlives them
}

// breachd returns the command that runs breachd with args in a process of
// its own.
func breachd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "BREACHD_TEST_MAIN=1")
	return cmd
}

// runBreachd runs breachd with args to its end and returns its exit code,
// standard output and standard error.
func runBreachd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := breachd(t, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}
