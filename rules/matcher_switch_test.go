package rules

import (
	"testing"

	"github.com/breachd/breachd/configs"
)

// TestMatcherSwitch: a rule's matcher = "regexp", or Options.Matcher for
// every rule, runs its expressions on Go's regexp alone (no ASCII
// matcher), with the same results; an unknown matcher is a config error.
func TestMatcherSwitch(t *testing.T) {
	const src = `
source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}
rule "fast" {
  source = "auth"
  match  = "^Failed password for (?P<user>\\S+) from (?P<ip>[0-9.]+) port \\d+ ssh2$"
}
rule "plain" {
  source  = "auth"
  matcher = "regexp"
  match   = "^Failed password for (?P<user>\\S+) from (?P<ip>[0-9.]+) port \\d+ ssh2$"
}
`
	cfg, diags := configs.Parse("t.hcl", []byte(src), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	line := "Failed password for root from 203.0.113.7 port 22 ssh2"
	for _, tt := range []struct {
		opts      Options
		fast      bool // the "fast" rule's expression has the ASCII matcher
		plainFast bool
	}{
		{Options{}, true, false},
		{Options{Matcher: configs.MatcherRegexp}, false, false},
	} {
		e, diags := Compile(cfg, tt.opts)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		for _, r := range e.rules {
			want := tt.fast
			if r.spec.Name == "plain" {
				want = tt.plainFast
			}
			if got := r.m.pats[0].fast != nil; got != want {
				t.Errorf("%+v: rule %s has the ASCII matcher: %v, want %v", tt.opts, r.spec.Name, got, want)
			}
			idx := r.m.pats[0].find([]byte(line), 1)
			if idx == nil || line[idx[4]:idx[5]] != "203.0.113.7" {
				t.Errorf("%+v: rule %s: submatches %v", tt.opts, r.spec.Name, idx)
			}
		}
	}
	_, diags = configs.Parse("t.hcl", []byte(`
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "x" {
  source  = "auth"
  matcher = "pcre"
  match   = "x"
}
`), "/")
	if !diags.HasErrors() || diags[0].Summary != "Invalid matcher" || diags[0].Subject.Start.Line != 7 {
		t.Errorf("unknown matcher: %v", diags)
	}
}
