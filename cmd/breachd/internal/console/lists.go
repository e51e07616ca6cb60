package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// who is the signed-in person, as the pages show them.
type who struct {
	Who, Role, CSRF string
	Signed          bool
}

func whoOf(s *session) who {
	if s == nil {
		return who{Who: "anonymous (the API's anonymous_role)"}
	}
	return who{Who: s.principal, Role: s.role, CSRF: s.csrf, Signed: true}
}

// obligationsPage is the obligations screen: every undecided notice of
// every incident, soonest due first (the API's order), with time left.
type obligationsPage struct {
	who
	Obligations []incidents.Obligation
	Decisions   []string
	CanDecide   bool
	Error       string
}

func (c *Console) showObligations(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	c.obligations(w, r, s, 0, "", http.StatusOK)
}

func (c *Console) obligations(w http.ResponseWriter, r *http.Request, s *session, _ int64, refusal string, status int) {
	var list httpapi.ObligationList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/obligations", nil, &list); err != nil {
		http.Error(w, "the notices could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	p := obligationsPage{who: whoOf(s), Obligations: list.Obligations, Error: refusal,
		Decisions: []string{string(incidents.ObligationApproved), string(incidents.ObligationSent), string(incidents.ObligationNotRequired)}}
	p.CanDecide = s != nil && httpapi.Allows(s.role, httpapi.PermNotify)
	c.renderStatus(w, "obligations.html", p, status)
}

// containmentPage is the containment screen: what is in force, and the
// runs waiting for approval.
type containmentPage struct {
	who
	Containments []incidents.Containment
	Runs         []incidents.ActionRun
	CanRespond   bool
	Error        string
}

func (c *Console) showContainment(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	c.containment(w, r, s, 0, "", http.StatusOK)
}

func (c *Console) containment(w http.ResponseWriter, r *http.Request, s *session, _ int64, refusal string, status int) {
	var in httpapi.ContainmentList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/containments", nil, &in); err != nil {
		http.Error(w, "the containments could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	var runs httpapi.ApprovalList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/approvals", nil, &runs); err != nil {
		http.Error(w, "the approvals could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	p := containmentPage{who: whoOf(s), Containments: in.Containments, Runs: runs.Runs, Error: refusal}
	p.CanRespond = s != nil && httpapi.Allows(s.role, httpapi.PermRespond)
	c.renderStatus(w, "containment.html", p, status)
}

// backTo goes back to a list page after a change.
func backTo(page string) func(int64) string { return func(int64) string { return page } }

// decide records an obligation's decision.
func decide(r *http.Request, id int64) (string, any) {
	return fmt.Sprintf("/api/v1/obligations/%d/decide", id), httpapi.ObligationDecision{
		State: incidents.ObligationState(r.PostFormValue("state")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// revert lifts a containment now.
func revert(r *http.Request, id int64) (string, any) {
	return fmt.Sprintf("/api/v1/containments/%d/revert", id), httpapi.RevertRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// verdict approves or denies a run waiting for approval.
func verdict(v string) func(r *http.Request, id int64) (string, any) {
	return func(r *http.Request, id int64) (string, any) {
		return fmt.Sprintf("/api/v1/actions/%d/%s", id, v), httpapi.DecisionRequest{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	}
}

// registerPage is the Data Breach Register screen: every entry of the
// chain, with the chains' verification.
type registerPage struct {
	who
	Entries []incidents.RegisterEntry
	// Checked is set when the chains were verified (on request: a walk
	// of every entry); OK says they verified.
	Checked  bool
	Verified incidents.Verification
	OK       bool
}

func (c *Console) showRegister(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	var list httpapi.RegisterList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/register", nil, &list); err != nil {
		http.Error(w, "the register could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	p := registerPage{who: whoOf(s), Entries: list.Entries}
	if r.URL.Query().Get("verify") != "" {
		if _, err := c.call(r.Context(), s, "GET", "/api/v1/register/verify", nil, &p.Verified); err != nil {
			http.Error(w, "the chains could not be verified: "+err.Error(), http.StatusBadGateway)
			return
		}
		p.Checked, p.OK = true, p.Verified.OK()
	}
	c.render(w, "register.html", p)
}

// registerJSON is the register as the API gives it, as a download.
func (c *Console) registerJSON(w http.ResponseWriter, r *http.Request) {
	s, ok := c.current(r)
	if !ok {
		http.Error(w, "sign in", http.StatusUnauthorized)
		return
	}
	var list httpapi.RegisterList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/register", nil, &list); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="breachd-register.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(list.Entries)
}
