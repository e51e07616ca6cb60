package daemon_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestSensitiveCapturesNeverLeaveInClear runs the shipped sensitive-data
// pack in the daemon: an SSN in an application log opens an incident
// whose fields (the number and its parts area, group and serial), title
// and evidence are masked in the API, in a webhook's body and in the
// database file itself.
func TestSensitiveCapturesNeverLeaveInClear(t *testing.T) {
	var mu sync.Mutex
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	pack, err := os.ReadFile("../../../../configs/rules/sensitive.hcl")
	if err != nil {
		t.Fatal(err)
	}
	rules := strings.ReplaceAll(string(pack), "  sensitive = true\n", "  sensitive = true\n  actions   = [\"notify\"]\n")
	config := fmt.Sprintf(`
server {
  data_dir = "./var"
}
source "file" "app" {
  paths = ["./var/auth.log"]
}
source "file" "web" {
  paths = ["./var/access.log"]
}
action "webhook" "notify" {
  url = %q
}
%s`, srv.URL, rules)
	h := start(t, config)
	h.appendLines("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified")

	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	id := list.Incidents[0].ID
	h.waitFor("the webhook", h.actionsFinished(id, 1))
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	for k, want := range map[string]string{"ssn": "***-**-1120", "area": "***", "group": "**", "serial": "****"} {
		if got := d.Incident.Fields[k]; got != want {
			t.Errorf("field %s = %q, want %q", k, got, want)
		}
	}
	api, _ := json.Marshal(d)
	mu.Lock()
	hook := bytes.Join(bodies, nil)
	mu.Unlock()
	if len(hook) == 0 {
		t.Fatal("the webhook received nothing")
	}
	db, err := os.ReadFile(filepath.Join(h.dir, "var", "breachd.db"))
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(filepath.Join(h.dir, "var", "breachd.db-wal")); err == nil {
		db = append(db, wal...)
	}
	for where, b := range map[string][]byte{"the API": api, "the webhook body": hook, "the database": db} {
		for _, clear := range []string{"078-05-1120", "078-05", "05-1120", `"078"`, `"0780"`} {
			if bytes.Contains(b, []byte(clear)) {
				t.Errorf("%s holds %q in clear", where, clear)
			}
		}
	}
}
