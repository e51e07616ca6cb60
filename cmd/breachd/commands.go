package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// streams are the process's standard streams, given to every command.
type streams struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
}

// runner runs a command on its positional arguments, its flags parsed, and
// returns the exit code.
type runner func(pos []string) int

// exitCode is a command's non-zero exit code, carried through cobra.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit code %d", int(c)) }

// usageError is a mistake on the command line, found by cobra (an unknown
// command or flag, a flag's value): exit code 2.
type usageError struct{ error }

// leaf makes a command that runs: define declares its flags on the
// command's flag set and returns what runs it. Help, usage, completion and
// the man pages are built from the same declarations.
func leaf(use, short string, define func(fs *pflag.FlagSet) runner) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short}
	run := define(c.Flags())
	// A flag its help calls required is required: missing, it is a usage
	// mistake (exit 2) before anything is sent.
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if requiredFlag.MatchString(f.Usage) {
			_ = c.MarkFlagRequired(f.Name)
		}
	})
	c.RunE = func(_ *cobra.Command, pos []string) error {
		if code := run(pos); code != 0 {
			return exitCode(code)
		}
		return nil
	}
	return c
}

// requiredFlag is how a flag's help says it must be given: "(required)",
// "(required; ...)" or "(required: ...)", not "(required when ...)".
var requiredFlag = regexp.MustCompile(`\(required[);:]`)

// The values of arguments that take one of a few.
var (
	assessedRisks   = []string{string(incidents.RiskNone), string(incidents.RiskRisk), string(incidents.RiskHigh)}
	clocks          = []string{incidents.ClockAware, incidents.ClockOccurred}
	decisions       = []string{string(incidents.ObligationApproved), string(incidents.ObligationSent), string(incidents.ObligationNotRequired)}
	removers        = []string{incidents.RemovedByCustomer, incidents.RemovedByCompany}
	settleOutcomes  = []string{"ran", "not-run"}
	riskFilters     = append([]string{string(incidents.RiskUnassessed)}, assessedRisks...)
	severityFilters = []string{"info", "low", "medium", "high", "critical"}
)

// statuses are the incident statuses.
func statuses() []string {
	var out []string
	for _, st := range incidents.Statuses() {
		out = append(out, string(st))
	}
	return out
}

// choice says whether v is one of values, or prints which it may be.
func (a *api) choice(v, what string, values ...string) bool {
	if slices.Contains(values, v) {
		return true
	}
	a.usage("%s %q: use one of %s", what, v, strings.Join(values, ", "))
	return false
}

// choiceValue is a flag that takes one of a few values, or with list a
// comma list of them: anything else is a usage mistake when it is parsed,
// before a request is sent.
type choiceValue struct {
	v       *string
	allowed []string
	list    bool
}

func (c *choiceValue) String() string { return *c.v }

// Type names the value in help.
func (c *choiceValue) Type() string { return "string" }

func (c *choiceValue) Set(s string) error {
	items := []string{s}
	if c.list {
		items = splitList(s)
	}
	for _, it := range items {
		if !slices.Contains(c.allowed, it) {
			return fmt.Errorf("%q: use one of %s", it, strings.Join(c.allowed, ", "))
		}
	}
	*c.v = s
	return nil
}

// choiceFlag declares a flag that takes one of allowed (with list, a comma
// list of them).
func choiceFlag(fs *pflag.FlagSet, name string, allowed []string, list bool, usage string) *string {
	v := new(string)
	fs.Var(&choiceValue{v: v, allowed: allowed, list: list}, name, usage)
	return v
}

// complete offers values for the positional argument at index (after the
// ones before it) in shell completion.
func complete(c *cobra.Command, index int, values []string) *cobra.Command {
	c.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) != index {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return values, cobra.ShellCompDirectiveNoFileComp
	}
	return c
}

// completeFlag offers values for a flag in shell completion.
func completeFlag(c *cobra.Command, flag string, values []string) *cobra.Command {
	_ = c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	return c
}

// group makes a command that holds others: run alone, or with a name that
// is none of them, it says which there are (exit code 2).
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short}
	c.AddCommand(subs...)
	refuseUnknown(c)
	return c
}

// refuseUnknown makes a command that holds others refuse to run alone or
// with a name that is none of them (exit code 2), saying which there are.
func refuseUnknown(c *cobra.Command) {
	c.Args = cobra.ArbitraryArgs
	c.SuggestionsMinimumDistance = 2
	c.RunE = func(cmd *cobra.Command, args []string) error {
		var names []string
		for _, s := range cmd.Commands() {
			if s.IsAvailableCommand() {
				names = append(names, s.Name())
			}
		}
		list := strings.Join(names, ", ")
		if len(args) == 0 {
			return usageError{fmt.Errorf("name a command: %s (%s --help says what each does)", list, cmd.CommandPath())}
		}
		hint := ""
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			hint = fmt.Sprintf("; did you mean %q?", s[0])
		}
		return usageError{fmt.Errorf("unknown command %q%s (the commands are %s)", args[0], hint, list)}
	}
}

// newRoot builds breachd's command tree.
func newRoot(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "breachd",
		Short: "breachd detects breaches in logs, contains them and records incidents",
		Long: `breachd detects breaches in logs, contains them and records incidents.

It follows logs, the journal, syslog and Prometheus metrics, evaluates detection
rules written in HCL, opens one incident per attacker, contains it (nftables
blocks, service stops, account locks) and carries each case to the notices the
policies require. The commands that work incidents talk to a running breachd's
API (--token or $BREACHD_TOKEN); the others read files.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(s.stdin)
	root.SetOut(s.stdout)
	root.SetErr(s.stderr)
	root.AddCommand(
		runCmd(s), validateCmd(s), testCmd(s), fmtCmd(s), replayCmd(s),
		incidentsCmd(s), actionsCmd(s), obligationsCmd(s), noticesCmd(s),
		registerCmd(s), backupCmd(s), storeCmd(s), tokenCmd(s),
		leaf("version", "print the version", func(*pflag.FlagSet) runner {
			return func(pos []string) int {
				if len(pos) > 0 {
					return usagef(s, "version", "unexpected argument %q", pos[0])
				}
				fmt.Fprintln(s.stdout, "breachd", version())
				return 0
			}
		}),
		docsCmd(s),
	)
	// cobra's completion command, made now (it is otherwise made at the
	// first run) so that it too refuses a shell it does not know.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			refuseUnknown(c)
		}
	}
	return root
}

// usagef prints a usage mistake for the command and returns exit code 2.
func usagef(s *streams, cmd, format string, a ...any) int {
	fmt.Fprintf(s.stderr, "breachd %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return 2
}

// docsCmd writes the man pages (or Markdown) of every command, from the
// same definitions as the help: the .deb ships the man pages it writes.
func docsCmd(s *streams) *cobra.Command {
	c := leaf("docs --dir DIR", "write the man pages of every command (or --format markdown) into DIR", func(fs *pflag.FlagSet) runner {
		dir := fs.String("dir", "", "the `folder` to write into (required)")
		format := fs.String("format", "man", "man or markdown")
		return func(pos []string) int {
			switch {
			case len(pos) > 0:
				return usagef(s, "docs", "unexpected argument %q; name the folder with --dir DIR", pos[0])
			case *format != "man" && *format != "markdown":
				return usagef(s, "docs", "--format %q; use man or markdown", *format)
			}
			if err := os.MkdirAll(*dir, 0o755); err != nil {
				fmt.Fprintln(s.stderr, "breachd docs:", err)
				return 1
			}
			root := newRoot(s)
			root.DisableAutoGenTag = true // the pages are the same for the same commands
			var err error
			switch *format {
			case "man":
				err = doc.GenManTree(root, &doc.GenManHeader{Title: "BREACHD", Section: "1", Source: "breachd", Manual: "breachd manual"}, *dir)
			default:
				err = doc.GenMarkdownTree(root, *dir)
			}
			if err != nil {
				fmt.Fprintln(s.stderr, "breachd docs:", err)
				return 1
			}
			return 0
		}
	})
	c.Hidden = true
	return c
}

// execute runs the command line args on the tree and returns the exit
// code: 0 success, 1 a problem the user must fix (an invalid config, a
// failed request), 2 a usage error.
func execute(s *streams, args []string) int {
	// A write to standard output that fails (a full disk, a closed pipe)
	// fails the command: what it printed did not arrive.
	// What breachd writes for a person to read shows no control
	// character raw: messages (which quote the user's arguments and file
	// names) always, standard output when it is a terminal (a register
	// export holds what log lines and people wrote). Piped or redirected,
	// standard output carries the data as it is.
	stdout := s.stdout
	if isTerminal(s.stdout) {
		stdout = escaping{s.stdout}
	}
	out := &errWriter{w: stdout}
	s.stdout = out
	if _, ok := s.stderr.(escaping); !ok {
		s.stderr = escaping{s.stderr}
	}
	code := executeOn(s, args)
	if out.err != nil && code == 0 {
		fmt.Fprintf(s.stderr, "breachd: writing standard output: %v\n", out.err)
		return 1
	}
	return code
}

// escaping writes what it is given with control characters but line
// breaks and tabs as \xNN (escapeControls); it says it wrote all of p.
type escaping struct{ w io.Writer }

func (e escaping) Write(p []byte) (int, error) {
	if bytes.IndexFunc(p, isControl) < 0 {
		return e.w.Write(p)
	}
	if _, err := io.WriteString(e.w, escapeControls(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// errWriter keeps the first error of its writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func executeOn(s *streams, args []string) int {
	root := newRoot(s)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{singleDash(cmd, args, err)}
	})
	if len(args) == 0 {
		fmt.Fprint(s.stderr, root.UsageString())
		return 2
	}
	cmd, err := root.ExecuteContextC(s.ctx)
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	}
	if w, ok := s.stdout.(*errWriter); ok && w.err != nil {
		// The output failed (a completion script, help), not the
		// command line.
		fmt.Fprintf(s.stderr, "breachd: writing standard output: %v\n", w.err)
		return 1
	}
	// A mistake cobra found: an unknown command or flag, a bad value. The
	// arguments are the user's, and may hold anything: printed escaped.
	fmt.Fprintf(s.stderr, "%s: %s\nRun '%s --help' for usage.\n", cmd.CommandPath(), err, cmd.CommandPath())
	return 2
}

// escapeControls writes the control characters of s (but line breaks and
// tabs) as \xNN, so that no argument moves the cursor or colours the
// terminal.
func escapeControls(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
}

// singleDash explains a long flag written with one dash (-config, as Go's
// flag package takes it), which reads as a run of one-letter flags.
func singleDash(cmd *cobra.Command, args []string, err error) error {
	if !strings.Contains(err.Error(), "shorthand") {
		return err
	}
	for _, a := range args {
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if cmd.Flags().Lookup(name) != nil {
			return fmt.Errorf("%w: long flags take two dashes: --%s", err, a[1:])
		}
	}
	return err
}

// diagText says what config diagnostics say, on one line, each with its
// place when it has one.
func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + d.Detail
		}
		if d.Subject != nil {
			msg = d.Subject.String() + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}

// clientFlags are the flags of the commands that call the API.
type clientFlags struct {
	server, config, token, cacert string
	json                          bool
}

func (c *clientFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.server, "server", "", "breachd API `URL` (default: from the server block of --config)")
	fs.StringVar(&c.config, "config", "", "config `file` whose server block names the API (default "+configs.DefaultPath+")")
	fs.StringVar(&c.token, "token", "", "API bearer `token` (default $BREACHD_TOKEN)")
	fs.StringVar(&c.cacert, "cacert", "", "PEM `file` of the CA (or self-signed certificate) to trust for an https API")
	fs.BoolVar(&c.json, "json", false, "print JSON")
}

// api is what the commands that call the API share: the streams, the
// client flags, and the command's name for its messages.
type api struct {
	*streams
	cf   clientFlags
	name string // "incidents show"
}

// apiLeaf makes a command that calls the API; define declares its own
// flags and returns what runs it.
func apiLeaf(s *streams, parent, use, short string, define func(a *api, fs *pflag.FlagSet) runner) *cobra.Command {
	name, _, _ := strings.Cut(use, " ")
	return leaf(use, short, func(fs *pflag.FlagSet) runner {
		a := &api{streams: s, name: parent + " " + name}
		a.cf.register(fs)
		return define(a, fs)
	})
}

// usage prints a usage mistake and returns exit code 2.
func (a *api) usage(format string, args ...any) int {
	return usagef(a.streams, a.name, format, args...)
}

// failed prints a failed request and returns exit code 1.
func (a *api) failed(err error) int {
	fmt.Fprintf(a.stderr, "breachd %s: %v\n", a.name, err)
	return 1
}

// printJSON prints the API's answer as it came when --json is given, and
// says whether it did.
func (a *api) printJSON(raw []byte) bool {
	if a.cf.json {
		_, _ = a.stdout.Write(raw) // a closed standard output is the reader's choice
	}
	return a.cf.json
}
