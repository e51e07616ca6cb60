package ruletest

import (
	"bytes"
	"strings"
	"testing"
)

func load(t *testing.T, path string) *Suite {
	t.Helper()
	s, diags := Load(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return s
}

func TestSequenceAndAbsentSuites(t *testing.T) {
	for file, n := range map[string]int{"testdata/sequence_test.hcl": 2, "testdata/absent_test.hcl": 1} {
		results := load(t, file).Run()
		var out bytes.Buffer
		if !Report(&out, results, true) || len(results) != n {
			t.Errorf("%s:\n%s", file, out.String())
		}
	}
}

func TestPassingSuite(t *testing.T) {
	results := load(t, "testdata/pass_test.hcl").Run()
	var out bytes.Buffer
	if !Report(&out, results, true) || len(results) != 2 {
		t.Errorf("report:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "--- PASS: pass_test.hcl/five failures in a minute") {
		t.Errorf("verbose output:\n%s", out.String())
	}
}

func TestFailingSuiteSaysWhy(t *testing.T) {
	results := load(t, "testdata/fail_test.hcl").Run()
	var out bytes.Buffer
	if Report(&out, results, false) {
		t.Fatal("the suite passed")
	}
	got := out.String()
	for _, want := range []string{
		"--- FAIL: fail_test.hcl/expects the wrong address",
		"fail_test.hcl:10: want 1 finding(s) of ssh-brute-force with ip=192.0.2.1, got 0",
		"unexpected finding(s)\n        ssh-brute-force (ip=203.0.113.7) at 2026-11-23T10:00:00Z",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "passes") {
		t.Errorf("a passing test is printed without -v:\n%s", got)
	}
}

func TestLoadErrors(t *testing.T) {
	_, diags := Load("testdata/missing_test.hcl")
	if !diags.HasErrors() {
		t.Error("a missing file loads")
	}
}
