package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// run runs breachd's command line and returns its outputs and exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// leaves lists every command that runs, by its path ("breachd incidents show").
func leaves(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, s := range c.Commands() {
		if !s.IsAvailableCommand() || s.Name() == "completion" {
			continue
		}
		if s.HasSubCommands() {
			out = append(out, leaves(s)...)
			continue
		}
		out = append(out, s)
	}
	return out
}

// TestHelpOfEveryCommand: each command's --help prints its usage and every
// flag it reads, to stdout, exit 0; help comes from the same declarations
// as the parsing, so the two cannot drift.
func TestHelpOfEveryCommand(t *testing.T) {
	root := newRoot(&streams{ctx: context.Background()})
	all := leaves(root)
	if len(all) < 30 {
		t.Fatalf("%d commands; want every command of breachd", len(all))
	}
	for _, c := range all {
		path := strings.Fields(c.CommandPath())[1:]
		out, errOut, code := runCLI(t, append(path, "--help")...)
		if code != 0 || errOut != "" || !strings.Contains(out, "Usage:\n  "+c.UseLine()) {
			t.Errorf("%s --help: exit %d, stderr %q, stdout:\n%s", c.CommandPath(), code, errOut, out)
			continue
		}
		if c.Short == "" {
			t.Errorf("%s: no description", c.CommandPath())
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(out, "--"+f.Name) || f.Usage == "" {
				t.Errorf("%s --help does not describe --%s:\n%s", c.CommandPath(), f.Name, out)
			}
		})
	}
}

// TestUsageMistakes: the mistakes people make at a command line get exit 2
// and a message that says what to type instead.
func TestUsageMistakes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"incidnets", "list"}, "Did you mean this?\n\tincidents"},
		{[]string{"incidents", "shwo", "1"}, `did you mean "show"?`},
		{[]string{"incidents"}, "name a command: assess, clock"},
		{[]string{"fmt", "-check", "x.hcl"}, "long flags take two dashes: --check"},
		{[]string{"replay", "-config=x.hcl", "a.log"}, "long flags take two dashes: --config=x.hcl"},
		{[]string{"incidents", "list", "--limt", "3"}, "unknown flag: --limt"},
		{[]string{"incidents", "list", "--limit", "many"}, `invalid argument "many" for "--limit"`},
		{[]string{"incidents", "scope", "1", "--encrypted", "maybe"}, "use true or false"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
		{[]string{"completion", "tcsh"}, `unknown command "tcsh"`},
		{[]string{"completion"}, "name a command: bash, fish, powershell, zsh"},
		// Checked here, before a request is sent: what --help calls
		// required, and the arguments that take one of a few values.
		{[]string{"incidents", "assess", "1", "none"}, `required flag(s) "reason" not set`},
		{[]string{"incidents", "open"}, `required flag(s) "title" not set`},
		{[]string{"obligations", "call", "3", "--caller", "x", "--at", "2026-11-23T10:00:00Z"}, `required flag(s) "callee", "said" not set`},
		{[]string{"incidents", "assess", "1", "maybe", "--reason", "r"}, `the risk "maybe": use one of none, risk, high`},
		{[]string{"incidents", "transition", "1", "bogus"}, `the status "bogus": use one of open, triaged`},
		{[]string{"incidents", "clock", "1", "seen_at", "2026-11-23T10:00:00Z", "--reason", "r"}, "use one of aware_at, occurred_at"},
		{[]string{"obligations", "decide", "3", "done", "--reason", "r"}, "use one of approved, sent, not_required"},
		{[]string{"actions", "settle", "3", "maybe", "--reason", "r"}, "use one of ran, not-run"},
		{[]string{"incidents", "removal", "3", "someone", "--what", "w"}, "use one of customer, company"},
		{[]string{"incidents", "scope", "1", "--reason", "r"}, "nothing to change"},
		{[]string{"actions", "revert", "x1", "--reason", "r"}, `"x1" is not a containment ID`},
		{[]string{"incidents", "list", "--risk", "medium"}, `"medium": use one of unassessed, none, risk, high`},
		{[]string{"incidents", "list", "--status", "open,bogus"}, `"bogus": use one of open, triaged`},
		{[]string{"incidents", "list", "--limit", "0"}, "--limit 0: show from 1 to 10000"},
		{[]string{"incidents", "open", "--title", "t", "--severity", "huge"}, `"huge": use one of info, low, medium, high, critical`},
		{[]string{"register", "correct", "6", "--risk", "medium", "--reason", "r"}, `"medium": use one of unassessed`},
		// Arguments are printed escaped: a terminal shows no escape.
		{[]string{"incidents", "list", "--\x1b[31mx"}, `unknown flag: --\x1b[31mx`},
	} {
		out, errOut, code := runCLI(t, tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("breachd %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

// TestCompletion: breachd completion SHELL writes a script the shell
// loads; bash's completes the commands of a group from breachd itself.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, errOut, code := runCLI(t, "completion", shell)
		if code != 0 || errOut != "" || !strings.Contains(out, "breachd") || len(out) < 1000 {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, errOut, len(out))
		}
	}
	// The scripts ask breachd for the candidates (__complete).
	out, _, code := runCLI(t, "__complete", "incidents", "sh")
	if code != 0 || !strings.HasPrefix(out, "show\t") {
		t.Errorf("__complete incidents sh: exit %d, %q; want show", code, out)
	}
	out, _, _ = runCLI(t, "__complete", "incidents", "transition", "1", "")
	if !strings.Contains(out, "contained\n") || !strings.Contains(out, "false_positive\n") {
		t.Errorf("__complete incidents transition 1: %q; want the statuses", out)
	}
	out, _, _ = runCLI(t, "__complete", "incidents", "list", "--risk", "")
	if !strings.Contains(out, "unassessed\n") || !strings.Contains(out, "high\n") {
		t.Errorf("__complete incidents list --risk: %q; want the risks", out)
	}
	out, _, _ = runCLI(t, "__complete", "incidents", "show", "1", "--re")
	if strings.Contains(out, "--reason") {
		t.Errorf("__complete incidents show --re offers --reason, a flag of other commands:\n%s", out)
	}
	out, _, _ = runCLI(t, "__complete", "incidents", "transition", "1", "--re")
	if !strings.Contains(out, "--reason") || !strings.Contains(out, "--resolution") {
		t.Errorf("__complete incidents transition --re: %q; want --reason and --resolution", out)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, _, _ := runCLI(t, "completion", "bash")
	file := filepath.Join(t.TempDir(), "breachd")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command(bash, "-c", "source "+file+" && complete -p breachd").CombinedOutput()
	if err != nil || !strings.Contains(string(got), "breachd") {
		t.Errorf("bash does not load the completion: %v\n%s", err, got)
	}
}

// TestManPages: breachd docs writes a man page for every command, with its
// flags, as the .deb ships them; man reads them.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "docs", "--dir", dir); code != 0 {
		t.Fatalf("docs: exit %d: %s", code, errOut)
	}
	root := newRoot(&streams{ctx: context.Background()})
	for _, c := range leaves(root) {
		page := filepath.Join(dir, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
		b, err := os.ReadFile(page)
		if err != nil {
			t.Errorf("%s: no man page: %v", c.CommandPath(), err)
			continue
		}
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(string(b), `\fB--`+f.Name+`\fP`) {
				t.Errorf("%s: the man page does not describe --%s", page, f.Name)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "breachd.1")); err != nil {
		t.Errorf("no breachd.1: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "breachd-docs.1")); err == nil {
		t.Errorf("the hidden docs command has a man page")
	}
	man, err := exec.LookPath("man")
	if err != nil {
		t.Log("man is not installed: the pages are checked as files only")
		return
	}
	out, err := exec.Command(man, "-l", "-P", "cat", filepath.Join(dir, "breachd-incidents-transition.1")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--resolution") {
		t.Errorf("man -l breachd-incidents-transition.1: %v\n%s", err, out)
	}
}

// failingWriter is standard output on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestOutputThatFailsFailsTheCommand: what a command prints and cannot
// write (a full disk, a closed pipe) makes it exit 1 and say so, not 0.
func TestOutputThatFailsFailsTheCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"completion", "bash"}, {"validate", "../../configs/examples/quickstart.hcl"}} {
		var stderr bytes.Buffer
		code := cli(context.Background(), args, failingWriter{}, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "writing standard output: no space left on device") || strings.Contains(stderr.String(), "--help") {
			t.Errorf("breachd %q on a full disk: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

// TestBackupThatDoesNotVerifyIsNotKept: a copy of something that is not
// breachd's database does not verify, and is not left to pass for a
// backup.
func TestBackupThatDoesNotVerifyIsNotKept(t *testing.T) {
	dir := t.TempDir()
	src, out := filepath.Join(dir, "empty.db"), filepath.Join(dir, "copy.db")
	if err := os.WriteFile(src, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "backup", "--db", src, out)
	if code != 1 || !strings.Contains(errOut, "the copy was removed") {
		t.Fatalf("backup of an empty file: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the copy that did not verify is still there (%v)", err)
	}
}

// TestTokenWithoutItsBlockIsNotKept: when the config block cannot be
// written, the token file is removed: a token no config names is of no
// use, and would block the next try.
func TestTokenWithoutItsBlockIsNotKept(t *testing.T) {
	file := filepath.Join(t.TempDir(), "me.token")
	var stderr bytes.Buffer
	code := cli(context.Background(), []string{"token", "new", "me", "--out", file}, failingWriter{}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no token was kept") {
		t.Fatalf("token new on a full disk: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the token file is left without its block (%v)", err)
	}
}

// TestMessagesEscapeControlCharacters: a file name (or any argument) with
// a terminal escape in it reaches the messages escaped, whatever the
// command.
func TestMessagesEscapeControlCharacters(t *testing.T) {
	evil := filepath.Join(t.TempDir(), "x\x1b]0;owned\x07\r.db")
	for _, args := range [][]string{
		{"backup", "--db", evil, filepath.Join(t.TempDir(), "out.db")},
		{"register", "verify", "--db", evil},
		{"incidents", "list", "--cacert", evil, "--server", "https://127.0.0.1:1"},
	} {
		_, errOut, code := runCLI(t, args...)
		if code == 0 || strings.ContainsAny(errOut, "\x1b\x07\r") || !strings.Contains(errOut, `x\x1b]0;owned\x07\x0d.db`) {
			t.Errorf("breachd %q: exit %d, stderr %q", args, code, errOut)
		}
	}
}
