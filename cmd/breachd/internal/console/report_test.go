package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/breachd/breachd/cmd/breachd/internal/pdftest"

	"github.com/russross/blackfriday/v2"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// hostileTitle is a title an attacker wrote into a log line: markup, a
// Markdown link to script, a heading, a table's cell break, and U+202E,
// which turns what follows around.
const hostileTitle = "Login failure for <script>alert(1)</script> [x](javascript:alert(1)) | # h \u202Efdp.exe"

// reportT0 is when the incident began.
var reportT0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// hash64 is a recognisable 64-digit hash for sequence number seq.
func hash64(seq int64) string {
	return fmt.Sprintf("%064x", 0xabc0000+seq)
}

// reportDetail is a realistic incident as the API answers it: opened by a
// rule, its risk decided by the DPO, contained by a run an admin approved
// (the block since expired), a decision and a note, three notices (one
// sent with SMTP's proof, one marked sent without any, one overdue), a
// related incident.
func reportDetail(title string) httpapi.IncidentDetail {
	at := func(m int) time.Time { return reportT0.Add(time.Duration(m) * time.Minute) }
	ptr := func(t time.Time) *time.Time { return &t }
	entry := func(seq int64, m int, actor, kind, msg string) incidents.TimelineEntry {
		return incidents.TimelineEntry{ID: seq, Seq: seq, IncidentID: 7, At: at(m), Actor: actor, Kind: kind, Message: msg, Hash: hash64(seq)}
	}
	return httpapi.IncidentDetail{
		Incident: incidents.Incident{ID: 7, Rule: "ssh-brute-force", Title: title, Category: "unauthorized-access", Severity: "high",
			Status: incidents.StatusClosed, Origin: "rule", Host: "web1", Evidence: "Failed password for root from 192.0.2.7 port 22 ssh2",
			FindingCount: 12, FirstSeen: at(0), LastSeen: at(9), DetectedAt: at(0), AwareAt: at(5), OccurredAt: ptr(at(-30)),
			ContainedAt: ptr(at(20)), ClosedAt: ptr(at(600)), Resolution: "passwords reset, address blocked",
			Risk: incidents.RiskHigh, SuggestedRisk: incidents.RiskHigh, RiskBy: "dora", RiskReason: "names and emails of 300 people exposed",
			PersonalDataBreach: true,
			Facts: incidents.Facts{Nature: "مرحبا بالعالم: an attacker read the CRM", Consequences: "phishing", Measures: "passwords reset",
				Effects: []string{"accessed", "disclosed"}, CausedBy: "unauthorized persons"},
			Scope: incidents.Scope{Assets: []string{"crm"}, DataCategories: []string{"name", "email"}, DataSubjects: 300, Records: 1200}},
		Timeline: []incidents.TimelineEntry{
			entry(30, 0, "breachd", "opened", "Opened by rule ssh-brute-force"),
			entry(33, 6, "dora", "risk", "Risk unassessed → high: names and emails of 300 people exposed"),
			entry(34, 7, "rita", "note", "looked at the CRM's logs"),
			entry(35, 8, "rita", "decision", "block the address [x](javascript:alert(1)) | # not a heading <b>bold</b>"),
			entry(36, 20, "rita", "transition", "open → contained"),
			entry(38, 400, "dora", "obligation", "Obligation gdpr → authority: sent"),
			entry(41, 600, "rita", "transition", "contained → closed: passwords reset, address blocked"),
		},
		Actions: []incidents.ActionRun{{ID: 4, IncidentID: 7, Action: "block-ip", State: incidents.ActionSucceeded, Attempts: 1,
			Result: "blocked 192.0.2.7 for 1h", CreatedAt: at(10), FinishedAt: ptr(at(20)), ApprovedBy: "rita", ApprovalReason: "blocks need a person"}},
		Containments: []incidents.Containment{{ID: 3, RunID: 4, IncidentID: 7, Action: "block-ip", Target: "192.0.2.7", Offense: 1,
			AppliedAt: at(20), ExpiresAt: at(80), State: incidents.ContainmentReverted, EndedAt: ptr(at(80)), EndReason: "expired"}},
		Obligations: []incidents.Obligation{
			{ID: 1, IncidentID: 7, Policy: "gdpr", Recipient: "authority", DueAt: ptr(at(5 + 72*60)), State: incidents.ObligationSent,
				Deadline: "72h from aware_at", Approval: true, DecidedBy: "dora", Reason: "approved and sent", DecidedAt: ptr(at(400)),
				Proof: "smtp: 250 2.0.0 Ok: queued as 4F2A; accepted for dpa@example.org", DeliveredAt: ptr(at(401))},
			{ID: 2, IncidentID: 7, Policy: "contract", Recipient: "insurer", DueAt: ptr(at(5 + 24*60)), State: incidents.ObligationSent,
				Deadline: "24h from aware_at", DecidedBy: "rita", Reason: "phoned them", DecidedAt: ptr(at(300))},
			{ID: 6, IncidentID: 7, Policy: "gdpr", Recipient: "data_subjects", DueAt: ptr(at(60)), State: incidents.ObligationPending,
				Deadline: "without undue delay", Overdue: true},
		},
		Messages: []incidents.Message{{ID: 9, IncidentID: 7, Channel: "email", Event: "notice", State: incidents.MessageSent,
			Attempts: 1, CreatedAt: at(400), SentAt: ptr(at(401)), ObligationID: 1}},
		Related: []incidents.Link{{IncidentID: 5, Kind: "ip", Value: "192.0.2.7", At: at(1)}},
	}
}

// reportVerification is the API's walk of healthy chains.
func reportVerification() *incidents.Verification {
	return &incidents.Verification{
		Timeline: incidents.ChainReport{Chain: "timeline", OK: true, Entries: 120, Head: hash64(120)},
		Register: incidents.ChainReport{Chain: "register", OK: true, Entries: 4, Head: hash64(4)},
	}
}

// TestReportSaysWhatHappened: the report holds what happened, when (in
// the console's zone), what was done (the block reverted), who decided
// what (a person's entries, not breachd's, not notes), the notices (sent
// only with proof) and the chain head (the entry with the highest
// sequence number), verified.
func TestReportSaysWhatHappened(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	rep := buildReport(reportDetail("SSH brute force on web1"), reportVerification(), nil, reportT0.Add(24*time.Hour), berlin, who{Who: "rita", Role: "responder"})
	var kinds []string
	for _, d := range rep.Decisions {
		kinds = append(kinds, d.Actor+" "+d.Kind)
	}
	if got := strings.Join(kinds, ", "); got != "dora risk, rita decision, rita transition, dora obligation, rita transition" {
		t.Errorf("who decided what: %s", got)
	}
	if !rep.Notices[0].Sent || rep.Notices[1].Sent || rep.Notices[2].Sent || len(rep.Notices[0].Deliveries) != 1 {
		t.Errorf("notices sent (only with proof): %+v", rep.Notices)
	}
	if rep.Chain.HeadSeq != 41 || rep.Chain.HeadHash != hash64(41) || rep.Chain.Entries != 7 {
		t.Errorf("chain head: %+v", rep.Chain)
	}
	if !rep.Done.Containments[0].Reverted || rep.GeneratedBy != "rita (responder)" || rep.TimeZone != "Europe/Berlin" {
		t.Errorf("containment, author or zone: %+v %q %q", rep.Done.Containments, rep.GeneratedBy, rep.TimeZone)
	}
	text := docText(rep.document())
	for _, want := range []string{
		"Aware (the deadlines run from it): 2026-12-03 10:05:00 CET", "Occurred: 2026-12-03 09:30:00 CET",
		"Reverted: yes at 2026-12-03 11:20:00 CET: expired", "Action run #4: block-ip: succeeded", "Approved by: rita",
		"high, decided by dora: names and emails of 300 people exposed", "Notice #1: gdpr → authority: sent",
		"Proof: smtp: 250 2.0.0 Ok: queued as 4F2A", "Notice #2: contract → insurer: marked sent, but NO PROOF",
		"Notice #6: gdpr → data_subjects: pending, OVERDUE", "Message #9: email, sent 2026-12-03 16:41:00 CET, 1 attempt",
		"Chain head (its last entry): seq 41 at 2026-12-03 20:00:00 CET", "Chain head hash: " + hash64(41),
		"the timeline and register chains verified", "#5 | ip | 2026-12-03 10:01:00 CET | 192.0.2.7",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "looked at the CRM") || strings.Contains(text, "Opened by rule") {
		t.Errorf("a note or breachd's own entry is among the decisions:\n%s", text)
	}
	broken := &incidents.Verification{Timeline: incidents.ChainReport{Chain: "timeline", BadSeq: 35, Problem: "entry 35 was altered"}, Register: incidents.ChainReport{Chain: "register", OK: true}}
	if text := docText(buildReport(reportDetail("t"), broken, nil, reportT0, time.UTC, who{}).document()); !strings.Contains(text, "CHAIN BROKEN: the timeline chain at seq 35: entry 35 was altered") {
		t.Errorf("a broken chain is not said:\n%s", text)
	}
	if text := docText(buildReport(reportDetail("t"), nil, fmt.Errorf("HTTP 500"), reportT0, time.UTC, who{}).document()); !strings.Contains(text, "Verification: not verified: HTTP 500") {
		t.Errorf("a failed verification is not said:\n%s", text)
	}
}

// docText is a document's text, one "label: value" or row a line.
func docText(d reportDoc) string {
	var b strings.Builder
	fmt.Fprintln(&b, d.Title)
	for _, s := range d.Sections {
		fmt.Fprintln(&b, "## "+s.Title)
		for _, f := range s.Facts {
			fmt.Fprintf(&b, "%s: %s\n", f.Label, f.Value)
		}
		for _, it := range s.Items {
			fmt.Fprintln(&b, it.Head)
			for _, f := range it.Facts {
				fmt.Fprintf(&b, "%s: %s\n", f.Label, f.Value)
			}
		}
		if s.Table != nil {
			for _, r := range s.Table.Rows {
				fmt.Fprintln(&b, strings.Join(r, " | "))
			}
		}
		fmt.Fprintln(&b, s.Empty, s.Note)
	}
	return b.String()
}

// reportAPI stands in for the API: incident 7 is detail, the chains
// verify; token "good" is rita, a responder, "viewer" vera, a viewer.
func reportAPI(detail httpapi.IncidentDetail) http.Handler {
	mux := http.NewServeMux()
	who := func(r *http.Request) (whoami, bool) {
		switch r.Header.Get("Authorization") {
		case "Bearer good":
			return whoami{Principal: "rita", Role: "responder"}, true
		case "Bearer viewer":
			return whoami{Principal: "vera", Role: "viewer"}, true
		}
		return whoami{}, false
	}
	answer := func(v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if _, ok := who(r); !ok {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":"unauthorized","message":"sign in"}`))
				return
			}
			_ = json.NewEncoder(w).Encode(v)
		}
	}
	mux.HandleFunc("GET /api/v1/whoami", func(w http.ResponseWriter, r *http.Request) {
		p, _ := who(r)
		answer(p)(w, r)
	})
	mux.Handle("GET /api/v1/incidents/7", answer(detail))
	mux.HandleFunc("GET /api/v1/incidents/{id}", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"code":"not_found","message":"no such incident"}`))
	})
	mux.Handle("GET /api/v1/register/verify", answer(reportVerification()))
	return mux
}

// reportConsole is a console over reportAPI, and a signed-in session's
// cookie for token.
func reportConsole(t *testing.T, detail httpapi.IncidentDetail, token string) (*Console, *http.Cookie) {
	t.Helper()
	c, err := New(Options{API: reportAPI(detail), Now: func() time.Time { return reportT0.Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	w := do(c, "POST", "/console/signin", url.Values{"token": {token}})
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("sign-in with %s: %d %s", token, w.Code, w.Body)
	}
	return c, cookies[0]
}

// TestReportPage: the page is the report, designed for print (its own
// stylesheet, no inline style or script), with links to its downloads;
// the hostile title is text; without a session it sends to sign in.
func TestReportPage(t *testing.T) {
	c, cookie := reportConsole(t, reportDetail(hostileTitle), "viewer")
	w := do(c, "GET", "/console/incidents/7/report", nil, cookie)
	page := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("the report page: %d %v\n%s", w.Code, w.Header(), page)
	}
	for _, want := range []string{
		`<link rel="stylesheet" href="/console/static/print.css">`, `href="/console/incidents/7/report.pdf"`,
		`href="/console/incidents/7/report.md"`, `href="/console/incidents/7/report.json"`, "vera (viewer)",
		"Login failure for &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) | # h \\u202Efdp.exe",
		`<code class="hash">` + hash64(41) + `</code>`, "Who decided what", "NO PROOF",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "\u202E") || strings.Contains(page, "<b>bold") ||
		regexp.MustCompile(`style=|<style|\son[a-z]+=`).MatchString(page) {
		t.Errorf("the page has markup from the data, a raw U+202E, or inline style or script:\n%s", page)
	}
	if w := do(c, "GET", "/console/static/print.css", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "@media print") {
		t.Errorf("print.css: %d", w.Code)
	}
	for _, path := range []string{"/console/incidents/7/report", "/console/incidents/7/report.pdf", "/console/incidents/7/report.json"} {
		if w := do(c, "GET", path, nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/console/signin?next=") {
			t.Errorf("%s without a session: %d %q", path, w.Code, w.Header().Get("Location"))
		}
	}
	if w := do(c, "GET", "/console/incidents/8/report.pdf", nil, cookie); w.Code != http.StatusNotFound {
		t.Errorf("the report of an incident that does not exist: %d", w.Code)
	}
}

// download GETs a report file, which must be an attachment of its type.
func download(t *testing.T, c *Console, cookie *http.Cookie, format, contentType string) []byte {
	t.Helper()
	w := do(c, "GET", "/console/incidents/7/report."+format, nil, cookie)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != contentType ||
		w.Header().Get("Content-Disposition") != `attachment; filename="breachd-incident-7.`+format+`"` {
		t.Fatalf("report.%s: %d %v\n%.500s", format, w.Code, w.Header(), w.Body)
	}
	return w.Body.Bytes()
}

// TestReportPDF: the PDF is text pdftotext reads back: the title, whether
// left to right with markup and U+202E (shown as \u202E) or Hebrew or
// Arabic; the facts in Arabic; the chain head's hash; characters the font
// has no glyph for as \uXXXX; a very long value cut with a note.
func TestReportPDF(t *testing.T) {
	for _, title := range []string{hostileTitle, "שלום עולם", "مرحبا"} {
		t.Run(title, func(t *testing.T) {
			d := reportDetail(title)
			d.Incident.Description = "漢字 and 😀 " + strings.Repeat("long ", 2000)
			d.Incident.Origin, d.Incident.Reporter = "manual", "\u202Erita"
			c, cookie := reportConsole(t, d, "good")
			pdf := download(t, c, cookie, "pdf", "application/pdf")
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %.40q", pdf)
			}
			text := pdftest.Text(t, pdf)
			want := strings.ReplaceAll(title, "\u202E", `\u202E`)
			for _, w := range []string{want, hash64(41), "مرحبا بالعالم", `\u6F22\u5B57 and \U0001F600`, fmt.Sprintf("cut here: %d more characters", 9+2000*5-maxValue),
				`\u202Erita`, "Notice #2: contract → insurer: marked sent, but NO PROOF", "End of the report."} {
				if !strings.Contains(text, w) {
					t.Errorf("pdftotext does not find %q in:\n%s", w, text)
				}
			}
			if strings.ContainsAny(text, "\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C") {
				t.Error("a bidirectional formatting character reached the PDF")
			}
		})
	}
}

// TestReportMarkdown: in the Markdown, what the data holds stays text: no
// link, no HTML, no heading, no cell break in the table of decisions, as
// a Markdown renderer reads it.
func TestReportMarkdown(t *testing.T) {
	c, cookie := reportConsole(t, reportDetail(hostileTitle), "good")
	md := string(download(t, c, cookie, "md", "text/markdown; charset=utf-8"))
	for _, want := range []string{
		`# Incident #7: Login failure for \<script\>alert(1)\</script\> \[x\](javascript\:alert(1)) \| \# h \\u202Efdp.exe`,
		"| Seq | When | By | Kind | What |", "`" + hash64(41) + "`",
		`block the address \[x\](javascript\:alert(1)) \| \# not a heading \<b\>bold\</b\>`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	html := string(blackfriday.Run([]byte(md)))
	if strings.Contains(html, "<a ") || strings.Contains(html, "<script") || strings.Contains(html, "<b>") || strings.Count(html, "<h1") != 1 ||
		strings.Contains(html, "\u202E") {
		t.Errorf("the data became markup:\n%s", html)
	}
	// The | stays in the decision's last cell (GitHub's tables drop the
	// cells beyond the head's, so a count would not show it).
	cell := regexp.MustCompile(`<td>decision</td>\s*<td>([^<]*)</td>`).FindStringSubmatch(html)
	if cell == nil || cell[1] != "block the address [x](javascript:alert(1)) | # not a heading &lt;b&gt;bold&lt;/b&gt;" {
		t.Errorf("the decision's text is not one cell: %q", cell)
	}
}

// TestReportJSON: the JSON is the report's structure, indented; the
// strings decode as the store holds them, U+202E written as an escape.
func TestReportJSON(t *testing.T) {
	c, cookie := reportConsole(t, reportDetail(hostileTitle), "good")
	b := download(t, c, cookie, "json", "application/json")
	if bytes.ContainsRune(b, '\u202E') || !bytes.Contains(b, []byte(`\u202efdp.exe`)) || !bytes.Contains(b, []byte("\n  \"what_happened\": {")) {
		t.Errorf("the JSON:\n%s", b)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.What.Title != hostileTitle || rep.Chain.HeadHash != hash64(41) || !rep.Chain.Verification.OK() || len(rep.Decisions) != 5 || !rep.Notices[0].Sent {
		t.Errorf("the JSON's report: %+v", rep)
	}
}

// TestReportBidi: right-to-left text is put in the order it is seen:
// words reversed, numbers kept, brackets mirrored, the paragraph's
// direction from its first strong character.
func TestReportBidi(t *testing.T) {
	for in, want := range map[string]string{
		"plain text 123":                "plain text 123",
		"שלום עולם":                     "םלוע םולש",
		"Login failure for שלום עולם!":  "Login failure for םלוע םולש!",
		"שלום 123 עולם":                 "םלוע 123 םולש",
		"שלום (עולם)":                   "(םלוע) םולש",
		"abc שלום123def":                "abc 123םולשdef",
		"مرحبا بالعالم 2026":            "2026 ملاعلاب ابحرم",
		"user שלום from 192.0.2.7 port": "user םולש from 192.0.2.7 port",
	} {
		runes := []rune(in)
		if got := newBidiParagraph(runes).visual(0, len(runes)); got != want {
			t.Errorf("%q: drawn %q, want %q", in, got, want)
		}
	}
}

// TestReportFontsAreThePinnedOnes: the embedded fonts are the files
// fonts/README.md records, and they draw Latin, Hebrew and Arabic (the
// bold too).
func TestReportFontsAreThePinnedOnes(t *testing.T) {
	readme, err := os.ReadFile("fonts/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"fonts/DejaVuSans.ttf":      "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
		"fonts/DejaVuSans-Bold.ttf": "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
	} {
		b, err := fontFiles.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want || !bytes.Contains(readme, []byte(want)) {
			t.Errorf("%s: sha256 %x, want %s (in fonts/README.md)", file, sum, want)
		}
		g, err := fontGlyphs(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range "aZ9→·שםمح\\" {
			if !g.has(r) {
				t.Errorf("%s has no glyph for %q", file, r)
			}
		}
		if g.has('漢') || g.has(0) {
			t.Errorf("%s is said to draw 漢 or U+0000", file)
		}
		if got := g.printable("a\tb\u202Ec\x00漢😀\n\xe2"); !utf8.ValidString(got) || !strings.HasPrefix(got, `a b\u202Ec\u0000\u6F22\U0001F600`+"\n") {
			t.Errorf("%s: printable gives %q", file, got)
		}
	}
	if _, err := os.Stat("fonts/LICENSE"); err != nil {
		t.Error("the fonts' licence is not beside them:", err)
	}
}

// BenchmarkReportPDF renders the PDF of an incident with a large
// timeline: 10,000 entries, 2,000 of them a person's (the report lists
// the first 500), 200 notices.
//
//	go test ./cmd/breachd/internal/console -run '^$' -bench ReportPDF
func BenchmarkReportPDF(b *testing.B) {
	d := reportDetail("SSH brute force on web1 שלום")
	d.Timeline = nil
	for i := range int64(10000) {
		actor, kind := "breachd", "attached"
		if i%5 == 0 {
			actor, kind = "rita", "decision"
		}
		d.Timeline = append(d.Timeline, incidents.TimelineEntry{Seq: i + 1, IncidentID: 7, At: reportT0.Add(time.Duration(i) * time.Second),
			Actor: actor, Kind: kind, Message: fmt.Sprintf("finding %d: Failed password for root from 192.0.2.%d port 22 ssh2", i, i%256), Hash: hash64(i + 1)})
	}
	for i := range int64(200) {
		o := d.Obligations[0]
		o.ID, o.Recipient = 100+i, fmt.Sprintf("customer-%d", i)
		d.Obligations = append(d.Obligations, o)
	}
	rep := buildReport(d, reportVerification(), nil, reportT0.Add(time.Hour), time.UTC, who{Who: "rita", Role: "responder"})
	var size int
	for b.Loop() {
		pdf, err := rep.document().pdf()
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
