package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestTimelineOfOneIncidentUsesItsIndex: reading one incident's timeline
// (done for every incident as it opens) goes through the timeline's and
// the merges' indexes; a scan of the timeline table made opening 10,000
// incidents take 38-57 s instead of 5 s (docs/operations.md, Capacity).
func TestTimelineOfOneIncidentUsesItsIndex(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "plan.db"))
	defer s.Close()
	rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+timelineOf, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(plan, "\n")
	for _, want := range []string{"SEARCH timeline USING INDEX timeline_incident", "SEARCH incidents USING COVERING INDEX incidents_merged_into"} {
		if !strings.Contains(all, want) {
			t.Errorf("the plan lacks %q:\n%s", want, all)
		}
	}
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN timeline") || strings.HasPrefix(line, "SCAN incidents") {
			t.Errorf("the plan scans a table: %q\n%s", line, all)
		}
	}
}
