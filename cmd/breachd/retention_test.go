package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestRedactionOnlyAfterRetention: a risk decision made today cannot be
// blanked through the retention's redaction, neither by the UPDATE the
// triggers allowed before nor by lowering the recorded retention; an
// intruder who drops the triggers to do it is named by register verify.
// An incident closed seven years ago (the daemon's clock set back) is
// redacted by the purge at the next start, and verify accepts that.
func TestRedactionOnlyAfterRetention(t *testing.T) {
	dir := t.TempDir()
	src := fmt.Sprintf(`
server { listen = %q }
incidents { retention = "5y" }
source "file" "auth" { paths = ["./var/auth.log"] }
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"))
	var config string
	run := func(args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append(args, "--config", config)
		if args[0] == "incidents" {
			args = append(args, "--token", "rita-token")
		}
		code := cli(context.Background(), args, &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	open := func(title string) string {
		t.Helper()
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("incidents", "open", "--title", title, "--reporter", "staff", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(d.Incident.ID)
	}

	// Seven years ago: an incident opened, assessed and found false.
	past := time.Now().AddDate(-7, 0, 0)
	config, stop := runDaemonAt(t, dir, src, func() time.Time { return past })
	old := open("Laptop reported lost")
	must("incidents", "assess", old, "none", "--reason", "disk encrypted")
	must("incidents", "transition", old, "false_positive", "--reason", "found in the office")
	stop()

	// Today: the start applies the retention to it; a new incident gets
	// a risk decision.
	config, stop = runDaemon(t, dir, src)
	recent := open("Invoices on a paste site")
	must("incidents", "assess", recent, "risk", "--reason", "names and emails of 300 customers")
	stop()
	db := filepath.Join(dir, "var", "breachd.db")
	var oldEntries, redacted int
	query(t, db, `SELECT count(*), count(redacted_at) FROM timeline WHERE incident_id = `+old+` AND kind != 'purge'`, &oldEntries, &redacted)
	if oldEntries != 3 || redacted != 3 {
		t.Fatalf("the old incident's entries: %d, %d redacted; want 3, all redacted by the purge at start", oldEntries, redacted)
	}
	out, errOut, code := run("register", "verify")
	if code != 0 || !strings.Contains(out, "timeline: ok, 6 entries (3 redacted by retention)") {
		t.Fatalf("verify after the purge: exit %d\n%s%s", code, out, errOut)
	}

	// The recent risk decision, through the redaction UPDATE by raw SQL.
	var seq, row int64
	query(t, db, `SELECT seq, id FROM timeline WHERE incident_id = `+recent+` AND kind = 'risk'`, &seq, &row)
	now := time.Now().UnixNano()
	for q, refusal := range map[string]string{
		fmt.Sprintf(`UPDATE timeline SET message = '', data = '{}', redacted_at = %d WHERE id = %d`, now, row): "older than the retention",
		// Dated when the retention would have run out.
		fmt.Sprintf(`UPDATE timeline SET message = '', data = '{}', redacted_at = %d WHERE id = %d`, now+int64(6*365*24*time.Hour), row): "older than the retention",
		`UPDATE retention SET period = 1 WHERE record = 'timeline'`:                                                                      "lengthened, never shortened",
		`DELETE FROM retention`: "lengthened, never removed",
		fmt.Sprintf(`INSERT INTO retention (record, period, set_at) VALUES ('timeline', 1, %d)`, now): "lengthened, never shortened",
	} {
		if err := execDB(db, q); err == nil || !strings.Contains(err.Error(), refusal) {
			t.Errorf("%s: %v, want refused: %q", q, err, refusal)
		}
	}
	if out, _, code := run("register", "verify"); code != 0 || !strings.Contains(out, "(3 redacted by retention)") {
		t.Errorf("verify after the refused updates: exit %d\n%s", code, out)
	}

	// With the guards dropped, verify names the entry.
	tamperDB(t, db, `DROP TRIGGER timeline_redact_after_retention`,
		fmt.Sprintf(`UPDATE timeline SET message = '', data = '{}', redacted_at = %d WHERE id = %d`, now, row))
	out, _, code = run("register", "verify")
	want := fmt.Sprintf("timeline: BROKEN: timeline entry %d (row %d) was redacted too early", seq, row)
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("verify after blanking the decision: exit %d, want %q\n%s", code, want, out)
	}
}

// query scans one row of q on the database file into dest.
func query(t *testing.T, path, q string, dest ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(q).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// execDB runs q on the database file, as a process with the file would.
func execDB(path, q string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(q)
	return err
}
