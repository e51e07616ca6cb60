package configs

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// HTTPLimits bound what a client of the HTTP API can hold: how long it may
// take to send a request's headers and body, how long a handler has to
// answer, how long an idle keep-alive connection stays open, and how many
// connections are open at once.
type HTTPLimits struct {
	// ReadHeaderTimeout bounds reading a request's headers; ReadTimeout
	// the whole request, body included.
	ReadHeaderTimeout, ReadTimeout time.Duration
	// WriteTimeout is each handler's deadline to write its answer, from
	// the end of the request's headers; a streaming handler sets its own
	// with http.ResponseController.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection with no request for
	// this long.
	IdleTimeout time.Duration
	// MaxConnections caps open connections; further ones wait in the
	// kernel's accept queue until one closes.
	MaxConnections int
}

// DefaultHTTPLimits are the limits of a server block that sets none.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       time.Minute,
		MaxConnections:    256,
	}
}

// maxHTTPConnections bounds max_connections.
const maxHTTPConnections = 65536

// decodeHTTPLimits decodes the server block's connection limits into
// c.Server.HTTP.
func (c *Config) decodeHTTPLimits(b *serverBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	l := &c.Server.HTTP
	for _, t := range []struct {
		name string
		v    *string
		rng  hcl.Range
		dst  *time.Duration
	}{
		{"read_header_timeout", b.ReadHeaderTimeout, b.ReadHeaderRange, &l.ReadHeaderTimeout},
		{"read_timeout", b.ReadTimeout, b.ReadTimeoutRange, &l.ReadTimeout},
		{"write_timeout", b.WriteTimeout, b.WriteTimeoutRange, &l.WriteTimeout},
		{"idle_timeout", b.IdleTimeout, b.IdleTimeoutRange, &l.IdleTimeout},
	} {
		if t.v == nil {
			continue
		}
		d, diag := parseDuration(t.name, *t.v, t.rng)
		if diag != nil {
			diags = append(diags, diag)
			continue
		}
		*t.dst = d
	}
	if l.ReadHeaderTimeout > l.ReadTimeout && b.ReadHeaderTimeout == nil {
		// A short read_timeout bounds the headers too.
		l.ReadHeaderTimeout = l.ReadTimeout
	}
	if l.ReadHeaderTimeout > l.ReadTimeout {
		diags = append(diags, errorAt(b.ReadHeaderRange.Ptr(), "read_header_timeout longer than read_timeout", fmt.Sprintf(
			"read_header_timeout (%v) bounds the headers, read_timeout (%v) the whole request; make read_header_timeout at most read_timeout.", l.ReadHeaderTimeout, l.ReadTimeout)))
	}
	if b.MaxConnections != nil {
		if n := *b.MaxConnections; n < 1 || n > maxHTTPConnections {
			diags = append(diags, errorAt(b.MaxConnectionsRange.Ptr(), "Invalid max_connections", fmt.Sprintf(
				"max_connections is %d; use 1 to %d (the default is %d). Keep it well under the process's open-file limit (ulimit -n, systemd LimitNOFILE).", n, maxHTTPConnections, DefaultHTTPLimits().MaxConnections)))
		} else {
			l.MaxConnections = n
		}
	}
	return diags
}
