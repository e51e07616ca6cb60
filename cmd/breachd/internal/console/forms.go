package console

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// maxSubjectsUpload caps a list of data subjects uploaded from the
// console: the API's own cap (64 MiB) and room for the form around it.
const maxSubjectsUpload = 64<<20 + 64<<10

// formTime reads an RFC 3339 time from a form field; empty is the zero
// time (the API then takes now, or refuses, with its words). A time that
// does not parse is sent as one second past the year 9999's start, which
// the API refuses as in the future, rather than as now.
func formTime(r *http.Request, k string) time.Time {
	v := strings.TrimSpace(r.PostFormValue(k))
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Date(9999, 1, 1, 0, 0, 1, 0, time.UTC)
	}
	return t
}

// formIDs reads a list of ids separated by commas or spaces; a word that
// is no id is sent as 0, which the API refuses.
func formIDs(r *http.Request, k string) []int64 {
	var out []int64
	for _, w := range strings.FieldsFunc(r.PostFormValue(k), func(r rune) bool { return r == ',' || r == ' ' }) {
		n, _ := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64)
		out = append(out, n)
	}
	return out
}

// merge folds the listed incidents into this one.
func merge(r *http.Request) any {
	return httpapi.MergeRequest{From: formIDs(r, "from"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// removal records that the sensitive data an incident found was removed.
func removal(r *http.Request) any {
	return httpapi.RemovalRequest{Reason: strings.TrimSpace(r.PostFormValue("reason")), Removal: incidents.Removal{
		Customer: strings.TrimSpace(r.PostFormValue("customer")), RemovedBy: strings.TrimSpace(r.PostFormValue("removed_by")),
		At: formTime(r, "at"), What: strings.TrimSpace(r.PostFormValue("what")),
	}}
}

// incidentOf is the incident a form of the incident screen that changes
// another record (a run, a message) comes back to: its hidden field,
// a number or nothing.
func incidentOf(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.PostFormValue("incident"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// onIncident is post for a form of the incident screen about another
// record (path: its API path for the record's id): back to the incident
// named by the form, with a refusal shown there.
func (c *Console) onIncident(path string, body func(r *http.Request) any) http.HandlerFunc {
	return c.post("POST", func(r *http.Request, id int64) (string, any) {
		return fmt.Sprintf(path, id), body(r)
	}, func(r *http.Request, _ int64) string { return fmt.Sprintf("/console/incidents/%d", incidentOf(r)) },
		func(w http.ResponseWriter, r *http.Request, s *session, _ int64, msg string, status int) {
			if id := incidentOf(r); id > 0 {
				c.incident(w, r, s, id, msg, status)
				return
			}
			http.Error(w, "Refused: "+msg, status) // a form of no incident screen
		})
}

// settle is a person's answer for a run whose outcome is unknown.
func settle(r *http.Request) any {
	return httpapi.SettleRequest{Outcome: r.PostFormValue("outcome"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		RunAgain: r.PostFormValue("run_again") == "true"}
}

// resend sends a message again.
func resend(r *http.Request) any {
	return httpapi.ResendRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// uploadSubjects sends the DPO's list of data subjects (a CSV file chosen
// in the form) to the API as text/csv, with the form's reason.
func (c *Console) uploadSubjects(w http.ResponseWriter, r *http.Request) {
	s, _ := c.current(r)
	if s == nil {
		http.Error(w, "sign in to change anything", http.StatusForbidden)
		return
	}
	id, ok := pathID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSubjectsUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, "send the list as a file of the form (multipart/form-data)", http.StatusBadRequest)
		return
	}
	// The form's fields come first (csrf, reason), the file last: the
	// token is checked before the list is read.
	var csrf, reason string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			c.incident(w, r, s, id, "choose the CSV file of the list", http.StatusBadRequest)
			return
		}
		if err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				http.Error(w, "the list is larger than 64 MiB", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "the form could not be read: "+err.Error(), http.StatusBadRequest)
			return
		}
		switch part.FormName() {
		case "csrf", "reason":
			b, err := io.ReadAll(io.LimitReader(part, 16<<10))
			if err != nil {
				http.Error(w, "the form could not be read: "+err.Error(), http.StatusBadRequest)
				return
			}
			if part.FormName() == "csrf" {
				csrf = string(b)
			} else {
				reason = strings.TrimSpace(string(b))
			}
			continue
		case "list":
		default:
			continue
		}
		if !csrfOK(csrf, s) {
			http.Error(w, "the form is stale or forged (CSRF token): reload the page", http.StatusForbidden)
			return
		}
		var up httpapi.SubjectsUploaded
		code, err := c.send(r.Context(), s, "POST", fmt.Sprintf("/api/v1/incidents/%d/subjects?reason=%s", id, url.QueryEscape(reason)), "text/csv", part, &up)
		if err != nil {
			if code == 0 {
				code = http.StatusBadGateway
			}
			c.incident(w, r, s, id, fmt.Sprintf("%d %s: %s", code, http.StatusText(code), err), code)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/console/incidents/%d?subjects=%d", id, up.Subjects), http.StatusSeeOther)
		return
	}
}

// openIncident opens an incident by hand (a customer's report, a
// finding no rule made) and goes to it.
func (c *Console) openIncident(w http.ResponseWriter, r *http.Request) {
	s, _ := c.current(r)
	if s == nil {
		http.Error(w, "sign in to change anything", http.StatusForbidden)
		return
	}
	if !c.formOK(w, r, s) {
		return
	}
	rep := incidents.ManualReport{Title: strings.TrimSpace(r.PostFormValue("title")), Description: strings.TrimSpace(r.PostFormValue("description")),
		Severity: r.PostFormValue("severity"), Reporter: strings.TrimSpace(r.PostFormValue("reporter")), Host: strings.TrimSpace(r.PostFormValue("host"))}
	if t := formTime(r, "occurred_at"); !t.IsZero() {
		rep.OccurredAt = &t
	}
	var d httpapi.IncidentDetail
	code, err := c.call(r.Context(), s, "POST", "/api/v1/incidents", rep, &d)
	if err != nil {
		if code == 0 {
			code = http.StatusBadGateway
		}
		c.queue(w, r, s, fmt.Sprintf("%d %s: %s", code, http.StatusText(code), err), code)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/console/incidents/%d", d.Incident.ID), http.StatusSeeOther)
}
