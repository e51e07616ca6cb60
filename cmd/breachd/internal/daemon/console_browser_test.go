package daemon_test

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
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

// TestConsoleQueueLive: a responder signs in with an API token, and an
// incident a log line opens appears in the queue without a reload; its
// title, written by whoever wrote the log line, is text: no markup, no
// script, under the console's Content-Security-Policy.
func TestConsoleQueueLive(t *testing.T) {
	h := start(t, consoleConfig)
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
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate("http://"+h.addr+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), "harness-admin-token"),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("queue")),
	); err != nil {
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
	if dialogs.Load() != 0 || exceptions.Load() != 0 {
		t.Errorf("%d dialogs opened, %d script errors (the CSP refuses what htmx would inject)", dialogs.Load(), exceptions.Load())
	}
}
