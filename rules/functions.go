package rules

import (
	"fmt"
	"net/netip"

	"github.com/expr-lang/expr"
)

// functionList names the helpers, for diagnostics.
const functionList = "ip_in(ip, cidr...), is_ip(s), ip_version(ip), is_private_ip(ip), is_loopback_ip(ip), luhn(digits), is_iban(s)"

// functions returns the helpers available to where conditions. Every helper
// declares its signature so arguments are type-checked at compile time.
// lower, upper, int, float, contains, matches, startsWith and the rest come
// with expr.
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
		expr.Function("ip_version", func(params ...any) (any, error) {
			addr, err := netip.ParseAddr(params[0].(string))
			switch {
			case err != nil:
				return 0, nil
			case addr.Unmap().Is4():
				return 4, nil
			}
			return 6, nil
		}, new(func(string) int)),
		expr.Function("is_private_ip", func(params ...any) (any, error) {
			addr, err := netip.ParseAddr(params[0].(string))
			if err != nil {
				return false, nil
			}
			addr = addr.Unmap()
			return addr.IsPrivate() || addr.IsLoopback() || addr.IsLinkLocalUnicast(), nil
		}, new(func(string) bool)),
		expr.Function("is_loopback_ip", func(params ...any) (any, error) {
			addr, err := netip.ParseAddr(params[0].(string))
			return err == nil && addr.Unmap().IsLoopback(), nil
		}, new(func(string) bool)),
		expr.Function("luhn", func(params ...any) (any, error) {
			return Luhn(params[0].(string)), nil
		}, new(func(string) bool)),
		expr.Function("is_iban", func(params ...any) (any, error) {
			return IBAN(params[0].(string)), nil
		}, new(func(string) bool)),
	}
}

// Luhn reports whether s, ignoring spaces and dashes, is 12 to 19 digits
// that pass the Luhn check, as payment card numbers do.
func Luhn(s string) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c < '0' || c > '9':
			return false
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n >= 12 && n <= 19 && sum%10 == 0
}

// IBAN reports whether s, ignoring spaces, is an international bank account
// number: a country code, two check digits and 11 to 30 letters or digits,
// passing the ISO 13616 mod-97 check.
func IBAN(s string) bool {
	var b [34]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case n == len(b):
			return false
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b[n] = c
		n++
	}
	if n < 15 || b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z' || b[2] < '0' || b[2] > '9' || b[3] < '0' || b[3] > '9' {
		return false
	}
	// The first four characters move to the end; letters count as 10 to
	// 35; the remainder of the whole number by 97 must be 1.
	rem := 0
	for i := range n {
		c := b[(i+4)%n]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}
