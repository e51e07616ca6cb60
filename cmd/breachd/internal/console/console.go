package console

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/breachd/breachd/incidents"
)

//go:embed static templates
var files embed.FS

// Options configures the console.
type Options struct {
	// API is breachd's HTTP API: every read and change goes through it.
	API http.Handler
	// Now is the clock (sessions, sign-in limits, time left).
	Now    func() time.Time
	Logger *slog.Logger
	// TLS says whether the listener serves https: the session cookie is
	// then Secure.
	TLS bool
	// Location is the time zone times are shown in (default UTC); Zone,
	// when set, is asked instead at each page (the config's time_zone
	// of the generation in force).
	Location *time.Location
	Zone     func() *time.Location
	// MaxStreams caps the live streams open at once (default 32).
	MaxStreams int
}

// Session and sign-in limits.
const (
	sessionTTL     = 8 * time.Hour
	failWindow     = 10 * time.Minute
	maxFails       = 5
	cookieName     = "breachd_session"
	maxSessions    = 10000
	eventsInterval = time.Second
	maxStreams     = 32 // live streams at once, all clients together, by default
	// maxStreamsPerSession caps one session's (or one anonymous
	// address's) live streams: a few tabs, not every slot.
	maxStreamsPerSession = 4
	streamLifetime       = 30 * time.Minute // then the browser reconnects (and is checked again)
)

// Console serves the console's pages.
type Console struct {
	opts  Options
	pages *template.Template
	mux   *http.ServeMux

	// done ends the event streams (Close), which a server's graceful
	// shutdown would otherwise wait for.
	done      chan struct{}
	closeOnce sync.Once

	streams chan struct{} // a slot per open live stream
	// perSession counts the open streams of each session (streamKey),
	// under mu.
	perSession map[string]int

	mu       sync.Mutex
	sessions map[string]*session
	fails    map[string][]time.Time // sign-in failures by client address
}

// session is a signed-in person: the token stays on the server, the
// browser holds a random id.
type session struct {
	token, principal, role string
	csrf                   string
	expires                time.Time
}

// New makes the console; it starts nothing.
func New(opts Options) (*Console, error) {
	if opts.API == nil || opts.Now == nil {
		return nil, errors.New("console: API and Now are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	c := &Console{opts: opts, sessions: map[string]*session{}, fails: map[string][]time.Time{}, perSession: map[string]int{}, done: make(chan struct{}), streams: make(chan struct{}, cmp.Or(opts.MaxStreams, maxStreams))}
	pages, err := template.New("").Funcs(template.FuncMap{
		// short cuts a title for the queue; the incident screen shows it whole.
		"short": func(s string) string {
			if r := []rune(s); len(r) > 160 {
				return string(r[:160]) + "…"
			}
			return s
		},
		"iso": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format(time.RFC3339)
		},
		"list": func(v ...string) []string { return v },
		// left is the time to t as the queue writes it, "OVERDUE …" past
		// it; the countdown script keeps it going in the browser.
		"left": func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			d := t.Sub(opts.Now())
			if d > 0 {
				return short(d)
			}
			return "OVERDUE " + short(-d)
		},
		// byHand says a proof is a person's record of a notice given
		// outside breachd with nothing to show for its delivery.
		"byHand": func(proof string) bool { return incidents.DeliveryMethod(proof) == "recorded by hand" },
		// was is the digest of a text as a form shows it (facts).
		"was": func(v string) string { return digest(shown(v)) },
		"plural": func(n int64, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
		"when": func(v any) string {
			var t time.Time
			switch v := v.(type) {
			case time.Time:
				t = v
			case *time.Time:
				if v != nil {
					t = *v
				}
			}
			if t.IsZero() {
				return "-"
			}
			return t.In(c.loc()).Format("2006-01-02 15:04 MST")
		},
	}).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	c.pages = pages
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /console/static/", http.StripPrefix("/console/static/", staticFiles(static)))
	mux.HandleFunc("GET /console/signin", c.signinPage)
	mux.HandleFunc("POST /console/signin", c.signin)
	mux.HandleFunc("POST /console/signout", c.signout)
	mux.HandleFunc("GET /console/events", c.events)
	mux.HandleFunc("GET /{$}", c.queuePage)
	mux.HandleFunc("GET /console/incidents/{id}", c.showIncident)
	mux.HandleFunc("POST /console/incidents/{id}/transition", c.incidentPost("transition", transition))
	mux.HandleFunc("POST /console/incidents/{id}/notes", c.incidentPost("notes", note))
	mux.HandleFunc("POST /console/incidents/{id}/assess", c.incidentPost("assess", assess))
	mux.HandleFunc("GET /console/obligations/{id}/notice", c.showNotice)
	mux.HandleFunc("POST /console/incidents/{id}/facts", c.incidentForm("PUT", "facts", facts))
	mux.HandleFunc("POST /console/incidents/{id}/scope", c.incidentForm("PUT", "scope", scopeForm))
	mux.HandleFunc("POST /console/incidents/{id}/clock", c.post("PUT", func(r *http.Request, id int64) (string, any) {
		name, body := clockForm(r)
		return fmt.Sprintf("/api/v1/incidents/%d/clocks/%s", id, url.PathEscape(name)), body
	}, backToIncident, c.incident))
	mux.HandleFunc("POST /console/incidents", c.openIncident)
	mux.HandleFunc("POST /console/incidents/{id}/merge", c.incidentPost("merge", merge))
	mux.HandleFunc("POST /console/incidents/{id}/removals", c.incidentPost("removals", removal))
	mux.HandleFunc("POST /console/incidents/{id}/subjects", c.uploadSubjects)
	mux.HandleFunc("POST /console/runs/{id}/settle", c.onIncident("/api/v1/actions/%d/settle", settle))
	mux.HandleFunc("POST /console/messages/{id}/resend", c.onIncident("/api/v1/messages/%d/resend", resend))
	mux.HandleFunc("POST /console/obligations/{id}/update", c.openUpdate)
	for what, body := range map[string]func(*http.Request) any{"call": call, "publication": publication, "posting": posting} {
		mux.HandleFunc("POST /console/obligations/{id}/"+what, c.post("POST", func(r *http.Request, id int64) (string, any) {
			return fmt.Sprintf("/api/v1/obligations/%d/%s", id, what), body(r)
		}, backToNotice, c.notice))
	}
	mux.HandleFunc("POST /console/register", c.post("POST", registerEntry, backTo("/console/register"), c.register))
	mux.HandleFunc("GET /console/register.csv", c.registerExport)
	mux.HandleFunc("GET /console/incidents/{id}/report", c.showReport)
	for _, format := range []string{"pdf", "md", "json"} {
		mux.HandleFunc("GET /console/incidents/{id}/report."+format, c.reportFile)
	}
	mux.HandleFunc("GET /console/obligations", c.showObligations)
	mux.HandleFunc("POST /console/obligations/{id}/decide", c.post("POST", decide, func(r *http.Request, id int64) string {
		if r.PostFormValue("from") == "notice" {
			return backToNotice(r, id)
		}
		return "/console/obligations"
	}, func(w http.ResponseWriter, r *http.Request, s *session, id int64, msg string, status int) {
		if r.PostFormValue("from") == "notice" {
			c.notice(w, r, s, id, msg, status)
			return
		}
		c.obligations(w, r, s, id, msg, status)
	}))
	mux.HandleFunc("GET /console/containment", c.showContainment)
	mux.HandleFunc("GET /console/register", c.showRegister)
	mux.HandleFunc("GET /console/register.json", c.registerExport)
	mux.HandleFunc("POST /console/containments/{id}/revert", c.post("POST", revert, backTo("/console/containment"), c.containment))
	mux.HandleFunc("POST /console/runs/{id}/approve", c.post("POST", verdict("approve"), backTo("/console/containment"), c.containment))
	mux.HandleFunc("POST /console/runs/{id}/deny", c.post("POST", verdict("deny"), backTo("/console/containment"), c.containment))
	c.mux = mux
	return c, nil
}

// loc is the time zone pages show times in.
func (c *Console) loc() *time.Location {
	if c.opts.Zone != nil {
		if l := c.opts.Zone(); l != nil {
			return l
		}
	}
	return c.opts.Location
}

// Close ends the event streams: the server is stopping.
func (c *Console) Close() { c.closeOnce.Do(func() { close(c.done) }) }

// ServeHTTP serves the console's paths with its security headers.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodPost && crossSite(r) {
		// A form posted from another site (sign-in included: no one is
		// signed into an attacker's token by a page of theirs).
		http.Error(w, "refused: this form was posted from another site", http.StatusForbidden)
		return
	}
	c.mux.ServeHTTP(w, r)
}

// crossSite says whether the browser says a request comes from another
// site: its Sec-Fetch-Site, else its Origin against the Host.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false // not a browser's cross-site form: those carry one
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != r.Host
}

// staticFiles serves the embedded files.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".md") || strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "htmx-") {
			// Their names carry their versions.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// call makes an in-process request to the API as the session's person (or
// anonymously for a nil session) and decodes a 2xx answer into out. It
// returns the status and, for an error, the API's message.
func (c *Console) call(ctx context.Context, s *session, method, path string, body, out any) (int, error) {
	if body == nil {
		return c.send(ctx, s, method, path, "", nil, out)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	return c.send(ctx, s, method, path, "application/json", bytes.NewReader(b), out)
}

// send is call with a body of another type (a list of data subjects is
// text/csv).
func (c *Console) send(ctx context.Context, s *session, method, path, contentType string, body io.Reader, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, path, body)
	if err != nil {
		return 0, err
	}
	req.RemoteAddr = "127.0.0.1:0" // in-process
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if s != nil {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	c.opts.API.ServeHTTP(rec, req)
	if rec.code == http.StatusUnauthorized && s != nil {
		// The token is no longer one of the config's: the session ends.
		c.mu.Lock()
		for id, x := range c.sessions {
			if x.token == s.token {
				delete(c.sessions, id)
			}
		}
		c.mu.Unlock()
	}
	if rec.code/100 != 2 {
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(rec.body.Bytes(), &e) == nil && e.Message != "" {
			return rec.code, errors.New(e.Message)
		}
		return rec.code, fmt.Errorf("%s %s: HTTP %d", method, path, rec.code)
	}
	if out == nil {
		return rec.code, nil
	}
	return rec.code, json.Unmarshal(rec.body.Bytes(), out)
}

// recorder is the API's answer to an in-process request.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
func (r *recorder) WriteHeader(code int)        { r.code = code }

// whoami is the API's word on who a token is.
type whoami struct {
	Principal string `json:"principal"`
	Role      string `json:"role"`
}

// current returns the request's session; nil with ok when the API lets
// anyone read (anonymous_role), false when the person must sign in.
func (c *Console) current(r *http.Request) (*session, bool) {
	if ck, err := r.Cookie(cookieName); err == nil {
		c.mu.Lock()
		s := c.sessions[ck.Value]
		if s != nil && !c.opts.Now().Before(s.expires) {
			delete(c.sessions, ck.Value)
			s = nil
		}
		c.mu.Unlock()
		if s != nil {
			return s, true
		}
	}
	var w whoami
	if code, err := c.call(r.Context(), nil, "GET", "/api/v1/whoami", nil, &w); err == nil && code == http.StatusOK {
		return nil, true
	}
	return nil, false
}

// signedIn returns the request's session for a page; without one it
// sends the person to sign in and says no.
func (c *Console) signedIn(w http.ResponseWriter, r *http.Request) (*session, bool) {
	s, ok := c.current(r)
	if !ok {
		to := "/console/signin"
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			to += "?next=" + url.QueryEscape(r.URL.RequestURI()) // back there once signed in
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
	return s, ok
}

// nextPage is where a sign-in goes: the console page the person asked
// for before signing in, or the queue. Only a path of the console's own
// is followed (no other site, no scheme, no //host).
func nextPage(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "/console/signin") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return u.RequestURI()
}

// alive says whether session s is still signed in (nil, anonymous: yes).
func (c *Console) alive(s *session) bool {
	if s == nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range c.sessions {
		if x == s {
			return c.opts.Now().Before(s.expires)
		}
	}
	return false
}

func (c *Console) signinPage(w http.ResponseWriter, r *http.Request) {
	next := nextPage(r.URL.Query().Get("next"))
	if next == "/" {
		next = ""
	}
	c.render(w, "signin.html", map[string]any{"Error": r.URL.Query().Get("failed") != "", "Next": next})
}

// signin exchanges an API token for a session cookie.
func (c *Console) signin(w http.ResponseWriter, r *http.Request) {
	client := clientAddr(r)
	now := c.opts.Now()
	c.mu.Lock()
	recent := c.fails[client][:0]
	for _, t := range c.fails[client] {
		if now.Sub(t) < failWindow {
			recent = append(recent, t)
		}
	}
	c.fails[client] = recent
	limited := len(recent) >= maxFails
	c.mu.Unlock()
	// A valid token signs in even from an address over the limit: a
	// colleague behind the same NAT as someone guessing is not locked
	// out, and a guess of a 256-bit token is refused either way.
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	token := strings.TrimSpace(r.PostFormValue("token"))
	var who whoami
	if _, err := c.call(r.Context(), &session{token: token}, "GET", "/api/v1/whoami", nil, &who); token == "" || err != nil {
		c.mu.Lock()
		c.fails[client] = append(c.fails[client], now)
		c.mu.Unlock()
		c.opts.Logger.Info("console sign-in refused", "client", client, "limited", limited)
		if limited {
			http.Error(w, "too many failed sign-ins from this address; wait ten minutes", http.StatusTooManyRequests)
			return
		}
		again := "/console/signin?failed=1"
		if next := nextPage(r.PostFormValue("next")); next != "/" {
			again += "&next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, again, http.StatusSeeOther)
		return
	}
	id, csrf := randomID(), randomID()
	c.mu.Lock()
	if old, err := r.Cookie(cookieName); err == nil {
		delete(c.sessions, old.Value) // signing in again ends the session before
	}
	if len(c.sessions) >= maxSessions {
		for k, s := range c.sessions {
			if !now.Before(s.expires) {
				delete(c.sessions, k)
			}
		}
	}
	c.sessions[id] = &session{token: token, principal: who.Principal, role: who.Role, csrf: csrf, expires: now.Add(sessionTTL)}
	c.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, Secure: c.opts.TLS,
		SameSite: http.SameSiteStrictMode, Expires: now.Add(sessionTTL)})
	c.opts.Logger.Info("console sign-in", "principal", who.Principal, "role", who.Role)
	http.Redirect(w, r, nextPage(r.PostFormValue("next")), http.StatusSeeOther)
}

// signout ends the session (its form carries the CSRF token).
func (c *Console) signout(w http.ResponseWriter, r *http.Request) {
	s, _ := c.current(r)
	if s == nil {
		http.Error(w, "not signed in", http.StatusForbidden)
		return
	}
	if !c.formOK(w, r, s) {
		return
	}
	ck, _ := r.Cookie(cookieName)
	c.mu.Lock()
	delete(c.sessions, ck.Value)
	c.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: c.opts.TLS, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// formOK reads a form (at most 1 MiB) and checks its CSRF token against
// the session's, answering the refusal itself.
func (c *Console) formOK(w http.ResponseWriter, r *http.Request, s *session) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			http.Error(w, "the form is larger than 1 MiB", http.StatusRequestEntityTooLarge)
			return false
		}
		http.Error(w, "the form could not be read: "+err.Error(), http.StatusBadRequest)
		return false
	}
	if !csrfOK(r.PostFormValue("csrf"), s) {
		http.Error(w, "the form is stale or forged (CSRF token): reload the page", http.StatusForbidden)
		return false
	}
	return true
}

// csrfOK says whether a form's CSRF token is the session's.
func csrfOK(got string, s *session) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return hex.EncodeToString(b)
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// render executes a page; a template error is the console's own bug.
func (c *Console) render(w http.ResponseWriter, name string, data any) {
	c.renderStatus(w, name, data, http.StatusOK)
}

// renderStatus is render with another status (a refused change's).
func (c *Console) renderStatus(w http.ResponseWriter, name string, data any, status int) {
	var buf bytes.Buffer
	if err := c.pages.ExecuteTemplate(&buf, name, data); err != nil {
		c.opts.Logger.Error("console template", "page", name, "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(visible(buf.Bytes()))
}

// visible rewrites what html/template leaves as it is but a reader must
// not be shown raw: carriage returns (which end a Server-Sent Events line:
// a log line holding one could forge events) as &#13;, and control,
// bidirectional formatting and invisible characters (U+202E reverses what
// follows: an attacker's user name could make an address read as
// another; U+200B hides inside a name) as \uXXXX text. The templates write none of them, so only data is changed.
func visible(b []byte) []byte {
	if !bytes.ContainsFunc(b, hidden) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == '\r':
			out = append(out, "&#13;"...)
		case hidden(r):
			out = fmt.Appendf(out, "\\u%04X", r)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// hidden is a character visible rewrites.
func hidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200b, r == 0x2028, r == 0x2029, r == 0x2060, r == 0xfeff:
		// Invisible: a zero-width space makes "ad\u200Bmin" read as admin;
		// the line and paragraph separators break lines unseen.
		return true
	}
	return false
}
