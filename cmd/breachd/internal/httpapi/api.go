package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/breachd/breachd/incidents"
)

// Options configures the handler.
type Options struct {
	Store    incidents.Store
	Gatherer prometheus.Gatherer
	Logger   *slog.Logger
	// Ready reports whether the daemon follows all its sources; nil means
	// always ready.
	Ready func() bool
}

// IncidentList is the body of GET /api/v1/incidents.
type IncidentList struct {
	Incidents []incidents.Incident `json:"incidents"`
}

// IncidentDetail is the body of GET /api/v1/incidents/{id}.
type IncidentDetail struct {
	Incident incidents.Incident        `json:"incident"`
	Timeline []incidents.TimelineEntry `json:"timeline"`
	Actions  []incidents.ActionRun     `json:"actions"`
}

// Error is the body of every error response.
type Error struct {
	Error string `json:"error"`
}

// New returns the handler for every endpoint.
func New(opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &api{store: opts.Store, logger: logger}
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
	mux.HandleFunc("GET /api/v1/incidents", a.list)
	mux.HandleFunc("GET /api/v1/incidents/{id}", a.show)
	return mux
}

type api struct {
	store  incidents.Store
	logger *slog.Logger
}

func (a *api) list(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			a.fail(w, http.StatusBadRequest, errors.New("limit must be a number from 1 to 10000"))
			return
		}
		limit = n
	}
	list, err := a.store.List(r.Context(), incidents.ListOptions{Limit: limit})
	if err != nil {
		a.fail(w, http.StatusInternalServerError, err)
		return
	}
	a.reply(w, IncidentList{Incidents: list})
}

func (a *api) show(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		a.fail(w, http.StatusBadRequest, errors.New("incident id must be a positive number"))
		return
	}
	inc, err := a.store.Incident(r.Context(), id)
	if errors.Is(err, incidents.ErrNotFound) {
		a.fail(w, http.StatusNotFound, err)
		return
	}
	if err != nil {
		a.fail(w, http.StatusInternalServerError, err)
		return
	}
	timeline, err := a.store.Timeline(r.Context(), id)
	if err != nil {
		a.fail(w, http.StatusInternalServerError, err)
		return
	}
	runs, err := a.store.ActionRuns(r.Context(), id)
	if err != nil {
		a.fail(w, http.StatusInternalServerError, err)
		return
	}
	a.reply(w, IncidentDetail{Incident: *inc, Timeline: timeline, Actions: runs})
}

func (a *api) reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		a.logger.Debug("writing response", "err", err)
	}
}

func (a *api) fail(w http.ResponseWriter, code int, err error) {
	if code >= 500 {
		a.logger.Error("api request failed", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(Error{Error: err.Error()})
}
