package configs

import (
	"fmt"
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

// Containment is the containment block: the mode and the never lists every
// action obeys.
type Containment struct {
	// Mode is "enforce" (the default) or "dry_run" for every action.
	Mode Mode
	// NeverCIDRs are never blocked, by any action; loopback and the
	// host's own addresses are added at start.
	NeverCIDRs []netip.Prefix
	DeclRange  hcl.Range
}

// AlwaysNever are the prefixes no action ever blocks, whatever the config
// says: loopback, unspecified, link-local and multicast.
func AlwaysNever() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("0.0.0.0/32"), netip.MustParsePrefix("::/128"),
		netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("fe80::/10"),
		netip.MustParsePrefix("224.0.0.0/4"), netip.MustParsePrefix("ff00::/8"),
	}
}

type containmentBlock struct {
	Mode       *string   `hcl:"mode,optional"`
	ModeRange  hcl.Range `hcl:"mode,attr_value_range"`
	Never      []string  `hcl:"never_cidrs,optional"`
	NeverRange hcl.Range `hcl:"never_cidrs,attr_value_range"`
	DefRange   hcl.Range `hcl:",def_range"`
}

func (c *Config) decodeContainment(blocks []*containmentBlock) hcl.Diagnostics {
	c.Containment = Containment{Mode: ModeEnforce}
	if len(blocks) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	for _, extra := range blocks[1:] {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Duplicate containment block",
			Detail:   fmt.Sprintf("Only one containment block is allowed; the first is at %s. Merge the two.", blocks[0].DefRange),
			Subject:  extra.DefRange.Ptr(),
		})
	}
	b := blocks[0]
	c.Containment.DeclRange = b.DefRange
	if b.Mode != nil {
		m, d := decodeMode(*b.Mode, b.ModeRange)
		if d != nil {
			diags = append(diags, d)
		} else {
			c.Containment.Mode = m
		}
	}
	never, d := decodeCIDRs("never_cidrs", b.Never, b.NeverRange)
	diags = append(diags, d...)
	c.Containment.NeverCIDRs = never
	return diags
}
