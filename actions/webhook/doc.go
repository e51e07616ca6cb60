// Package webhook is the `webhook` action kind: it POSTs the incident as JSON
// to a configured URL with a timeout, an Idempotency-Key header naming the
// incident and action, and no redirects followed. A response other than 2xx
// is a failure. The URL, which may hold a token, never appears in results or
// logs; only its scheme and host do.
package webhook
