package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// incidentPage is the incident screen's content.
type incidentPage struct {
	httpapi.IncidentDetail
	Who, Role, CSRF string
	Signed          bool
	// CanRespond and CanNote say which forms the person's role may use
	// (the API decides again on each).
	CanRespond, CanNote bool
	// Error is the API's refusal of the last change, shown above the
	// forms; Status its HTTP status.
	Error  string
	Status int
}

// incidentID reads the {id} of the path.
func incidentID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// showIncident is the incident screen.
func (c *Console) showIncident(w http.ResponseWriter, r *http.Request) {
	s, ok := c.current(r)
	if !ok {
		http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
		return
	}
	id, ok := incidentID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	c.incident(w, r, s, id, "", http.StatusOK)
}

// incident renders incident id as the API shows it to s, with refusal
// (when not "") shown above the forms under status.
func (c *Console) incident(w http.ResponseWriter, r *http.Request, s *session, id int64, refusal string, status int) {
	p := incidentPage{Error: refusal, Status: status}
	code, err := c.call(r.Context(), s, "GET", fmt.Sprintf("/api/v1/incidents/%d", id), nil, &p.IncidentDetail)
	if err != nil {
		if code == http.StatusNotFound {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "the incident could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	if s != nil {
		p.Who, p.Role, p.CSRF, p.Signed = s.principal, s.role, s.csrf, true
		p.CanRespond = httpapi.Allows(s.role, httpapi.PermRespond)
		p.CanNote = httpapi.Allows(s.role, httpapi.PermNote)
	} else {
		p.Who = "anonymous (the API's anonymous_role)"
	}
	c.renderStatus(w, "incident.html", p, status)
}

// change is a form that changes an incident: it checks the session and
// the form's CSRF token, sends the API request that do builds, and shows
// the incident again, with the API's refusal when there is one.
func (c *Console) change(do func(r *http.Request) (method, path string, body any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, _ := c.current(r)
		if s == nil {
			http.Error(w, "sign in to change an incident", http.StatusForbidden)
			return
		}
		if !c.csrfOK(s, r) {
			http.Error(w, "the form is stale or forged (CSRF token): reload the page", http.StatusForbidden)
			return
		}
		id, ok := incidentID(r)
		if !ok {
			http.NotFound(w, r)
			return
		}
		method, path, body := do(r)
		code, err := c.call(r.Context(), s, method, fmt.Sprintf("/api/v1/incidents/%d/%s", id, path), body, nil)
		if err != nil {
			status := code
			if status == 0 || errors.Is(err, r.Context().Err()) {
				status = http.StatusBadGateway
			}
			c.incident(w, r, s, id, err.Error(), status)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/console/incidents/%d", id), http.StatusSeeOther)
	}
}

// transition moves the incident to the status of the button pressed.
func transition(r *http.Request) (string, string, any) {
	return "POST", "transition", httpapi.TransitionRequest{
		To:         incidents.Status(r.PostFormValue("to")),
		Reason:     strings.TrimSpace(r.PostFormValue("reason")),
		Resolution: strings.TrimSpace(r.PostFormValue("resolution")),
	}
}

// note adds a note or a decision to the timeline.
func note(r *http.Request) (string, string, any) {
	kind := "note"
	if r.PostFormValue("kind") == "decision" {
		kind = "decision"
	}
	return "POST", "notes", httpapi.NoteRequest{Kind: kind, Text: strings.TrimSpace(r.PostFormValue("text"))}
}
