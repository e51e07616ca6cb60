package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// dbFlags name the database a register command reads: --db, else the
// data_dir of --config.
type dbFlags struct{ db, config string }

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.db, "db", "", "the SQLite `file` to read (a copy is fine; it is opened read-only)")
	fs.StringVar(&d.config, "config", configs.DefaultPath, "config `file` whose data_dir holds the database, when -db is not given")
}

func (d *dbFlags) path() (string, error) {
	path, from, hint := d.db, "--db", ""
	if path == "" {
		cfg, diags := configs.LoadFile(d.config)
		if diags.HasErrors() {
			return "", fmt.Errorf("cannot find the database from %s (name it with -db): %s", d.config, diags.Error())
		}
		path, from, hint = filepath.Join(cfg.Server.DataDir, daemon.DBFile), "the data_dir of "+d.config, "; has breachd run with this config? Name another file with --db"
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no database at %s (%s): %w%s", path, from, errors.Unwrap(err), hint)
	}
	return path, nil
}

const registerUsage = `use one of:
  register verify [--db FILE | --config FILE] [--json]
  register export [--format csv|json] [--chain register|timeline] [--db FILE | --config FILE]
  register correct ENTRY --reason R [--nature N] [--categories A,B] [--subjects N] [--records N] [--risk R]
                   [--consequences C] [--measures M] [--clear F,G]   (the DPO, through the API)`

func cmdRegister(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "breachd register:", registerUsage)
		return 2
	}
	if args[0] == "correct" {
		return cmdRegisterCorrect(ctx, args[1:], stdout, stderr)
	}
	var df dbFlags
	sub := args[0]
	fs := newFlags("register "+sub, stderr)
	df.register(fs)
	switch sub {
	case "verify":
		asJSON := fs.Bool("json", false, "print the result as JSON")
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd register verify: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		path, err := df.path()
		var v incidents.Verification
		var integrity string
		if err == nil {
			v, integrity, err = verifyFile(ctx, path)
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
	case "export":
		format := fs.String("format", "csv", "csv or json")
		chain := fs.String("chain", incidents.ChainRegister, "which chain: register or timeline")
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd register export: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		if *format != "csv" && *format != "json" {
			fmt.Fprintf(stderr, "breachd register export: --format %q; use csv or json\n", *format)
			return 2
		}
		if *chain != incidents.ChainRegister && *chain != incidents.ChainTimeline {
			fmt.Fprintf(stderr, "breachd register export: --chain %q; use register or timeline\n", *chain)
			return 2
		}
		store, err := openDB(ctx, df)
		if err != nil {
			fmt.Fprintln(stderr, "breachd register export:", err)
			return 1
		}
		defer store.Close()
		if err := export(ctx, store, *chain, *format, stdout); err != nil {
			fmt.Fprintln(stderr, "breachd register export:", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "breachd register: unknown command %q; %s\n", sub, registerUsage)
	return 2
}

// cmdBackup copies the database, consistently, while the daemon runs, and
// verifies the copy's hash chains and integrity.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var df dbFlags
	fs := newFlags("backup", stderr)
	df.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
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
	v, integrity, err := verifyFile(ctx, pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "breachd backup: verify the copy:", err)
		return 1
	}
	if !v.OK() || integrity != "ok" {
		fmt.Fprintf(stderr, "breachd backup: the copy %s does not verify (timeline: %s; register: %s; integrity: %s): the database itself may be damaged; run breachd register verify\n",
			pos[0], v.Timeline.Problem, v.Register.Problem, integrity)
		return 1
	}
	fmt.Fprintf(stdout, "%s: timeline %d entries (head %s), register %d entries (head %s), integrity ok\n",
		pos[0], v.Timeline.Entries, v.Timeline.Head, v.Register.Entries, v.Register.Head)
	return 0
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

func optID(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// export writes a chain with its chain fields, so that a copy can be
// verified and a removed entry shows as a gap.
func export(ctx context.Context, store *sqlstore.Store, chain, format string, w io.Writer) error {
	var (
		all    any
		header []string
		rows   [][]string
	)
	if chain == incidents.ChainRegister {
		entries, err := store.Register(ctx)
		if err != nil {
			return err
		}
		all = entries
		header = []string{"seq", "id", "at", "incident_id", "kind", "actor", "nature", "data_categories", "data_subjects",
			"records", "risk", "consequences", "measures", "notified", "reason", "supersedes", "content_hash", "prev_hash", "hash"}
		for _, e := range entries {
			r := e.Record
			rows = append(rows, []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.ID, 10), e.At.Format(time.RFC3339Nano),
				optID(e.IncidentID), e.Kind, e.Actor, r.Nature, strings.Join(r.DataCategories, ";"),
				strconv.FormatInt(r.DataSubjects, 10), strconv.FormatInt(r.Records, 10), string(r.Risk), r.Consequences,
				r.Measures, r.Notified, r.Reason, optID(e.Supersedes), e.ContentHash, e.PrevHash, e.Hash})
		}
	} else {
		entries, err := store.AllTimeline(ctx)
		if err != nil {
			return err
		}
		all = entries
		header = []string{"seq", "id", "incident_id", "at", "actor", "kind", "message", "data", "supersedes", "redacted_at", "content_hash", "prev_hash", "hash"}
		for _, e := range entries {
			data, _ := json.Marshal(e.Data)
			redacted := ""
			if e.RedactedAt != nil {
				redacted = e.RedactedAt.Format(time.RFC3339Nano)
			}
			rows = append(rows, []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.IncidentID, 10),
				e.At.Format(time.RFC3339Nano), e.Actor, e.Kind, e.Message, string(data), optID(e.Supersedes), redacted,
				e.ContentHash, e.PrevHash, e.Hash})
		}
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		if err := cw.Write(csvSafe(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses cells a spreadsheet would run as a formula: text from logs
// and reporters may start with = + - @.
func csvSafe(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
