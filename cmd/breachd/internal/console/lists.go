package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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
	Zone        string
	// Page is the page shown (from 1); Prev and Next the pages around
	// it, 0 when there is none.
	Page, Prev, Next int
}

// obligationsPerPage is how many notices one page of the notices screen
// lists.
const obligationsPerPage = 50

func (c *Console) showObligations(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	c.obligations(w, r, s, 0, "", http.StatusOK)
}

func (c *Console) obligations(w http.ResponseWriter, r *http.Request, s *session, _ int64, refusal string, status int) {
	page := 1
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 1 && n <= 100000 {
		page = n
	}
	var list httpapi.ObligationList
	q := fmt.Sprintf("/api/v1/obligations?limit=%d&offset=%d", obligationsPerPage+1, (page-1)*obligationsPerPage)
	if _, err := c.call(r.Context(), s, "GET", q, nil, &list); err != nil {
		http.Error(w, "the notices could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	next := 0
	if len(list.Obligations) > obligationsPerPage {
		list.Obligations, next = list.Obligations[:obligationsPerPage], page+1
	}
	p := obligationsPage{who: whoOf(s), Obligations: list.Obligations, Error: refusal, Zone: c.loc().String(),
		Decisions: []string{string(incidents.ObligationApproved), string(incidents.ObligationSent), string(incidents.ObligationNotRequired)}}
	p.Page, p.Prev, p.Next = page, page-1, next
	p.CanDecide = s != nil && httpapi.Allows(s.role, httpapi.PermNotify)
	c.renderStatus(w, "obligations.html", p, status)
}

// containmentPage is the containment screen: what is in force, and the
// runs waiting for approval.
type containmentPage struct {
	who
	Containments []incidents.Containment
	Runs         []incidents.ActionRun
	// DryRuns are the latest runs a rule in dry-run mode recorded (what
	// it would have done); Unknown the runs a person must settle.
	DryRuns, Unknown []incidents.ActionRun
	CanRespond       bool
	Error            string
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
	var dry, unknown httpapi.ApprovalList
	for _, l := range []struct {
		state string
		into  *httpapi.ApprovalList
	}{{"dry_run", &dry}, {"unknown", &unknown}} {
		if _, err := c.call(r.Context(), s, "GET", "/api/v1/actions?limit=100&state="+l.state, nil, l.into); err != nil {
			http.Error(w, "the runs could not be read: "+err.Error(), http.StatusBadGateway)
			return
		}
	}
	p := containmentPage{who: whoOf(s), Containments: in.Containments, Runs: runs.Runs, DryRuns: dry.Runs, Unknown: unknown.Runs, Error: refusal}
	p.CanRespond = s != nil && httpapi.Allows(s.role, httpapi.PermRespond)
	c.renderStatus(w, "containment.html", p, status)
}

// backTo goes back to a list page after a change.
func backTo(page string) func(*http.Request, int64) string {
	return func(*http.Request, int64) string { return page }
}

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

// chainCheck is the hash chains' verification as a page shows it:
// Checked when it was asked for (a walk of every entry), OK when both
// chains verified.
type chainCheck struct {
	Checked  bool
	Verified incidents.Verification
	OK       bool
}

// verify walks the hash chains through the API.
func (c *Console) verify(r *http.Request, s *session) (chainCheck, error) {
	var v incidents.Verification
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/register/verify", nil, &v); err != nil {
		return chainCheck{}, err
	}
	return chainCheck{Checked: true, Verified: v, OK: v.OK()}, nil
}

// registerPage is the Data Breach Register screen: every entry of the
// chain, with the chains' verification when asked for.
type registerPage struct {
	who
	Entries []incidents.RegisterEntry
	chainCheck
	Kinds       []string
	CanRegister bool
	Error       string
	Form        map[string]string
}

func (c *Console) showRegister(w http.ResponseWriter, r *http.Request) {
	s, ok := c.signedIn(w, r)
	if !ok {
		return
	}
	c.register(w, r, s, 0, "", http.StatusOK)
}

// register renders the register screen, with refusal (when not "")
// shown above its form under status.
func (c *Console) register(w http.ResponseWriter, r *http.Request, s *session, _ int64, refusal string, status int) {
	var list httpapi.RegisterList
	if _, err := c.call(r.Context(), s, "GET", "/api/v1/register", nil, &list); err != nil {
		http.Error(w, "the register could not be read: "+err.Error(), http.StatusBadGateway)
		return
	}
	p := registerPage{who: whoOf(s), Entries: list.Entries, Error: refusal, Form: map[string]string{},
		Kinds: []string{incidents.RegisterCorrection, incidents.RegisterNearMiss}}
	if refusal != "" {
		for _, k := range []string{"kind", "supersedes", "incident", "nature", "categories", "subjects", "records", "risk",
			"consequences", "measures", "notified", "reason"} {
			p.Form[k] = r.PostFormValue(k)
		}
	} else if r.URL.Query().Get("verify") != "" {
		var err error
		if p.chainCheck, err = c.verify(r, s); err != nil {
			http.Error(w, "the chains could not be verified: "+err.Error(), http.StatusBadGateway)
			return
		}
	}
	p.CanRegister = s != nil && httpapi.Allows(s.role, httpapi.PermRegister)
	c.renderStatus(w, "register.html", p, status)
}

// registerEntry is the DPO's entry: a correction that supersedes an
// entry (a field left empty is carried forward from it), or an entry of
// its own (a near miss). A count or number that is none is refused by
// the console.
func registerEntry(r *http.Request, _ int64) (string, any) {
	req := httpapi.RegisterRequest{Kind: r.PostFormValue("kind"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	text := func(k string) *string {
		if v := strings.TrimSpace(r.PostFormValue(k)); v != "" {
			return &v
		}
		return nil
	}
	var err error
	for _, f := range []struct {
		k    string
		into **int64
	}{{"supersedes", &req.Supersedes}, {"incident", &req.IncidentID}, {"subjects", &req.Record.DataSubjects}, {"records", &req.Record.Records}} {
		if *f.into, err = formCount(r, f.k); err != nil {
			return "/api/v1/register", err
		}
	}
	rec := &req.Record
	rec.Nature, rec.Consequences, rec.Measures, rec.Notified = text("nature"), text("consequences"), text("measures"), text("notified")
	if v := text("categories"); v != nil {
		var cats []string
		for _, c := range strings.Split(*v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				cats = append(cats, c)
			}
		}
		rec.DataCategories = &cats
	}
	if v := text("risk"); v != nil {
		risk := incidents.Risk(*v)
		rec.Risk = &risk
	}
	return "/api/v1/register", req
}

// registerExport is the register as a download: CSV (the columns of
// breachd register export, with the chain fields) or JSON (as the API
// gives it), by the path's suffix.
func (c *Console) registerExport(w http.ResponseWriter, r *http.Request) {
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
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasSuffix(r.URL.Path, ".csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="breachd-register.csv"`)
		_ = incidents.WriteRegisterCSV(w, list.Entries)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="breachd-register.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(list.Entries)
}
