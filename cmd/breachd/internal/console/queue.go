package console

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/breachd/breachd/incidents"
)

// queueLimit is how many active incidents the queue shows.
const queueLimit = 200

// row is one incident of the queue.
type row struct {
	Incident  incidents.Incident
	Next      *incidents.Obligation // the undecided notice due soonest, nil when none has a due time
	Undecided int                   // its undecided notices
	Left      string                // time to Next's due time, "OVERDUE 2h" past it
	Overdue   bool
	Awaiting  bool // a notice or an action waits for approval
}

// queue is the queue screen's content.
type queue struct {
	who
	Rows    []row
	Updated string
}

// load reads the queue through the API: the active incidents, the
// undecided notices and the runs waiting for approval, the incidents with
// the nearest due time first, then the most recently seen.
func (c *Console) load(ctx context.Context, s *session) (*queue, error) {
	var list struct {
		Incidents []incidents.Incident `json:"incidents"`
	}
	q := url.Values{"status": {"active"}, "limit": {fmt.Sprint(queueLimit)}}
	if _, err := c.call(ctx, s, "GET", "/api/v1/incidents?"+q.Encode(), nil, &list); err != nil {
		return nil, err
	}
	var obs struct {
		Obligations []incidents.Obligation `json:"obligations"`
	}
	if _, err := c.call(ctx, s, "GET", "/api/v1/obligations", nil, &obs); err != nil {
		return nil, err
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
		}
		if o.DueAt != nil && (r.Next == nil || o.DueAt.Before(*r.Next.DueAt)) {
			o := o
			r.Next = &o
		}
	}
	for _, run := range runs.Runs {
		if i, ok := index[run.IncidentID]; ok {
			rows[i].Awaiting = true
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
	slices.SortStableFunc(rows, func(a, b row) int {
		switch {
		case a.Next != nil && b.Next != nil:
			if c := a.Next.DueAt.Compare(*b.Next.DueAt); c != 0 {
				return c
			}
		case a.Next != nil:
			return -1
		case b.Next != nil:
			return 1
		}
		return b.Incident.LastSeen.Compare(a.Incident.LastSeen)
	})
	return &queue{who: whoOf(s), Rows: rows, Updated: now.In(c.opts.Location).Format("15:04:05 MST")}, nil
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
	q, err := c.load(r.Context(), s)
	if err != nil {
		if !c.alive(s) {
			// The token was taken out of the config: sign in again.
			http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
			return
		}
		http.Error(w, "the queue could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	c.render(w, "queue.html", q)
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
		q, err := c.load(r.Context(), s)
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
