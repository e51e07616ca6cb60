package console

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// incidentPage is the incident screen's content.
type incidentPage struct {
	httpapi.IncidentDetail
	who
	// CanRespond, CanNote and CanAssess say which forms the person's role
	// may use (the API decides again on each).
	CanRespond, CanNote, CanAssess, CanClocks, CanNotify, CanMerge, CanSubjects bool
	// Chain is the hash chains' verification, when asked for (?verify=1:
	// a walk of every entry); Head the incident's last timeline entry.
	Chain chainCheck
	Head  *incidents.TimelineEntry
	// Uploaded is the count of data subjects a list just uploaded held.
	Uploaded                 string
	Risks, Effects, CausedBy []string
	HasEffect                map[string]bool
	// Error is the API's refusal of the last change, shown above the
	// forms; Status its HTTP status; Form what was typed, given back.
	Error  string
	Status int
	Form   map[string]string
	// Open is the form that was refused (the last part of its path):
	// it is shown open, with what was typed.
	Open string
	// EffectsWas is the facts' effects as the form shows them, sent back
	// with it: the effects change only when the boxes were changed.
	EffectsWas string
}

// Typed is what was typed into field key of form, when that form was
// refused ("" otherwise: another form's fields are not filled in).
func (p incidentPage) Typed(form, key string) string {
	if p.Open != form {
		return ""
	}
	return p.Form[key]
}

// Fact is the value the facts form shows for key: what was typed when
// the form was refused, else the fact as it is.
func (p incidentPage) Fact(key, current string) string {
	if p.Open == "facts" {
		return p.Form[key]
	}
	return current
}

// pathID reads the {id} of the path (an incident's, an obligation's, a
// containment's, a run's).
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// signedInAt is signedIn for a page of one record: its {id}, or 404.
func (c *Console) signedInAt(w http.ResponseWriter, r *http.Request) (*session, int64, bool) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return nil, 0, false
	}
	id, ok := pathID(r)
	if !ok {
		http.NotFound(w, r)
	}
	return s, id, ok
}

// showIncident is the incident screen.
func (c *Console) showIncident(w http.ResponseWriter, r *http.Request) {
	s, id, ok := c.signedInAt(w, r)
	if !ok {
		return
	}
	c.incident(w, r, s, id, "", http.StatusOK)
}

// incident renders incident id as the API shows it to s, with refusal
// (when not "") shown above the forms under status.
func (c *Console) incident(w http.ResponseWriter, r *http.Request, s *session, id int64, refusal string, status int) {
	p := incidentPage{Error: refusal, Status: status, Form: typed(r, refusal)}
	if refusal != "" {
		p.Open = path.Base(r.URL.Path)
	}
	code, err := c.call(r.Context(), s, "GET", fmt.Sprintf("/api/v1/incidents/%d", id), nil, &p.IncidentDetail)
	if err != nil {
		if code == http.StatusNotFound {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "the incident could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	p.who = whoOf(s)
	if n := len(p.Timeline); n > 0 {
		p.Head = &p.Timeline[n-1]
	}
	if refusal == "" && r.URL.Query().Get("verify") != "" {
		if p.Chain, err = c.verify(r, s); err != nil {
			http.Error(w, "the chains could not be verified: "+err.Error(), http.StatusBadGateway)
			return
		}
	}
	if refusal == "" {
		p.Uploaded = r.URL.Query().Get("subjects")
		if _, err := strconv.Atoi(p.Uploaded); err != nil {
			p.Uploaded = ""
		}
	}
	if s != nil {
		p.CanRespond = httpapi.Allows(s.role, httpapi.PermRespond)
		p.CanNote = httpapi.Allows(s.role, httpapi.PermNote)
		p.CanAssess = httpapi.Allows(s.role, httpapi.PermAssess)
		p.CanClocks = httpapi.Allows(s.role, httpapi.PermClocks)
		p.CanNotify = httpapi.Allows(s.role, httpapi.PermNotify)
		p.CanMerge = httpapi.Allows(s.role, httpapi.PermMerge)
		p.CanSubjects = httpapi.Allows(s.role, httpapi.PermSubjects)
	}
	p.Effects, p.CausedBy, p.HasEffect = incidents.EffectChoices(), incidents.CausedByChoices(), map[string]bool{}
	effects := p.Incident.Facts.Effects
	if p.Open == "facts" {
		effects = r.PostForm["effects"] // as typed
	}
	for _, e := range effects {
		p.HasEffect[e] = true
	}
	p.EffectsWas = strings.Join(p.Incident.Facts.Effects, ",")
	p.Risks = []string{string(incidents.RiskNone), string(incidents.RiskRisk), string(incidents.RiskHigh)}
	c.renderStatus(w, "incident.html", p, status)
}

// post is a form that changes something through the API: it checks the
// session and the form's CSRF token, sends the request build makes for
// the path's {id} (its API path and body), and goes back to back(id), or,
// when the API refuses, shows the page again with the API's words
// (refused).
func (c *Console) post(method string, build func(r *http.Request, id int64) (string, any), back func(*http.Request, int64) string,
	refused func(w http.ResponseWriter, r *http.Request, s *session, id int64, msg string, status int)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, _ := c.current(r)
		if s == nil {
			http.Error(w, "sign in to change anything", http.StatusForbidden)
			return
		}
		if !c.formOK(w, r, s) {
			return
		}
		id, ok := pathID(r)
		if !ok && r.PathValue("id") != "" {
			http.NotFound(w, r)
			return
		}
		path, body := build(r, id)
		if fe, ok := body.(formError); ok {
			refused(w, r, s, id, fmt.Sprintf("%d %s: %s", http.StatusBadRequest, http.StatusText(http.StatusBadRequest), fe), http.StatusBadRequest)
			return
		}
		code, err := c.call(r.Context(), s, method, path, body, nil)
		if err != nil {
			status := code
			if status == 0 || errors.Is(err, r.Context().Err()) {
				status = http.StatusBadGateway
			}
			refused(w, r, s, id, fmt.Sprintf("%d %s: %s", status, http.StatusText(status), err), status)
			return
		}
		http.Redirect(w, r, back(r, id), http.StatusSeeOther)
	}
}

// incidentPost is a form of the incident screen: to the incident's own
// API path (what: transition, notes).
func (c *Console) incidentPost(what string, body func(r *http.Request) any) http.HandlerFunc {
	return c.incidentForm("POST", what, body)
}

// incidentForm is incidentPost with another method (PUT for scope, facts
// and clocks).
func (c *Console) incidentForm(method, what string, body func(r *http.Request) any) http.HandlerFunc {
	return c.post(method, func(r *http.Request, id int64) (string, any) {
		return fmt.Sprintf("/api/v1/incidents/%d/%s", id, what), body(r)
	}, backToIncident, c.incident)
}

// backToIncident goes back to the incident screen after a change.
func backToIncident(_ *http.Request, id int64) string {
	return fmt.Sprintf("/console/incidents/%d", id)
}

// transition moves the incident to the status of the button pressed.
func transition(r *http.Request) any {
	return httpapi.TransitionRequest{
		To:         incidents.Status(r.PostFormValue("to")),
		Reason:     strings.TrimSpace(r.PostFormValue("reason")),
		Resolution: strings.TrimSpace(r.PostFormValue("resolution")),
	}
}

// note adds a note or a decision to the timeline.
func note(r *http.Request) any {
	kind := "note"
	if r.PostFormValue("kind") == "decision" {
		kind = "decision"
	}
	return httpapi.NoteRequest{Kind: kind, Text: strings.TrimSpace(r.PostFormValue("text"))}
}

// assess records a person's risk decision: the risk, whether personal
// data was affected (unset: from the scope), why, and for the register
// the consequences and measures.
func assess(r *http.Request) any {
	req := httpapi.AssessRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	req.Risk = incidents.Risk(r.PostFormValue("risk"))
	switch r.PostFormValue("personal_data") {
	case "true":
		t := true
		req.PersonalData = &t
	case "false":
		f := false
		req.PersonalData = &f
	}
	req.Consequences = strings.TrimSpace(r.PostFormValue("consequences"))
	req.Measures = strings.TrimSpace(r.PostFormValue("measures"))
	return req
}

// showNotice is an obligation's notice as it would be sent, with what it
// lacks, and the forms that decide it or record how it was given.
func (c *Console) showNotice(w http.ResponseWriter, r *http.Request) {
	s, id, ok := c.signedInAt(w, r)
	if !ok {
		return
	}
	c.notice(w, r, s, id, "", http.StatusOK)
}

// noticePage is the notice screen's content.
type noticePage struct {
	who
	httpapi.NoticeDetail
	Decisions []string
	CanDecide bool
	// Party is the recipient's party: "public" (a publication is
	// recorded), a number (one data subject: a posting), else a call.
	Public, Subject bool
	// Updatable says a sent notice takes an update (not one to the data
	// subjects).
	Updatable bool
	Error     string
	Status    int
	// Now is the time the forms offer for when a notice was given: now,
	// up to the next whole second (a time typed in seconds is not
	// before the incident's discovery a moment ago), in the
	// organisation's time zone.
	Now string
	// Form and Open are what a refused form held, and which form.
	Form map[string]string
	Open string
	// Deliveries are the notice's messages (an e-mail refused for good
	// shows here, with the receiving server's words).
	Deliveries []incidents.Message
}

// Typed is what was typed into field key of form, when that form was
// refused ("" otherwise).
func (p noticePage) Typed(form, key string) string {
	if p.Open != form {
		return ""
	}
	return p.Form[key]
}

// At is the time a form offers: what was typed when it was refused,
// else now.
func (p noticePage) At(form string) string {
	if p.Open == form {
		return p.Form["at"]
	}
	return p.Now
}

// notice renders obligation id's notice for s, with refusal (when not "")
// shown above the forms under status.
func (c *Console) notice(w http.ResponseWriter, r *http.Request, s *session, id int64, refusal string, status int) {
	p := noticePage{who: whoOf(s), Error: refusal, Status: status, Form: typed(r, refusal),
		Decisions: []string{string(incidents.ObligationApproved), string(incidents.ObligationSent), string(incidents.ObligationNotRequired)}}
	code, err := c.call(r.Context(), s, "GET", fmt.Sprintf("/api/v1/obligations/%d/notice", id), nil, &p.NoticeDetail)
	if err != nil {
		if code == http.StatusNotFound {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "the notice could not be rendered: "+err.Error(), http.StatusBadGateway)
		return
	}
	_, party := configs.SplitRecipientKey(p.Obligation.Recipient)
	p.Public = party == incidents.PublicParty
	if _, err := strconv.ParseInt(party, 10, 64); err == nil {
		p.Subject = true
	}
	p.Updatable = !p.Public && !p.Subject
	p.CanDecide = s != nil && httpapi.Allows(s.role, httpapi.PermNotify) && (p.Obligation.Decider == "" || p.Obligation.Decider == s.role)
	now := c.opts.Now().UTC()
	if t := now.Truncate(time.Second); t.Before(now) {
		now = t.Add(time.Second)
	}
	p.Now = now.In(c.loc()).Format(time.RFC3339)
	if refusal != "" {
		p.Open = path.Base(r.URL.Path)
	}
	var d httpapi.IncidentDetail
	if _, err := c.call(r.Context(), s, "GET", fmt.Sprintf("/api/v1/incidents/%d", p.Obligation.IncidentID), nil, &d); err == nil {
		for _, m := range d.Messages {
			if m.ObligationID == p.Obligation.ID {
				p.Deliveries = append(p.Deliveries, m)
			}
		}
	}
	c.renderStatus(w, "notice.html", p, status)
}

// backToNotice goes back to the notice screen after a change.
func backToNotice(_ *http.Request, id int64) string {
	return fmt.Sprintf("/console/obligations/%d/notice", id)
}

// call records a notice given by telephone.
func call(r *http.Request) any {
	at, err := formTime(r, "at")
	if err != nil {
		return err
	}
	return incidents.PhoneCall{Caller: r.PostFormValue("caller"), Callee: r.PostFormValue("callee"), Number: r.PostFormValue("number"),
		At: at, Said: r.PostFormValue("said")}
}

// publication records a public communication.
func publication(r *http.Request) any {
	at, err := formTime(r, "at")
	if err != nil {
		return err
	}
	return incidents.Publication{PublishedBy: r.PostFormValue("published_by"), Where: r.PostFormValue("where"), At: at}
}

// posting records a notice posted to one data subject.
func posting(r *http.Request) any {
	at, err := formTime(r, "at")
	if err != nil {
		return err
	}
	return incidents.Posting{PostedBy: r.PostFormValue("posted_by"), Address: r.PostFormValue("address"), At: at}
}

// clockForm sets aware_at or occurred_at (the form's clock) to an RFC 3339
// time; the API refuses anything else, with its words.
func clockForm(r *http.Request) (string, any) {
	// An empty clock is named so that the API answers it (the role
	// check first, then "not a clock") rather than no route.
	name := cmp.Or(r.PostFormValue("clock"), "none")
	at, err := formTime(r, "at")
	if err != nil {
		return name, err
	}
	return name, httpapi.ClockRequest{At: at, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// facts sends the facts the person changed, and only those: each text
// comes with a digest of the text the form showed (was_FIELD), and a
// text left as shown is not sent, so a fact holding what a form cannot
// show as it is (a line break in an input, U+202E shown as \u202E) or
// that someone else changed meanwhile is never overwritten by the page's
// copy. The effects and the cause likewise change only when changed.
func facts(r *http.Request) any {
	patch := incidents.FactsPatch{}
	field := func(k string) *string {
		v := formText(r.PostFormValue(k))
		if digest(v) == r.PostFormValue("was_"+k) {
			return nil // as shown: unchanged
		}
		v = strings.TrimSpace(v)
		return &v
	}
	patch.Nature, patch.Consequences, patch.Measures = field("nature"), field("consequences"), field("measures")
	patch.EffectsOther, patch.DelayReason = field("effects_other"), field("delay_reason")
	if v := r.PostFormValue("caused_by"); v != r.PostFormValue("was_caused_by") {
		patch.CausedBy = &v
	}
	effects := r.PostForm["effects"]
	if effects == nil {
		effects = []string{}
	}
	if strings.Join(effects, ",") != r.PostFormValue("was_effects") {
		patch.Effects = &effects
	}
	return httpapi.FactsRequest{Reason: strings.TrimSpace(r.PostFormValue("reason")), FactsPatch: patch}
}

// shown is text as a form shows it: the characters visible rewrites as
// \uXXXX text, line breaks as the browser sends them back (\n).
func shown(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r != '\r' && hidden(r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return formText(b.String())
}

// formText is a text area's value with its line breaks as \n (browsers
// send \r\n).
func formText(v string) string {
	return strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
}

// digest is a short digest of a form's text, to tell whether it was
// changed.
func digest(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:12])
}

// scopeForm changes the fields of the scope form that were filled in; an
// empty field leaves its part of the scope as it is.
func scopeForm(r *http.Request) any {
	req := httpapi.ScopeRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	list := func(k string) []string {
		var out []string
		for _, v := range strings.Split(r.PostFormValue(k), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	flag := func(k string) *bool {
		switch r.PostFormValue(k) {
		case "true":
			t := true
			return &t
		case "false":
			f := false
			return &f
		}
		return nil
	}
	req.Assets, req.DataCategories = list("assets"), list("categories")
	var err error
	if req.DataSubjects, err = formCount(r, "subjects"); err != nil {
		return err
	}
	if req.Records, err = formCount(r, "records"); err != nil {
		return err
	}
	req.Encrypted, req.KeysExposed = flag("encrypted"), flag("keys_exposed")
	return req
}
