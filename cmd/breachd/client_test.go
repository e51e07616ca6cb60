package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestIncidentsCommands runs the CLI client against a daemon running
// in-process, finding it both by -server and through -config.
func TestIncidentsCommands(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server {
  listen         = %q
  anonymous_role = "viewer"
}
source "file" "auth" { paths = ["./var/auth.log"] }
rule "root-login" {
  source = "auth"
  match  = "Accepted \\S+ for root from (?P<ip>\\S+)"
  incident { title = "Root login from ${ip}" }
}
`, addr))

	run := func(args ...string) (string, string, int) {
		var stdout, stderr bytes.Buffer
		code := cli(context.Background(), args, &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	// The daemon follows its log: write a root login carrying terminal
	// escape codes.
	deadline := time.Now().Add(10 * time.Second)
	if out, _, _ := run("incidents", "list", "--server", "http://"+addr); !strings.Contains(out, "No incidents.") {
		t.Errorf("empty list printed %q", out)
	}
	line := "Nov 23 10:00:00 h sshd[1]: Accepted password for root from 203.0.113.9\x1b[2J port 22\n"
	if err := os.WriteFile(filepath.Join(dir, "var", "auth.log"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	var list httpapi.IncidentList
	for len(list.Incidents) == 0 {
		out, errOut, code := run("incidents", "list", "--json", "--config", config)
		if code != 0 {
			t.Fatalf("list --json: exit %d: %s", code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("list --json printed invalid JSON: %v\n%s", err, out)
		}
		if time.Now().After(deadline) {
			t.Fatal("no incident")
		}
		time.Sleep(10 * time.Millisecond)
	}
	out, _, code := run("incidents", "list", "--config", config)
	if code != 0 || !strings.Contains(out, "root-login") || strings.Contains(out, "\x1b") {
		t.Errorf("list printed (exit %d):\n%q\nwant the incident, with the escape code neutralised", code, out)
	}
	out, _, code = run("incidents", "show", "1", "--server", "http://"+addr)
	if code != 0 || !strings.Contains(out, "Incident 1: Root login from 203.0.113.9\\x1b[2J") || !strings.Contains(out, "opened") {
		t.Errorf("show printed (exit %d):\n%s", code, out)
	}
	_, errOut, code := run("incidents", "show", "99", "--server", "http://"+addr)
	if code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("show 99: exit %d, %q", code, errOut)
	}
	_, errOut, code = run("incidents", "list", "--server", "http://127.0.0.1:1")
	if code != 1 || !strings.Contains(errOut, "is breachd running?") {
		t.Errorf("list against nothing: exit %d, %q", code, errOut)
	}
}
