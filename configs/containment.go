package configs

import (
	"fmt"
	"net/netip"
	"time"

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
	// NeverUsers are never locked; root always is on it. NeverUnits are
	// never stopped or signalled; breachd and sshd always are on it.
	NeverUsers []string
	NeverUnits []string
	// ProtectAdminSessions keeps the addresses of logged-in
	// administrators (AdminUsers, members of AdminGroups) from being
	// blocked, read from Utmp at each block.
	ProtectAdminSessions    bool
	AdminUsers, AdminGroups []string
	Utmp                    string
	// MaxTargetsPerHour caps the distinct targets contained in an hour
	// across all actions (the blast radius); past it, runs wait for
	// approval. 0 is no cap.
	MaxTargetsPerHour int
	// ApprovalExpires is how long a run waits for approval.
	ApprovalExpires time.Duration
	DeclRange       hcl.Range
}

// DefaultApprovalExpires is how long a run waits for a person by default.
const DefaultApprovalExpires = time.Hour

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
	NeverUsers []string  `hcl:"never_users,optional"`
	NeverUnits []string  `hcl:"never_units,optional"`
	Protect    *bool     `hcl:"protect_admin_sessions,optional"`
	AdminUsers []string  `hcl:"admin_users,optional"`
	AdminGrps  []string  `hcl:"admin_groups,optional"`
	Utmp       *string   `hcl:"utmp,optional"`
	MaxTargets *int      `hcl:"max_targets_per_hour,optional"`
	MaxRange   hcl.Range `hcl:"max_targets_per_hour,attr_value_range"`
	Expires    *string   `hcl:"approval_expires,optional"`
	ExpRange   hcl.Range `hcl:"approval_expires,attr_value_range"`
	DefRange   hcl.Range `hcl:",def_range"`
}

func (c *Config) decodeContainment(blocks []*containmentBlock) hcl.Diagnostics {
	c.Containment = Containment{Mode: ModeEnforce, ApprovalExpires: DefaultApprovalExpires,
		ProtectAdminSessions: true, AdminGroups: []string{"sudo", "wheel"}, Utmp: "/run/utmp"}
	if len(blocks) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	for _, extra := range blocks[1:] {
		diags = append(diags, duplicateBlock("containment", blocks[0].DefRange, extra.DefRange))
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
	c.Containment.NeverUsers = b.NeverUsers
	c.Containment.NeverUnits = b.NeverUnits
	if b.Protect != nil {
		c.Containment.ProtectAdminSessions = *b.Protect
	}
	c.Containment.AdminUsers = b.AdminUsers
	if b.AdminGrps != nil {
		c.Containment.AdminGroups = b.AdminGrps
	}
	if b.Utmp != nil {
		c.Containment.Utmp = c.Abs(*b.Utmp)
	}
	if b.MaxTargets != nil {
		if *b.MaxTargets < 1 {
			diags = append(diags, errorAt(b.MaxRange.Ptr(), "Invalid max_targets_per_hour", fmt.Sprintf("max_targets_per_hour is %d; it caps the distinct addresses, accounts or units contained in an hour before further runs wait for approval: use 1 or more, or remove it.", *b.MaxTargets)))
		} else {
			c.Containment.MaxTargetsPerHour = *b.MaxTargets
		}
	}
	if b.Expires != nil {
		if d, err := ParseLongDuration(*b.Expires); err != nil || d < time.Minute {
			diags = append(diags, errorAt(b.ExpRange.Ptr(), "Invalid approval_expires", fmt.Sprintf("approval_expires is %q; write how long a run waits for approval, at least a minute, e.g. \"30m\" or \"4h\".", *b.Expires)))
		} else {
			c.Containment.ApprovalExpires = d
		}
	}
	return diags
}
