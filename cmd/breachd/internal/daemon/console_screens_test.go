package daemon_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleScreens: every screen of the console, in Chromium, at a
// phone's width (390 px) and a desktop's (1280 px), fits the width: no
// sideways scrolling of the page. With BREACHD_SCREENSHOTS=DIR it writes
// each screen's image there (docs/console.md shows them:
// BREACHD_SCREENSHOTS=$PWD/docs/console go test ./cmd/breachd/internal/daemon -run TestConsoleScreens).
func TestConsoleScreens(t *testing.T) {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, consoleRuleWith(`actions = ["gated"]`)+formsConfig+fmt.Sprintf(`
action "exec" "gated" {
  argv             = [%q, "record-argv", "./var/gated.jsonl", "${ip}"]
  require_approval = true
}
rule "probe" {
  source  = "auth"
  match   = "Invalid user (?P<user>\\S+) from (?P<ip>\\S+)"
  dry_run = true
  actions = ["gated"]
}
`, bin))
	h.appendLines(
		"Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2",
		"Dec  3 10:00:01 db1 sshd[2]: Failed password for <script>alert(1)</script> from 198.51.100.23 port 40001 ssh2",
		"Dec  3 10:00:02 db1 sshd[3]: Invalid user admin from 203.0.113.9 port 40002",
	)
	h.waitFor("the incidents' notices", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 3 && len(h.obligationsOf(1)) == 2
	})
	admin := signIn(t, h, harnessToken)
	if c := admin.page("/console/containment"); !strings.Contains(c, `<td data-label="Action">gated</td>`) || !strings.Contains(c, "ip=203.0.113.9") {
		t.Errorf("the containment screen does not list the dry run of rule probe:\n%s", c)
	}
	h.put("/api/v1/incidents/1/facts", fullFacts)
	h.post("/api/v1/incidents/1/notes", map[string]any{"kind": "decision", "text": "notify the insurer today"})
	h.asDPO(func() {
		h.post("/api/v1/incidents/1/assess", map[string]any{"risk": "risk", "personal_data": true, "reason": "names and emails of 300 customers",
			"consequences": "phishing", "measures": "passwords reset"})
	})
	insurer := h.obligationsOf(1)["insurer"].ID

	screens := []struct{ name, path string }{
		{"queue", "/"},
		{"incident", "/console/incidents/1?verify=1"},
		{"notice", fmt.Sprintf("/console/obligations/%d/notice", insurer)},
		{"notices", "/console/obligations"},
		{"containment", "/console/containment"},
		{"register", "/console/register?verify=1"},
		{"report", "/console/incidents/1/report?verify=1"},
	}
	dir := os.Getenv("BREACHD_SCREENSHOTS")
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+h.addr+"/console/signin"), chromedp.WaitVisible(chromedp.ID("token"))); err != nil {
		t.Fatal(err)
	}
	if dir != "" {
		shoot(ctx, t, dir, "signin", 390)
	}
	if err := signInBrowser(ctx, h, chromedp.WaitVisible(chromedp.ID("queue"))); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{390, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, s := range screens {
			if err := chromedp.Do(ctx, chromedp.Navigate("http://"+h.addr+s.path), chromedp.WaitVisible(chromedp.Search("//h1"))); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.max(document.scrollingElement.scrollWidth, document.querySelector("main").scrollWidth) - window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if over > 0 {
				t.Errorf("%s at %d px: the page is %d px wider than the screen", s.name, width, over)
			}
			if dir != "" {
				shoot(ctx, t, dir, fmt.Sprintf("%s-%d", s.name, width), width)
			}
		}
	}
}

// shoot writes the whole page as DIR/NAME.png.
func shoot(ctx context.Context, t *testing.T, dir, name string, width int64) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
