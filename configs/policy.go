package configs

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Clock anchors an obligation's deadline may run from (the incident's
// clocks).
const (
	AnchorOccurred   = "occurred_at"
	AnchorDetected   = "detected_at"
	AnchorAware      = "aware_at"
	AnchorDetermined = "determined_at"
	AnchorContained  = "contained_at"
)

// Anchors lists the clock anchors.
func Anchors() []string {
	return []string{AnchorOccurred, AnchorDetected, AnchorAware, AnchorDetermined, AnchorContained}
}

// Policy is a `policy "NAME"` block: the notices a law, a contract or the
// company's own rules require, each an obligation.
type Policy struct {
	Name  string
	Title string
	// ToConfirm marks a pack whose reading counsel or the DPO must confirm.
	ToConfirm bool
	// Location is the zone business days are counted in; Holidays are
	// dates (YYYY-MM-DD) that are not business days.
	Location    *time.Location
	Holidays    []string
	Obligations []*Obligation
	DeclRange   hcl.Range
}

// Obligation is one `obligation "RECIPIENT"` of a policy.
type Obligation struct {
	Recipient string
	// When is an expr condition over the incident; empty always applies.
	When      string
	WhenRange hcl.Range
	// Anchor is the clock the deadline runs from.
	Anchor string
	// Within is a deadline in time, BusinessDays one in business days;
	// UndueDelay means "without undue delay": no invented number.
	Within       time.Duration
	BusinessDays int
	UndueDelay   bool
	// Approval: a person approves the notice before it is sent.
	Approval bool
	// Reminders are fractions of the time to the deadline at which the
	// team is reminded.
	Reminders []float64
	DeclRange hcl.Range
}

type policyBlock struct {
	Name        string             `hcl:"name,label"`
	NameRange   hcl.Range          `hcl:"name,label_range"`
	DefRange    hcl.Range          `hcl:",def_range"`
	Title       *string            `hcl:"title,optional"`
	ToConfirm   *bool              `hcl:"to_be_confirmed_by_counsel,optional"`
	Timezone    *string            `hcl:"timezone,optional"`
	TZRange     hcl.Range          `hcl:"timezone,attr_value_range"`
	Holidays    []string           `hcl:"holidays,optional"`
	HolRange    hcl.Range          `hcl:"holidays,attr_value_range"`
	Obligations []*obligationBlock `hcl:"obligation,block"`
}

type obligationBlock struct {
	Recipient    string    `hcl:"recipient,label"`
	RecRange     hcl.Range `hcl:"recipient,label_range"`
	DefRange     hcl.Range `hcl:",def_range"`
	When         *string   `hcl:"when,optional"`
	WhenRange    hcl.Range `hcl:"when,attr_value_range"`
	Anchor       *string   `hcl:"anchor,optional"`
	AnchorRange  hcl.Range `hcl:"anchor,attr_value_range"`
	Within       *string   `hcl:"within,optional"`
	WithinRange  hcl.Range `hcl:"within,attr_value_range"`
	BusinessDays *int      `hcl:"business_days,optional"`
	BDRange      hcl.Range `hcl:"business_days,attr_value_range"`
	UndueDelay   *bool     `hcl:"without_undue_delay,optional"`
	Approval     *bool     `hcl:"approval,optional"`
	Reminders    []float64 `hcl:"reminders,optional"`
	RemindersRng hcl.Range `hcl:"reminders,attr_value_range"`
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// teamRecipients are notices to the organisation itself, which need no
// approval by default.
func teamRecipient(r string) bool { return r == "team" || strings.HasPrefix(r, "team-") }

func (c *Config) decodePolicies(blocks []*policyBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, b := range blocks {
		if d := checkName("policy", b.Name, b.NameRange, seen); d != nil {
			diags = append(diags, d)
			continue
		}
		p := &Policy{Name: b.Name, Title: b.Name, Location: time.UTC, DeclRange: b.DefRange, Holidays: b.Holidays}
		if b.Title != nil {
			p.Title = *b.Title
		}
		p.ToConfirm = b.ToConfirm != nil && *b.ToConfirm
		if loc, d := decodeTimezone(b.Timezone, b.TZRange); d != nil {
			diags = append(diags, d)
		} else if loc != nil {
			p.Location = loc
		}
		for _, h := range b.Holidays {
			if _, err := time.Parse(time.DateOnly, h); err != nil || !dateOnly.MatchString(h) {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid holiday",
					Detail: fmt.Sprintf("%q is not a date; write holidays as \"2026-12-25\".", h), Subject: b.HolRange.Ptr()})
			}
		}
		recipients := map[string]hcl.Range{}
		for _, ob := range b.Obligations {
			if d := checkName("obligation", ob.Recipient, ob.RecRange, recipients); d != nil {
				diags = append(diags, d)
				continue
			}
			o, d := decodeObligation(ob)
			diags = append(diags, d...)
			if o != nil {
				p.Obligations = append(p.Obligations, o)
			}
		}
		c.Policies = append(c.Policies, p)
	}
	return diags
}

func decodeObligation(b *obligationBlock) (*Obligation, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	o := &Obligation{Recipient: b.Recipient, Anchor: AnchorAware, Approval: !teamRecipient(b.Recipient), DeclRange: b.DefRange, WhenRange: b.DefRange}
	if b.When != nil {
		o.When, o.WhenRange = *b.When, b.WhenRange
	}
	if b.Anchor != nil {
		switch *b.Anchor {
		case AnchorOccurred, AnchorDetected, AnchorAware, AnchorDetermined, AnchorContained:
			o.Anchor = *b.Anchor
		default:
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid anchor",
				Detail:  fmt.Sprintf("anchor is %q; the deadline runs from one of the incident's clocks: %s.", *b.Anchor, strings.Join(Anchors(), ", ")),
				Subject: b.AnchorRange.Ptr()})
		}
	}
	kinds := 0
	if b.Within != nil {
		kinds++
		if d, err := ParseLongDuration(*b.Within); err != nil || d <= 0 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid within",
				Detail: fmt.Sprintf("within is %q; write the deadline as a duration, e.g. \"72h\", \"24h\" or \"30d\".", *b.Within), Subject: b.WithinRange.Ptr()})
		} else {
			o.Within = d
		}
	}
	if b.BusinessDays != nil {
		kinds++
		if *b.BusinessDays < 1 || *b.BusinessDays > 365 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid business_days",
				Detail: fmt.Sprintf("business_days is %d; use 1 to 365 (e.g. 4 for the SEC's Form 8-K).", *b.BusinessDays), Subject: b.BDRange.Ptr()})
		} else {
			o.BusinessDays = *b.BusinessDays
		}
	}
	if b.UndueDelay != nil && *b.UndueDelay {
		kinds++
		o.UndueDelay = true
	}
	if kinds != 1 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Say when the notice is due",
			Detail:  "Set exactly one of within (\"72h\"), business_days (4) and without_undue_delay = true (no fixed deadline: none is invented).",
			Subject: b.DefRange.Ptr()})
	}
	if b.Approval != nil {
		o.Approval = *b.Approval
	}
	for _, r := range b.Reminders {
		if r <= 0 || r >= 1 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reminder",
				Detail: fmt.Sprintf("%g is not a fraction of the time to the deadline; use numbers between 0 and 1, e.g. [0.5, 0.9].", r), Subject: b.RemindersRng.Ptr()})
			continue
		}
		o.Reminders = append(o.Reminders, r)
	}
	return o, diags
}

// PolicyByName returns the policy with the given name, or nil.
func (c *Config) PolicyByName(name string) *Policy {
	for _, p := range c.Policies {
		if p.Name == name {
			return p
		}
	}
	return nil
}
