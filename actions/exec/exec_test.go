package exec

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

func action(t *testing.T, body string) *Exec {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte("action \"exec\" \"a\" {\n"+body+"\n}"), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return New(cfg.Actions[0], t.TempDir())
}

func TestArgumentsAreNeverSplitOrInterpreted(t *testing.T) {
	e := action(t, `argv = ["/usr/bin/printf", "[%s]", "${note}", "${ip}"]`)
	if strings.Join(e.Fields(), ",") != "note,ip" {
		t.Errorf("fields = %v", e.Fields())
	}
	note := `a b; echo $HOME "$(id)" | cat`
	detail, err := e.Run(context.Background(), actions.Request{Fields: map[string]string{"note": note, "ip": "192.0.2.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, `[a b; echo $HOME \"$(id)\" | cat][192.0.2.1]`) || !strings.Contains(detail, "exited 0") {
		t.Errorf("detail = %s", detail)
	}
}

func TestWorkingDirectoryAndEnvironment(t *testing.T) {
	e := action(t, `argv = ["/usr/bin/env"]`)
	detail, err := e.Run(context.Background(), actions.Request{Fields: map[string]string{"incident_id": "42"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, "BREACHD_INCIDENT_ID=42") || strings.Contains(detail, "HOME=") {
		t.Errorf("environment = %s; want only breachd's minimal environment", detail)
	}
	t.Setenv("BREACHD_TEST_PROXY", "x")
	t.Setenv("HTTPS_PROXY", "http://proxy.internal:3128")
	t.Setenv("SECRET_TOKEN", "s3cr3t")
	e = action(t, `argv = ["/usr/bin/env"]
env = ["HTTPS_PROXY", "NOT_SET_ANYWHERE"]`)
	detail, err = e.Run(context.Background(), actions.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, "HTTPS_PROXY=http://proxy.internal:3128") || strings.Contains(detail, "s3cr3t") || strings.Contains(detail, "NOT_SET") {
		t.Errorf("environment = %s; want HTTPS_PROXY passed and nothing else of breachd's", detail)
	}
	if what, _ := e.Describe(actions.Request{}); what != `run ["/usr/bin/env"]` {
		t.Errorf("describe = %q", what)
	}
	for _, bad := range []string{`["LD_PRELOAD"]`, `["PATH"]`, `["lower"]`, `["BREACHD_TOKEN"]`} {
		if _, diags := configs.Parse("t.hcl", []byte("action \"exec\" \"a\" {\nargv = [\"/usr/bin/env\"]\nenv = "+bad+"\n}"), "/"); !diags.HasErrors() {
			t.Errorf("env = %s accepted", bad)
		}
	}
	e = action(t, `argv = ["/usr/bin/touch", "./made-here"]`)
	if _, err := e.Run(context.Background(), actions.Request{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "made-here")); err != nil {
		t.Errorf("relative path not resolved in the action's folder: %v", err)
	}
}

func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	e := action(t, `
argv    = ["/usr/bin/sleep", "60"]
timeout = "100ms"`)
	start := time.Now()
	_, err := e.Run(context.Background(), actions.Request{})
	if err == nil || !strings.Contains(err.Error(), "killed after timeout") {
		t.Errorf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s: the process was not killed", d)
	}
}

func TestFailureAndOutputCap(t *testing.T) {
	e := action(t, `argv = ["/usr/bin/false"]`)
	if _, err := e.Run(context.Background(), actions.Request{}); err == nil || !strings.Contains(err.Error(), "exit status 1") {
		t.Errorf("err = %v", err)
	}
	e = action(t, `argv = ["/usr/bin/head", "-c", "100000", "/dev/zero"]`)
	detail, err := e.Run(context.Background(), actions.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if len(detail) > 2048 {
		t.Errorf("detail is %d bytes; output must be capped", len(detail))
	}
}
