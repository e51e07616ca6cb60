package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// dbFlags name the database a register command reads: --db, else the
// data_dir of --config.
type dbFlags struct{ db, config string }

func (d *dbFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&d.db, "db", "", "the SQLite `file` to read (a copy is fine; it is opened read-only)")
	fs.StringVar(&d.config, "config", configs.DefaultPath, "config `file` whose data_dir holds the database, when --db is not given")
}

func (d *dbFlags) path() (string, error) {
	path, from, hint := d.db, "--db", ""
	if path == "" {
		cfg, diags := configs.LoadFile(d.config)
		if diags.HasErrors() {
			return "", fmt.Errorf("cannot find the database from %s (name it with --db): %s", d.config, diagText(diags))
		}
		path, from, hint = filepath.Join(cfg.Server.DataDir, daemon.DBFile), "the data_dir of "+d.config, "; has breachd run with this config? Name another file with --db"
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no database at %s (%s): %w%s", path, from, errors.Unwrap(err), hint)
	}
	return path, nil
}

// registerCmd checks, exports and corrects the Data Breach Register.
func registerCmd(s *streams) *cobra.Command {
	return group("register", "check the hash chains, export the register (reads the database); the DPO corrects an entry",
		leaf("verify", "walk the timeline and register hash chains and run SQLite's integrity check", func(fs *pflag.FlagSet) runner {
			var df dbFlags
			df.register(fs)
			asJSON := fs.Bool("json", false, "print the result as JSON")
			return func(pos []string) int {
				stdout, stderr := s.stdout, s.stderr
				if len(pos) > 0 {
					return usagef(s, "register verify", "unexpected argument %q", pos[0])
				}
				path, err := df.path()
				var v incidents.Verification
				var integrity string
				if err == nil {
					v, integrity, err = verifyFile(s.ctx, path)
				}
				if err != nil {
					fmt.Fprintln(stderr, "breachd register verify:", err)
					return 1
				}
				if *asJSON {
					enc := json.NewEncoder(stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(struct {
						incidents.Verification
						Integrity string `json:"integrity"`
					}{v, integrity}); err != nil {
						fmt.Fprintln(stderr, "breachd register verify:", err)
						return 1
					}
				} else {
					for _, c := range []incidents.ChainReport{v.Timeline, v.Register} {
						switch {
						case c.OK && c.Chain == incidents.ChainTimeline:
							fmt.Fprintf(stdout, "%s: ok, %d entries (%d redacted by retention), head %s\n", c.Chain, c.Entries, c.Redacted, c.Head)
						case c.OK:
							fmt.Fprintf(stdout, "%s: ok, %d entries, head %s\n", c.Chain, c.Entries, c.Head)
						default:
							fmt.Fprintf(stdout, "%s: BROKEN: %s\n", c.Chain, c.Problem)
						}
					}
					fmt.Fprintf(stdout, "sqlite integrity_check: %s\n", integrity)
				}
				if !v.OK() || integrity != "ok" {
					return 1
				}
				return 0
			}
		}),
		completeFlag(completeFlag(leaf("export", "export a chain (the register, or the timeline) with its chain fields", func(fs *pflag.FlagSet) runner {
			var df dbFlags
			df.register(fs)
			format := fs.String("format", "csv", "csv or json")
			chain := fs.String("chain", incidents.ChainRegister, "which chain: register or timeline")
			return func(pos []string) int {
				stderr := s.stderr
				if len(pos) > 0 {
					return usagef(s, "register export", "unexpected argument %q", pos[0])
				}
				if *format != "csv" && *format != "json" {
					return usagef(s, "register export", "--format %q; use csv or json", *format)
				}
				if *chain != incidents.ChainRegister && *chain != incidents.ChainTimeline {
					return usagef(s, "register export", "--chain %q; use register or timeline", *chain)
				}
				store, err := openDB(s.ctx, df)
				if err != nil {
					fmt.Fprintln(stderr, "breachd register export:", err)
					return 1
				}
				defer store.Close()
				if err := export(s.ctx, store, *chain, *format, s.stdout); err != nil {
					fmt.Fprintln(stderr, "breachd register export:", err)
					return 1
				}
				return 0
			}
		}), "format", []string{"csv", "json"}), "chain", []string{incidents.ChainRegister, incidents.ChainTimeline}),
		correctCmd(s),
	)
}

// backupCmd copies the database, consistently, while the daemon runs, and
// verifies the copy's hash chains and integrity.
func backupCmd(s *streams) *cobra.Command {
	return leaf("backup OUT.db", "copy the database consistently while breachd runs, and verify the copy", func(fs *pflag.FlagSet) runner {
		var df dbFlags
		df.register(fs)
		return func(pos []string) int {
			ctx, stdout, stderr := s.ctx, s.stdout, s.stderr
			if len(pos) != 1 {
				fmt.Fprintln(stderr, "breachd backup: name the file to write: breachd backup [--config FILE | --db FILE] OUT.db")
				return 2
			}
			path, err := df.path()
			if err == nil {
				err = sqlstore.Backup(ctx, path, pos[0])
			}
			if err != nil {
				fmt.Fprintln(stderr, "breachd backup:", err)
				return 1
			}
			// A copy that does not verify is no backup: it is not kept.
			discard := func() {
				for _, f := range []string{pos[0], pos[0] + "-wal", pos[0] + "-shm"} {
					_ = os.Remove(f)
				}
			}
			v, integrity, err := verifyFile(ctx, pos[0])
			if err != nil {
				discard()
				fmt.Fprintf(stderr, "breachd backup: verify the copy: %v (the copy was removed)\n", err)
				return 1
			}
			if !v.OK() || integrity != "ok" {
				discard()
				fmt.Fprintf(stderr, "breachd backup: the copy %s does not verify (timeline: %s; register: %s; integrity: %s): the database itself may be damaged; run breachd register verify (the copy was removed)\n",
					pos[0], v.Timeline.Problem, v.Register.Problem, integrity)
				return 1
			}
			fmt.Fprintf(stdout, "%s: timeline %d entries (head %s), register %d entries (head %s), integrity ok\n",
				pos[0], v.Timeline.Entries, v.Timeline.Head, v.Register.Entries, v.Register.Head)
			return 0
		}
	})
}

// verifyFile walks a database file's hash chains and runs SQLite's
// integrity check on it, read-only.
func verifyFile(ctx context.Context, path string) (incidents.Verification, string, error) {
	store, err := sqlstore.OpenReadOnly(ctx, path)
	if err != nil {
		return incidents.Verification{}, "", err
	}
	defer store.Close()
	v, err := store.Verify(ctx)
	if err != nil {
		return v, "", err
	}
	integrity, err := store.IntegrityCheck(ctx)
	return v, integrity, err
}

func openDB(ctx context.Context, df dbFlags) (*sqlstore.Store, error) {
	path, err := df.path()
	if err != nil {
		return nil, err
	}
	return sqlstore.OpenReadOnly(ctx, path)
}

// export writes a chain with its chain fields, so that a copy can be
// verified and a removed entry shows as a gap.
func export(ctx context.Context, store *sqlstore.Store, chain, format string, w io.Writer) error {
	if chain == incidents.ChainRegister {
		entries, err := store.Register(ctx)
		if err != nil {
			return err
		}
		if format == "json" {
			return writeJSON(w, entries)
		}
		return incidents.WriteRegisterCSV(w, entries)
	}
	entries, err := store.AllTimeline(ctx)
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(w, entries)
	}
	return incidents.WriteTimelineCSV(w, entries)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
