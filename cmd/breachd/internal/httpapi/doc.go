// Package httpapi serves breachd's HTTP endpoints: /metrics from the
// daemon's private Prometheus registry, /-/healthy, and the read-only
// incidents API under /api/v1/. It reads incidents through incidents.Store
// and knows nothing of sources or actions.
package httpapi
