package daemon_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// consoleForm is one form of the console: the path it posts to (%d: a
// record's id), and the roles that hold the API permission behind it, as
// docs/incidents.md's table of roles gives them (not as the code does).
type consoleForm struct {
	path  string
	roles []string
}

// consoleForms is every form the console posts, by the permission of the
// API request it makes.
func consoleForms() []consoleForm {
	respond := []string{"responder", "admin"}
	team := []string{"responder", "dpo", "admin"}
	return []consoleForm{
		{"/console/incidents", respond},
		{"/console/incidents/%d/transition", respond},
		{"/console/incidents/%d/scope", respond},
		{"/console/incidents/%d/removals", respond},
		{"/console/containments/%d/revert", respond},
		{"/console/runs/%d/approve", respond},
		{"/console/runs/%d/deny", respond},
		{"/console/runs/%d/settle", respond},
		{"/console/incidents/%d/merge", team},
		{"/console/incidents/%d/clock", team},
		{"/console/incidents/%d/assess", team},
		{"/console/incidents/%d/notes", team},
		{"/console/incidents/%d/facts", team},
		{"/console/obligations/%d/decide", team},
		{"/console/obligations/%d/call", team},
		{"/console/obligations/%d/publication", team},
		{"/console/obligations/%d/posting", team},
		{"/console/obligations/%d/update", team},
		{"/console/messages/%d/resend", team},
		{"/console/register", []string{"dpo"}},
		{"/console/incidents/%d/subjects", []string{"dpo"}},
	}
}

// TestConsoleRoleMatrix: for each role, the console shows exactly the
// forms the role may use, and every form posted by hand (with the page's
// own CSRF token, empty) is refused with 403 by the API for a role
// without the permission, and gets past the role check (a 400, 404 or
// 409 for the empty form) for a role with it.
func TestConsoleRoleMatrix(t *testing.T) {
	h := start(t, consoleRule+formsConfig+fmt.Sprintf(`
token "vera" {
  role   = "viewer"
  sha256 = %q
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, hashOf("vera-token"), hashOf("rita-token")))
	h.appendLines("Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	h.waitFor("the incident's notices", func() bool { return len(h.obligationsOf(1)) == 2 })
	insurer := h.obligationsOf(1)["insurer"].ID
	tokens := map[string]string{"viewer": "vera-token", "responder": "rita-token", "dpo": harnessDPOToken, "admin": harnessToken}
	pages := []string{"/", "/console/incidents/1", fmt.Sprintf("/console/obligations/%d/notice", insurer), "/console/obligations",
		"/console/containment", "/console/register", "/console/incidents/1/report"}
	action := regexp.MustCompile(`action="([^"]+)"`)
	number := regexp.MustCompile(`/\d+(/|$)`)
	for _, role := range []string{"viewer", "responder", "dpo", "admin"} {
		u := signIn(t, h, tokens[role])
		shown := map[string]bool{}
		csrf := ""
		for _, p := range pages {
			body := u.page(p)
			if !strings.Contains(body, "("+role+")") {
				t.Errorf("%s: %s is not shown as the %s's", role, p, role)
			}
			for _, m := range action.FindAllStringSubmatch(body, -1) {
				shown[number.ReplaceAllString(m[1], "/%d$1")] = true
			}
			if m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(body); m != nil {
				csrf = m[1]
			}
		}
		for _, f := range consoleForms() {
			may := slices.Contains(f.roles, role)
			// The incident has no containment, run or message: their
			// forms show on the screens only when there is one.
			perRecord := strings.Contains(f.path, "/containments/") || strings.Contains(f.path, "/runs/") ||
				strings.Contains(f.path, "/messages/") || strings.Contains(f.path, "/posting") || strings.Contains(f.path, "/publication") ||
				strings.Contains(f.path, "/update")
			if !perRecord && shown[f.path] != may {
				t.Errorf("%s: the form %s is shown: %t, want %t", role, f.path, shown[f.path], may)
			}
			delete(shown, f.path)

			path := f.path
			if strings.Contains(path, "%d") {
				id := 1
				if strings.HasPrefix(path, "/console/obligations/") {
					id = int(insurer)
				}
				path = fmt.Sprintf(path, id)
			}
			var resp *http.Response
			var body string
			if strings.HasSuffix(path, "/subjects") {
				resp, body = u.upload(path, map[string]string{"csrf": csrf, "reason": "matrix"}, "list", "l.csv", "name,email,address\n")
			} else {
				resp, body = u.post(path, url.Values{"csrf": {csrf}})
			}
			switch {
			case !may && (resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "may not do this")):
				t.Errorf("%s posts %s: %d, want 403 from the API\n%s", role, path, resp.StatusCode, body)
			case may && (resp.StatusCode == http.StatusForbidden || resp.StatusCode/100 == 5):
				t.Errorf("%s posts %s (empty): %d, want past the role check\n%s", role, path, resp.StatusCode, body)
			}
		}
		delete(shown, "/console/signout")
		delete(shown, "/") // the queue's filter (GET)
		if len(shown) > 0 {
			t.Errorf("%s: forms the matrix does not know: %v", role, shown)
		}
	}
	var d struct{ Incident struct{ Status string } }
	h.get("/api/v1/incidents/1", &d)
	if d.Incident.Status != "open" {
		t.Errorf("the empty forms moved the incident to %s", d.Incident.Status)
	}
}
