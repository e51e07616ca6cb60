package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// OpenAPI is the API's OpenAPI 3 document, served at /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// maxBody caps a request body.
const maxBody = 1 << 20

// Options configures the handler.
type Options struct {
	// Manager carries out changes; its store answers reads.
	Manager  *incidents.Manager
	Gatherer prometheus.Gatherer
	Logger   *slog.Logger
	// Tokens are the API's principals; AnonymousRole is the role of a
	// request without a token ("" refuses it).
	Tokens        []*configs.Token
	AnonymousRole string
	// Ready reports whether the daemon follows all its sources; nil means
	// always ready.
	Ready func() bool
	// Revert reverts an active containment by hand (the action runner's
	// RevertByHand).
	Revert func(ctx context.Context, id int64, reason, actor string) error
	// Decide approves or denies an action run waiting for approval (the
	// action runner's Decide).
	Decide func(ctx context.Context, id int64, approve bool, reason, actor string) (incidents.ActionRun, error)
	// Settle records a person's answer for a run whose outcome is unknown
	// (the action runner's Settle).
	Settle func(ctx context.Context, id int64, to incidents.ActionState, reason, actor string) (incidents.ActionRun, error)
	// Reload reads the config again and applies it (POST /-/reload, for an
	// admin); nil answers 404.
	Reload func(ctx context.Context) error
}

// Permission is what an endpoint needs.
type Permission string

// Permissions, and the roles that hold them: everyone reads; the
// response team records decisions; the DPO alone writes the register;
// admins apply the retention.
const (
	PermNone     Permission = "none"
	PermRead     Permission = "read"
	PermRespond  Permission = "respond"
	PermAssess   Permission = "assess"
	PermNote     Permission = "note"
	PermRegister Permission = "register"
	PermNotify   Permission = "notify"
	PermAdmin    Permission = "admin"
	// PermClocks sets an incident's aware_at or occurred_at; moving
	// aware_at later is the DPO's alone (the GDPR deadline runs from it).
	PermClocks Permission = "clocks"
	// PermSubjects uploads an incident's list of data subjects: personal
	// data, the DPO's alone.
	PermSubjects Permission = "subjects"
	// PermMerge merges incidents: the response team's, and the DPO's,
	// whose alone is the merge of an incident whose risk the DPO
	// decided (the merge decides the survivor's risk).
	PermMerge Permission = "merge"
)

var grants = map[string][]Permission{
	configs.RoleViewer:    {PermRead},
	configs.RoleResponder: {PermRead, PermRespond, PermClocks, PermAssess, PermNote, PermNotify, PermMerge},
	configs.RoleDPO:       {PermRead, PermClocks, PermAssess, PermNote, PermRegister, PermNotify, PermSubjects, PermMerge},
	configs.RoleAdmin:     {PermRead, PermRespond, PermClocks, PermAssess, PermNote, PermNotify, PermAdmin, PermMerge},
}

// Allows reports whether role holds permission p.
func Allows(role string, p Permission) bool {
	return p == PermNone || slices.Contains(grants[role], p)
}

// Route is one API endpoint.
type Route struct {
	Method, Pattern string
	Perm            Permission
	handle          func(*api, http.ResponseWriter, *http.Request, principal)
}

// Routes lists every /api/v1 endpoint with the permission it needs.
func Routes() []Route {
	return []Route{
		{"GET", "/api/v1/openapi.json", PermNone, (*api).openapi},
		{"GET", "/api/v1/whoami", PermRead, (*api).whoami},
		{"GET", "/api/v1/incidents", PermRead, (*api).list},
		{"POST", "/api/v1/incidents", PermRespond, (*api).open},
		{"GET", "/api/v1/incidents/{id}", PermRead, (*api).show},
		{"POST", "/api/v1/incidents/{id}/transition", PermRespond, (*api).transition},
		{"POST", "/api/v1/incidents/{id}/assess", PermAssess, (*api).assess},
		{"POST", "/api/v1/incidents/{id}/notes", PermNote, (*api).note},
		{"PUT", "/api/v1/incidents/{id}/scope", PermRespond, (*api).scope},
		{"PUT", "/api/v1/incidents/{id}/clocks/{clock}", PermClocks, (*api).clock},
		{"POST", "/api/v1/incidents/{id}/merge", PermMerge, (*api).merge},
		{"POST", "/api/v1/incidents/{id}/removals", PermRespond, (*api).removal},
		{"GET", "/api/v1/register", PermRead, (*api).register},
		{"POST", "/api/v1/register", PermRegister, (*api).appendRegister},
		{"GET", "/api/v1/register/verify", PermRead, (*api).verify},
		{"POST", "/api/v1/retention/purge", PermAdmin, (*api).purge},
		{"GET", "/api/v1/containments", PermRead, (*api).containments},
		{"POST", "/api/v1/containments/{id}/revert", PermRespond, (*api).revertContainment},
		{"GET", "/api/v1/approvals", PermRead, (*api).approvals},
		{"GET", "/api/v1/actions", PermRead, (*api).runs},
		{"GET", "/api/v1/obligations", PermRead, (*api).obligations},
		{"POST", "/api/v1/obligations/{id}/decide", PermNotify, (*api).decideObligation},
		{"POST", "/api/v1/messages/{id}/resend", PermNotify, (*api).resend},
		{"GET", "/api/v1/obligations/{id}/notice", PermRead, (*api).notice},
		{"POST", "/api/v1/obligations/{id}/call", PermNotify, (*api).recordCall},
		{"POST", "/api/v1/obligations/{id}/publication", PermNotify, (*api).recordPublication},
		{"POST", "/api/v1/obligations/{id}/update", PermNotify, (*api).updateNotice},
		{"POST", "/api/v1/obligations/{id}/posting", PermNotify, (*api).recordPosting},
		{"POST", "/api/v1/incidents/{id}/subjects", PermSubjects, (*api).uploadSubjects},
		{"PUT", "/api/v1/incidents/{id}/facts", PermNotify, (*api).facts},
		{"POST", "/api/v1/actions/{id}/approve", PermRespond, (*api).approve},
		{"POST", "/api/v1/actions/{id}/deny", PermRespond, (*api).deny},
		{"POST", "/api/v1/actions/{id}/settle", PermRespond, (*api).settleRun},
	}
}

// Error is the body of every error response.
type Error struct {
	// Code is one of bad_request, unauthorized, forbidden, not_found,
	// conflict, too_large, internal; reload_failed for POST /-/reload.
	Code    string `json:"code"`
	Message string `json:"message"`
}

type principal struct {
	Name, Role string
}

// reader is what the API reads from the incident store; every change
// goes through the Manager.
type reader interface {
	Case(ctx context.Context, id int64) (*incidents.Case, error)
	List(ctx context.Context, opts incidents.ListOptions) ([]incidents.Incident, error)
	ActiveContainments(ctx context.Context) ([]incidents.Containment, error)
	ContainmentByID(ctx context.Context, id int64) (*incidents.Containment, error)
	AwaitingApproval(ctx context.Context) ([]incidents.ActionRun, error)
	RunsInState(ctx context.Context, state incidents.ActionState, limit int) ([]incidents.ActionRun, error)
	UndecidedObligations(ctx context.Context, q incidents.ObligationQuery) ([]incidents.Obligation, error)
	Register(ctx context.Context) ([]incidents.RegisterEntry, error)
	Verify(ctx context.Context) (incidents.Verification, error)
}

type api struct {
	mgr       *incidents.Manager
	store     reader
	logger    *slog.Logger
	tokens    []*configs.Token
	anonymous string
	revert    func(ctx context.Context, id int64, reason, actor string) error
	decide    func(ctx context.Context, id int64, approve bool, reason, actor string) (incidents.ActionRun, error)
	settle    func(ctx context.Context, id int64, to incidents.ActionState, reason, actor string) (incidents.ActionRun, error)
}

// New returns the handler for every endpoint.
func New(opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &api{mgr: opts.Manager, store: opts.Manager.Store(), logger: logger, tokens: opts.Tokens, anonymous: opts.AnonymousRole, revert: opts.Revert, decide: opts.Decide, settle: opts.Settle}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{
		Timeout:             10 * time.Second,
		MaxRequestsInFlight: 4,
		EnableOpenMetrics:   true,
	}))
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("breachd is healthy.\n"))
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if opts.Ready != nil && !opts.Ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("breachd is starting.\n"))
			return
		}
		_, _ = w.Write([]byte("breachd is ready.\n"))
	})
	if opts.Reload != nil {
		mux.HandleFunc("POST /-/reload", func(w http.ResponseWriter, r *http.Request) {
			p, ok := a.authenticate(w, r, PermAdmin)
			if !ok {
				return
			}
			a.logger.Info("reload asked", "principal", p.Name)
			if err := opts.Reload(r.Context()); err != nil {
				a.reply(w, http.StatusInternalServerError, Error{Code: "reload_failed", Message: err.Error()})
				return
			}
			a.reply(w, http.StatusOK, map[string]string{"status": "reloaded"})
		})
	}
	for _, rt := range Routes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, func(w http.ResponseWriter, r *http.Request) {
			p, ok := a.authenticate(w, r, rt.Perm)
			if !ok {
				return
			}
			limit := int64(maxBody)
			if l, ok := bodyLimits[rt.Pattern]; ok {
				limit = l
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			rt.handle(a, w, r, p)
		})
	}
	// Unknown /api/v1 paths answer in JSON too.
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, http.StatusNotFound, fmt.Errorf("%w: no endpoint %s %s; see /api/v1/openapi.json", incidents.ErrNotFound, r.Method, r.URL.Path))
	})
	return mux
}

// authenticate finds the request's principal and checks its permission,
// answering 401 or 403 itself.
func (a *api) authenticate(w http.ResponseWriter, r *http.Request, perm Permission) (principal, bool) {
	if perm == PermNone {
		return principal{Name: "anonymous"}, true
	}
	auth := r.Header.Get("Authorization")
	var p principal
	switch {
	case auth == "" && a.anonymous != "":
		p = principal{Name: "anonymous", Role: a.anonymous}
	case auth == "":
		w.Header().Set("WWW-Authenticate", `Bearer realm="breachd"`)
		a.reply(w, http.StatusUnauthorized, Error{Code: "unauthorized", Message: "this endpoint needs a bearer token: send Authorization: Bearer TOKEN (breachd CLI: --token or BREACHD_TOKEN)"})
		return p, false
	default:
		token, ok := strings.CutPrefix(auth, "Bearer ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		found := false
		for _, t := range a.tokens {
			// Compare every hash in constant time: no timing tells which
			// prefix matched.
			if subtle.ConstantTimeCompare(sum[:], t.SHA256[:]) == 1 && ok {
				p, found = principal{Name: t.Principal, Role: t.Role}, true
			}
		}
		if !found {
			w.Header().Set("WWW-Authenticate", `Bearer realm="breachd", error="invalid_token"`)
			a.reply(w, http.StatusUnauthorized, Error{Code: "unauthorized", Message: "the bearer token is not one of the configured tokens"})
			return p, false
		}
	}
	if !Allows(p.Role, perm) {
		a.reply(w, http.StatusForbidden, Error{Code: "forbidden", Message: fmt.Sprintf(
			"%s (role %s) may not do this: it needs the %s permission, held by %s", p.Name, p.Role, perm, strings.Join(holders(perm), ", "))})
		return p, false
	}
	return p, true
}

func holders(p Permission) []string {
	var out []string
	for _, role := range configs.TokenRoles() {
		if Allows(role, p) {
			out = append(out, role)
		}
	}
	return out
}

func (a *api) openapi(w http.ResponseWriter, _ *http.Request, _ principal) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(OpenAPI)
}

// Whoami is the body of GET /api/v1/whoami.
type Whoami struct {
	Principal   string       `json:"principal"`
	Role        string       `json:"role"`
	Permissions []Permission `json:"permissions"`
}

func (a *api) whoami(w http.ResponseWriter, _ *http.Request, p principal) {
	perms := slices.Clone(grants[p.Role])
	a.reply(w, http.StatusOK, Whoami{Principal: p.Name, Role: p.Role, Permissions: perms})
}

// decode reads a JSON body strictly: unknown fields are errors.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return fmt.Errorf("%w: the body is over %d bytes", errTooLarge, maxBody)
		}
		return fmt.Errorf("%w: the body is not the expected JSON: %v", incidents.ErrInvalid, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the body holds more than one JSON value", incidents.ErrInvalid)
	}
	return nil
}

var errTooLarge = errors.New("too large")

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("%w: %s must be a positive number", incidents.ErrInvalid, name)
	}
	return id, nil
}

func (a *api) reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		a.logger.Debug("writing response", "err", err)
	}
}

// fail answers err with the status its kind calls for.
func (a *api) fail(w http.ResponseWriter, code int, err error) {
	e := Error{Code: "internal", Message: err.Error()}
	switch {
	case code == http.StatusNotFound || errors.Is(err, incidents.ErrNotFound):
		code, e.Code = http.StatusNotFound, "not_found"
	case errors.Is(err, errTooLarge):
		code, e.Code = http.StatusRequestEntityTooLarge, "too_large"
	case code == http.StatusBadRequest || errors.Is(err, incidents.ErrInvalid):
		code, e.Code = http.StatusBadRequest, "bad_request"
	case errors.Is(err, incidents.ErrConflict):
		code, e.Code = http.StatusConflict, "conflict"
	case errors.Is(err, incidents.ErrForbidden):
		code, e.Code = http.StatusForbidden, "forbidden"
	default:
		code = http.StatusInternalServerError
		a.logger.Error("api request failed", "err", err)
		e.Message = "internal error; the daemon's log has the details"
	}
	a.reply(w, code, e)
}
