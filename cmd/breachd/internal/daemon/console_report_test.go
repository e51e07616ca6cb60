package daemon_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/breachd/breachd/cmd/breachd/internal/pdftest"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestConsoleReport: a log line opens an incident whose title carries
// markup, a Markdown link to script and U+202E; a responder decides and
// contains it through the API. A viewer, signed in over HTTP, reads the
// report page (the title as text, under the console's
// Content-Security-Policy) and downloads the report: pdftotext reads the
// title and the chain head the API's timeline shows from the PDF, the
// Markdown keeps the title text, the JSON holds the report. Without a
// session the report and its downloads send to sign in.
func TestConsoleReport(t *testing.T) {
	viewer := sha256.Sum256([]byte("viewer-token"))
	h := start(t, fmt.Sprintf(consoleConfig, hex.EncodeToString(viewer[:])))
	hostile := "<script>alert(1)</script>\u202E[x](javascript:alert(1))"
	h.appendLines(fmt.Sprintf("Dec  3 10:00:00 web sshd[1]: Failed password for %s from 192.0.2.10 port 40000 ssh2", hostile))
	h.waitFor("the incident", func() bool {
		var list struct{ Incidents []struct{ ID int64 } }
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	h.post("/api/v1/incidents/1/notes", map[string]any{"kind": "decision", "text": "block it | # not a heading [y](javascript:alert(2))"})
	h.post("/api/v1/incidents/1/transition", map[string]any{"to": "contained"})
	var d httpapi.IncidentDetail
	h.get("/api/v1/incidents/1", &d)
	title, head := d.Incident.Title, d.Timeline[len(d.Timeline)-1]
	if title != "Login failure for "+hostile {
		t.Fatalf("the incident's title is %q", title)
	}

	// Without a session: sent to sign in.
	noSession := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/console/incidents/1/report", "/console/incidents/1/report.pdf", "/console/incidents/1/report.json"} {
		resp, err := noSession.Get("http://" + h.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/signin?next=") {
			t.Errorf("%s without a session: %d %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}

	vera := signIn(t, h, "viewer-token")
	resp, page := vera.get("/console/incidents/1/report")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, want := range []string{"Login failure for &lt;script&gt;alert(1)&lt;/script&gt;\\u202E[x](javascript:alert(1))", head.Hash,
		"vera (viewer)", `href="/console/incidents/1/report.pdf"`, "block it | # not a heading", "<td><bdi>harness</bdi></td><td><bdi>decision</bdi></td>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report page lacks %q:\n%s", want, page)
		}
	}
	if bytes.Contains(page, []byte("<script>alert")) || bytes.ContainsRune(page, '\u202E') {
		t.Errorf("the title is not text on the report page:\n%s", page)
	}

	resp, pdf := vera.get("/console/incidents/1/report.pdf")
	if resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("Content-Disposition") != `attachment; filename="breachd-incident-1.pdf"` {
		t.Errorf("the PDF's headers: %v", resp.Header)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{strings.ReplaceAll(title, "\u202E", `\u202E`), head.Hash, fmt.Sprintf("seq %d", head.Seq), "block it | # not a heading"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext does not find %q in the PDF:\n%s", want, text)
		}
	}

	_, md := vera.get("/console/incidents/1/report.md")
	if !bytes.Contains(md, []byte(`Login failure for \<script\>alert(1)\</script\>\\u202E\[x\](javascript\:alert(1))`)) || bytes.Contains(md, []byte("[x](javascript")) {
		t.Errorf("the Markdown's title:\n%s", md)
	}
	_, js := vera.get("/console/incidents/1/report.json")
	var rep struct {
		Incident int64                  `json:"incident_id"`
		What     struct{ Title string } `json:"what_happened"`
		Chain    struct {
			HeadSeq      int64  `json:"head_seq"`
			HeadHash     string `json:"head_hash"`
			Verification struct {
				Timeline struct{ OK bool }
			}
		}
	}
	if err := json.Unmarshal(js, &rep); err != nil || rep.Incident != 1 || rep.What.Title != title || rep.Chain.HeadSeq != head.Seq ||
		rep.Chain.HeadHash != head.Hash || !rep.Chain.Verification.Timeline.OK {
		t.Errorf("the JSON report: %+v (%v)\n%s", rep, err, js)
	}
}
