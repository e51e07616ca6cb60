package daemon_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// upload posts a multipart form with a file as a browser does.
func (u *consoleUser) upload(path string, fields map[string]string, file, name, content string) (*http.Response, string) {
	u.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range []string{"csrf", "reason"} {
		if v, ok := fields[k]; ok {
			_ = mw.WriteField(k, v)
		}
	}
	if file != "" {
		fw, err := mw.CreateFormFile(file, name)
		if err != nil {
			u.t.Fatal(err)
		}
		_, _ = io.WriteString(fw, content)
	}
	_ = mw.Close()
	resp, err := u.client.Post(u.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// atOf is the time a notice page's forms offer (now).
func atOf(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="at" required value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no time offered in the page:\n%s", page)
	}
	return m[1]
}

// refused asserts that a form's answer is the page again with the API's
// refusal, under a 4xx status, saying says.
func refused(t *testing.T, what string, resp *http.Response, body, says string) {
	t.Helper()
	if resp.StatusCode/100 != 4 || !strings.Contains(body, "Refused: ") || !strings.Contains(body, says) {
		t.Errorf("%s: %d, want the API's refusal saying %q:\n%s", what, resp.StatusCode, says, body)
	}
}

// TestConsoleByHand: what a responder and the DPO do by hand, in the
// console, over HTTP as a browser posts: open incidents from the queue,
// merge them, see the chain verified with the incident's head, record a
// notice given by telephone, correct the register and export it as CSV;
// the queue's filters and pages, the soonest deadline first.
func TestConsoleByHand(t *testing.T) {
	h := start(t, consoleRule+formsConfig)
	admin := signIn(t, h, harnessToken)
	queue := admin.page("/")
	csrf := csrfOf(t, queue)
	if !strings.Contains(queue, `action="/console/incidents"`) {
		t.Fatalf("the queue offers no form to open an incident:\n%s", queue)
	}
	resp, body := admin.post("/console/incidents", url.Values{"csrf": {csrf}, "reporter": {"Acme support"}, "host": {"db1"}})
	refused(t, "an incident without a title", resp, body, "title is required")
	if !strings.Contains(body, `value="Acme support"`) {
		t.Errorf("the refused form is not given back:\n%s", body)
	}
	open := func(title, severity string) int64 {
		t.Helper()
		resp, body := admin.post("/console/incidents", url.Values{"csrf": {csrf}, "title": {title}, "severity": {severity}, "host": {"db1"},
			"reporter": {"Acme support"}, "description": {"invoices on a paste site"}})
		m := regexp.MustCompile(`^/console/incidents/(\d+)$`).FindStringSubmatch(resp.Request.URL.Path)
		if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, title) {
			t.Fatalf("open %q: %d at %s\n%s", title, resp.StatusCode, resp.Request.URL.Path, body)
		}
		var id int64
		fmt.Sscan(m[1], &id)
		return id
	}
	first := open("Invoices on a paste site", "high")
	second := open("The same paste, mirrored", "high")
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", first), &d)
	if d.Incident.Reporter != "Acme support" || d.Incident.Origin != "manual" {
		t.Errorf("the incident opened in the console: %+v", d.Incident)
	}

	// Merge: refused into itself, with the API's words; then done.
	page := admin.page(fmt.Sprintf("/console/incidents/%d", first))
	resp, body = admin.post(fmt.Sprintf("/console/incidents/%d/merge", first), url.Values{"csrf": {csrf}, "from": {fmt.Sprint(first)}, "reason": {"same"}})
	refused(t, "a merge into itself", resp, body, "")
	resp, body = admin.post(fmt.Sprintf("/console/incidents/%d/merge", first), url.Values{"csrf": {csrfOf(t, page)}, "from": {fmt.Sprintf("#%d", second)}, "reason": {"same paste"}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != fmt.Sprintf("/console/incidents/%d", first) {
		t.Fatalf("merge: %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
	h.get(fmt.Sprintf("/api/v1/incidents/%d", second), &d)
	if d.Incident.MergedInto == nil || *d.Incident.MergedInto != first {
		t.Errorf("incident %d after the merge: merged into %v", second, d.Incident.MergedInto)
	}
	if body := admin.page(fmt.Sprintf("/console/incidents/%d", second)); !strings.Contains(body, fmt.Sprintf(`<dt>Merged into</dt><dd><a href="/console/incidents/%d">`, first)) ||
		strings.Contains(body, "/merge\"") {
		t.Errorf("the merged incident's screen (says where it went, offers no merge):\n%s", body)
	}

	// The chain: the head is the API's last entry; verified on request.
	h.get(fmt.Sprintf("/api/v1/incidents/%d", first), &d)
	head := d.Timeline[len(d.Timeline)-1]
	page = admin.page(fmt.Sprintf("/console/incidents/%d", first))
	if !strings.Contains(page, fmt.Sprintf("Chain head: entry %d, <code class=\"hash\">%s</code>", head.Seq, head.Hash)) || strings.Contains(page, "chain verified") {
		t.Errorf("the incident screen's chain head (entry %d, %s), not verified before asked:\n%s", head.Seq, head.Hash, page)
	}
	if page := admin.page(fmt.Sprintf("/console/incidents/%d?verify=1", first)); !strings.Contains(page, `<strong class="badge">chain verified</strong>`) {
		t.Errorf("the chain verified on request:\n%s", page)
	}

	// Times in the organisation's time zone (formsConfig: America/Chicago).
	if obs := admin.page("/console/obligations"); !strings.Contains(obs, "times in America/Chicago") || !strings.Contains(obs, " CST</td>") {
		t.Errorf("the notices screen is not in the configured time zone:\n%s", obs)
	}
	// A notice given by telephone: its record is the proof.
	h.waitFor("the insurer's notice", func() bool { _, ok := h.obligationsOf(first)["insurer"]; return ok })
	ins := h.obligationsOf(first)["insurer"]
	notice := admin.page(fmt.Sprintf("/console/obligations/%d/notice", ins.ID))
	if !strings.Contains(notice, fmt.Sprintf(`action="/console/obligations/%d/call"`, ins.ID)) || strings.Contains(notice, "/posting\"") || strings.Contains(notice, "/publication\"") {
		t.Fatalf("the insurer's notice offers a call (not a posting or a publication):\n%s", notice)
	}
	resp, body = admin.post(fmt.Sprintf("/console/obligations/%d/call", ins.ID), url.Values{"csrf": {csrf}, "caller": {"harness"}, "callee": {"Jane Roe, Insurer"},
		"at": {time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, "said": {"told her"}})
	refused(t, "a call in the future", resp, body, "in the future")
	at := atOf(t, notice)
	resp, body = admin.post(fmt.Sprintf("/console/obligations/%d/call", ins.ID), url.Values{"csrf": {csrf}, "caller": {"harness"}, "callee": {"Jane Roe, Insurer"},
		"number": {""}, "at": {at}, "said": {"told her of the breach"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<strong id="state-now">sent</strong>`) || !strings.Contains(body, `id="proof"`) {
		t.Errorf("after the call: %d\n%s", resp.StatusCode, body)
	}
	if o := h.obligationsOf(first)["insurer"]; o.State != incidents.ObligationSent || !strings.Contains(o.Proof, "Jane Roe, Insurer") {
		t.Errorf("the insurer's obligation after the call: %s, proof %q", o.State, o.Proof)
	}
	// A sent notice is updated (Art. 33(4)) from its screen.
	notice = admin.page(fmt.Sprintf("/console/obligations/%d/notice", ins.ID))
	if !strings.Contains(notice, "/update\"") || strings.Contains(notice, "/decide\"") {
		t.Errorf("a sent notice's screen (update, no decision):\n%s", notice)
	}

	// The register: the DPO's near miss and its correction, in CSV.
	dora := signIn(t, h, harnessDPOToken)
	reg := dora.page("/console/register")
	if !strings.Contains(reg, `action="/console/register"`) {
		t.Fatalf("the DPO's register screen offers no entry:\n%s", reg)
	}
	if strings.Contains(admin.page("/console/register"), `action="/console/register"`) {
		t.Error("the register offers the admin (not the DPO) an entry")
	}
	resp, body = dora.post("/console/register", url.Values{"csrf": {csrfOf(t, reg)}, "kind": {"near_miss"}, "nature": {"=HYPERLINK(\"http://x\")"}, "subjects": {"many"}, "reason": {"reported by staff"}})
	refused(t, "a near miss with a count that is no number", resp, body, "")
	resp, body = dora.post("/console/register", url.Values{"csrf": {csrfOf(t, reg)}, "kind": {"near_miss"}, "nature": {"=HYPERLINK(\"http://x\")"},
		"categories": {"name, email"}, "reason": {"reported by staff"}})
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/console/register" {
		t.Fatalf("a near miss: %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
	var list httpapi.RegisterList
	h.get("/api/v1/register", &list)
	last := list.Entries[len(list.Entries)-1]
	if last.Kind != "near_miss" || last.Actor != "harness-dpo" || !slices.Equal(last.Record.DataCategories, []string{"name", "email"}) {
		t.Fatalf("the near miss in the register: %+v", last)
	}
	resp, body = dora.post("/console/register", url.Values{"csrf": {csrfOf(t, reg)}, "kind": {"correction"}, "supersedes": {fmt.Sprint(last.Seq)},
		"measures": {"laptop wiped remotely"}, "reason": {"more was done"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a correction: %d\n%s", resp.StatusCode, body)
	}
	h.get("/api/v1/register", &list)
	corr := list.Entries[len(list.Entries)-1]
	if corr.Kind != "correction" || corr.Supersedes == nil || *corr.Supersedes != last.ID && *corr.Supersedes != last.Seq ||
		corr.Record.Measures != "laptop wiped remotely" || corr.Record.Nature != last.Record.Nature {
		t.Errorf("the correction (measures changed, the nature carried forward): %+v", corr)
	}
	rows, err := csv.NewReader(strings.NewReader(dora.page("/console/register.csv"))).ReadAll()
	if err != nil || len(rows) != len(list.Entries)+1 || rows[0][0] != "seq" || rows[len(rows)-1][len(rows[0])-1] != corr.Hash {
		t.Fatalf("the register's CSV (%v): %d rows, want %d and the last entry's hash last: %v", err, len(rows), len(list.Entries)+1, rows)
	}
	if got := rows[len(rows)-2][6]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula in the CSV: %q, want it defused", got)
	}

	// The queue: pages of 50, the soonest deadline first.
	for i := range 52 {
		h.post("/api/v1/incidents", map[string]any{"title": fmt.Sprintf("Report %d", i), "severity": "low"})
	}
	queue = admin.page("/")
	ids := regexp.MustCompile(`id="incident-(\d+)"`).FindAllStringSubmatch(queue, -1)
	if len(ids) != 50 || ids[0][1] != fmt.Sprint(first) || !strings.Contains(queue, `rel="next"`) || strings.Contains(queue, `rel="prev"`) {
		t.Fatalf("the queue's first page: %d incidents, the first #%s (want 50, #%d: its notices are due soonest), a next page and no previous", len(ids), ids[0][1], first)
	}
	next := regexp.MustCompile(`href="/\?([^"]+)" rel="next"`).FindStringSubmatch(queue)
	page2 := admin.page("/?" + strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := len(regexp.MustCompile(`id="incident-\d+"`).FindAllString(page2, -1)); n != 3 || !strings.Contains(page2, `rel="prev"`) {
		t.Errorf("the second page: %d incidents, want 3 (53 active), and a previous page", n)
	}
	// The notices screen pages too: 53 incidents owe 2 notices each (one
	// sent by the call above).
	var all httpapi.ObligationList
	h.get("/api/v1/obligations", &all)
	obs := admin.page("/console/obligations")
	if n := strings.Count(obs, `action="/console/obligations/`); n != 50 || !strings.Contains(obs, `href="/console/obligations?page=2" rel="next"`) {
		t.Errorf("the notices screen's first page: %d notices, want 50 and a next page", n)
	}
	if n := strings.Count(admin.page("/console/obligations?page=3"), `action="/console/obligations/`); len(all.Obligations) != 105 || n != 5 {
		t.Errorf("the notices screen's third page: %d notices of %d, want 5 of 105", n, len(all.Obligations))
	}
	low := admin.page("/?status=active&severity=low")
	if n := len(regexp.MustCompile(`id="incident-\d+"`).FindAllString(low, -1)); n != 50 || strings.Contains(low, "Invoices on a paste site") {
		t.Errorf("severity=low: %d incidents shown, want 50 low ones and not the high one", n)
	}
	if !strings.Contains(low, `sse-connect="/console/events?severity=low&amp;status=active"`) {
		t.Errorf("the live stream does not follow the filter:\n%s", low)
	}
	if resp, body := admin.post("/?status=bogus", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d %s", resp.StatusCode, body)
	}
	resp, err = admin.client.Get(admin.base + "/?status=bogus")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "the filter was refused: status &#34;bogus&#34; is not a status") {
		t.Errorf("a bad filter: %d\n%s", resp.StatusCode, b)
	}
}

// TestConsoleNoticesOutsideBreachd: the DPO's work on the data subjects,
// in the console: the list uploaded as a file, each person's notice
// approved, the e-mail resent, the postal notice recorded, and for a
// list too large to write to, the public communication recorded.
func TestConsoleNoticesOutsideBreachd(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	h := start(t, subjectsConfig(mb.port, dpoToken))
	id := h.openManual("Card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	dora := signIn(t, h, dpoToken)
	page := dora.page(fmt.Sprintf("/console/incidents/%d", id))
	if !strings.Contains(page, fmt.Sprintf(`action="/console/incidents/%d/subjects" enctype="multipart/form-data"`, id)) {
		t.Fatalf("the DPO's incident screen offers no upload:\n%s", page)
	}
	list := "name,email,address\nAnna,anna@example.org,\nBen Post,,\"2 Road\nSpringfield\"\n"
	upload := fmt.Sprintf("/console/incidents/%d/subjects", id)
	if resp, _ := dora.upload(upload, map[string]string{"reason": "CRM export"}, "list", "subjects.csv", list); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an upload without the CSRF token: %d", resp.StatusCode)
	}
	resp, body := dora.upload(upload, map[string]string{"csrf": csrfOf(t, page)}, "list", "subjects.csv", list)
	refused(t, "a list without a reason", resp, body, "reason")
	resp, body = dora.upload(upload, map[string]string{"csrf": csrfOf(t, page), "reason": "CRM export"}, "list", "subjects.csv", list)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "uploaded: 2 people") {
		t.Fatalf("the upload: %d\n%s", resp.StatusCode, body)
	}
	admin := signIn(t, h, harnessToken)
	if strings.Contains(admin.page(fmt.Sprintf("/console/incidents/%d", id)), "/subjects\"") {
		t.Error("the admin (no subjects permission) is offered the upload")
	}
	// The GDPR pack leaves the authority's notice to the DPO: the queue
	// says it awaits her approval, not the admin's, whose notice screen
	// offers no decision.
	if q := dora.page("/"); !strings.Contains(q, "awaiting your approval") {
		t.Errorf("the DPO's queue does not say the notice awaits her approval:\n%s", q)
	}
	if q := admin.page("/"); strings.Contains(q, "awaiting your approval") || !strings.Contains(q, "awaiting approval") {
		t.Errorf("the admin's queue (awaiting approval, not the admin's):\n%s", q)
	}
	authority := h.obligationsOf(id)["supervisory_authority"]
	if n := admin.page(fmt.Sprintf("/console/obligations/%d/notice", authority.ID)); strings.Contains(n, "/decide\"") || !strings.Contains(n, "leaves this notice to the dpo") {
		t.Errorf("the authority's notice as the admin sees it:\n%s", n)
	}
	obs := h.obligationsOf(id)
	anna, ben := obs["data_subjects:1"], obs["data_subjects:2"]
	if anna.ID == 0 || ben.ID == 0 {
		t.Fatalf("no notice per person after the upload: %v", h.subjectKeys(id))
	}
	csrf := csrfOf(t, page)
	for _, o := range []incidents.Obligation{anna, ben} {
		n := dora.page(fmt.Sprintf("/console/obligations/%d/notice", o.ID))
		if o == ben && !strings.Contains(n, fmt.Sprintf(`action="/console/obligations/%d/posting"`, ben.ID)) {
			t.Errorf("Ben's notice (a postal address only) offers no posting:\n%s", n)
		}
		if resp, body := dora.post(fmt.Sprintf("/console/obligations/%d/decide", o.ID), url.Values{"csrf": {csrf}, "state": {"approved"}, "reason": {"checked by the DPO"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("approve %s: %d\n%s", o.Recipient, resp.StatusCode, body)
		}
	}
	h.waitFor("Anna's mail", func() bool { return h.obligationsOf(id)["data_subjects:1"].State == incidents.ObligationSent })
	if n := dora.page(fmt.Sprintf("/console/obligations/%d/notice", anna.ID)); !strings.Contains(n, "Proof of delivery: mailed a******@example.org via 127.0.0.1: accepted RCPT TO a******@example.org") {
		t.Errorf("Anna's notice does not show its proof:\n%s", n)
	}
	// Ben: the posting, refused to another address with the API's words.
	posting := fmt.Sprintf("/console/obligations/%d/posting", ben.ID)
	at := atOf(t, dora.page(fmt.Sprintf("/console/obligations/%d/notice", ben.ID)))
	resp, body = dora.post(posting, url.Values{"csrf": {csrf}, "posted_by": {"dora"}, "address": {"3 Other Road, Springfield"}, "at": {at}})
	refused(t, "a posting to another address", resp, body, "not data subject 2&#39;s postal address on the list")
	resp, body = dora.post(posting, url.Values{"csrf": {csrf}, "posted_by": {"dora"}, "address": {"2 road springfield"}, "at": {at}})
	if o := h.obligationsOf(id)["data_subjects:2"]; resp.StatusCode != http.StatusOK || o.State != incidents.ObligationSent || !strings.Contains(body, "Proof of delivery: posted by dora") {
		t.Errorf("the posting: %d, %s\n%s", resp.StatusCode, o.State, body)
	}
	// Anna's e-mail, sent again from the incident screen.
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	var msg int64
	for _, m := range d.Messages {
		if m.ObligationID == anna.ID {
			msg = m.ID
		}
	}
	page = dora.page(fmt.Sprintf("/console/incidents/%d", id))
	if msg == 0 || !strings.Contains(page, fmt.Sprintf(`action="/console/messages/%d/resend"`, msg)) {
		t.Fatalf("the incident screen offers no resend of Anna's mail (message %d):\n%s", msg, page)
	}
	resp, body = dora.post(fmt.Sprintf("/console/messages/%d/resend", msg), url.Values{"csrf": {csrf}, "incident": {fmt.Sprint(id)}})
	refused(t, "a resend without a reason", resp, body, "say why it is sent again")
	resp, _ = dora.post(fmt.Sprintf("/console/messages/%d/resend", msg), url.Values{"csrf": {csrf}, "incident": {fmt.Sprint(id)}, "reason": {"she lost it"}})
	if resp.Request.URL.Path != fmt.Sprintf("/console/incidents/%d", id) {
		t.Errorf("after the resend: at %s", resp.Request.URL.Path)
	}
	h.waitFor("the second mail to Anna", func() bool { return len(mb.to("anna@example.org")) == 2 })

	// 100,000 people: one public communication, recorded when published.
	big := h.openManual("The whole shop database on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", big), fullFacts)
	page = dora.page(fmt.Sprintf("/console/incidents/%d", big))
	resp, body = dora.upload(fmt.Sprintf("/console/incidents/%d/subjects", big), map[string]string{"csrf": csrfOf(t, page), "reason": "the shop's table"},
		"list", "all.csv", subjectsCSV(100_000))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "uploaded: 100000 people") {
		t.Fatalf("an upload of 100,000: %d\n%s", resp.StatusCode, body)
	}
	public := h.obligationsOf(big)["data_subjects:public"]
	n := dora.page(fmt.Sprintf("/console/obligations/%d/notice", public.ID))
	if !strings.Contains(n, fmt.Sprintf(`action="/console/obligations/%d/publication"`, public.ID)) {
		t.Fatalf("the public communication offers no publication record:\n%s", n)
	}
	resp, body = dora.post(fmt.Sprintf("/console/obligations/%d/publication", public.ID), url.Values{"csrf": {csrf}, "published_by": {"dora"},
		"where": {"https://shop.example/breach-notice"}, "at": {atOf(t, n)}})
	refused(t, "a publication before the approval", resp, body, "approve it first")
	if resp, body := dora.post(fmt.Sprintf("/console/obligations/%d/decide", public.ID), url.Values{"csrf": {csrf}, "from": {"notice"}, "state": {"approved"}, "reason": {"text checked"}}); resp.StatusCode != http.StatusOK || resp.Request.URL.Path != fmt.Sprintf("/console/obligations/%d/notice", public.ID) {
		t.Fatalf("approve the public communication from its screen: %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
	resp, body = dora.post(fmt.Sprintf("/console/obligations/%d/publication", public.ID), url.Values{"csrf": {csrf}, "published_by": {"dora"},
		"where": {"https://shop.example/breach-notice"}, "at": {atOf(t, n)}})
	if o := h.obligationsOf(big)["data_subjects:public"]; resp.StatusCode != http.StatusOK || o.State != incidents.ObligationSent ||
		!strings.Contains(body, "Proof of delivery: published by dora at https://shop.example/breach-notice") {
		t.Errorf("the publication: %d, %s\n%s", resp.StatusCode, o.State, body)
	}
}

// TestConsoleRemovalAndSettle: a customer's removal of the sensitive data
// recorded from the incident screen (refused, with the API's words, until
// it names the customer); and a run whose outcome is unknown after a
// crash, settled from the incident screen.
func TestConsoleRemovalAndSettle(t *testing.T) {
	mb := startMailbox(t)
	dir := t.TempDir()
	seeded := seedStarted(t, dir, "plain")
	h := startIn(t, dir, removalConfig(t, mb.port)+startedAction(t, "plain", ""))
	h.waitFor("the seeded run marked unknown", h.actionsFinished(seeded["plain"], 1))
	admin := signIn(t, h, harnessToken)
	page := admin.page(fmt.Sprintf("/console/incidents/%d", seeded["plain"]))
	runs, _ := h.runsByAction(seeded["plain"])
	run := runs["plain"]
	if run.State != stateUnknown || !strings.Contains(page, fmt.Sprintf(`action="/console/runs/%d/settle"`, run.ID)) {
		t.Fatalf("run %d is %s; the incident screen:\n%s", run.ID, run.State, page)
	}
	settle := fmt.Sprintf("/console/runs/%d/settle", run.ID)
	resp, body := admin.post(settle, url.Values{"csrf": {csrfOf(t, page)}, "incident": {fmt.Sprint(seeded["plain"])}, "outcome": {"ran"}})
	refused(t, "a settle without a reason", resp, body, "reason")
	resp, body = admin.post(settle, url.Values{"csrf": {csrfOf(t, page)}, "incident": {fmt.Sprint(seeded["plain"])}, "outcome": {"ran"}, "reason": {"the address is in the set"}})
	runs, _ = h.runsByAction(seeded["plain"])
	if resp.StatusCode != http.StatusOK || runs["plain"].State != incidents.ActionRan || runs["plain"].SettledBy != "harness" {
		t.Errorf("settled from the console: %d, %s by %q\n%s", resp.StatusCode, runs["plain"].State, runs["plain"].SettledBy, body)
	}

	h.appendLines("2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified")
	var id int64
	h.waitFor("the sensitive-data incident", func() bool {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		for _, inc := range list.Incidents {
			if inc.ID != seeded["plain"] {
				id = inc.ID
			}
		}
		return id != 0 && h.obligationsOf(id)["customer_removal_request:Acme Corp"].ID != 0
	})
	req := h.obligationsOf(id)["customer_removal_request:Acme Corp"]
	page = admin.page(fmt.Sprintf("/console/obligations/%d/notice", req.ID))
	if resp, body := admin.post(fmt.Sprintf("/console/obligations/%d/decide", req.ID), url.Values{"csrf": {csrfOf(t, page)}, "state": {"approved"}, "reason": {"checked"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("approve Acme's request: %d\n%s", resp.StatusCode, body)
	}
	h.waitFor("Acme's request sent", func() bool {
		return h.obligationsOf(id)["customer_removal_request:Acme Corp"].State == incidents.ObligationSent
	})
	removals := fmt.Sprintf("/console/incidents/%d/removals", id)
	form := url.Values{"csrf": {csrfOf(t, page)}, "removed_by": {"customer"}, "what": {"log lines with SSNs, shredded"}, "reason": {"Acme confirmed"}}
	resp, body = admin.post(removals, form)
	refused(t, "a removal that names no customer", resp, body, "2 customers are in scope (Acme Corp, Globex Inc)")
	form.Set("customer", "Acme Corp")
	resp, body = admin.post(removals, form)
	if resp.StatusCode != http.StatusOK || h.timelineKinds(id, "removal") != 1 || !strings.Contains(body, "Sensitive data of Acme Corp removed by the customer") {
		t.Errorf("the removal from the console: %d, %d removal entries\n%s", resp.StatusCode, h.timelineKinds(id, "removal"), body)
	}
	if f := h.obligationsOf(id)["sensitive_data_removal:Acme Corp"]; f.State != incidents.ObligationNotRequired {
		t.Errorf("Acme's follow-up after the removal: %s", f.State)
	}
}

// formOf reads a page's form fields as a browser would send them: each
// input's value and each textarea's text (HTML unescaped, the newline
// after the tag dropped, line breaks as \r\n), and each selected option.
func formOf(t *testing.T, page, action string) url.Values {
	t.Helper()
	i := strings.Index(page, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form %s in the page", action)
	}
	form := page[i : i+strings.Index(page[i:], "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input [^>]*name="([^"]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		if !strings.Contains(m[0], `type="checkbox"`) || strings.Contains(m[0], " checked") {
			v.Add(m[1], html.UnescapeString(m[2]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], strings.ReplaceAll(html.UnescapeString(m[2]), "\n", "\r\n"))
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if s := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], s[1])
		}
	}
	return v
}

// TestConsoleFactsChangeOnlyWhatIsChanged: the facts form sends the facts
// the person changed and no other: a nature holding a line break and
// U+202E (which the form shows as \u202E) is not rewritten by saving the
// measures, and consequences someone else set after the page was loaded
// are not put back to what the page showed. A refused risk decision
// opens again with the risk that was chosen.
func TestConsoleFactsChangeOnlyWhatIsChanged(t *testing.T) {
	h := start(t, consoleRule+formsConfig)
	id := h.openManual("Payroll rows on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	nature := "Line one.\nLine two: adm\u202Efdp.exe"
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), map[string]any{"nature": nature, "consequences": "phishing", "reason": "r"})
	admin := signIn(t, h, harnessToken)
	page := admin.page(fmt.Sprintf("/console/incidents/%d", id))
	form := formOf(t, page, fmt.Sprintf("/console/incidents/%d/facts", id))
	if !strings.Contains(form.Get("nature"), `\u202E`) {
		t.Fatalf("the form does not show U+202E as text: %q", form.Get("nature"))
	}
	// Someone else changes the consequences meanwhile.
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), map[string]any{"consequences": "identity theft", "reason": "the DPO's view"})
	form.Set("measures", "passwords reset")
	form.Set("reason", "what was done")
	if resp, body := admin.post(fmt.Sprintf("/console/incidents/%d/facts", id), form); resp.StatusCode != http.StatusOK {
		t.Fatalf("saving the measures: %d\n%s", resp.StatusCode, body)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if f := d.Incident.Facts; f.Nature != nature || f.Consequences != "identity theft" || f.Measures != "passwords reset" {
		t.Errorf("after saving the measures only: nature %q, consequences %q, measures %q", f.Nature, f.Consequences, f.Measures)
	}

	resp, body := admin.post(fmt.Sprintf("/console/incidents/%d/assess", id), url.Values{"csrf": {csrfOf(t, page)}, "risk": {"high"}, "personal_data": {"true"}, "reason": {"   "}})
	refused(t, "a risk decision without a reason", resp, body, "reason")
	if !strings.Contains(body, `<option value="high" selected>`) || !strings.Contains(body, `<option value="true" selected>`) {
		t.Errorf("the refused risk decision does not keep the risk chosen:\n%s", body)
	}
}
