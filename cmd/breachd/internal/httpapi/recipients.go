package httpapi

import (
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/breachd/breachd/incidents"
)

// maxSubjectsBody caps an uploaded list of data subjects (100,000 people
// with a postal address each fit many times over).
const maxSubjectsBody = 64 << 20

// bodyLimits are the endpoints whose bodies may exceed maxBody.
var bodyLimits = map[string]int64{"/api/v1/incidents/{id}/subjects": maxSubjectsBody}

func (a *api) recordCall(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, http.StatusBadRequest, err)
		return
	}
	var call incidents.PhoneCall
	if err := decode(r, &call); err != nil {
		a.fail(w, 0, err)
		return
	}
	if err := a.mgr.MayDecide(r.Context(), id, p.Name, p.Role); err != nil {
		a.fail(w, 0, err)
		return
	}
	o, err := a.mgr.RecordCall(r.Context(), id, call, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, o)
}

func (a *api) recordPublication(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, http.StatusBadRequest, err)
		return
	}
	var pub incidents.Publication
	if err := decode(r, &pub); err != nil {
		a.fail(w, 0, err)
		return
	}
	if err := a.mgr.MayDecide(r.Context(), id, p.Name, p.Role); err != nil {
		a.fail(w, 0, err)
		return
	}
	o, err := a.mgr.RecordPublication(r.Context(), id, pub, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, o)
}

func (a *api) recordPosting(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, http.StatusBadRequest, err)
		return
	}
	var post incidents.Posting
	if err := decode(r, &post); err != nil {
		a.fail(w, 0, err)
		return
	}
	if err := a.mgr.MayDecide(r.Context(), id, p.Name, p.Role); err != nil {
		a.fail(w, 0, err)
		return
	}
	o, err := a.mgr.RecordPosting(r.Context(), id, post, p.Name)
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.reply(w, http.StatusOK, o)
}

// SubjectsUploaded is the body of POST /api/v1/incidents/{id}/subjects:
// the count, never the list.
type SubjectsUploaded struct {
	IncidentID int64 `json:"incident_id"`
	Subjects   int   `json:"subjects"`
}

func (a *api) uploadSubjects(w http.ResponseWriter, r *http.Request, p principal) {
	id, err := pathID(r, "id")
	if err != nil {
		a.fail(w, http.StatusBadRequest, err)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		a.fail(w, http.StatusBadRequest, fmt.Errorf("%w: send the list as text/csv with a header row name,email,address", incidents.ErrInvalid))
		return
	}
	n, err := a.mgr.UploadSubjects(r.Context(), id, r.Body, r.URL.Query().Get("reason"), p.Name)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = fmt.Errorf("%w: the list is over %d bytes", errTooLarge, maxSubjectsBody)
	}
	if err != nil {
		a.fail(w, 0, err)
		return
	}
	a.logger.Info("list of data subjects uploaded", "incident", id, "subjects", n, "principal", p.Name)
	a.reply(w, http.StatusOK, SubjectsUploaded{IncidentID: id, Subjects: n})
}
