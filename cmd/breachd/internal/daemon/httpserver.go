package daemon

import (
	"fmt"
	"net"
	"net/netip"

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
