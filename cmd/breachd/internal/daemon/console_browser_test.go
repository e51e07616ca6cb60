package daemon_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// consoleConfig opens an incident per failing user; its title carries the
// user name, which the log line's writer chose.
const consoleConfig = `
token "vera" {
  role   = "viewer"
  sha256 = "%s"
}
server {
  listen   = "127.0.0.1:0"
  data_dir = "./var"
}
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "login-failure" {
  source = "auth"
  match  = "Failed password for (?P<user>.+) from (?P<ip>\\S+) port \\d+"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["user"]
  }
  severity = "high"
  incident {
    title    = "Login failure for ${user}"
    category = "unauthorized-access"
  }
}
`

// browser starts Debian's Chromium, headless, for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("Chromium is not installed (Debian package chromium; .ci/run installs it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// watchedBrowser starts the browser and counts the dialogs its pages
// open and the script errors they throw.
func watchedBrowser(t *testing.T) (context.Context, *atomic.Int32, *atomic.Int32) {
	t.Helper()
	ctx := browser(t)
	var dialogs, exceptions atomic.Int32
	if _, err := chromedp.Run(ctx, chromedp.Title()); err != nil { // starts the browser
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev.(type) {
		case *cdppage.EventJavascriptDialogOpening:
			dialogs.Add(1)
		case *cdpruntime.EventExceptionThrown:
			exceptions.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return ctx, &dialogs, &exceptions
}

// signInBrowser opens the console in the browser, signs in with the
// harness's admin token, and waits for then.
func signInBrowser(ctx context.Context, h *harness, then chromedp.Action[chromedp.Void]) error {
	return signInBrowserAs(ctx, h, harnessToken, then)
}

// signInBrowserAs is signInBrowser with another token.
func signInBrowserAs(ctx context.Context, h *harness, token string, then chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(ctx,
		chromedp.Navigate("http://"+h.addr+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Submit(chromedp.ID("token")),
		then,
	)
}

// TestConsoleQueueLive: a responder signs in with an API token, and an
// incident a log line opens appears in the queue without a reload; its
// title, written by whoever wrote the log line, is text: no markup, no
// script, under the console's Content-Security-Policy.
func TestConsoleQueueLive(t *testing.T) {
	viewer := sha256.Sum256([]byte("viewer-token"))
	h := start(t, fmt.Sprintf(consoleConfig, hex.EncodeToString(viewer[:])))
	h.appendLines("Dec  3 10:00:00 web sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the first incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	resp, err := http.Get("http://" + h.addr + "/console/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}

	ctx, dialogs, exceptions := watchedBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := signInBrowser(ctx, h, chromedp.WaitVisible(chromedp.ID("queue"))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	queue, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("queue")))
	if err != nil || !strings.Contains(queue, "Login failure for alice") {
		t.Fatalf("the queue after sign-in: %q, %v", queue, err)
	}

	// A second incident, opened by a user name that is markup, appears
	// without a reload.
	hostile := `<img src=x onerror=alert(1)><script>alert(2)</script>`
	h.appendLines(fmt.Sprintf("Dec  3 10:00:05 web sshd[2]: Failed password for %s from 192.0.2.11 port 40001 ssh2", hostile))
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.Search(`//tbody[@id="queue"]/tr[td[contains(., "onerror=alert(1)")]]`))); err != nil {
		t.Fatalf("the second incident did not appear without a reload: %v", err)
	}
	queue, _ = chromedp.Run(ctx, chromedp.Text(chromedp.ID("queue")))
	images, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#queue img, #queue script").length`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queue, "Login failure for "+hostile) || images != 0 {
		t.Errorf("the hostile title is not text: %d img or script elements; queue %q", images, queue)
	}

	// The responder opens the first incident from the queue and contains
	// it with the button the API allows; the timeline says so.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[contains(., "Login failure for alice")]`)),
		chromedp.WaitVisible(chromedp.ID("status")),
		chromedp.Click(chromedp.Search(`//button[@name="to" and @value="contained"]`)),
		chromedp.WaitVisible(chromedp.Search(`//dd[@id="status" and normalize-space(.)="contained"]`)),
	); err != nil {
		t.Fatalf("contain from the incident screen: %v", err)
	}
	timeline, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("timeline")))
	page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.Search("//ol[@class='timeline']")))
	if !strings.Contains(page, "open → contained") || !strings.Contains(page, "by harness") {
		t.Errorf("the timeline after the button (%s): %q", timeline, page)
	}
	// Closing without a resolution: the API's refusal is shown, nothing
	// changes.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//button[@name="to" and @value="closed"]`)),
		chromedp.WaitVisible(chromedp.ID("refusal")),
	); err != nil {
		t.Fatalf("close without a resolution: %v", err)
	}
	refusal, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("refusal")))
	if !strings.Contains(refusal, "resolution") {
		t.Errorf("the refusal: %q", refusal)
	}
	if dialogs.Load() != 0 || exceptions.Load() != 0 {
		t.Errorf("%d dialogs opened, %d script errors", dialogs.Load(), exceptions.Load())
	}
}

// TestConsoleRoles: a viewer sees no change forms, and a change posted by
// hand (with the page's own CSRF token) is refused by the API, 403, with
// its words; nothing changes.
func TestConsoleRoles(t *testing.T) {
	viewer := sha256.Sum256([]byte("viewer-token"))
	h := start(t, fmt.Sprintf(consoleConfig, hex.EncodeToString(viewer[:])))
	h.appendLines("Dec  3 10:00:00 web sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	vera := signIn(t, h, "viewer-token")
	body := vera.page("/console/incidents/1")
	if !strings.Contains(body, "vera (viewer)") || strings.Contains(body, "/transition") || strings.Contains(body, "/notes") {
		t.Fatalf("the viewer's incident page offers changes or is not the viewer's:\n%s", body)
	}
	resp, answer := vera.post("/console/incidents/1/transition", url.Values{"csrf": {csrfOf(t, body)}, "to": {"contained"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(answer, "may not do this") {
		t.Errorf("a viewer's transition: %d\n%s", resp.StatusCode, answer)
	}
	var d struct{ Incident struct{ Status string } }
	h.get("/api/v1/incidents/1", &d)
	if d.Incident.Status != "open" {
		t.Errorf("the incident moved to %s", d.Incident.Status)
	}
	// Without the session's CSRF token a change is refused by the console.
	if resp, _ := vera.post("/console/incidents/1/transition", url.Values{"to": {"contained"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a change without CSRF token: %d", resp.StatusCode)
	}
}

// TestConsoleApprovalsAndNotices: the containment screen lists a run that
// waits for approval; approving it from the console (with a reason) lets
// it run, and the run is the approver's on the timeline; the notices
// screen lists the undecided notices. Over HTTP, as a browser posts.
func TestConsoleApprovalsAndNotices(t *testing.T) {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, consoleRuleWith(`actions = ["gated"]`)+fmt.Sprintf(`
action "exec" "gated" {
  argv             = [%q, "record-argv", "./var/gated.jsonl", "${ip}"]
  require_approval = true
}
`, bin))
	h.appendLines("Dec  3 10:00:00 web sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	var waiting httpapiApprovals
	h.waitFor("the run waiting for approval", func() bool {
		h.get("/api/v1/approvals", &waiting)
		return len(waiting.Runs) == 1
	})
	admin := signIn(t, h, "harness-admin-token")
	page := admin.page
	body := page("/console/containment")
	run := waiting.Runs[0].ID
	if !strings.Contains(body, fmt.Sprintf(`action="/console/runs/%d/approve"`, run)) {
		t.Fatalf("the containment screen does not offer the run:\n%s", body)
	}
	csrf := csrfOf(t, body)
	// Without a reason the API refuses, and the screen says so.
	resp, answer := admin.post(fmt.Sprintf("/console/runs/%d/approve", run), url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(answer, "Refused: 400 Bad Request:") {
		t.Errorf("approve without a reason: %d\n%s", resp.StatusCode, answer)
	}
	resp, _ = admin.post(fmt.Sprintf("/console/runs/%d/approve", run), url.Values{"csrf": {csrf}, "reason": {"confirmed in the log"}})
	if resp.Request.URL.Path != "/console/containment" {
		t.Errorf("after approving: at %s", resp.Request.URL.Path)
	}
	h.waitFor("the approved run", func() bool {
		h.get("/api/v1/approvals", &waiting)
		return len(waiting.Runs) == 0
	})
	var d struct {
		Timeline []struct{ Kind, Actor, Message string }
	}
	h.get("/api/v1/incidents/1", &d)
	approved := false
	for _, e := range d.Timeline {
		approved = approved || e.Kind == "approval" && e.Actor == "harness" && strings.Contains(e.Message, "confirmed in the log")
	}
	if !approved {
		t.Errorf("the approval is not on the timeline as the approver's: %+v", d.Timeline)
	}
	if body := page("/console/obligations"); !strings.Contains(body, "Undecided notices") {
		t.Errorf("the notices screen:\n%s", body)
	}
	// The DPO's decision writes the register's entry; the register screen
	// shows it, its hash, and the chains verified.
	h.asDPO(func() {
		h.post("/api/v1/incidents/1/assess", map[string]any{"risk": "none", "personal_data": false, "reason": "no login succeeded <b>really</b>"})
	})
	reg := page("/console/register?verify=1")
	if !strings.Contains(reg, "Chains verified") || !strings.Contains(reg, `<a href="/console/incidents/1">#1</a>`) || !strings.Contains(reg, "near_miss") ||
		!strings.Contains(reg, "&lt;b&gt;really") && strings.Contains(reg, "<b>really") {
		t.Errorf("the register screen:\n%s", reg)
	}
	if js := page("/console/register.json"); !strings.Contains(js, `"kind": "near_miss"`) {
		t.Errorf("the register export: %s", js)
	}
}

// httpapiApprovals is GET /api/v1/approvals's body.
type httpapiApprovals struct {
	Runs []struct{ ID int64 } `json:"runs"`
}

// TestConsoleDPODecidesAndReadsTheNotice: the DPO decides the risk from the
// incident screen (the register entry is written), opens an obligation's
// notice, sees it rendered with what it lacks, and an approval of a notice
// that lacks facts is refused with the API's words.
func TestConsoleDPODecidesAndReadsTheNotice(t *testing.T) {
	h := start(t, consoleRule+formsConfig)
	h.appendLines("Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	h.waitFor("the incident's notices", func() bool { return len(h.obligationsOf(1)) == 2 })
	dora := signIn(t, h, "harness-dpo-token")
	get := dora.page
	page := get("/console/incidents/1")
	if !strings.Contains(page, `action="/console/incidents/1/assess"`) || strings.Contains(page, "/transition") {
		t.Fatalf("the DPO's incident screen (assess, no moves: the DPO does not respond):\n%s", page)
	}
	resp, _ := dora.post("/console/incidents/1/assess", url.Values{"csrf": {csrfOf(t, page)}, "risk": {"high"}, "personal_data": {"true"},
		"reason": {"names and emails of 300 people exposed"}, "consequences": {"phishing"}, "measures": {"passwords reset"}})
	if resp.Request.URL.Path != "/console/incidents/1" {
		t.Fatalf("after the decision: at %s", resp.Request.URL.Path)
	}
	if reg := h.registerOf(1); len(reg) != 1 || reg[0].Kind != "breach" || reg[0].Actor != "harness-dpo" {
		t.Errorf("the register after the DPO's decision in the console: %+v", reg)
	}
	o := h.obligationsOf(1)["insurer"]
	notice := get(fmt.Sprintf("/console/obligations/%d/notice", o.ID))
	if !strings.Contains(notice, `id="missing"`) || !strings.Contains(notice, "[missing:") {
		t.Errorf("the notice page does not say what the notice lacks:\n%s", notice)
	}
	resp, b := dora.post(fmt.Sprintf("/console/obligations/%d/decide", o.ID), url.Values{"csrf": {csrfOf(t, notice)}, "state": {"approved"}, "reason": {"checked"}})
	if resp.StatusCode/100 != 4 || !strings.Contains(b, "Refused:") {
		t.Errorf("approving a notice that lacks facts: %d\n%s", resp.StatusCode, b)
	}
	if got := h.obligationsOf(1)["insurer"]; got.State == "approved" {
		t.Error("the notice that lacks facts was approved")
	}
}

// consoleUser is a browser signed into the console with a token, over
// HTTP: its cookie jar holds the session.
type consoleUser struct {
	t      *testing.T
	client *http.Client
	base   string
}

func signIn(t *testing.T, h *harness, token string) *consoleUser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u := &consoleUser{t: t, client: &http.Client{Jar: jar}, base: "http://" + h.addr}
	resp, err := u.client.PostForm(u.base+"/console/signin", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return u
}

// page GETs a console page, which must answer 200.
func (u *consoleUser) page(path string) string {
	u.t.Helper()
	_, b := u.get(path)
	return string(b)
}

// get GETs a console path, which must answer 200, and returns the answer
// and its body.
func (u *consoleUser) get(path string) (*http.Response, []byte) {
	u.t.Helper()
	resp, err := u.client.Get(u.base + path)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		u.t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
	}
	return resp, b
}

// post sends a form and returns the answer (after redirects) and its body.
func (u *consoleUser) post(path string, form url.Values) (*http.Response, string) {
	u.t.Helper()
	resp, err := u.client.PostForm(u.base+path, form)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// csrfOf is the CSRF token of a page's forms.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

// TestConsoleFactsAndClocks: the facts a notice needs and the clocks are
// set from the incident screen, through the API: the notice then lacks
// nothing it lacked for them, and a clock set in the future is refused
// with the API's words.
func TestConsoleFactsAndClocks(t *testing.T) {
	h := start(t, consoleRule+formsConfig)
	h.appendLines("Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	admin := signIn(t, h, "harness-admin-token")
	page := admin.page("/console/incidents/1")
	resp, body := admin.post("/console/incidents/1/facts", url.Values{"csrf": {csrfOf(t, page)}, "reason": {"from the investigation"},
		"nature": {"an attacker read the CRM"}, "consequences": {"phishing"}, "measures": {"passwords reset"},
		"effects": {"disclosed", "accessed"}, "caused_by": {"unauthorized persons"}})
	if resp.Request.URL.Path != "/console/incidents/1" || resp.StatusCode != http.StatusOK {
		t.Fatalf("saving the facts: %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
	var d struct {
		Incident struct {
			Facts struct {
				Nature   string
				Effects  []string
				CausedBy string `json:"caused_by"`
			}
		}
	}
	h.get("/api/v1/incidents/1", &d)
	if d.Incident.Facts.Nature != "an attacker read the CRM" || len(d.Incident.Facts.Effects) != 2 || d.Incident.Facts.CausedBy != "unauthorized persons" {
		t.Errorf("the facts after the form: %+v", d.Incident.Facts)
	}
	page = admin.page("/console/incidents/1")
	if !strings.Contains(page, `value="disclosed" class="box" checked`) {
		t.Errorf("the form does not show the facts saved:\n%s", page)
	}
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	resp, body = admin.post("/console/incidents/1/clock", url.Values{"csrf": {csrfOf(t, page)}, "clock": {"occurred_at"}, "at": {future}, "reason": {"typo"}})
	if resp.StatusCode/100 != 4 || !strings.Contains(body, "Refused:") {
		t.Errorf("a clock in the future: %d\n%s", resp.StatusCode, body)
	}
	// The scope: only what is filled in changes.
	resp, body = admin.post("/console/incidents/1/scope", url.Values{"csrf": {csrfOf(t, page)}, "records": {"5000"}, "reason": {"the export had 5000 rows"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<dt>Subjects, records</dt><dd>300, 5000</dd>") {
		t.Errorf("the scope from the console: %d\n%s", resp.StatusCode, body)
	}
	resp, body = admin.post("/console/incidents/1/scope", url.Values{"csrf": {csrfOf(t, page)}, "records": {"many"}, "reason": {"r"}})
	if resp.StatusCode/100 != 4 || !strings.Contains(body, "Refused:") {
		t.Errorf("a scope with records %q: %d\n%s", "many", resp.StatusCode, body)
	}
	past := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	resp, body = admin.post("/console/incidents/1/clock", url.Values{"csrf": {csrfOf(t, page)}, "clock": {"occurred_at"}, "at": {past}, "reason": {"the first failed login"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "occurred_at set to") {
		t.Errorf("occurred_at from the console: %d\n%s", resp.StatusCode, body)
	}
}

// consoleRule opens an incident for each failing address's first failure.
var consoleRule = consoleRuleWith("")

// consoleRuleWith is consoleRule with more attributes in its rule block.
func consoleRuleWith(extra string) string {
	return `
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}
rule "login-failure" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+) port \\d+"
  threshold {
    count    = 1
    within   = "1m"
    group_by = ["ip"]
  }
  ` + extra + `
}
`
}

// TestConsoleCountdown: the queue's time left to the next notice counts
// down in the browser, each second, without a reload.
func TestConsoleCountdown(t *testing.T) {
	h := start(t, consoleRule+formsConfig)
	h.appendLines("Dec  3 10:00:00 db1 sshd[1]: Failed password for alice from 192.0.2.10 port 40000 ssh2")
	h.waitFor("the incident's notices", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1 && len(h.obligationsOf(1)) == 2
	})
	ctx := browser(t)
	if _, err := chromedp.Run(ctx, chromedp.Title()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := signInBrowser(ctx, h, chromedp.WaitVisible(chromedp.Search(`//strong[@data-due]`))); err != nil {
		t.Fatalf("the queue with a due notice: %v", err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//strong[@data-due]`)))
	if err != nil {
		t.Fatal(err)
	}
	// Within the 60 s deadline it shows the time left to the second, and
	// then a second less.
	script := `new Promise(r => { const el = document.querySelector("strong[data-due]");
		const live = /^(\d+d )?(\d+h )?\d+m \d+s$/; let seen = "";
		const check = () => { const v = el.textContent;
			if (live.test(v)) { if (seen === "") { seen = v; } else if (v !== seen) { return r(seen + " | " + v); } }
			setTimeout(check, 100); };
		check(); })`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(got, " | ") {
		t.Fatalf("the countdown did not move: server text %q, then %q (%v)", first, got, err)
	}
}
