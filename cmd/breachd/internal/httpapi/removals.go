package httpapi

import (
	"net/http"

	"github.com/breachd/breachd/incidents"
)

// RemovalRequest is the body of POST /api/v1/incidents/{id}/removals: the
// sensitive data the incident found was removed, by the customer or by
// the company, at a time (now when omitted), and what was removed where.
// The principal making the request is recorded as the person who did it.
type RemovalRequest struct {
	incidents.Removal
	Reason string `json:"reason"`
}

func (a *api) removal(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	var req RemovalRequest
	if err := decode(r, &req); err != nil {
		a.fail(w, 0, err)
		return
	}
	e, err := a.mgr.RecordRemoval(r.Context(), id, req.Removal, req.Reason, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusCreated, e)
}
