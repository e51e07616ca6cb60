package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/incidents/sqlstore"
)

// walHelp is what to do about a damaged log, after its problem.
const walHelp = "Keep the files as they are and look for an undamaged copy of the -wal file (a backup, a snapshot). " +
	"`breachd store check` shows what is intact; `breachd store recover` keeps every intact transaction " +
	"(it first copies the database, -wal and -shm files aside) so that breachd can start."

// storeCmd checks and recovers the database's write-ahead log. Both read
// the files directly: run them with breachd stopped.
func storeCmd(s *streams) *cobra.Command {
	return group("store", "is the write-ahead log whole; keep its intact transactions (breachd stopped)",
		storeLeaf(s, "check", "is the write-ahead log whole? what would recover keep?"),
		storeLeaf(s, "recover", "keep the intact transactions of a damaged log (breachd stopped)"))
}

func storeLeaf(s *streams, sub, short string) *cobra.Command {
	return leaf(sub, short, func(fs *pflag.FlagSet) runner {
		var df dbFlags
		df.register(fs)
		keep := new(string)
		if sub == "recover" {
			fs.Lookup("db").Usage = "the SQLite `file` to recover (breachd stopped): it and its -wal and -shm are copied aside first, then written"
			keep = fs.String("keep", "", "`folder` to copy the original files into before recovering (default: next to the database, named after the time)")
		}
		return func(pos []string) int {
			ctx, stdout, stderr := s.ctx, s.stdout, s.stderr
			if len(pos) > 0 {
				return usagef(s, "store "+sub, "unexpected argument %q", pos[0])
			}
			db, err := df.path()
			if err != nil {
				fmt.Fprintf(stderr, "breachd store %s: %v\n", sub, err)
				return 1
			}
			if sub == "check" {
				rep, err := sqlstore.Preview(ctx, db)
				printWAL(stdout, rep.WAL)
				if err != nil {
					fmt.Fprintf(stderr, "breachd store check: what the intact part holds could not be read: %v\n", err)
					return 1
				}
				printKept(stdout, "recover would keep", rep)
				if rep.WAL.Damaged {
					fmt.Fprintln(stdout, walHelp)
					return 1
				}
				return 0
			}
			wal, err := sqlstore.CheckWAL(db)
			if err != nil {
				fmt.Fprintln(stderr, "breachd store recover:", err)
				return 1
			}
			if !wal.Damaged {
				printWAL(stdout, wal)
				fmt.Fprintln(stdout, "nothing to recover; no file was changed")
				return 0
			}
			if *keep == "" {
				*keep = db + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
			}
			rep, err := sqlstore.Recover(ctx, db, *keep)
			printWAL(stdout, rep.WAL)
			if err != nil {
				var walErr *sqlstore.WALError
				if errors.As(err, &walErr) {
					err = fmt.Errorf("the log is still damaged after the cut: %w", err)
				}
				fmt.Fprintln(stderr, "breachd store recover:", err)
				return 1
			}
			fmt.Fprintf(stdout, "the original files are in %s\n", rep.Backup)
			printKept(stdout, "kept", rep)
			if !rep.Verification.OK() || rep.Integrity != "ok" {
				fmt.Fprintln(stdout, "the recovered database does not verify: keep it stopped and compare with a backup")
				return 1
			}
			return 0
		}
	})
}

func printWAL(w io.Writer, r sqlstore.WALReport) {
	switch {
	case r.Size == 0 && !r.Damaged:
		fmt.Fprintf(w, "%s: none (everything is in the database file)\n", r.Path)
	case r.Damaged:
		fmt.Fprintf(w, "%s: DAMAGED: %s\n", r.Path, r.Problem)
		fmt.Fprintf(w, "first lost: transaction %d of the log (%d intact before it)\n", r.FirstLost(), r.Transactions)
	default:
		fmt.Fprintf(w, "%s: ok, %d transactions in %d frames\n", r.Path, r.Transactions, r.Frames)
	}
}

func printKept(w io.Writer, verb string, r sqlstore.RecoverReport) {
	fmt.Fprintf(w, "%s: %d incidents (last %d), timeline up to entry %d, register up to entry %d\n",
		verb, r.Incidents, r.LastIncident, r.TimelineSeq, r.RegisterSeq)
	for _, c := range []struct {
		name string
		ok   bool
		text string
	}{{"timeline", r.Verification.Timeline.OK, r.Verification.Timeline.Problem}, {"register", r.Verification.Register.OK, r.Verification.Register.Problem}} {
		if c.ok {
			fmt.Fprintf(w, "%s chain: ok\n", c.name)
		} else {
			fmt.Fprintf(w, "%s chain: BROKEN: %s\n", c.name, c.text)
		}
	}
	fmt.Fprintf(w, "sqlite integrity_check: %s\n", r.Integrity)
}
