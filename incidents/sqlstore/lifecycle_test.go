package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

func TestReopenWithin(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	within := func(it incidents.NewIncident) incidents.NewIncident { it.ReopenWithin = time.Hour; return it }
	out, _ := s.Record(ctx, []incidents.NewIncident{within(item("a", t0))}, incidents.Progress{}, t0)
	id := out[0].IncidentID
	c := incidents.Change{Actor: "alice", Reason: "r", At: t0.Add(time.Minute)}
	if err := s.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskNone, Register: true}, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Transition(ctx, id, incidents.StatusTriaged, "", c); err != nil {
		t.Fatal(err)
	}
	if err := s.Transition(ctx, id, incidents.StatusClosed, "blocked", c); err != nil {
		t.Fatal(err)
	}
	// 30 minutes after closing: the same incident reopens.
	out, err := s.Record(ctx, []incidents.NewIncident{within(item("a", t0.Add(31*time.Minute)))}, incidents.Progress{}, t0.Add(31*time.Minute))
	if err != nil || !out[0].Reopened || out[0].IncidentID != id {
		t.Fatalf("within the window: %+v, %v; want incident %d reopened", out, err, id)
	}
	inc, _ := s.Incident(ctx, id)
	if inc.Status != incidents.StatusOpen || inc.Reopened != 1 || inc.ClosedAt != nil || inc.FindingCount != 2 {
		t.Errorf("reopened incident = %+v", inc)
	}
	tl, _ := s.Timeline(ctx, id)
	if last := tl[len(tl)-1]; last.Kind != "reopened" || !strings.Contains(last.Message, "reopen_within 1h0m0s") {
		t.Errorf("last entry = %+v", last)
	}
	// Closed again; two hours later a finding opens a new incident.
	c.At = t0.Add(40 * time.Minute)
	if err := s.Transition(ctx, id, incidents.StatusTriaged, "", c); err != nil {
		t.Fatal(err)
	}
	if err := s.Transition(ctx, id, incidents.StatusClosed, "blocked again", c); err != nil {
		t.Fatal(err)
	}
	out, _ = s.Record(ctx, []incidents.NewIncident{within(item("a", t0.Add(3*time.Hour)))}, incidents.Progress{}, t0.Add(3*time.Hour))
	if !out[0].Opened || out[0].IncidentID == id {
		t.Errorf("after the window: %+v, want a new incident", out)
	}
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, _ := s.Record(ctx, []incidents.NewIncident{item("a", t0)}, incidents.Progress{}, t0)
	id := out[0].IncidentID
	c := incidents.Change{Actor: "alice", At: t0}
	for _, tt := range []struct {
		to         incidents.Status
		resolution string
		want       error
		says       string
	}{
		{incidents.StatusNotifying, "", incidents.ErrConflict, "from open it can become triaged, contained, false_positive"},
		{incidents.StatusClosed, "done", incidents.ErrConflict, "cannot become closed"},
		{"deleted", "", incidents.ErrInvalid, "is not a status"},
		{incidents.StatusFalsePositive, "", incidents.ErrInvalid, "say why"},
	} {
		err := s.Transition(ctx, id, tt.to, tt.resolution, c)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("→ %s: %v, want %v saying %q", tt.to, err, tt.want, tt.says)
		}
	}
	if err := s.Transition(ctx, id, incidents.StatusTriaged, "", c); err != nil {
		t.Fatal(err)
	}
	if err := s.Transition(ctx, id, incidents.StatusClosed, "", c); !errors.Is(err, incidents.ErrInvalid) || !strings.Contains(err.Error(), "resolution") {
		t.Errorf("close without resolution: %v", err)
	}
	if err := s.Transition(ctx, id, incidents.StatusClosed, "fixed", c); !errors.Is(err, incidents.ErrConflict) || !strings.Contains(err.Error(), "no confirmed risk") {
		t.Errorf("close without risk: %v", err)
	}
	inc, _ := s.Incident(ctx, id)
	tl, _ := s.Timeline(ctx, id)
	if inc.Status != incidents.StatusTriaged || len(tl) != 2 {
		t.Errorf("after refusals: %s, %d entries; a refused change writes nothing", inc.Status, len(tl))
	}
}

func TestMergeKeepsBothHistories(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	out, _ := s.Record(ctx, []incidents.NewIncident{item("a", t0, "block"), item("b", t0.Add(time.Minute)), item("c", t0)}, incidents.Progress{}, t0)
	a, b, c := out[0].IncidentID, out[1].IncidentID, out[2].IncidentID
	if _, err := s.Note(ctx, b, "note", "seen from web2 too", nil, incidents.Change{Actor: "bob", At: t0}); err != nil {
		t.Fatal(err)
	}
	ch := incidents.Change{Actor: "alice", Reason: "one attacker", At: t0.Add(time.Hour)}
	if err := s.Merge(ctx, a, []int64{b}, incidents.MergeOptions{DPO: true}, ch); err != nil {
		t.Fatal(err)
	}
	ia, _ := s.Incident(ctx, a)
	ib, _ := s.Incident(ctx, b)
	if ia.FindingCount != 2 || !ia.LastSeen.Equal(t0.Add(time.Minute)) || ib.MergedInto == nil || *ib.MergedInto != a || ib.Status != incidents.StatusClosed {
		t.Errorf("after merge: a = %+v, b = %+v", ia, ib)
	}
	tl, _ := s.Timeline(ctx, a)
	var got []string
	for _, e := range tl {
		got = append(got, fmt.Sprintf("%d:%s", e.IncidentID, e.Kind))
	}
	want := fmt.Sprintf("[%d:opened %d:opened %d:note %d:merge %d:merge]", a, b, b, b, a)
	if fmt.Sprint(got) != want {
		t.Errorf("merged timeline = %v, want %s", got, want)
	}
	// b's detection now attaches to a; a merged incident cannot be merged
	// again nor moved.
	out, _ = s.Record(ctx, []incidents.NewIncident{item("b", t0.Add(2*time.Hour))}, incidents.Progress{}, t0)
	if out[0].IncidentID != a || out[0].Opened {
		t.Errorf("finding of the merged detection: %+v, want attached to %d", out[0], a)
	}
	if err := s.Merge(ctx, c, []int64{b}, incidents.MergeOptions{DPO: true}, ch); !errors.Is(err, incidents.ErrConflict) {
		t.Errorf("merging a merged incident: %v", err)
	}
	if err := s.Transition(ctx, b, incidents.StatusOpen, "", incidents.Change{Actor: "x", Reason: "r", At: t0}); !errors.Is(err, incidents.ErrConflict) {
		t.Errorf("reopening a merged incident: %v", err)
	}
	if err := s.Merge(ctx, a, []int64{a}, incidents.MergeOptions{DPO: true}, ch); !errors.Is(err, incidents.ErrInvalid) {
		t.Errorf("merging into itself: %v", err)
	}
	rel, _ := s.Related(ctx, a)
	if len(rel) == 0 {
		t.Errorf("merge left no link")
	}
}

func TestRelatedAndEvidenceCap(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "b.db"))
	defer s.Close()
	mk := func(fp, ip, user string) incidents.NewIncident {
		it := item(fp, t0)
		it.Entities = map[string]string{"ip": ip, "user": user}
		it.EvidenceCap = 3
		return it
	}
	out, err := s.Record(ctx, []incidents.NewIncident{
		mk("ssh/1", "203.0.113.7", "root"), mk("web/1", "203.0.113.7", ""), mk("sudo/1", "198.51.100.1", "root"), mk("x/1", "192.0.2.1", "bob"),
	}, incidents.Progress{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := s.Related(ctx, out[0].IncidentID)
	if len(rel) != 2 || rel[0].IncidentID != out[1].IncidentID || rel[0].Kind != "ip" || rel[1].IncidentID != out[2].IncidentID || rel[1].Kind != "user" {
		t.Errorf("related of the ssh incident = %+v; want the web one (same ip) and the sudo one (same user)", rel)
	}
	if rel, _ := s.Related(ctx, out[3].IncidentID); len(rel) != 0 {
		t.Errorf("unrelated incident has links %+v", rel)
	}
	for i := range 5 {
		it := mk("ssh/1", "203.0.113.7", "root")
		it.Incident.Evidence = fmt.Sprintf("line %d", i)
		if _, err := s.Record(ctx, []incidents.NewIncident{it}, incidents.Progress{}, t0); err != nil {
			t.Fatal(err)
		}
	}
	ev, _ := s.Evidence(ctx, out[0].IncidentID)
	inc, _ := s.Incident(ctx, out[0].IncidentID)
	if len(ev) != 3 || inc.EvidenceDropped != 3 || inc.FindingCount != 6 {
		t.Errorf("evidence %d lines, %d dropped, %d findings; want 3 kept, 3 counted, 6 findings", len(ev), inc.EvidenceDropped, inc.FindingCount)
	}
}

// TestMigrationChainsOldTimeline opens a database written before the hash
// chain (schema 3) and checks the migration linked its entries.
func TestMigrationChainsOldTimeline(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s := &Store{}
	w, err := openWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	s.w = w
	for _, name := range []string{"migrations/0001_init.sql", "migrations/0002_file_positions.sql", "migrations/0003_source_cursors.sql"} {
		body, _ := migrationFS.ReadFile(name)
		if _, err := w.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO incidents (fingerprint, rule, group_key, title, category, severity, status, fields, evidence, finding_count, first_seen, last_seen, detected_at)
		 VALUES ('ssh/ip=1', 'ssh', 'ip=1', 'old', 'c', 'high', 'open', '{"ip":"1"}', 'Failed password', 3, 1, 2, 3)`,
		`INSERT INTO timeline (incident_id, at, actor, kind, message) VALUES (1, 3, 'breachd', 'opened', 'Opened by rule ssh')`,
		`INSERT INTO timeline (incident_id, at, actor, kind, message) VALUES (1, 4, 'breachd', 'action', 'Action block succeeded')`,
		`PRAGMA user_version = 3`,
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	s = open(t, path)
	defer s.Close()
	v, err := s.Verify(ctx)
	if err != nil || !v.OK() || v.Timeline.Entries != 2 {
		t.Fatalf("migrated chain: %+v, %v", v, err)
	}
	inc, err := s.Incident(ctx, 1)
	if err != nil || inc.Risk != incidents.RiskUnassessed || !inc.AwareAt.Equal(inc.DetectedAt) || inc.OccurredAt == nil {
		t.Errorf("migrated incident = %+v, %v", inc, err)
	}
	if ev, _ := s.Evidence(ctx, 1); len(ev) != 1 || ev[0].Line != "Failed password" {
		t.Errorf("migrated evidence = %+v", ev)
	}
	// New entries continue the chain.
	if _, err := s.Note(ctx, 1, "note", "after the upgrade", nil, incidents.Change{Actor: "a", At: t0}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Verify(ctx); !v.OK() || v.Timeline.Entries != 3 {
		t.Errorf("after a new entry: %+v", v)
	}
}

// TestLinksCapped: an incident sharing a value with 60 earlier ones links
// to the 50 most recent of them, no more; an earlier one to the 50 after
// it, a middle one to those on both sides.
func TestLinksCapped(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "l.db"))
	defer s.Close()
	var ids []int64
	for i := range 61 {
		it := item(fmt.Sprintf("ssh/%d", i), t0)
		it.Entities = map[string]string{"user": "root"}
		out, err := s.Record(ctx, []incidents.NewIncident{it}, incidents.Progress{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out[0].IncidentID)
	}
	rel, err := s.Related(ctx, ids[60])
	if err != nil || len(rel) != maxLinks {
		t.Fatalf("the 61st incident has %d links (%v), want %d", len(rel), err, maxLinks)
	}
	for _, r := range rel {
		if r.IncidentID < ids[10] || r.IncidentID == ids[60] || r.Kind != "user" || r.Value != "root" {
			t.Errorf("link %+v: want one of the 50 most recent others, by user root", r)
		}
	}
	for _, c := range []struct {
		i, first, last int // links to ids[first..last] but ids[i]
	}{{0, 1, 50}, {30, 0, 60}, {55, 5, 60}} {
		rel, err := s.Related(ctx, ids[c.i])
		var want []int64
		for j := c.first; j <= c.last; j++ {
			if j != c.i {
				want = append(want, ids[j])
			}
		}
		var got []int64
		for _, r := range rel {
			got = append(got, r.IncidentID)
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("incident %d is related to %v (%v); want %v", c.i, got, err, want)
		}
	}
}
