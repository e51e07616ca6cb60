package console

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fakeAPI stands in for breachd's API in these unit tests: one token,
// "good", of principal rita, role responder. The console against the real
// API and a real browser is tested in the daemon's package
// (TestConsoleQueueLive).
func fakeAPI(anonymous bool) http.Handler {
	mux := http.NewServeMux()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		switch r.Header.Get("Authorization") {
		case "Bearer good":
			return true
		case "":
			if anonymous {
				return true
			}
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"code":"unauthorized","message":"no"}`)
		return false
	}
	mux.HandleFunc("GET /api/v1/whoami", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			_ = json.NewEncoder(w).Encode(whoami{Principal: "rita", Role: "responder"})
		}
	})
	mux.HandleFunc("GET /api/v1/incidents", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			_, _ = io.WriteString(w, `{"incidents":[{"id":7,"title":"<b>bold</b>","severity":"high","status":"open","risk":"unassessed","last_seen":"2026-12-03T10:00:00Z"}]}`)
		}
	})
	mux.HandleFunc("GET /api/v1/obligations", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			_, _ = io.WriteString(w, `{"obligations":[{"id":3,"incident_id":7,"policy":"gdpr","recipient":"authority","due_at":"2026-12-03T09:00:00Z","state":"pending"}]}`)
		}
	})
	mux.HandleFunc("GET /api/v1/approvals", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			_, _ = io.WriteString(w, `{"runs":[]}`)
		}
	})
	return mux
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newConsole(t *testing.T, anonymous bool) (*Console, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	c, err := New(Options{API: fakeAPI(anonymous), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

func do(c *Console, method, path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	return w
}

// TestSignInAndQueue: a token becomes an HttpOnly, SameSite=Strict session
// cookie; the queue shows the incident with its overdue notice, the title
// as text; every response carries the security headers.
func TestSignInAndQueue(t *testing.T) {
	c, _ := newConsole(t, false)
	if w := do(c, "GET", "/", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/signin" {
		t.Fatalf("/ without a session: %d %q", w.Code, w.Header().Get("Location"))
	}
	w := do(c, "POST", "/console/signin", url.Values{"token": {"good"}})
	cookies := w.Result().Cookies()
	if w.Code != http.StatusSeeOther || len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("sign-in: %d, cookies %+v", w.Code, cookies)
	}
	w = do(c, "GET", "/", nil, cookies[0])
	page := w.Body.String()
	for _, want := range []string{"rita (responder)", "&lt;b&gt;bold&lt;/b&gt;", "gdpr → authority", "OVERDUE 1h", `class="overdue"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the queue lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<b>bold</b>") {
		t.Error("a title became markup")
	}
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") || w.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", w.Header())
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(page) || strings.Contains(page, " on") && regexp.MustCompile(`\son[a-z]+=`).MatchString(page) {
		t.Error("the page has inline script or an event handler attribute")
	}
}

// TestSignInIsRateLimited: five refused tokens from one address within ten
// minutes, and a sixth wrong one is answered 429; a valid token still
// signs in from that address (a colleague behind the same NAT is not
// locked out); the limit ends with the window.
func TestSignInIsRateLimited(t *testing.T) {
	c, clk := newConsole(t, false)
	for range 5 {
		if w := do(c, "POST", "/console/signin", url.Values{"token": {"bad"}}); w.Header().Get("Location") != "/console/signin?failed=1" {
			t.Fatalf("a bad token: %d %q", w.Code, w.Header().Get("Location"))
		}
	}
	if w := do(c, "POST", "/console/signin", url.Values{"token": {"bad"}}); w.Code != http.StatusTooManyRequests {
		t.Errorf("the sixth wrong try: %d, want 429", w.Code)
	}
	if w := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		t.Errorf("a valid token from the limited address: %d %q, want signed in", w.Code, w.Header().Get("Location"))
	}
	clk.t = clk.t.Add(11 * time.Minute)
	if w := do(c, "POST", "/console/signin", url.Values{"token": {"bad"}}); w.Header().Get("Location") != "/console/signin?failed=1" {
		t.Errorf("a wrong token after the window: %d %q, want the form again", w.Code, w.Header().Get("Location"))
	}
}

// TestSessionsExpireAndSignOutNeedsCSRF: a session ends after eight hours;
// signing out needs the form's CSRF token.
func TestSessionsExpireAndSignOutNeedsCSRF(t *testing.T) {
	c, clk := newConsole(t, false)
	ck := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	if w := do(c, "POST", "/console/signout", url.Values{"csrf": {"forged"}}, ck); w.Code != http.StatusForbidden {
		t.Errorf("sign-out with a forged CSRF token: %d", w.Code)
	}
	page := do(c, "GET", "/", nil, ck).Body.String()
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	clk.t = clk.t.Add(8*time.Hour + time.Second)
	if w := do(c, "GET", "/", nil, ck); w.Code != http.StatusSeeOther {
		t.Errorf("an expired session: %d", w.Code)
	}
	ck2 := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	page = do(c, "GET", "/", nil, ck2).Body.String()
	csrf = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if w := do(c, "POST", "/console/signout", url.Values{"csrf": {csrf[1]}}, ck2); w.Code != http.StatusSeeOther {
		t.Errorf("sign-out: %d", w.Code)
	}
	if w := do(c, "GET", "/", nil, ck2); w.Code != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", w.Code)
	}
}

// TestAnonymousRead: where the API lets anyone read (anonymous_role), the
// queue is shown without sign-in.
func TestAnonymousRead(t *testing.T) {
	c, _ := newConsole(t, true)
	if w := do(c, "GET", "/", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "anonymous") {
		t.Errorf("anonymous: %d", w.Code)
	}
}

// TestVendoredFilesAreThePinnedOnes: the embedded htmx files are the ones
// static/VENDOR.md records.
func TestVendoredFilesAreThePinnedOnes(t *testing.T) {
	for file, want := range map[string]string{
		"static/htmx-2.0.11.min.js":        "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717",
		"static/htmx-ext-sse-2.2.4.min.js": "98a46496de0c3605fbffdce9167ba427bdd9553184f83f149c261891a92c0136",
	} {
		b, err := files.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, VENDOR.md says %s", file, got, want)
		}
		vendor, _ := os.ReadFile("static/VENDOR.md")
		if !strings.Contains(string(vendor), want) {
			t.Errorf("VENDOR.md does not record %s", want)
		}
	}
	c, _ := newConsole(t, true)
	if w := do(c, "GET", "/console/static/VENDOR.md", nil); w.Code != http.StatusNotFound {
		t.Errorf("VENDOR.md is served: %d", w.Code)
	}
	if w := do(c, "GET", "/console/static/htmx-2.0.11.min.js", nil); w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("htmx: %d %v", w.Code, w.Header())
	}
}

// TestEventsStreamTheQueueAndEndOnClose: the stream sends the queue's rows
// as an SSE "queue" event, and ends when the console closes (a server's
// graceful shutdown would otherwise wait for it).
func TestEventsStreamTheQueueAndEndOnClose(t *testing.T) {
	c, _ := newConsole(t, true)
	srv := httptest.NewServer(c)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/console/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	buf := make([]byte, 4096)
	n, err := resp.Body.Read(buf)
	if err != nil || !strings.HasPrefix(string(buf[:n]), "event: queue\ndata: <tr") || !strings.Contains(string(buf[:n]), "&lt;b&gt;bold") {
		t.Fatalf("first event: %q, %v", buf[:n], err)
	}
	c.Close()
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Errorf("the stream did not end cleanly: %v", err)
	}
}

// TestVisible: what a log line may carry that a reader must not be shown
// raw (a carriage return, which would end an SSE line; U+202E, which
// reverses what follows; ESC) is rewritten; text and markup stay.
func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"<td>plain</td>\n":              "<td>plain</td>\n",
		"a\r\revent: queue\rdata: x":    "a&#13;&#13;event: queue&#13;data: x",
		"adm\u202efdp.exe from 1.2.3.4": `adm\u202Efdp.exe from 1.2.3.4`,
		"\x1b[31mred\t\u00e9\u4e2d":     `\u001B[31mred` + "\t\u00e9\u4e2d",
	} {
		if got := string(visible([]byte(in))); got != want {
			t.Errorf("visible(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostileAPI is fakeAPI with an incident whose title holds what a log line
// may: carriage returns shaped as SSE fields, and a right-to-left
// override.
func hostileAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/whoami", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(whoami{Principal: "anonymous", Role: "viewer"})
	})
	mux.HandleFunc("GET /api/v1/incidents", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"incidents": []map[string]any{{
			"id": 9, "title": "z\r\revent: queue\rdata: No active incident.\r\r", "status": "open", "last_seen": "2026-12-03T10:00:00Z"}, {
			"id": 10, "title": "adm\u202efdp.exe", "status": "open", "last_seen": "2026-12-03T09:00:00Z"}}})
	})
	mux.HandleFunc("GET /api/v1/obligations", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"obligations":[]}`) })
	mux.HandleFunc("GET /api/v1/approvals", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"runs":[]}`) })
	return mux
}

// TestStreamCannotBeForged: a title with carriage returns reaches the
// stream as one data line per line of markup, with no carriage return: no
// event of its own, no field, and the second incident still in the same
// event; the override character is shown as text.
func TestStreamCannotBeForged(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	c, err := New(Options{API: hostileAPI(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	defer srv.Close()
	defer c.Close()
	resp, err := http.Get(srv.URL + "/console/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 8192)
	n, _ := resp.Body.Read(buf)
	ev := string(buf[:n])
	if strings.ContainsRune(ev, '\r') || strings.Count(ev, "\nevent:") != 0 || !strings.HasPrefix(ev, "event: queue\n") || !strings.Contains(ev, "#10") || !strings.Contains(ev, `adm\u202Efdp.exe`) {
		t.Errorf("the stream: %q", ev)
	}
	for _, line := range strings.Split(strings.TrimRight(ev, "\n"), "\n") {
		if line != "event: queue" && !strings.HasPrefix(line, "data: ") {
			t.Errorf("a line of the stream is no data line: %q", line)
		}
	}
}

// TestCrossSiteFormsAndLimits: a form posted from another site is refused
// (sign-in included: no one is signed into an attacker's token); an
// oversized form is 413; a full set of streams answers 503; a stream ends
// when its session is signed out.
func TestCrossSiteFormsAndLimits(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	c, err := New(Options{API: fakeAPI(false), Now: clk.now, MaxStreams: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := httptest.NewRequest("POST", "/console/signin", strings.NewReader("token=good"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "http://evil.example")
	w := httptest.NewRecorder()
	c.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden || len(w.Result().Cookies()) != 0 {
		t.Errorf("a cross-site sign-in: %d, cookies %v", w.Code, w.Result().Cookies())
	}
	r.Header.Del("Origin")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w = httptest.NewRecorder()
	c.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("a cross-site sign-in (Sec-Fetch-Site): %d", w.Code)
	}

	ck := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	big := url.Values{"csrf": {"x"}, "text": {strings.Repeat("a", 2<<20)}}
	if w := do(c, "POST", "/console/incidents/7/notes", big, ck); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB form: %d, want 413", w.Code)
	}

	srv := httptest.NewServer(c)
	defer srv.Close()
	get := func() *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/console/events", nil)
		req.AddCookie(ck)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := get()
	defer first.Body.Close()
	if _, err := first.Body.Read(make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	second := get()
	second.Body.Close()
	if second.StatusCode != http.StatusServiceUnavailable || second.Header.Get("Retry-After") == "" {
		t.Errorf("a stream past the cap: %d", second.StatusCode)
	}
	page := do(c, "GET", "/", nil, ck).Body.String()
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	if w := do(c, "POST", "/console/signout", url.Values{"csrf": {csrf}}, ck); w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", w.Code)
	}
	// The open stream ends at its next check (each second).
	if _, err := io.ReadAll(first.Body); err != nil {
		t.Errorf("the stream of a signed-out session: %v", err)
	}
}

// TestSignInAgainEndsTheSessionBefore: a second sign-in in the same
// browser ends the first session; the anonymous view offers a sign-in.
func TestSignInAgainEndsTheSessionBefore(t *testing.T) {
	c, _ := newConsole(t, true)
	first := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	second := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}, first).Result().Cookies()[0]
	if first.Value == second.Value {
		t.Fatal("the same session id twice")
	}
	if page := do(c, "GET", "/", nil, first).Body.String(); !strings.Contains(page, "anonymous") || !strings.Contains(page, `href="/console/signin"`) {
		t.Errorf("the first session still works, or the anonymous view offers no sign-in:\n%s", page)
	}
	if page := do(c, "GET", "/", nil, second).Body.String(); !strings.Contains(page, "rita (responder)") {
		t.Errorf("the second session:\n%s", page)
	}
}

// TestOneSessionCannotTakeEveryStream: a session holds four live streams
// at most; the fifth is 503, and another session still gets one.
func TestOneSessionCannotTakeEveryStream(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	c, err := New(Options{API: fakeAPI(false), Now: clk.now, MaxStreams: 32})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srv := httptest.NewServer(c)
	defer srv.Close()
	defer c.Close() // first: the streams end, then the server closes
	open := func(ck *http.Cookie) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+"/console/events", nil)
		req.AddCookie(ck)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	mine := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	for i := range 4 {
		if resp := open(mine); resp.StatusCode != http.StatusOK {
			t.Fatalf("stream %d of the session: %d", i+1, resp.StatusCode)
		}
	}
	if resp := open(mine); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the session's fifth stream: %d, want 503 with Retry-After", resp.StatusCode)
	}
	other := do(c, "POST", "/console/signin", url.Values{"token": {"good"}}).Result().Cookies()[0]
	if resp := open(other); resp.StatusCode != http.StatusOK {
		t.Errorf("another session's stream: %d", resp.StatusCode)
	}
}

// TestSignInReturnsToThePageAsked: a page asked for before signing in is
// where the sign-in goes; only a console path is followed.
func TestSignInReturnsToThePageAsked(t *testing.T) {
	c, _ := newConsole(t, false)
	w := do(c, "GET", "/console/incidents/7?verify=1", nil)
	if loc := w.Header().Get("Location"); loc != "/console/signin?next=%2Fconsole%2Fincidents%2F7%3Fverify%3D1" {
		t.Fatalf("signed out: to %q", loc)
	}
	if page := do(c, "GET", "/console/signin?next=%2Fconsole%2Fincidents%2F7", nil).Body.String(); !strings.Contains(page, `name="next" value="/console/incidents/7"`) {
		t.Errorf("the sign-in page does not carry the page asked for:\n%s", page)
	}
	for next, want := range map[string]string{
		"/console/incidents/7?verify=1": "/console/incidents/7?verify=1",
		"//evil.example/console/":       "/",
		"https://evil.example/console/": "/",
		"/\\evil.example":               "/",
		"/console/x\r\nSet-Cookie: a=b": "/",
		"/api/v1/incidents":             "/",
		"":                              "/",
	} {
		if loc := do(c, "POST", "/console/signin", url.Values{"token": {"good"}, "next": {next}}).Header().Get("Location"); loc != want {
			t.Errorf("sign-in with next %q: to %q, want %q", next, loc, want)
		}
	}
}
