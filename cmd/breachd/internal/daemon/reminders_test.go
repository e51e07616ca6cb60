package daemon_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// sentKeys lists the idempotency keys of the messages a file channel
// wrote, sorted.
func sentKeys(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			keys = append(keys, strings.TrimSuffix(e.Name(), ".json"))
		}
	}
	slices.Sort(keys)
	return keys
}

func (h *harness) put(path string, v any) {
	h.t.Helper()
	body, _ := json.Marshal(v)
	req, _ := http.NewRequest("PUT", "http://"+h.addr+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+h.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		h.t.Fatalf("PUT %s: %d", path, resp.StatusCode)
	}
}

// TestRemindersRunFromTheDeadlineWindow runs the daemon on an injected
// clock with reminder_every set: an obligation's reminders fall at
// fractions of the time from its clock's anchor to its due time (50% of
// 72 h is 36 h after awareness); one that arises late (its anchor moved
// back) is reminded once, at once, for the latest fraction passed; past
// its due time the reminder and escalation channels are told it is
// overdue, once; the API shows the time left and OVERDUE in the
// organisation's time zone.
func TestRemindersRunFromTheDeadlineWindow(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	config := `
incidents {
  policy_packs = ["gdpr"]
}
organisation {
  name      = "Example Hosting Ltd"
  time_zone = "Asia/Tokyo"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
channel "file" "team" {
  dir = "./var/reminders"
}
channel "file" "leader" {
  dir = "./var/escalations"
}
notifications {
  reminder_channels   = ["team"]
  escalation_channels = ["leader"]
  reminder_every      = "100ms"
}
`
	h := startWith(t, t.TempDir(), config, daemon.Options{Now: clk.Now})
	team, leader := filepath.Join(h.dir, "var", "reminders"), filepath.Join(h.dir, "var", "escalations")
	var d httpapi.IncidentDetail
	open := func(title string) httpapi.IncidentDetail {
		h.post("/api/v1/incidents", map[string]any{"title": title, "reporter": "a customer", "host": "db1"})
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &d)
		return d
	}
	first := open("Invoices on a paste site")
	var sa int64
	for _, o := range first.Obligations {
		if o.Recipient == "supervisory_authority" {
			sa = o.ID
		}
	}
	if sa == 0 {
		t.Fatalf("no obligation to the supervisory authority: %+v", first.Obligations)
	}
	mine := func(keys []string, id int64) []string {
		var out []string
		for _, k := range keys {
			if strings.HasPrefix(k, fmt.Sprintf("breachd-obligation-%d-", id)) {
				out = append(out, k)
			}
		}
		return out
	}

	// 37 h after awareness: the 50% reminder, and only it.
	clk.Add(37 * time.Hour)
	want50 := []string{fmt.Sprintf("breachd-obligation-%d-reminder-50-team-v1", sa)}
	h.waitFor("the 50% reminder", func() bool { return slices.Equal(mine(sentKeys(t, team), sa), want50) })

	// A second incident whose awareness is moved 60 h back: its
	// obligation is due in 12 h, past 75% of its time: one reminder, for
	// 75%, at once.
	second := open("Second breach, noticed late")
	var sa2 int64
	for _, o := range second.Obligations {
		if o.Recipient == "supervisory_authority" {
			sa2 = o.ID
		}
	}
	h.put(fmt.Sprintf("/api/v1/incidents/%d/clocks/occurred_at", second.Incident.ID),
		map[string]any{"at": clk.Now().Add(-61 * time.Hour).Format(time.RFC3339), "reason": "it happened before the customer told us"})
	h.put(fmt.Sprintf("/api/v1/incidents/%d/clocks/aware_at", second.Incident.ID),
		map[string]any{"at": clk.Now().Add(-60 * time.Hour).Format(time.RFC3339), "reason": "the customer told us 60 hours ago"})
	want75 := []string{fmt.Sprintf("breachd-obligation-%d-reminder-75-team-v1", sa2)}
	h.waitFor("the late obligation's one reminder", func() bool { return slices.Equal(mine(sentKeys(t, team), sa2), want75) })

	// Past the first one's due time (72 h): overdue, to the team and the
	// leader, once.
	clk.Add(36 * time.Hour)
	h.waitFor("the escalation", func() bool {
		return slices.Equal(mine(sentKeys(t, leader), sa), []string{fmt.Sprintf("breachd-obligation-%d-overdue-leader-v1", sa)})
	})
	h.waitFor("the overdue reminder to the team", func() bool {
		return slices.Contains(sentKeys(t, team), fmt.Sprintf("breachd-obligation-%d-overdue-team-v1", sa))
	})
	// 75% and 90% passed within the jump to 73 h: the overdue message
	// supersedes them.
	if got, want := mine(sentKeys(t, team), sa), []string{fmt.Sprintf("breachd-obligation-%d-overdue-team-v1", sa), want50[0]}; !slices.Equal(got, want) {
		t.Errorf("the team got %v for the first obligation, want %v", got, want)
	}

	// An obligation that arises already overdue (awareness 100 h back) is
	// escalated at once.
	third := open("Third breach, reported long after")
	var sa3 int64
	for _, o := range third.Obligations {
		if o.Recipient == "supervisory_authority" {
			sa3 = o.ID
		}
	}
	h.put(fmt.Sprintf("/api/v1/incidents/%d/clocks/occurred_at", third.Incident.ID),
		map[string]any{"at": clk.Now().Add(-101 * time.Hour).Format(time.RFC3339), "reason": "it happened before the report"})
	h.put(fmt.Sprintf("/api/v1/incidents/%d/clocks/aware_at", third.Incident.ID),
		map[string]any{"at": clk.Now().Add(-100 * time.Hour).Format(time.RFC3339), "reason": "reported four days late"})
	h.waitFor("the escalation of an obligation born overdue", func() bool {
		return slices.Equal(mine(sentKeys(t, leader), sa3), []string{fmt.Sprintf("breachd-obligation-%d-overdue-leader-v1", sa3)})
	})
	var list httpapi.ObligationList
	h.get("/api/v1/obligations", &list)
	for _, o := range list.Obligations {
		if o.ID != sa {
			continue
		}
		if !o.Overdue || !strings.HasPrefix(o.TimeLeft, "-") || !strings.HasSuffix(o.DueLocal, "+09:00") || o.DueZone != "JST (Asia/Tokyo)" {
			t.Errorf("overdue obligation as the API shows it: overdue %v, time left %q, due %q in %q (want Tokyo time, JST (Asia/Tokyo))", o.Overdue, o.TimeLeft, o.DueLocal, o.DueZone)
		}
	}
}
