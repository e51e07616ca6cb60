package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones for sources' timezone attribute, on hosts without tzdata

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/replay"
	"github.com/breachd/breachd/cmd/breachd/internal/ruletest"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents/sqlstore"
	"github.com/breachd/breachd/rules"
)

// matcherEnv names the environment variable that runs every rule's
// expressions on Go's regexp alone ("regexp"), whatever the rules say: the
// way back should breachd's own matcher ever be in doubt.
const matcherEnv = "BREACHD_MATCHER"

// gcPercent is breachd's GOGC unless the environment sets one. Its heap is
// mostly long-lived window state (a key per attacker per rule), so the
// default 100 % of headroom doubles the memory an attack costs: at 50 %, a
// one-million-address spray peaks at 130 MB instead of 163 MB, and the
// ordinary log replays as fast (docs/performance.md).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := cli(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli runs one command and returns the process exit code: 0 success, 1 a
// problem the user must fix (an invalid config, a failed request), 2 a
// usage error.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if m := os.Getenv(matcherEnv); m != "" && m != configs.MatcherAuto && m != configs.MatcherRegexp {
		fmt.Fprintf(stderr, "breachd: %s=%q; use %q or %q (every rule's expressions on Go's regexp alone)\n", matcherEnv, m, configs.MatcherAuto, configs.MatcherRegexp)
		return 2
	}
	return execute(&streams{ctx: ctx, stdin: os.Stdin, stdout: stdout, stderr: stderr}, args)
}

func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + bi.GoVersion
}

func runCmd(s *streams) *cobra.Command {
	return completeFlag(completeFlag(leaf("run", "run the daemon", func(fs *pflag.FlagSet) runner {
		config := fs.String("config", configs.DefaultPath, "config `file`")
		level := fs.String("log-level", "", "log level: debug, info, warn or error (default: the server block's log_level, else info)")
		format := fs.String("log-format", "", "log format: text or json (default: the server block's log_format, else text)")
		return func(pos []string) int {
			if len(pos) > 0 {
				return usagef(s, "run", "unexpected argument %q; name the config with --config", pos[0])
			}
			return daemonRun(s.ctx, *config, *level, *format, s.stderr)
		}
	}), "log-level", []string{"debug", "info", "warn", "error"}), "log-format", []string{"text", "json"})
}

// daemonRun runs the daemon until ctx ends.
func daemonRun(ctx context.Context, config, level, format string, stderr io.Writer) int {
	// The server block's log settings, if the config reads; daemon.New
	// reports its problems.
	cfgLevel, cfgFormat := "info", "text"
	if cfg, diags := configs.LoadFile(config); !diags.HasErrors() {
		cfgLevel, cfgFormat = cfg.Server.LogLevel, cfg.Server.LogFormat
	}
	lvl := new(slog.LevelVar)
	if err := lvl.UnmarshalText([]byte(cmp.Or(level, cfgLevel))); err != nil {
		fmt.Fprintf(stderr, "breachd run: invalid --log-level %q: use debug, info, warn or error\n", level)
		return 2
	}
	hopts := &slog.HandlerOptions{Level: lvl}
	var logger *slog.Logger
	switch f := cmp.Or(format, cfgFormat); f {
	case "text":
		logger = slog.New(slog.NewTextHandler(stderr, hopts))
	case "json":
		logger = slog.New(slog.NewJSONHandler(stderr, hopts))
	default:
		fmt.Fprintf(stderr, "breachd run: invalid --log-format %q: use text or json\n", f)
		return 2
	}
	d, err := daemon.New(ctx, daemon.Options{ConfigFile: config, Matcher: os.Getenv(matcherEnv), Logger: logger, Now: time.Now, Stdin: os.Stdin,
		LevelVar: lvl, LevelFixed: level != ""})
	if err != nil {
		fmt.Fprintf(stderr, "breachd run: %v\n", err)
		if walErr := (*sqlstore.WALError)(nil); errors.As(err, &walErr) {
			fmt.Fprintf(stderr, "breachd did not start, so nothing more is lost. %s (breachd store check --config %s)\n", walHelp, config)
		}
		return 1
	}
	// SIGHUP reloads the config, as POST /-/reload does; the outcome is
	// logged either way.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				logger.Info("SIGHUP: reloading the config", "config", config)
				_ = d.Reload(ctx)
			}
		}
	}()
	if err := d.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("breachd failed", "err", err)
		return 1
	}
	return 0
}

// replayCmd runs the rules over historical files (or "-" for standard
// input) and reports what they would have done; it runs no action.
func replayCmd(s *streams) *cobra.Command {
	return leaf("replay [FILE...]", "run the rules (default: the shipped packs) over old logs by their timestamps; runs nothing", func(fs *pflag.FlagSet) runner {
		config := fs.String("config", "", "config `FILE` whose sources' formats and rules to use (default: the shipped rule packs)")
		rule := fs.String("rule", "", "run only this `RULE`")
		source := fs.String("source", "", "read the files in this `SOURCE`'s format (default: the source whose paths match, or the only one)")
		matches := fs.Bool("matches", false, "print each matching line as a JSON line {file, line, rule, fields}")
		findings := fs.Bool("findings", false, "print each finding as a JSON line {rule, time, key}")
		cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof)")
		useJournal := fs.Bool("journal", false, "read the journal's sshd and auth lines (journalctl) instead of files")
		journalFile := fs.String("journal-file", "", "with --journal, read this journal `FILE` (a copy) instead of the system's journal")
		return func(files []string) int {
			ctx, stdin, stdout, stderr := s.ctx, s.stdin, s.stdout, s.stderr
			if *journalFile != "" {
				*useJournal = true
			}
			if len(files) == 0 && !*useJournal && *config == "" && *source == "" {
				// No file named: the auth log, or on a host whose syslog daemon
				// is the journal alone (Debian 12 without rsyslog), the journal.
				switch input := defaultReplayInput(authLogPath, exec.LookPath); input {
				case "":
				case journalInput:
					fmt.Fprintf(stderr, "breachd replay: no %s (the journal is this host's only log): reading the journal's sshd and auth lines\n", authLogPath)
					*useJournal = true
				default:
					fmt.Fprintf(stderr, "breachd replay: no file named: reading %s\n", input)
					files = []string{input}
				}
			}
			switch {
			case len(files) == 0 && !*useJournal:
				fmt.Fprintln(stderr, "breachd replay: name at least one log file (or - for standard input, or --journal)")
				return 2
			case len(files) > 0 && *useJournal:
				fmt.Fprintln(stderr, "breachd replay: --journal (and --journal-file) read the journal; name no file with them")
				return 2
			case *matches && *findings:
				fmt.Fprintln(stderr, "breachd replay: --matches and --findings exclude each other")
				return 2
			}
			var cfg *configs.Config
			var diags hcl.Diagnostics
			defaultSource := ""
			if *config != "" {
				cfg, _, diags = daemon.Check(*config, rules.Options{Matcher: os.Getenv(matcherEnv)})
			} else {
				// A file is read in the format of the packs' source whose paths
				// match its name (access.log: web, mail.log: mail, ...), else as
				// an auth log.
				cfg, diags = configs.LoadPacks()
				defaultSource = "auth"
			}
			if diags.HasErrors() {
				_ = configs.WriteDiagnostics(stderr, diags, cfg.Files)
				return 1
			}
			opts := replay.Options{Config: cfg, Matcher: os.Getenv(matcherEnv), Rule: *rule, Source: *source, DefaultSource: defaultSource, Out: stdout, Warn: stderr, Now: time.Now}
			summaryTo := stdout
			switch {
			case *matches:
				opts.Mode, summaryTo = replay.Matches, stderr
			case *findings:
				opts.Mode, summaryTo = replay.Findings, stderr
			}
			if f, ok := stderr.(*os.File); ok {
				if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
					opts.Progress = stderr
				}
			}
			if *cpuProfile != "" {
				f, err := os.Create(*cpuProfile)
				if err != nil {
					fmt.Fprintln(stderr, "breachd replay:", err)
					return 1
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					fmt.Fprintln(stderr, "breachd replay:", err)
					return 1
				}
				defer pprof.StopCPUProfile()
			}
			if *useJournal {
				if opts.Source == "" {
					opts.Source = "auth"
				}
				journal, wait, err := journalLines(ctx, *journalFile)
				if err != nil {
					fmt.Fprintln(stderr, "breachd replay:", err)
					return 1
				}
				files, stdin = []string{"-"}, journal
				sum, err := replay.Run(ctx, opts, files, stdin)
				// A replay that stopped early leaves journalctl writing into a
				// pipe nobody reads: it is stopped, and its end is not an error.
				if werr := wait(err != nil); werr != nil && err == nil {
					err = fmt.Errorf("journalctl: %w", werr)
				}
				if err != nil {
					fmt.Fprintln(stderr, "breachd replay:", err)
					return 1
				}
				sum.Print(summaryTo)
				return 0
			}
			sum, err := replay.Run(ctx, opts, files, stdin)
			if err != nil {
				fmt.Fprintln(stderr, "breachd replay:", err)
				return 1
			}
			sum.Print(summaryTo)
			return 0
		}
	})
}

// authLogPath is where Debian's rsyslog writes the auth log.
const authLogPath = "/var/log/auth.log"

// journalInput is defaultReplayInput's answer for the journal.
const journalInput = "journal"

// defaultReplayInput is what replay reads when no file is named: the auth
// log when there is one, else the journal when journalctl is installed,
// else nothing ("").
func defaultReplayInput(authLog string, lookPath func(string) (string, error)) string {
	if _, err := os.Stat(authLog); err == nil {
		return authLog
	}
	if _, err := lookPath("journalctl"); err == nil {
		return journalInput
	}
	return ""
}

// journalArgs are journalctl's arguments for replay: the lines of sshd
// (its process name, sshd or 9.8's sshd-session, whatever unit runs it)
// and of the auth and authpriv facilities (PAM, sudo, su), each written by
// a process of root's: journald's trusted fields, which no user can set
// (a user's `logger -t sshd` is uid 1000 and comm logger). Each line comes
// with its ISO 8601 time and host, as the auth source's syslog format
// reads it.
func journalArgs(file string) []string {
	args := []string{"--no-pager", "--quiet", "--output=short-iso-precise"}
	if file != "" {
		args = append(args, "--file="+file)
	}
	return append(args, "_COMM=sshd", "_COMM=sshd-session", "_UID=0", "+", "SYSLOG_FACILITY=4", "SYSLOG_FACILITY=10", "_UID=0")
}

// journalLines runs journalctl (no shell) and returns its output and a
// wait that reaps it.
// wait(stopped) reaps it: stopped says the reader stopped early, and
// journalctl is then killed rather than waited for.
func journalLines(ctx context.Context, file string) (io.Reader, func(stopped bool) error, error) {
	jc, err := exec.LookPath("journalctl")
	if err != nil {
		return nil, nil, fmt.Errorf("--journal needs journalctl (Debian package systemd): %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, jc, journalArgs(file)...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, nil, err
	}
	return out, func(stopped bool) error {
		defer cancel()
		if stopped {
			cancel()
			_ = cmd.Wait()
			return nil
		}
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("%w: %s", err, strings.TrimSpace(errOut.String()))
		}
		return nil
	}, nil
}

// fmtCmd rewrites HCL files in the canonical layout (hclwrite). A file that
// does not parse is reported and left untouched. With -check nothing is
// written: the files that would change are listed and the exit status is 1.
func fmtCmd(s *streams) *cobra.Command {
	return leaf("fmt FILE...", "rewrite HCL files in the canonical layout", func(fs *pflag.FlagSet) runner {
		check := fs.Bool("check", false, "list files that are not formatted; change nothing")
		return func(files []string) int {
			stdout, stderr := s.stdout, s.stderr
			if len(files) == 0 {
				fmt.Fprintln(stderr, "breachd fmt: name at least one HCL file")
				return 2
			}
			code := 0
			for _, path := range files {
				src, err := os.ReadFile(path)
				if err != nil {
					fmt.Fprintln(stderr, "breachd fmt:", err)
					code = 1
					continue
				}
				diags := configs.CheckNesting(path, src)
				if !diags.HasErrors() {
					_, diags = hclsyntax.ParseConfig(src, path, hcl.InitialPos)
				}
				if diags.HasErrors() {
					_ = configs.WriteDiagnostics(stderr, diags, map[string]*hcl.File{path: {Bytes: src}})
					fmt.Fprintf(stderr, "breachd fmt: %s has syntax errors; it was not changed\n", path)
					code = 1
					continue
				}
				out := hclwrite.Format(src)
				if bytes.Equal(out, src) {
					continue
				}
				fmt.Fprintln(stdout, path)
				if *check {
					code = 1
					continue
				}
				st, err := os.Stat(path)
				if err != nil {
					fmt.Fprintln(stderr, "breachd fmt:", err)
					code = 1
					continue
				}
				// Write beside it and rename: a crash never leaves half a file.
				tmp := path + ".breachd-fmt"
				if err := os.WriteFile(tmp, out, st.Mode().Perm()); err != nil {
					fmt.Fprintln(stderr, "breachd fmt:", err)
					code = 1
					continue
				}
				if err := os.Rename(tmp, path); err != nil {
					os.Remove(tmp)
					fmt.Fprintln(stderr, "breachd fmt:", err)
					code = 1
				}
			}
			return code
		}
	})
}

// testCmd runs rule test files: exit 0 when all pass, 1 when a test fails
// or a file has errors, 2 on usage errors.
func testCmd(s *streams) *cobra.Command {
	return leaf("test FILE|DIR|DIR/...|PATTERN...", "run rule test files", func(fs *pflag.FlagSet) runner {
		verbose := fs.BoolP("verbose", "v", false, "print every test, not only failures")
		return func(files []string) int {
			stdout, stderr := s.stdout, s.stderr
			if len(files) == 0 {
				fmt.Fprintln(stderr, "breachd test: name at least one rule test file, directory (DIR/... for its subdirectories too) or pattern")
				return 2
			}
			files, err := testFiles(files)
			if err != nil {
				fmt.Fprintf(stderr, "breachd test: %v\n", err)
				return 1
			}
			ok := true
			for _, path := range files {
				began := time.Now()
				suite, diags := ruletest.Load(path)
				suite.Matcher = os.Getenv(matcherEnv)
				_ = configs.WriteDiagnostics(stdout, diags, suite.Files)
				if diags.HasErrors() {
					fmt.Fprintf(stdout, "FAIL\t%s\t[load failed]\n", path)
					ok = false
					continue
				}
				results := suite.Run()
				if ruletest.Report(stdout, results, *verbose) {
					fmt.Fprintf(stdout, "ok  \t%s\t%d tests\t%.3fs\n", path, len(results), time.Since(began).Seconds())
					continue
				}
				ok = false
				fmt.Fprintf(stdout, "FAIL\t%s\n", path)
			}
			if !ok {
				fmt.Fprintln(stdout, "FAIL")
				return 1
			}
			fmt.Fprintln(stdout, "PASS")
			return 0
		}
	})
}

// testFiles expands breachd test's arguments as go test users expect: a
// file is itself; a directory is its *_test.hcl files; DIR/... adds those
// of its subdirectories; a pattern is the files it matches. An argument
// that names no test file is an error, so a typo is not a pass.
func testFiles(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		var found []string
		switch {
		case strings.HasSuffix(arg, "/...") || arg == "...":
			root := strings.TrimSuffix(strings.TrimSuffix(arg, "..."), "/")
			if root == "" {
				root = "."
			}
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && strings.HasSuffix(path, "_test.hcl") {
					found = append(found, path)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		case strings.ContainsAny(arg, "*?["):
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", arg, err)
			}
			found = m
		default:
			if st, err := os.Stat(arg); err != nil || !st.IsDir() {
				// A file, or nothing: loading it says which.
				out = append(out, arg)
				continue
			}
			found, _ = filepath.Glob(filepath.Join(arg, "*_test.hcl"))
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no rule test files (*_test.hcl)", arg)
		}
		out = append(out, found...)
	}
	// A file named twice (". sub .") runs once.
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(f string) bool {
		k := filepath.Clean(f)
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}), nil
}

func validateCmd(s *streams) *cobra.Command {
	return leaf("validate FILE...", "check config files; print every problem", func(fs *pflag.FlagSet) runner {
		return func(files []string) int {
			stdout, stderr := s.stdout, s.stderr
			if len(files) == 0 {
				fmt.Fprintln(stderr, "breachd validate: name at least one config file")
				return 2
			}
			code := 0
			for _, path := range files {
				cfg, _, diags := daemon.Check(path, rules.Options{Matcher: os.Getenv(matcherEnv)})
				if err := configs.WriteDiagnostics(stdout, diags, cfg.Files); err != nil {
					fmt.Fprintln(stderr, "breachd validate:", err)
					return 1
				}
				if diags.HasErrors() {
					code = 1
					continue
				}
				fmt.Fprintf(stdout, "%s: valid (%d sources, %d rules, %d actions, %d assets, %d tokens)\n", path,
					len(cfg.Sources), len(cfg.Rules), len(cfg.Actions), len(cfg.Assets), len(cfg.Tokens))
			}
			if code != 0 {
				fmt.Fprintln(stdout, "breachd validate: config has errors")
			}
			return code
		}
	})
}
