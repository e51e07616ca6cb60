package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// seed writes a database with a few incidents whose timeline holds 9
// entries and whose register holds 3, and returns its path.
func seed(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seed.db")
	s := open(t, path)
	defer s.Close()
	out, err := s.Record(ctx, []incidents.NewIncident{item("a", t0), item("b", t0), item("c", t0)}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	at := t0
	ch := func(reason string) incidents.Change {
		at = at.Add(time.Minute)
		return incidents.Change{Actor: "alice", Reason: reason, At: at}
	}
	a, b, c := out[0].IncidentID, out[1].IncidentID, out[2].IncidentID
	steps := []func() error{
		func() error { return s.Transition(ctx, a, incidents.StatusTriaged, "", ch("looked")) },
		func() error { _, err := s.Note(ctx, a, "decision", "block the range", nil, ch("")); return err },
		func() error {
			return s.Assess(ctx, a, incidents.Assessment{Risk: incidents.RiskRisk, Register: true}, ch("emails readable"))
		},
		func() error {
			return s.Assess(ctx, b, incidents.Assessment{Risk: incidents.RiskNone, Register: true}, ch("no data"))
		},
		func() error { return s.Transition(ctx, c, incidents.StatusFalsePositive, "", ch("a pentest")) },
		func() error {
			nature := "lost laptop, encrypted"
			_, err := s.AppendRegister(ctx, incidents.RegisterWrite{Kind: incidents.RegisterNearMiss, Record: incidents.RecordPatch{Nature: &nature}}, ch("reported"))
			return err
		},
		func() error { _, err := s.Note(ctx, b, "note", "done", nil, ch("")); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	v, err := s.Verify(ctx)
	if err != nil || !v.OK() || v.Timeline.Entries != 9 || v.Register.Entries != 3 {
		t.Fatalf("seeded database: %+v, %v; want 9 timeline and 3 register entries, verified", v, err)
	}
	return path
}

// tamper copies the seeded database, drops the append-only guards as an
// intruder with the file would, runs the statements and verifies the copy
// the way breachd register verify does.
func tamper(t *testing.T, seeded string, stmts ...string) incidents.Verification {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tampered.db")
	copyFile(t, seeded, path)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	guards := []string{"timeline_no_delete", "timeline_only_redact", "timeline_redact_after_retention", "register_no_delete", "register_no_update"}
	for _, g := range guards {
		stmts = append([]string{"DROP TRIGGER " + g}, stmts...)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestTamperIsDetected edits, deletes and swaps rows directly in the SQLite
// file; verify names the exact entry each time.
func TestTamperIsDetected(t *testing.T) {
	seeded := seed(t)
	tests := []struct {
		name    string
		stmts   []string
		chain   string
		seq     int64
		problem string
	}{
		{"edit a message", []string{`UPDATE timeline SET message = 'Risk none' WHERE seq = 5`}, incidents.ChainTimeline, 5, "altered"},
		{"edit an actor", []string{`UPDATE timeline SET actor = 'mallory' WHERE seq = 3`}, incidents.ChainTimeline, 3, "altered"},
		{"backdate an entry", []string{`UPDATE timeline SET at = at - 3600000000000 WHERE seq = 4`}, incidents.ChainTimeline, 4, "altered"},
		{"move an entry to another incident", []string{`UPDATE timeline SET incident_id = incident_id + 1 WHERE seq = 6`}, incidents.ChainTimeline, 6, "altered"},
		{"edit an entry's data", []string{`UPDATE timeline SET data = '{"risk":"none"}' WHERE seq = 6`}, incidents.ChainTimeline, 6, "altered"},
		{"break the data", []string{`UPDATE timeline SET data = 'x' WHERE seq = 6`}, incidents.ChainTimeline, 6, "altered"},
		{"delete an entry", []string{`DELETE FROM timeline WHERE seq = 4`}, incidents.ChainTimeline, 4, "entry 4 was removed"},
		{"delete two entries", []string{`DELETE FROM timeline WHERE seq IN (4, 5)`}, incidents.ChainTimeline, 4, "entries 4 to 5 were removed"},
		{"delete the last entry (and the head)", []string{`DELETE FROM timeline WHERE seq = 9`, `UPDATE chain_heads SET seq = 8, hash = (SELECT hash FROM timeline WHERE seq = 8) WHERE chain = 'timeline'`},
			incidents.ChainTimeline, 0, ""}, // undetectable without an outside anchor: see below
		{"delete the last entry", []string{`DELETE FROM timeline WHERE seq = 9`}, incidents.ChainTimeline, 9, "removed from the end"},
		{"swap two entries", nil, incidents.ChainTimeline, 0, ""}, // statements below
		{"edit a register record", []string{`UPDATE register SET record = replace(record, '"risk":"risk"', '"risk":"none"') WHERE seq = 1`}, incidents.ChainRegister, 1, "altered"},
		{"change a register kind", []string{`UPDATE register SET kind = 'breach' WHERE seq = 1`}, incidents.ChainRegister, 1, "altered"},
		{"delete a register entry", []string{`DELETE FROM register WHERE seq = 2`}, incidents.ChainRegister, 2, "entry 2 was removed"},
		{"swap register entries", []string{
			`UPDATE register SET id = 100 WHERE seq = 1`, `UPDATE register SET id = 1 WHERE seq = 2`, `UPDATE register SET id = 2 WHERE seq = 1`,
		}, incidents.ChainRegister, 2, "reordered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "swap two entries" {
				// Exchange the row ids of entries 3 and 4.
				tt.stmts = []string{
					`CREATE TEMP TABLE ids AS SELECT (SELECT id FROM timeline WHERE seq = 3) AS a, (SELECT id FROM timeline WHERE seq = 4) AS b`,
					`UPDATE timeline SET id = -1 WHERE seq = 3`,
					`UPDATE timeline SET id = (SELECT a FROM ids) WHERE seq = 4`,
					`UPDATE timeline SET id = (SELECT b FROM ids) WHERE seq = 3`,
				}
				tt.seq, tt.problem = 4, "reordered"
			}
			v := tamper(t, seeded, tt.stmts...)
			rep, other := v.Timeline, v.Register
			if tt.chain == incidents.ChainRegister {
				rep, other = v.Register, v.Timeline
			}
			if !other.OK {
				t.Errorf("the untouched %s chain failed: %+v", other.Chain, other)
			}
			if tt.problem == "" {
				// Removing the newest entry together with the head record
				// leaves a shorter valid chain: that is why verify prints
				// the head hash to be kept outside (docs/incidents.md).
				if !rep.OK || rep.Entries != 8 {
					t.Errorf("%+v", rep)
				}
				return
			}
			if rep.OK || rep.BadSeq != tt.seq || !strings.Contains(rep.Problem, tt.problem) {
				t.Errorf("%s: report %+v, want entry %d named as %q", tt.name, rep, tt.seq, tt.problem)
			}
		})
	}
}

// TestRehashedEditIsDetected is an intruder who edits entry 5 and
// recomputes its hashes: entry 6 still links to the old hash.
func TestRehashedEditIsDetected(t *testing.T) {
	seeded := seed(t)
	path := filepath.Join(t.TempDir(), "rehashed.db")
	copyFile(t, seeded, path)
	s := open(t, path)
	var e incidents.TimelineEntry
	var id int64
	rows, err := s.r.Query(`SELECT ` + timelineCols + ` FROM timeline WHERE seq = 5`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		if e, _, err = scanTimeline(rows); err != nil {
			t.Fatal(err)
		}
		id = e.ID
	}
	rows.Close()
	e.Message = "Risk none; nothing to notify"
	content := incidents.TimelineContentHash(e)
	hash := incidents.ChainHash(incidents.ChainTimeline, e.Seq, e.PrevHash, content)
	for _, q := range []string{"DROP TRIGGER timeline_only_redact"} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.w.Exec(`UPDATE timeline SET message = ?, content_hash = ?, hash = ? WHERE id = ?`, e.Message, content, hash, id); err != nil {
		t.Fatal(err)
	}
	v, err := s.Verify(context.Background())
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if v.Timeline.OK || v.Timeline.BadSeq != 5 || !strings.Contains(v.Timeline.Problem, "rehashed") {
		t.Errorf("report %+v, want entry 5 named as altered and rehashed", v.Timeline)
	}
}

// TestAppendOnlyGuards: with the guards in place, edits and deletes of the
// timeline and the register are refused by the database itself.
func TestAppendOnlyGuards(t *testing.T) {
	seeded := seed(t)
	s := open(t, seeded)
	defer s.Close()
	for _, q := range []string{
		`UPDATE timeline SET message = 'x' WHERE seq = 1`,
		`DELETE FROM timeline WHERE seq = 1`,
		// A redaction before any retention is recorded.
		`UPDATE timeline SET message = '', data = '{}', redacted_at = CAST(unixepoch('now') * 1000000000 AS INTEGER) WHERE seq = 1`,
		`UPDATE register SET kind = 'near_miss' WHERE seq = 1`,
		`DELETE FROM register WHERE seq = 1`,
		// REPLACE deletes without firing the delete triggers: refused too.
		`INSERT OR REPLACE INTO timeline SELECT id, incident_id, at, actor, kind, 'nothing happened here', data, supersedes, seq, content_hash, prev_hash, hash, redacted_at FROM timeline WHERE seq = 1`,
		`REPLACE INTO register SELECT * FROM register WHERE seq = 1`,
		// A period that is not a number would rank above every integer
		// and open every entry to redaction.
		`INSERT INTO retention (record, period, set_at) VALUES ('timeline', 'zzz', CAST(unixepoch('now') * 1000000000 AS INTEGER))`,
	} {
		if _, err := s.w.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") && !strings.Contains(err.Error(), "lengthened") {
			t.Errorf("%s: %v, want refused as append-only", q, err)
		}
	}
}

// TestPurgeKeepsTheChain purges an old closed incident: its evidence and
// timeline content go, the chain still verifies and counts the redactions,
// and the purge itself is on the timeline.
func TestPurgeKeepsTheChain(t *testing.T) {
	ctx := context.Background()
	// Seven years ago: the purge, six years later, is in the past too (the
	// trigger refuses a redaction dated later than now).
	t0 := time.Now().UTC().AddDate(-7, 0, 0).Truncate(time.Second)
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	shared := func(it incidents.NewIncident) incidents.NewIncident {
		it.Entities = map[string]string{"ip": "203.0.113.9"}
		return it
	}
	out, err := s.Record(ctx, []incidents.NewIncident{shared(item("old", t0)), shared(item("new", t0))}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	old, recent := out[0].IncidentID, out[1].IncidentID
	if rel, _ := s.Related(ctx, recent); len(rel) != 1 {
		t.Fatalf("before the purge the two share an address: %+v", rel)
	}
	c := incidents.Change{Actor: "alice", Reason: "none", At: t0.Add(time.Hour)}
	if err := s.Assess(ctx, old, incidents.Assessment{Risk: incidents.RiskNone, Register: true}, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Transition(ctx, old, incidents.StatusFalsePositive, "", c); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(6 * 365 * 24 * time.Hour)
	rep, err := s.Purge(ctx, 5*365*24*time.Hour, incidents.Change{Actor: "admin", At: later})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Incidents != 1 || rep.EvidenceLines != 1 || rep.TimelineEntries != 3 {
		t.Errorf("purge = %+v, want 1 incident, 1 line, 3 entries", rep)
	}
	ev, _ := s.Evidence(ctx, old)
	if len(ev) != 1 || ev[0].Line != "" || ev[0].PurgedAt == nil {
		t.Errorf("evidence after purge = %+v", ev)
	}
	if ev, _ := s.Evidence(ctx, recent); len(ev) != 1 || ev[0].Line != "line" {
		t.Errorf("the open incident's evidence = %+v, want kept", ev)
	}
	tl, _ := s.Timeline(ctx, old)
	if len(tl) != 4 || tl[0].Message != "" || tl[0].RedactedAt == nil || tl[3].Kind != "purge" || tl[3].Message == "" {
		t.Errorf("timeline after purge = %+v", tl)
	}
	inc, _ := s.Incident(ctx, old)
	if inc.Evidence != "" || len(inc.Fields) != 0 || inc.Risk != incidents.RiskNone {
		t.Errorf("incident after purge = %+v; personal data gone, the decision kept", inc)
	}
	// The address was personal data of the purged incident: no link
	// keeps it.
	if rel, _ := s.Related(ctx, recent); len(rel) != 0 {
		t.Errorf("links after purge = %+v, want none to the purged incident", rel)
	}
	reg, _ := s.Register(ctx)
	if len(reg) != 1 {
		t.Errorf("register after purge = %+v, want kept", reg)
	}
	v, err := s.Verify(ctx)
	if err != nil || !v.OK() || v.Timeline.Redacted != 3 {
		t.Errorf("verify after purge = %+v, %v", v, err)
	}
	// Nothing expired twice.
	if rep, _ := s.Purge(ctx, 5*365*24*time.Hour, incidents.Change{Actor: "admin", At: later}); rep.Incidents != 0 {
		t.Errorf("second purge = %+v", rep)
	}
}

// TestBackdatedRedactionIsDetected: an intruder who drops the guards and
// blanks a recent risk decision is named by verify, whether the redaction
// is dated now (too early for the retention), in the future, or the entry
// is back-dated first to look old enough (its time is bound by its link).
func TestBackdatedRedactionIsDetected(t *testing.T) {
	seeded := seed(t)
	now := time.Now().UnixNano()
	old := time.Now().AddDate(-7, 0, 0).UnixNano()
	blank := `UPDATE timeline SET message = '', data = '{}', `
	for _, tt := range []struct{ name, stmt, problem string }{
		{"now", blank + fmt.Sprintf(`redacted_at = %d WHERE seq = 5`, now), "timeline entry 5 (row 5) was redacted too early: written "},
		{"future", blank + fmt.Sprintf(`redacted_at = %d WHERE seq = 5`, now+int64(6*365*24*time.Hour)), "timeline entry 5 (row 5) was redacted too early: its redaction is dated "},
		{"backdated", blank + fmt.Sprintf(`at = %d, redacted_at = %d WHERE seq = 5`, old, now), "timeline entry 5 (row 5) was altered: its hash does not match"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := tamper(t, seeded, tt.stmt)
			if v.Timeline.OK || v.Timeline.BadSeq != 5 || !strings.HasPrefix(v.Timeline.Problem, tt.problem) {
				t.Errorf("report %+v, want %q", v.Timeline, tt.problem)
			}
		})
	}
}

// TestRetentionOnlyLengthens: the retention a purge records stays in
// force when a later purge asks for a shorter one, so an incident closed
// three years ago keeps its timeline under a recorded five years even
// when the config says two; on a store that recorded two, it goes.
func TestRetentionOnlyLengthens(t *testing.T) {
	ctx := context.Background()
	const year = 365 * 24 * time.Hour
	closed := time.Now().UTC().Add(-3 * year)
	for _, tt := range []struct {
		name     string
		first    time.Duration
		inForce  time.Duration
		incident int64
	}{{"five years recorded", 5 * year, 5 * year, 0}, {"two years recorded", 2 * year, 2 * year, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, filepath.Join(t.TempDir(), "b.db"))
			defer s.Close()
			out, err := s.Record(ctx, []incidents.NewIncident{item("old", closed)}, incidents.Progress{}, closed)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Transition(ctx, out[0].IncidentID, incidents.StatusFalsePositive, "", incidents.Change{Actor: "alice", Reason: "pentest", At: closed}); err != nil {
				t.Fatal(err)
			}
			now := incidents.Change{Actor: "admin", At: time.Now().UTC()}
			if _, err := s.Purge(ctx, tt.first, now); err != nil {
				t.Fatal(err)
			}
			rep, err := s.Purge(ctx, 2*year, now)
			if err != nil || rep.Retention != tt.inForce {
				t.Fatalf("purge asking 2y = %+v, %v; want %s in force", rep, err, tt.inForce)
			}
			var redacted int64
			if err := s.r.QueryRow(`SELECT count(redacted_at) FROM timeline`).Scan(&redacted); err != nil {
				t.Fatal(err)
			}
			if want := 2 * tt.incident; redacted != want {
				t.Errorf("%d entries redacted, want %d", redacted, want)
			}
			if _, err := s.Purge(ctx, 364*24*time.Hour, now); err == nil || !strings.Contains(err.Error(), "shorter than the least allowed") {
				t.Errorf("purge asking under a year: %v, want refused", err)
			}
			// Lengthened later: the redactions made under the shorter
			// period still verify, judged by the period of their time.
			later := incidents.Change{Actor: "admin", At: now.At.Add(time.Second)}
			if rep, err := s.Purge(ctx, 6*year, later); err != nil || rep.Retention != 6*year {
				t.Fatalf("purge asking 6y = %+v, %v", rep, err)
			}
			if v, err := s.Verify(ctx); err != nil || !v.OK() || v.Timeline.Redacted != redacted {
				t.Errorf("verify after lengthening = %+v, %v; want ok with %d redacted", v.Timeline, err, redacted)
			}
		})
	}
}
