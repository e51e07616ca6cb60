package daemon

import (
	"fmt"
	"os"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/rules"
)

// Check loads the config at path and compiles everything in it, returning
// every problem. `breachd validate` and `breachd run` share it, so a config
// that validates is one the daemon accepts.
//
// ropts.Matcher is the matcher every rule runs on (BREACHD_MATCHER).
func Check(path string, ropts rules.Options) (*configs.Config, *rules.Engine, hcl.Diagnostics) {
	cfg, diags := configs.LoadFile(path)
	if diags.HasErrors() && len(cfg.Rules) == 0 && len(cfg.Actions) == 0 {
		return cfg, nil, diags
	}
	engine, d := rules.Compile(cfg, ropts)
	diags = append(diags, d...)
	_, d = incidents.CompilePolicies(cfg)
	diags = append(diags, d...)
	for _, a := range cfg.Actions {
		if a.Exec == nil {
			continue
		}
		prog, _ := a.Exec.Argv[0].Render(nil)
		if err := runnable(prog); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Program cannot be run",
				Detail:   fmt.Sprintf("Action %q runs %s: %v. Install the program or fix the path.", a.Name, prog, err),
				Subject:  a.Exec.Argv[0].Range.Ptr(),
			})
		}
	}
	for _, s := range cfg.Sources {
		if s.Journald == nil {
			continue
		}
		if err := runnable(s.Journald.Journalctl); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "journalctl cannot be run",
				Detail:   fmt.Sprintf("Source %q follows the journal with %s: %v. Install systemd's journalctl (Debian package systemd) or set journalctl to its path.", s.Name, s.Journald.Journalctl, err),
				Subject:  s.Journald.JournalctlRange.Ptr(),
			})
		}
	}
	// Report in file order, whichever stage found the problem.
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a == nil || b == nil {
			return a == nil && b != nil
		}
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return cfg, engine, diags
}

// runnable reports why the program at path cannot be run, if it cannot.
func runnable(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if st.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}
