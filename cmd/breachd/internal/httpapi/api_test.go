package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
	"github.com/breachd/breachd/rules"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// fixture is an API on a real SQLite store with one token per role and a
// clock the test moves.
type fixture struct {
	t        *testing.T
	store    *sqlstore.Store
	mgr      *incidents.Manager
	srv      *httptest.Server
	now      time.Time
	router   routers.Router
	doc      *openapi3.T
	fp       int
	policies *incidents.Policies
}

func tokenFor(role string) string { return "token-of-" + role }

func newFixture(t *testing.T, anonymous string) *fixture {
	t.Helper()
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{t: t, store: store, now: t0}
	var tokens []*configs.Token
	for _, role := range configs.TokenRoles() {
		tokens = append(tokens, &configs.Token{Principal: "the-" + role, Role: role, SHA256: sha256.Sum256([]byte(tokenFor(role)))})
	}
	reg := prometheus.NewRegistry()
	pcfg, diags := configs.Parse("p.hcl", []byte(`incidents {
  policy_packs = ["gdpr"]
}
organisation {
  name = "Acme Ltd"
}`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	f.policies, _ = incidents.CompilePolicies(pcfg)
	f.mgr = incidents.NewManager(incidents.Options{
		Policies: f.policies, Config: pcfg,
		Store: store, Now: func() time.Time { return f.now }, Registerer: reg, Rules: []string{"ssh"},
		Policy: configs.Incidents{CostPerRecord: 225, Currency: "USD", EvidenceLines: 5, Retention: configs.DefaultRetention,
			HighRiskCategories: configs.DefaultHighRiskCategories(), HighRiskSubjects: 1000},
		Assets: []*configs.Asset{{Name: "crm", Hosts: []string{"web1"}, DataCategories: []string{"email"}, DataSubjects: 10, Records: 40, Role: "controller"}},
	})
	// The runner's revert acts on the kernel and is tested in package
	// actions; here it is the API's part that is tested, so the revert
	// only ends the containment in the store, as the runner does last.
	revert := func(ctx context.Context, id int64, reason, actor string) error {
		return store.EndContainment(ctx, id, incidents.ContainmentReverted, "by hand: "+reason, incidents.Change{Actor: actor, Reason: reason, At: f.now})
	}
	// Likewise the runner's Decide is the store's plus a wake-up.
	decide := func(ctx context.Context, id int64, approve bool, reason, actor string) (incidents.ActionRun, error) {
		return store.Decide(ctx, id, approve, incidents.Change{Actor: actor, Reason: reason, At: f.now})
	}
	settle := func(ctx context.Context, id int64, to incidents.ActionState, reason, actor string) (incidents.ActionRun, error) {
		return store.Settle(ctx, id, to, incidents.Change{Actor: actor, Reason: reason, At: f.now})
	}
	f.srv = httptest.NewServer(New(Options{Manager: f.mgr, Gatherer: reg, Tokens: tokens, AnonymousRole: anonymous, Revert: revert, Decide: decide, Settle: settle}))
	t.Cleanup(f.srv.Close)
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	f.doc = doc
	if f.router, err = legacy.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return f
}

// incident opens an incident from a finding of rule ssh on host web1.
func (f *fixture) incident() int64 {
	f.t.Helper()
	f.fp++
	ip := fmt.Sprintf("203.0.113.%d", f.fp)
	err := f.mgr.HandleFindings(context.Background(), []rules.Finding{{
		Rule: "ssh", Severity: configs.SeverityHigh, Category: "unauthorized-access", Title: "SSH brute force from " + ip,
		Fingerprint: "ssh/ip=" + ip, GroupKey: "ip=" + ip, Fields: map[string]string{"ip": ip, "host": "web1"},
		Time: f.now, Count: 5, Evidence: "Failed password for root from " + ip,
	}}, incidents.Progress{})
	if err != nil {
		f.t.Fatal(err)
	}
	list, err := f.store.List(context.Background(), incidents.ListOptions{Limit: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	return list[0].ID
}

// withRun opens an incident whose block action is pending and returns
// the run.
func (f *fixture) withRun() incidents.ActionRun {
	f.t.Helper()
	ctx := context.Background()
	f.fp++
	out, err := f.store.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: fmt.Sprintf("ssh/r%d", f.fp), Rule: "ssh", Fields: map[string]string{"ip": "203.0.113.50"},
			FindingCount: 1, FirstSeen: f.now, LastSeen: f.now},
		Actions: []string{"block"},
	}}, incidents.Progress{}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	runs, _ := f.store.ActionRuns(ctx, out[0].IncidentID)
	return runs[0]
}

// containment opens an incident whose block action is in force and
// returns the containment's id.
func (f *fixture) containment() int64 {
	f.t.Helper()
	ctx := context.Background()
	run := f.withRun()
	c, _, err := f.store.RecordContainment(ctx, incidents.Containment{RunID: run.ID, IncidentID: run.IncidentID, Action: "block",
		Target: fmt.Sprintf("203.0.113.%d/32", f.fp%250), Offense: 1, AppliedAt: f.now, ExpiresAt: f.now.Add(time.Hour)}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

// awaiting opens an incident whose block action waits for approval and
// returns the run's id.
func (f *fixture) awaiting() int64 {
	f.t.Helper()
	ctx := context.Background()
	run := f.withRun()
	if err := f.store.AwaitApproval(ctx, run.ID, "action block requires approval", f.now.Add(time.Hour), f.now); err != nil {
		f.t.Fatal(err)
	}
	return run.ID
}

// unknown returns a run that started and whose outcome is unknown.
func (f *fixture) unknown() int64 {
	f.t.Helper()
	ctx := context.Background()
	run := f.withRun()
	if err := f.store.StartAction(ctx, run.ID, f.now); err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.FinishAction(ctx, run.ID, incidents.ActionUnknown, "breachd stopped while it ran", f.now); err != nil {
		f.t.Fatal(err)
	}
	return run.ID
}

// csvBody is a request body sent as text/csv.
type csvBody string

// call sends one request and checks it and its answer against the OpenAPI
// document.
func (f *fixture) call(method, path, token string, body any) (int, []byte) {
	f.t.Helper()
	var raw []byte
	ctype := "application/json"
	if c, ok := body.(csvBody); ok {
		raw, ctype = []byte(c), "text/csv"
	} else if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			f.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	f.checkOpenAPI(req, raw, resp, out)
	return resp.StatusCode, out
}

func (f *fixture) checkOpenAPI(req *http.Request, body []byte, resp *http.Response, out []byte) {
	f.t.Helper()
	vreq := req.Clone(context.Background())
	vreq.URL.Host, vreq.URL.Scheme = "", ""
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := f.router.FindRoute(vreq)
	if err != nil {
		if resp.StatusCode != http.StatusNotFound {
			f.t.Errorf("%s %s is not in openapi.json: %v", req.Method, req.URL.Path, err)
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	if openapi3filter.RegisteredBodyDecoder("text/csv") == nil {
		// A list of data subjects: a CSV text, which the document
		// describes as a string.
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if resp.StatusCode < 400 {
		// A request the API accepted must be one the document allows.
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			f.t.Errorf("%s %s was accepted but does not match openapi.json: %v", req.Method, req.URL.Path, err)
		}
	}
	rin := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	rin.SetBodyBytes(out)
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		f.t.Errorf("%s %s answered %d with a body openapi.json does not describe: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, err, out)
	}
}

// validRequest returns, for a route, a path and a body that succeed on a
// fresh incident.
func (f *fixture) validRequest(rt Route) (string, any) {
	path := rt.Pattern
	if rt.Pattern == "/api/v1/actions" {
		return path + "?state=dry_run&limit=10", nil
	}
	if rt.Pattern == "/api/v1/messages/{id}/resend" {
		ctx := context.Background()
		f.fp++
		out, err := f.store.Record(ctx, []incidents.NewIncident{{
			Incident: incidents.Incident{Fingerprint: fmt.Sprintf("ssh/m%d", f.fp), Rule: "ssh", Fields: map[string]string{},
				FindingCount: 1, FirstSeen: f.now, LastSeen: f.now},
			Page: []incidents.Page{{Route: "oncall", Channel: "hook"}},
		}}, incidents.Progress{}, f.now)
		if err != nil {
			f.t.Fatal(err)
		}
		ms, _ := f.store.Messages(ctx, out[0].IncidentID)
		if err := f.store.RecordDelivery(ctx, ms[0].ID, true, "HTTP 200", "{}", f.now, false, nil, f.now); err != nil {
			f.t.Fatal(err)
		}
		return strings.Replace(path, "{id}", fmt.Sprint(ms[0].ID), 1), map[string]any{"reason": "the receiver lost it"}
	}
	if rt.Pattern == "/api/v1/obligations/{id}/notice" {
		// The incident's asset holds personal data: the GDPR pack owes
		// the authority a notice from the open on.
		obs, _ := f.store.Obligations(context.Background(), f.incident())
		return strings.Replace(path, "{id}", fmt.Sprint(obs[0].ID), 1), nil
	}
	if rt.Pattern == "/api/v1/obligations/{id}/call" {
		// A fresh obligation each time: a call sends it.
		obs, _ := f.store.Obligations(context.Background(), f.incident())
		return strings.Replace(path, "{id}", fmt.Sprint(obs[0].ID), 1), map[string]any{"caller": "alice", "callee": "Jane Roe, City IT Security",
			"number": "+1 210 555 0100", "at": f.now, "said": "told her of the breach of the invoices table"}
	}
	if rt.Pattern == "/api/v1/obligations/{id}/update" {
		// A fresh notice sent each time: its update is opened.
		ctx := context.Background()
		obs, _ := f.store.Obligations(ctx, f.incident())
		if _, err := f.store.RecordProof(ctx, obs[0].ID, "recorded by the-dpo: sent by form", time.Time{}, incidents.Change{Actor: "the-dpo", Reason: "sent", At: f.now}); err != nil {
			f.t.Fatal(err)
		}
		return strings.Replace(path, "{id}", fmt.Sprint(obs[0].ID), 1), map[string]any{"reason": "the number of records is now known"}
	}
	if rt.Pattern == "/api/v1/obligations/{id}/posting" {
		// A fresh notice to a data subject reached by post alone, at
		// high risk.
		ctx := context.Background()
		id := f.incident()
		list := []incidents.DataSubject{{Row: 2, Name: "Jane Roe", Address: "1 Main St\nSpringfield"}}
		if err := f.store.AddSubjects(ctx, id, list, incidents.Change{Actor: "dpo", Reason: "CRM export", At: f.now}); err != nil {
			f.t.Fatal(err)
		}
		if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskHigh}, "names and addresses", "dpo"); err != nil {
			f.t.Fatal(err)
		}
		obs, _ := f.store.Obligations(ctx, id)
		for _, o := range obs {
			if o.Recipient == "data_subjects:1" {
				// Approved first: a posting needs it (set in the store: the
				// notice's facts are beside the point here).
				if _, err := f.store.DecideObligationByID(ctx, o.ID, incidents.ObligationApproved, incidents.Change{Actor: "dpo", Reason: "checked", At: f.now}, nil); err != nil {
					f.t.Fatal(err)
				}
				return strings.Replace(path, "{id}", fmt.Sprint(o.ID), 1), map[string]any{"posted_by": "dora", "address": "1 Main St, Springfield", "at": f.now}
			}
		}
		f.t.Fatalf("no notice to data subject 1 among %+v", obs)
	}
	if rt.Pattern == "/api/v1/obligations/{id}/publication" {
		// A fresh public communication each time: more data subjects
		// than the pack's 10,000, at high risk.
		ctx := context.Background()
		id := f.incident()
		list := make([]incidents.DataSubject, 10_001)
		for i := range list {
			list[i] = incidents.DataSubject{Row: i + 2, Name: fmt.Sprintf("P%d", i), Email: fmt.Sprintf("p%d@example.org", i)}
		}
		if err := f.store.AddSubjects(ctx, id, list, incidents.Change{Actor: "dpo", Reason: "CRM export", At: f.now}); err != nil {
			f.t.Fatal(err)
		}
		if err := f.mgr.Assess(ctx, id, incidents.Assessment{Risk: incidents.RiskHigh}, "card numbers", "dpo"); err != nil {
			f.t.Fatal(err)
		}
		obs, _ := f.store.Obligations(ctx, id)
		for _, o := range obs {
			if o.Recipient == "data_subjects:public" {
				// Approved first: a publication needs it (set in the
				// store: the notice's facts are beside the point here).
				if _, err := f.store.DecideObligationByID(ctx, o.ID, incidents.ObligationApproved, incidents.Change{Actor: "dpo", Reason: "checked", At: f.now}, nil); err != nil {
					f.t.Fatal(err)
				}
				return strings.Replace(path, "{id}", fmt.Sprint(o.ID), 1), map[string]any{"published_by": "dora", "where": "https://acme.example/breach", "at": f.now}
			}
		}
		f.t.Fatalf("no public communication among %+v", obs)
	}
	if rt.Pattern == "/api/v1/incidents/{id}/subjects" {
		return strings.Replace(path, "{id}", fmt.Sprint(f.incident()), 1) + "?reason=export+from+the+CRM",
			csvBody("name,email,address\nJane Roe,jane@example.com,1 Main St\n")
	}
	if rt.Pattern == "/api/v1/obligations/{id}/decide" {
		obs, _ := f.store.Obligations(context.Background(), f.incident())
		return strings.Replace(path, "{id}", fmt.Sprint(obs[0].ID), 1), map[string]any{"state": "not_required", "reason": "risk none: nothing but an address was seen"}
	}
	if rt.Pattern == "/api/v1/actions/{id}/settle" {
		return strings.Replace(path, "{id}", fmt.Sprint(f.unknown()), 1), map[string]any{"outcome": "ran", "reason": "the firewall log shows the block"}
	}
	if strings.HasPrefix(rt.Pattern, "/api/v1/actions/{id}/") {
		return strings.Replace(path, "{id}", fmt.Sprint(f.awaiting()), 1), map[string]any{"reason": "checked the address"}
	}
	if rt.Pattern == "/api/v1/containments/{id}/revert" {
		return strings.Replace(path, "{id}", fmt.Sprint(f.containment()), 1), map[string]any{"reason": "the customer's office NAT"}
	}
	if strings.Contains(path, "{id}") { //nolint:staticcheck // f.incident() opens one: only for a path that needs it
		path = strings.Replace(path, "{id}", fmt.Sprint(f.incident()), 1)
	}
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/incidents":
		return path, map[string]any{"title": "Customer reports leaked invoices", "reporter": "customer@example.com", "host": "web1"}
	case "POST /api/v1/incidents/{id}/transition":
		return path, map[string]any{"to": "triaged", "reason": "looked at it"}
	case "POST /api/v1/incidents/{id}/assess":
		return path, map[string]any{"risk": "risk", "reason": "emails of 10 customers readable", "consequences": "phishing", "measures": "blocked"}
	case "POST /api/v1/incidents/{id}/notes":
		return path, map[string]any{"kind": "decision", "text": "take web1 off the network"}
	case "PUT /api/v1/incidents/{id}/facts":
		return path, map[string]any{"nature": "an export endpoint served invoices", "measures": "removed", "effects": []string{"disclosed"}, "reason": "from the investigation"}
	case "PUT /api/v1/incidents/{id}/scope":
		return path, map[string]any{"records": 400, "reason": "the log shows more rows read"}
	case "PUT /api/v1/incidents/{id}/clocks/{clock}":
		// (occurred_at: aware_at may not precede it.)
		return strings.Replace(path, "{clock}", "occurred_at", 1), map[string]any{"at": f.now.Add(-time.Hour), "reason": "the paste is dated an hour earlier"}
	case "POST /api/v1/incidents/{id}/merge":
		return path, map[string]any{"from": []int64{f.incident()}, "reason": "same attacker"}
	case "POST /api/v1/incidents/{id}/removals":
		return path, map[string]any{"removed_by": "company", "what": "card numbers in /var/log/app/pay.log, shredded", "reason": "customer did not answer"}
	case "POST /api/v1/register":
		return path, map[string]any{"kind": "near_miss", "record": map[string]any{"nature": "phishing mail reported, no click"}, "reason": "reported by staff"}
	}
	return path, nil
}

// TestPermissionMatrix calls every endpoint as every role, with no token
// and with a wrong token. Allowed calls succeed; the others get 401 or 403;
// every request and answer matches openapi.json.
func TestPermissionMatrix(t *testing.T) {
	f := newFixture(t, "")
	callers := append([]string{"none", "wrong"}, configs.TokenRoles()...)
	for _, rt := range Routes() {
		for _, who := range callers {
			token := ""
			switch who {
			case "none":
			case "wrong":
				token = "not-a-configured-token"
			default:
				token = tokenFor(who)
			}
			path, body := f.validRequest(rt)
			code, out := f.call(rt.Method, path, token, body)
			name := fmt.Sprintf("%s %s as %s", rt.Method, rt.Pattern, who)
			switch {
			case rt.Perm == PermNone:
				if code != http.StatusOK {
					t.Errorf("%s: %d, want 200 (public)", name, code)
				}
			case who == "none" || who == "wrong":
				if code != http.StatusUnauthorized {
					t.Errorf("%s: %d, want 401\n%s", name, code, out)
				}
			case (rt.Pattern == "/api/v1/obligations/{id}/decide" || rt.Pattern == "/api/v1/obligations/{id}/call" || rt.Pattern == "/api/v1/obligations/{id}/publication" ||
				rt.Pattern == "/api/v1/obligations/{id}/update" || rt.Pattern == "/api/v1/obligations/{id}/posting") &&
				who != configs.RoleDPO && Allows(who, rt.Perm):
				// The fixture's obligation is the GDPR notice to the
				// authority, which the pack lets the DPO alone decide or
				// record delivered (decided_by), whatever the role's
				// notify permission.
				if code != http.StatusForbidden || !strings.Contains(string(out), "only the dpo") {
					t.Errorf("%s: %d, want 403 naming the DPO\n%s", name, code, out)
				}
			case Allows(who, rt.Perm):
				if code/100 != 2 {
					t.Errorf("%s: %d, want success\n%s", name, code, out)
				}
			default:
				if code != http.StatusForbidden {
					t.Errorf("%s: %d, want 403\n%s", name, code, out)
				}
			}
		}
	}
	// The matrix itself, as P19 reads: only the DPO writes the register;
	// viewers never write; only admins purge.
	for _, role := range configs.TokenRoles() {
		if got := Allows(role, PermRegister); got != (role == configs.RoleDPO) {
			t.Errorf("%s register rights = %t", role, got)
		}
		if got := Allows(role, PermAdmin); got != (role == configs.RoleAdmin) {
			t.Errorf("%s admin rights = %t", role, got)
		}
	}
	for _, p := range []Permission{PermRespond, PermAssess, PermNote, PermRegister, PermNotify, PermAdmin} {
		if Allows(configs.RoleViewer, p) {
			t.Errorf("viewer holds %s", p)
		}
	}
}

// TestOpenAPICoversRoutes checks that the document and the handlers name
// the same endpoints, with the same permissions.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := newFixture(t, "")
	inDoc := map[string]string{}
	for path, item := range f.doc.Paths.Map() {
		for method, op := range item.Operations() {
			perm, _ := op.Extensions["x-breachd-permission"].(string)
			inDoc[method+" "+path] = perm
		}
	}
	for _, rt := range Routes() {
		key := rt.Method + " " + rt.Pattern
		perm, ok := inDoc[key]
		if !ok {
			t.Errorf("%s is served but not in openapi.json", key)
			continue
		}
		if perm != string(rt.Perm) {
			t.Errorf("%s: openapi.json says permission %q, the handler needs %q", key, perm, rt.Perm)
		}
		delete(inDoc, key)
	}
	for key := range inDoc {
		t.Errorf("%s is in openapi.json but not served", key)
	}
}

func TestAnonymousViewer(t *testing.T) {
	f := newFixture(t, configs.RoleViewer)
	f.incident()
	if code, out := f.call("GET", "/api/v1/incidents", "", nil); code != 200 || !strings.Contains(string(out), "SSH brute force") {
		t.Errorf("anonymous read: %d %s", code, out)
	}
	if code, _ := f.call("POST", "/api/v1/incidents", "", map[string]any{"title": "x"}); code != http.StatusForbidden {
		t.Errorf("anonymous write: %d, want 403", code)
	}
	var who Whoami
	_, out := f.call("GET", "/api/v1/whoami", "", nil)
	if err := json.Unmarshal(out, &who); err != nil || who.Principal != "anonymous" || who.Role != "viewer" {
		t.Errorf("whoami = %+v, %v", who, err)
	}
}

func TestErrorsAndReadiness(t *testing.T) {
	f := newFixture(t, "")
	id := f.incident()
	viewer, responder := tokenFor("viewer"), tokenFor("responder")
	tests := []struct {
		method, path, token string
		body                any
		code                int
		errCode             string
	}{
		{"GET", "/api/v1/incidents?limit=0", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents?limit=x", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents?status=bogus", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents?offset=-1", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents?sort=oldest", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/actions", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/obligations?incident=x", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/obligations?limit=0", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/obligations?offset=-1", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/actions?state=dry_run&limit=0", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents/999", viewer, nil, 404, "not_found"},
		{"GET", "/api/v1/incidents/abc", viewer, nil, 400, "bad_request"},
		{"GET", "/api/v1/incidents/-1", viewer, nil, 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/transition", id), responder, map[string]any{"to": "notifying"}, 409, "conflict"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/transition", id), responder, map[string]any{"to": "gone"}, 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/transition", id), responder, map[string]any{"to": "triaged", "extra": 1}, 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/assess", id), responder, map[string]any{"risk": "high"}, 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/notes", id), responder, map[string]any{"text": strings.Repeat("x", 2<<20)}, 413, "too_large"},
		{"PUT", fmt.Sprintf("/api/v1/incidents/%d/clocks/closed_at", id), responder, map[string]any{"at": t0, "reason": "r"}, 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/incidents/%d/merge", id), responder, map[string]any{"from": []int64{id}, "reason": "r"}, 400, "bad_request"},
		{"GET", "/api/v1/nothing", viewer, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		code, out := f.call(tt.method, tt.path, tt.token, tt.body)
		var e Error
		if code != tt.code || json.Unmarshal(out, &e) != nil || e.Code != tt.errCode || e.Message == "" {
			t.Errorf("%s %s: %d %s, want %d with code %s", tt.method, tt.path, code, out, tt.code, tt.errCode)
		}
	}
	for path, want := range map[string]int{"/-/healthy": 200, "/-/ready": 200, "/metrics": 200} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

// TestLifecycleThroughAPI walks an incident from open to closed as the
// response team would, and checks every step is on the timeline with its
// principal.
func TestLifecycleThroughAPI(t *testing.T) {
	f := newFixture(t, "")
	id := f.incident()
	responder, dpo := tokenFor("responder"), tokenFor("dpo")
	base := fmt.Sprintf("/api/v1/incidents/%d", id)
	var d IncidentDetail
	_, out := f.call("GET", base, responder, nil)
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	inc := d.Incident
	// Host web1 matched asset crm: 10 subjects, 40 records, email.
	if inc.SuggestedRisk != incidents.RiskRisk || inc.CostExposure != 40*225 || !slices.Equal(inc.Scope.Assets, []string{"crm"}) || len(d.Evidence) != 1 {
		t.Errorf("incident = %+v, evidence %+v; want crm in scope, risk suggested, 9000 exposure", inc, d.Evidence)
	}
	if !slices.Equal(d.Allowed, []incidents.Status{incidents.StatusTriaged, incidents.StatusContained, incidents.StatusFalsePositive}) {
		t.Errorf("allowed = %v", d.Allowed)
	}
	step := func(method, path, token string, body any, want int) {
		t.Helper()
		f.now = f.now.Add(time.Minute)
		if code, out := f.call(method, path, token, body); code != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, code, out, want)
		}
	}
	step("POST", base+"/transition", responder, map[string]any{"to": "closed", "resolution": "x"}, 409)
	step("POST", base+"/transition", responder, map[string]any{"to": "contained", "reason": "blocked"}, 200)
	step("POST", base+"/notes", responder, map[string]any{"kind": "decision", "text": "notify the authority"}, 201)
	step("POST", base+"/transition", responder, map[string]any{"to": "closed", "resolution": "blocked, notified"}, 409) // risk unconfirmed
	step("POST", base+"/assess", dpo, map[string]any{"risk": "risk", "reason": "emails readable"}, 200)
	// The GDPR authority notice, owed since the open, blocks closing
	// until the DPO records it as sent; its form still lacks facts.
	step("POST", base+"/transition", responder, map[string]any{"to": "closed", "resolution": "blocked"}, 409)
	obs, _ := f.store.Obligations(context.Background(), id)
	var nd NoticeDetail
	_, out = f.call("GET", fmt.Sprintf("/api/v1/obligations/%d/notice", obs[0].ID), dpo, nil)
	if err := json.Unmarshal(out, &nd); err != nil || nd.Notice.Template != "controller-authority" || !slices.Contains(nd.Notice.Missing, "likely consequences") ||
		!strings.Contains(nd.Notice.Text, "[missing: likely consequences]") || !strings.Contains(nd.Notice.Text, "From: Acme Ltd") {
		t.Errorf("notice = %+v, %v", nd, err)
	}
	step("POST", fmt.Sprintf("/api/v1/obligations/%d/decide", obs[0].ID), dpo, map[string]any{"state": "approved", "reason": "ready"}, 409)
	step("POST", fmt.Sprintf("/api/v1/obligations/%d/decide", obs[0].ID), dpo, map[string]any{"state": "sent", "reason": "sent by form"}, 200)
	step("POST", base+"/transition", responder, map[string]any{"to": "closed", "resolution": "blocked, authority notified"}, 200)
	_, out = f.call("GET", base, responder, nil)
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	var kinds, actors []string
	for _, e := range d.Timeline {
		kinds = append(kinds, e.Kind)
		actors = append(actors, e.Actor)
	}
	if want := []string{"opened", "obligation", "transition", "decision", "risk", "obligation", "transition"}; !slices.Equal(kinds, want) {
		t.Errorf("timeline kinds = %v, want %v", kinds, want)
	}
	if want := []string{"breachd", "breachd", "the-responder", "the-responder", "the-dpo", "the-dpo", "the-responder"}; !slices.Equal(actors, want) {
		t.Errorf("timeline actors = %v, want %v", actors, want)
	}
	if d.Incident.Status != incidents.StatusClosed || d.Incident.ContainedAt == nil || !d.Incident.PersonalDataBreach || d.Incident.RiskBy != "the-dpo" {
		t.Errorf("closed incident = %+v", d.Incident)
	}
	var reg RegisterList
	_, out = f.call("GET", "/api/v1/register", responder, nil)
	// The DPO's breach entry, then breachd's entry superseding it once the
	// notice was sent, saying who was told, when and how.
	if err := json.Unmarshal(out, &reg); err != nil || len(reg.Entries) != 2 || reg.Entries[0].Kind != incidents.RegisterBreach || reg.Entries[0].Actor != "the-dpo" ||
		reg.Entries[1].Kind != incidents.RegisterBreach || reg.Entries[1].Supersedes == nil || *reg.Entries[1].Supersedes != reg.Entries[0].ID ||
		!strings.Contains(reg.Entries[1].Record.Notified, "supervisory_authority (gdpr) on 2026-11-23 10:08 UTC, decided by the-dpo: recorded by the-dpo: sent by form") {
		t.Errorf("register = %+v, %v; want the DPO's breach entry, then one with notified filled in", reg, err)
	}
	var v incidents.Verification
	_, out = f.call("GET", "/api/v1/register/verify", responder, nil)
	if err := json.Unmarshal(out, &v); err != nil || !v.OK() || v.Timeline.Entries != 7 || v.Register.Entries != 2 {
		t.Errorf("verify = %+v, %v", v, err)
	}
}
