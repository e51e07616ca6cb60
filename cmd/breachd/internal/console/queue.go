package console

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// queuePage is how many incidents one page of the queue shows.
const queuePage = 50

// filter is the queue's choice of incidents, as the API's list takes it,
// and its page (from 1).
type filter struct {
	Status, Severity, Risk, Rule string
	Page                         int
}

// filterOf reads the queue's filter from a request's query: the active
// incidents by default. The API checks the values.
func filterOf(r *http.Request) filter {
	q := r.URL.Query()
	f := filter{Status: cmp.Or(q.Get("status"), "active"), Severity: q.Get("severity"), Risk: q.Get("risk"), Rule: q.Get("rule"), Page: 1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n <= 10000 {
		f.Page = n
	}
	return f
}

// query is the filter as a query string (page included when past 1).
func (f filter) query(page int) string {
	v := url.Values{"status": {f.Status}}
	for k, x := range map[string]string{"severity": f.Severity, "risk": f.Risk, "rule": f.Rule} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

// row is one incident of the queue.
type row struct {
	Incident  incidents.Incident
	Next      *incidents.Obligation // the undecided notice due soonest, nil when none has a due time
	Undecided int                   // its undecided notices
	Left      string                // time to Next's due time, "OVERDUE 2h" past it
	Overdue   bool
	Awaiting  bool // a notice or an action waits for approval
	Yours     bool // and the signed-in person's role may give it
}

// queue is the queue screen's content.
type queue struct {
	who
	Rows    []row
	Updated string
	Filter  filter
	// Query is the filter's query string (the live stream's too); Prev
	// and Next those of the pages around, "" when there is none.
	Query string
	// Prev and Next are "/?" and a query url.Values encoded.
	Prev, Next                        template.URL
	Statuses, Severities, RiskChoices []string
	CanOpen                           bool
	// Error is the API's refusal (of a filter, of a report).
	Error string
	Form  map[string]string
}

// load reads one page of the queue through the API: the incidents the
// filter chooses, those with the soonest undecided due time first (the
// API's sort=due), with their undecided notices and the runs waiting for
// approval.
func (c *Console) load(ctx context.Context, s *session, f filter) (*queue, error) {
	var list struct {
		Incidents []incidents.Incident `json:"incidents"`
	}
	q := url.Values{"sort": {incidents.ListDue}, "limit": {strconv.Itoa(queuePage + 1)}, "offset": {strconv.Itoa((f.Page - 1) * queuePage)}, "status": {f.Status}}
	for k, v := range map[string]string{"severity": f.Severity, "risk": f.Risk, "rule": f.Rule} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if _, err := c.call(ctx, s, "GET", "/api/v1/incidents?"+q.Encode(), nil, &list); err != nil {
		return nil, err
	}
	more := len(list.Incidents) > queuePage
	if more {
		list.Incidents = list.Incidents[:queuePage]
	}
	// The undecided notices of the page's incidents (not every
	// incident's: 10,000 incidents owe 20,000).
	var obs struct {
		Obligations []incidents.Obligation `json:"obligations"`
	}
	if len(list.Incidents) > 0 {
		ids := make([]string, len(list.Incidents))
		for i, inc := range list.Incidents {
			ids[i] = strconv.FormatInt(inc.ID, 10)
		}
		if _, err := c.call(ctx, s, "GET", "/api/v1/obligations?incident="+strings.Join(ids, ","), nil, &obs); err != nil {
			return nil, err
		}
	}
	var runs struct {
		Runs []incidents.ActionRun `json:"runs"`
	}
	if _, err := c.call(ctx, s, "GET", "/api/v1/approvals", nil, &runs); err != nil {
		return nil, err
	}
	now := c.opts.Now()
	rows := make([]row, len(list.Incidents))
	index := map[int64]int{}
	for i, inc := range list.Incidents {
		rows[i] = row{Incident: inc}
		index[inc.ID] = i
	}
	for _, o := range obs.Obligations {
		i, ok := index[o.IncidentID]
		if !ok {
			continue
		}
		r := &rows[i]
		r.Undecided++
		if o.State == incidents.ObligationDrafted && o.Approval {
			r.Awaiting = true
			r.Yours = r.Yours || s != nil && httpapi.Allows(s.role, httpapi.PermNotify) && (o.Decider == "" || o.Decider == s.role)
		}
		if o.DueAt != nil && (r.Next == nil || o.DueAt.Before(*r.Next.DueAt)) {
			o := o
			r.Next = &o
		}
	}
	for _, run := range runs.Runs {
		if i, ok := index[run.IncidentID]; ok {
			rows[i].Awaiting = true
			rows[i].Yours = rows[i].Yours || s != nil && httpapi.Allows(s.role, httpapi.PermRespond)
		}
	}
	for i := range rows {
		if n := rows[i].Next; n != nil {
			left := n.DueAt.Sub(now)
			rows[i].Overdue = left <= 0
			rows[i].Left = short(left)
			if rows[i].Overdue {
				rows[i].Left = "OVERDUE " + short(-left)
			}
		}
	}
	out := &queue{who: whoOf(s), Rows: rows, Updated: now.In(c.loc()).Format("15:04:05 MST"), Filter: f, Query: f.query(f.Page),
		Statuses:   []string{"active", "open", "triaged", "contained", "notifying", "closed", "false_positive"},
		Severities: []string{"info", "low", "medium", "high", "critical"},
		RiskChoices: []string{string(incidents.RiskUnassessed), string(incidents.RiskNone), string(incidents.RiskRisk),
			string(incidents.RiskHigh)}}
	if f.Page > 1 {
		out.Prev = template.URL("/?" + f.query(f.Page-1)) // #nosec G203 -- a path of ours and url.Values.Encode

	}
	if more {
		out.Next = template.URL("/?" + f.query(f.Page+1)) // #nosec G203 -- a path of ours and url.Values.Encode

	}
	out.CanOpen = s != nil && httpapi.Allows(s.role, httpapi.PermRespond)
	return out, nil
}

// short writes a duration in days, hours and minutes ("2d 3h", "3h",
// "45m", "0m").
func short(d time.Duration) string {
	d = d.Truncate(time.Minute)
	days, hours, minutes := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && minutes > 0:
		return fmt.Sprintf("%dh%02dm", hours, minutes)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", minutes)
}

// queuePage is the landing page.
func (c *Console) queuePage(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	c.queue(w, r, s, "", http.StatusOK)
}

// queue renders the queue for s, with refusal (when not "": a filter or
// a report the API refused) shown above it under status.
func (c *Console) queue(w http.ResponseWriter, r *http.Request, s *session, refusal string, status int) {
	f := filterOf(r)
	q, err := c.load(r.Context(), s, f)
	if err != nil {
		if !c.alive(s) {
			// The token was taken out of the config: sign in again.
			http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
			return
		}
		if refusal == "" && f != (filter{Status: "active", Page: 1}) {
			// The API refused the filter: say so over the default list.
			r.URL.RawQuery = ""
			c.queue(w, r, s, "the filter was refused: "+err.Error(), http.StatusBadRequest)
			return
		}
		http.Error(w, "the queue could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	q.Error, q.Form = refusal, map[string]string{}
	if refusal != "" && r.Method == http.MethodPost {
		for _, k := range []string{"title", "description", "severity", "reporter", "host", "occurred_at"} {
			q.Form[k] = r.PostFormValue(k)
		}
	}
	c.renderStatus(w, "queue.html", q, status)
}

// events streams the queue's table whenever it changes (Server-Sent
// Events, event "queue"); the page swaps it in without a reload.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	s, ok := c.current(r)
	if !ok {
		http.Error(w, "sign in", http.StatusUnauthorized)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	// A session holds a few streams (a few tabs), not every slot.
	key := streamKey(s, r)
	c.mu.Lock()
	mine := c.perSession[key]
	if mine < maxStreamsPerSession {
		c.perSession[key] = mine + 1
	}
	c.mu.Unlock()
	if mine >= maxStreamsPerSession {
		w.Header().Set("Retry-After", "10")
		http.Error(w, "this session has too many live streams open (close a tab); retrying", http.StatusServiceUnavailable)
		return
	}
	defer func() {
		c.mu.Lock()
		if c.perSession[key]--; c.perSession[key] <= 0 {
			delete(c.perSession, key)
		}
		c.mu.Unlock()
	}()
	select {
	case c.streams <- struct{}{}:
		defer func() { <-c.streams }()
	default:
		// Every slot taken: the page keeps working, and its stream
		// retries; connections stay free for the API and /metrics.
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many live streams open; retrying", http.StatusServiceUnavailable)
		return
	}
	f := filterOf(r)
	end := time.NewTimer(streamLifetime)
	defer end.Stop()
	// The server's write deadline does not apply to a stream.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	tick := time.NewTicker(eventsInterval)
	defer tick.Stop()
	var last []byte
	for {
		if !c.alive(s) {
			return // signed out, expired, or the token was taken out of the config
		}
		q, err := c.load(r.Context(), s, f)
		if err == nil {
			var buf bytes.Buffer
			if err := c.pages.ExecuteTemplate(&buf, "rows", q); err != nil {
				c.opts.Logger.Error("console template", "page", "rows", "err", err)
				return
			}
			if !bytes.Equal(buf.Bytes(), last) {
				last = buf.Bytes()
				// visible leaves no carriage return: only \n ends a line.
				rows := string(visible(buf.Bytes()))
				var ev strings.Builder
				ev.WriteString("event: queue\n")
				for _, line := range strings.Split(strings.TrimRight(rows, "\n"), "\n") {
					ev.WriteString("data: " + line + "\n")
				}
				ev.WriteString("\n")
				if _, err := w.Write([]byte(ev.String())); err != nil {
					return
				}
				flusher.Flush()
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case <-end.C:
			return // the browser reconnects
		case <-tick.C:
		}
	}
}

// streamKey is whose live streams a request's counts among: its
// session's, or for an anonymous reader its address's.
func streamKey(s *session, r *http.Request) string {
	if s != nil {
		return "s:" + s.csrf
	}
	return "a:" + clientAddr(r)
}
