package rules

import (
	"fmt"
	"net/netip"

	"github.com/expr-lang/expr"
)

// functions returns the helpers available to where conditions. Every helper
// declares its signature so arguments are type-checked at compile time.
func functions() []expr.Option {
	return []expr.Option{
		expr.Function("ip_in", func(params ...any) (any, error) {
			addr, err := netip.ParseAddr(params[0].(string))
			if err != nil {
				return false, nil
			}
			addr = addr.Unmap()
			for _, p := range params[1:] {
				prefix, err := netip.ParsePrefix(p.(string))
				if err != nil {
					return nil, fmt.Errorf("ip_in: %q is not a CIDR prefix", p)
				}
				if prefix.Contains(addr) {
					return true, nil
				}
			}
			return false, nil
		}, new(func(string, ...string) bool)),
		expr.Function("is_ip", func(params ...any) (any, error) {
			_, err := netip.ParseAddr(params[0].(string))
			return err == nil, nil
		}, new(func(string) bool)),
		expr.Function("is_private_ip", func(params ...any) (any, error) {
			addr, err := netip.ParseAddr(params[0].(string))
			if err != nil {
				return false, nil
			}
			addr = addr.Unmap()
			return addr.IsPrivate() || addr.IsLoopback() || addr.IsLinkLocalUnicast(), nil
		}, new(func(string) bool)),
	}
}
