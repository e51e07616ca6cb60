// Package httpapi serves breachd's HTTP endpoints: /metrics from the
// daemon's private Prometheus registry, /-/healthy, /-/ready, and the
// incidents API under /api/v1/ with bearer tokens and the roles of the
// response policy (viewer, responder, dpo, admin). Every write goes through
// incidents.Manager and is attributed to its token's principal; the OpenAPI
// document describing the API is served at /api/v1/openapi.json.
package httpapi
