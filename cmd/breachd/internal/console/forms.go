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

// formError is a form's field the console cannot read (a time that is
// no time, a count that is no number): a builder returns it as the body,
// and the form is refused with it before any request to the API.
type formError string

func (e formError) Error() string { return string(e) }

// formTime reads an RFC 3339 time from a form field; empty is the zero
// time (the API then takes now, or asks for it, with its words).
func formTime(r *http.Request, k string) (time.Time, error) {
	v := strings.TrimSpace(r.PostFormValue(k))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, formError(fmt.Sprintf("%s: %q is not a time; write it as RFC 3339, e.g. 2026-11-23T10:00:00Z or 2026-11-23T04:00:00-06:00", k, v))
	}
	return t, nil
}

// formCount reads a count (0 or more) from a form field; empty is nil.
func formCount(r *http.Request, k string) (*int64, error) {
	v := strings.TrimPrefix(strings.TrimSpace(r.PostFormValue(k)), "#")
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return nil, formError(fmt.Sprintf("%s: %q is not a number, 0 or more", k, v))
	}
	return &n, nil
}

// formIDs reads a list of ids separated by commas or spaces.
func formIDs(r *http.Request, k string) ([]int64, error) {
	var out []int64
	for _, w := range strings.FieldsFunc(r.PostFormValue(k), func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64)
		if err != nil || n < 1 {
			return nil, formError(fmt.Sprintf("%s: %q is not an incident's number", k, w))
		}
		out = append(out, n)
	}
	return out, nil
}

// merge folds the listed incidents into this one.
func merge(r *http.Request) any {
	from, err := formIDs(r, "from")
	if err != nil {
		return err
	}
	return httpapi.MergeRequest{From: from, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// removal records that the sensitive data an incident found was removed.
func removal(r *http.Request) any {
	at, err := formTime(r, "at")
	if err != nil {
		return err
	}
	return httpapi.RemovalRequest{Reason: strings.TrimSpace(r.PostFormValue("reason")), Removal: incidents.Removal{
		Customer: strings.TrimSpace(r.PostFormValue("customer")), RemovedBy: strings.TrimSpace(r.PostFormValue("removed_by")),
		At: at, What: strings.TrimSpace(r.PostFormValue("what")),
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
			r.PostForm = url.Values{"reason": {reason}}
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
		r.PostForm = url.Values{"reason": {reason}} // given back if refused
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
	t, err := formTime(r, "occurred_at")
	if err != nil {
		c.queue(w, r, s, "400 Bad Request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !t.IsZero() {
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

// typed is what a refused form held (its first value of each field but
// the CSRF token), given back to it; nothing when it was not refused.
func typed(r *http.Request, refusal string) map[string]string {
	out := map[string]string{}
	if refusal == "" || r.Method != http.MethodPost {
		return out
	}
	for k, v := range r.PostForm {
		if k != "csrf" && len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// openUpdate opens the next update of a sent notice (GDPR Art. 33(4))
// and goes to it: a new obligation, approved and sent like the first.
func (c *Console) openUpdate(w http.ResponseWriter, r *http.Request) {
	s, _ := c.current(r)
	if s == nil {
		http.Error(w, "sign in to change anything", http.StatusForbidden)
		return
	}
	if !c.formOK(w, r, s) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	var o incidents.Obligation
	code, err := c.call(r.Context(), s, "POST", fmt.Sprintf("/api/v1/obligations/%d/update", id),
		httpapi.UpdateRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}, &o)
	if err != nil {
		if code == 0 {
			code = http.StatusBadGateway
		}
		c.notice(w, r, s, id, fmt.Sprintf("%d %s: %s", code, http.StatusText(code), err), code)
		return
	}
	http.Redirect(w, r, backToNotice(r, o.ID), http.StatusSeeOther)
}
