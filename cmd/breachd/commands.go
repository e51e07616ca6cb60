package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/configs"
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
	c.RunE = func(_ *cobra.Command, pos []string) error {
		if code := run(pos); code != 0 {
			return exitCode(code)
		}
		return nil
	}
	return c
}

// group makes a command that holds others: run alone, or with a name that
// is none of them, it says which there are (exit code 2).
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs, SuggestionsMinimumDistance: 2}
	c.AddCommand(subs...)
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
	return c
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
			if len(pos) > 0 || *dir == "" {
				return usagef(s, "docs", "name the folder with --dir DIR")
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
			case "markdown":
				err = doc.GenMarkdownTree(root, *dir)
			default:
				return usagef(s, "docs", "--format %q; use man or markdown", *format)
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
	// A mistake cobra found: an unknown command or flag, a bad value.
	fmt.Fprintf(s.stderr, "%s: %v\nRun '%s --help' for usage.\n", cmd.CommandPath(), err, cmd.CommandPath())
	return 2
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
