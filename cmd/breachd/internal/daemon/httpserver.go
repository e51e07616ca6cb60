package daemon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"github.com/breachd/breachd/cmd/breachd/internal/console"
	"github.com/breachd/breachd/configs"
)

// anonymousOnSocket refuses a config whose anonymous_role would serve
// reads without a token on the socket actually bound. The config loader
// checks anonymous_role against the config's own listen, but the socket
// only changes at a restart: a daemon started on 0.0.0.0 and reloaded with
// a loopback listen still answers other hosts.
func anonymousOnSocket(cfg *configs.Config, bound net.Addr) error {
	if cfg.Server.AnonymousRole == "" {
		return nil
	}
	ap, err := netip.ParseAddrPort(bound.String())
	if err == nil && ap.Addr().IsLoopback() {
		return nil
	}
	where := ""
	if r := cfg.Server.AnonymousRange; r.Filename != "" {
		where = fmt.Sprintf("%s:%d:%d: ", r.Filename, r.Start.Line, r.Start.Column)
	}
	return fmt.Errorf("%sanonymous_role = %q would let any host that reaches the API read it without a token: the API's socket is bound to %s, not a loopback address (listen takes effect only at a restart). Remove anonymous_role, or restart breachd so that it binds the loopback listen address",
		where, cfg.Server.AnonymousRole, bound)
}

// listenHTTP serves the API on its bound socket, under the server block's
// connection cap, and makes its server, with TLS if the config has it.
// Every request goes to the handler of the generation in force.
func (d *Daemon) listenHTTP(cfg *configs.Config, ln net.Listener) error {
	if err := anonymousOnSocket(cfg, ln.Addr()); err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if cfg.Server.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Server.TLSCert, cfg.Server.TLSKey)
		if err != nil {
			return fmt.Errorf("server tls_cert/tls_key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	d.listener = netutil.LimitListener(ln, connectionCap(cfg.Server.HTTP.MaxConnections, d.logger))
	// The API of the generation in force; the console (made once, so its
	// sessions outlive a reload) is a client of that same API.
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*d.handler.Load()).ServeHTTP(w, r)
	})
	ui, err := console.New(console.Options{API: api, Now: d.opts.Now, Logger: d.logger.With("component", "console"), TLS: tlsConfig != nil,
		Zone: func() *time.Location {
			if g := d.cur.Load(); g != nil {
				return g.cfg.Organisation.Location
			}
			return nil
		}})
	if err != nil {
		return err
	}
	d.server = newHTTPServer(cfg.Server.HTTP, tlsConfig, d.logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/console/") {
			ui.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	d.server.RegisterOnShutdown(ui.Close)
	return nil
}

// connectionCap is max_connections, or half the process's open-file
// limit when that is lower: the store, the sources, the syslog sockets and
// the actions' processes need descriptors too, and a flood of API
// clients must not starve them.
func connectionCap(want int, logger *slog.Logger) int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur/2 >= uint64(want) {
		return want
	}
	n := max(int(lim.Cur/2), 1)
	logger.Warn("max_connections is over half the open-file limit; the API keeps at most half of it", "max_connections", want, "open_file_limit", lim.Cur, "connections", n)
	return n
}

// shutdownTimeout bounds how long shutdown waits for requests in flight
// before it closes the connections left.
const shutdownTimeout = 5 * time.Second

// newHTTPServer is the API's server under the server block's limits: every
// request must arrive within read_header_timeout (headers) and
// read_timeout (the whole request), every handler answers within
// write_timeout (one that streams sets its own deadline with
// http.ResponseController), and keep-alive connections close after
// idle_timeout without a request. The connection cap is the listener's.
func newHTTPServer(l configs.HTTPLimits, tlsConfig *tls.Config, logger *slog.Logger, h http.Handler) *http.Server {
	return &http.Server{
		TLSConfig:         tlsConfig,
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// shutdownHTTP stops the server: no new connection is accepted, idle ones
// close, and requests in flight have shutdownTimeout to finish; then the
// connections left (a client that stalls) are closed. Neither is an
// error: a stop with clients connected is a normal stop.
func (d *Daemon) shutdownHTTP(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := d.server.Shutdown(sctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	d.logger.Warn("requests still in flight after the shutdown timeout; their connections are closed", "timeout", shutdownTimeout)
	if err := d.server.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
