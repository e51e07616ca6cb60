package configs

import (
	"fmt"
	"regexp"
	"slices"
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
	// Regions are named lists of jurisdictions (region blocks) that the
	// pack's conditions test with in_region.
	Regions   map[string][]string
	DeclRange hcl.Range
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
	// Immediately: the policy says "immediately"; like UndueDelay it
	// has no due time (none is invented), and it says so.
	Immediately bool
	// Approval: a person approves the notice before it is sent.
	Approval bool
	// DecidedBy, when set, is the one role that may approve the notice,
	// record it sent or rule it not required (the GDPR procedure makes
	// the DPO the sender of the notices to the authority, the controller
	// and the data subjects, §6.1-6.3).
	DecidedBy string
	// Reminders are fractions of the time to the deadline at which the
	// team is reminded.
	Reminders []float64
	// Template names the notice's form (configs/templates/NAME.tmpl, or
	// the organisation's templates_dir); RecipientName and
	// RecipientAddress say who receives it (the controller's name comes
	// from the scope for a processor's notice).
	Template                        string
	TemplateRange                   hcl.Range
	RecipientName, RecipientAddress string
	// ForEach fans the obligation out: one obligation per customer,
	// controller or data subject (ForEachKinds), keyed
	// RecipientKey(Recipient, party).
	ForEach string
	// HeldAs, when set ("controller" or "processor"), limits what the
	// condition and the notice see to the assets in scope held in that
	// role: the GDPR controller's notices are judged on the data the
	// company holds as controller only. An obligation with held_as does
	// not apply while the scope holds assets but none in that role.
	HeldAs string
	// PublicAbove (data subjects only): above this many subjects on the
	// uploaded list, notifying each is disproportionate and the
	// obligation is one public communication instead (GDPR procedure
	// §6.3); 0 never.
	PublicAbove int64
	// After names the obligation of the same policy whose notice must be
	// sent before this one may be approved or recorded sent (a
	// follow-up comes after its request); when both fan out over the
	// same parties, each party's follows that party's. "" none.
	After      string
	AfterRange hcl.Range
	DeclRange  hcl.Range
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
	Regions     []*regionBlock     `hcl:"region,block"`
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
	Immediately  *bool     `hcl:"immediately,optional"`
	Approval     *bool     `hcl:"approval,optional"`
	DecidedBy    *string   `hcl:"decided_by,optional"`
	DecidedRange hcl.Range `hcl:"decided_by,attr_value_range"`
	Reminders    []float64 `hcl:"reminders,optional"`
	RemindersRng hcl.Range `hcl:"reminders,attr_value_range"`
	Template     *string   `hcl:"template,optional"`
	TemplateRng  hcl.Range `hcl:"template,attr_value_range"`
	RecName      *string   `hcl:"recipient_name,optional"`
	RecAddress   *string   `hcl:"recipient_address,optional"`
	ForEach      *string   `hcl:"for_each,optional"`
	ForEachRange hcl.Range `hcl:"for_each,attr_value_range"`
	HeldAs       *string   `hcl:"held_as,optional"`
	HeldAsRange  hcl.Range `hcl:"held_as,attr_value_range"`
	PublicAbove  *int64    `hcl:"public_communication_above,optional"`
	PublicRange  hcl.Range `hcl:"public_communication_above,attr_value_range"`
	After        *string   `hcl:"after,optional"`
	AfterRange   hcl.Range `hcl:"after,attr_value_range"`
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
				diags = append(diags, errorAt(b.HolRange.Ptr(), "Invalid holiday",
					fmt.Sprintf("%q is not a date; write holidays as \"2026-12-25\".", h)))
			}
		}
		p.Regions, diags = decodeRegions(b.Regions, diags)
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
		diags = append(diags, checkAfter(p)...)
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
			diags = append(diags, errorAt(b.WithinRange.Ptr(), "Invalid within",
				fmt.Sprintf("within is %q; write the deadline as a duration, e.g. \"72h\", \"24h\" or \"30d\".", *b.Within)))
		} else {
			o.Within = d
		}
	}
	if b.BusinessDays != nil {
		kinds++
		if *b.BusinessDays < 1 || *b.BusinessDays > 365 {
			diags = append(diags, errorAt(b.BDRange.Ptr(), "Invalid business_days",
				fmt.Sprintf("business_days is %d; use 1 to 365 (e.g. 4 for the SEC's Form 8-K).", *b.BusinessDays)))
		} else {
			o.BusinessDays = *b.BusinessDays
		}
	}
	if b.UndueDelay != nil && *b.UndueDelay {
		kinds++
		o.UndueDelay = true
	}
	if b.Immediately != nil && *b.Immediately {
		kinds++
		o.Immediately = true
	}
	if kinds != 1 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Say when the notice is due",
			Detail:  "Set exactly one of within (\"72h\"), business_days (4), without_undue_delay = true and immediately = true (no fixed deadline: none is invented).",
			Subject: b.DefRange.Ptr()})
	}
	if b.Approval != nil {
		o.Approval = *b.Approval
	}
	if b.DecidedBy != nil {
		switch *b.DecidedBy {
		case RoleDPO, RoleResponder, RoleAdmin:
			o.DecidedBy = *b.DecidedBy
		default:
			diags = append(diags, errorAt(b.DecidedRange.Ptr(), "Invalid decided_by",
				fmt.Sprintf("decided_by is %q; name the one role that may approve, send or rule out this notice: %q, %q or %q.", *b.DecidedBy, RoleDPO, RoleResponder, RoleAdmin)))
		}
	}
	o.Template, o.TemplateRange = "generic", b.DefRange
	if b.Template != nil {
		o.TemplateRange = b.TemplateRng
		if !validName(*b.Template) {
			diags = append(diags, errorAt(b.TemplateRng.Ptr(), "Invalid template",
				fmt.Sprintf("template is %q; name a form such as \"controller-authority\" (a file NAME.tmpl).", *b.Template)))
		} else {
			o.Template = *b.Template
		}
	}
	if b.RecName != nil {
		o.RecipientName = *b.RecName
	}
	if b.RecAddress != nil {
		o.RecipientAddress = *b.RecAddress
	}
	if b.ForEach != nil {
		if !slices.Contains(ForEachKinds(), *b.ForEach) {
			diags = append(diags, errorAt(b.ForEachRange.Ptr(), "Invalid for_each",
				fmt.Sprintf("for_each is %q; an obligation fans out over one of %s (one notice per party).", *b.ForEach, strings.Join(ForEachKinds(), ", "))))
		} else {
			o.ForEach = *b.ForEach
		}
		if strings.Contains(b.Recipient, ":") {
			diags = append(diags, errorAt(b.RecRange.Ptr(), "Invalid recipient", "A fan-out obligation's recipient cannot contain ':'; each party's key is RECIPIENT:PARTY."))
		}
	}
	if b.HeldAs != nil {
		switch {
		case *b.HeldAs != RoleController && *b.HeldAs != RoleProcessor:
			diags = append(diags, errorAt(b.HeldAsRange.Ptr(), "Invalid held_as",
				fmt.Sprintf("held_as is %q; use \"controller\" (the obligation sees only the data the company holds as controller) or \"processor\".", *b.HeldAs)))
		case o.ForEach == ForEachControllers && *b.HeldAs != RoleProcessor:
			diags = append(diags, errorAt(b.HeldAsRange.Ptr(), "Invalid held_as",
				"for_each = \"controllers\" goes to the controllers of the data held as processor; remove held_as or set it to \"processor\"."))
		default:
			o.HeldAs = *b.HeldAs
		}
	}
	if b.PublicAbove != nil {
		switch {
		case o.ForEach != ForEachDataSubjects:
			diags = append(diags, errorAt(b.PublicRange.Ptr(), "public_communication_above without data subjects",
				"public_communication_above turns a notice to each data subject into one public communication; it needs for_each = \"data_subjects\"."))
		case *b.PublicAbove < 1:
			diags = append(diags, errorAt(b.PublicRange.Ptr(), "Invalid public_communication_above",
				fmt.Sprintf("public_communication_above is %d; give the number of data subjects above which notifying each is disproportionate, e.g. 10000.", *b.PublicAbove)))
		default:
			o.PublicAbove = *b.PublicAbove
		}
	}
	if b.After != nil {
		o.After, o.AfterRange = *b.After, b.AfterRange
	}
	for _, r := range b.Reminders {
		if r <= 0 || r >= 1 {
			diags = append(diags, errorAt(b.RemindersRng.Ptr(), "Invalid reminder",
				fmt.Sprintf("%g is not a fraction of the time to the deadline; use numbers between 0 and 1, e.g. [0.5, 0.9].", r)))
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

// Organisation is the organisation block: who sends the notices, and the
// data protection officer they name.
type Organisation struct {
	Name, Address                 string
	DPOName, DPOEmail, DPOAddress string
	// TemplatesDir, when set, holds NAME.tmpl files used instead of the
	// shipped forms of the same name; absolute.
	TemplatesDir string
	// Location is the zone due times are shown in (time_zone; UTC by
	// default).
	Location *time.Location
}

type organisationBlock struct {
	Name         *string   `hcl:"name,optional"`
	Address      *string   `hcl:"address,optional"`
	DPOName      *string   `hcl:"dpo_name,optional"`
	DPOEmail     *string   `hcl:"dpo_email,optional"`
	DPOAddress   *string   `hcl:"dpo_address,optional"`
	TemplatesDir *string   `hcl:"templates_dir,optional"`
	TimeZone     *string   `hcl:"time_zone,optional"`
	TZRange      hcl.Range `hcl:"time_zone,attr_value_range"`
	DefRange     hcl.Range `hcl:",def_range"`
}

func (c *Config) decodeOrganisation(blocks []*organisationBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, b := range blocks {
		if i > 0 {
			diags = append(diags, duplicateBlock("organisation", blocks[0].DefRange, b.DefRange))
			continue
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		o := &c.Organisation
		set(&o.Name, b.Name)
		set(&o.Address, b.Address)
		set(&o.DPOName, b.DPOName)
		set(&o.DPOEmail, b.DPOEmail)
		set(&o.DPOAddress, b.DPOAddress)
		if b.TemplatesDir != nil {
			o.TemplatesDir = c.Abs(*b.TemplatesDir)
		}
		if b.TimeZone != nil {
			loc, err := time.LoadLocation(*b.TimeZone)
			if err != nil || *b.TimeZone == "" {
				diags = append(diags, errorAt(b.TZRange.Ptr(), "Unknown time_zone",
					fmt.Sprintf("time_zone is %q; write an IANA zone name such as \"Europe/London\" or \"UTC\": due times are shown in it.", *b.TimeZone)))
			} else {
				o.Location = loc
			}
		}
	}
	if c.Organisation.Location == nil {
		c.Organisation.Location = time.UTC
	}
	if c.Organisation.DPOName == "" {
		// The team's DPO, when the roster names one.
		for _, m := range c.Team {
			if m.Role == "dpo" {
				c.Organisation.DPOName, c.Organisation.DPOEmail = m.Name, m.Email
				break
			}
		}
	}
	return diags
}

// Recipient is a `recipient "KIND"` block: who, for this organisation, a
// kind of recipient of the policy packs is (the competent supervisory
// authority, the insurer, the hosting provider).
type Recipient struct {
	Kind, Name, Address, Email string
	// Phone is the number a notice by telephone is given to (the city
	// contract's clause 12.5.2); a person records the call.
	Phone string
	// Channels receive the recipient's notices once approved; none means
	// a person sends the rendered notice and records it as sent.
	Channels  []string
	ChanRange hcl.Range
	DeclRange hcl.Range
}

type recipientBlock struct {
	Kind       string    `hcl:"kind,label"`
	KindRange  hcl.Range `hcl:"kind,label_range"`
	DefRange   hcl.Range `hcl:",def_range"`
	Name       *string   `hcl:"name,optional"`
	Address    *string   `hcl:"address,optional"`
	Email      *string   `hcl:"email,optional"`
	EmailRange hcl.Range `hcl:"email,attr_value_range"`
	Phone      *string   `hcl:"phone,optional"`
	PhoneRange hcl.Range `hcl:"phone,attr_value_range"`
	Channels   []string  `hcl:"channels,optional"`
	ChanRange  hcl.Range `hcl:"channels,attr_value_range"`
}

func (c *Config) decodeRecipients(blocks []*recipientBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, b := range blocks {
		if d := checkName("recipient", b.Kind, b.KindRange, seen); d != nil {
			diags = append(diags, d)
			continue
		}
		r := &Recipient{Kind: b.Kind, ChanRange: b.DefRange, DeclRange: b.DefRange}
		if len(b.Channels) > 0 {
			r.ChanRange = b.ChanRange
		}
		if b.Name != nil {
			r.Name = *b.Name
		}
		var contact Contact
		diags = append(diags, contact.set(b.Address, b.Email, b.Phone, b.EmailRange, b.PhoneRange)...)
		r.Address, r.Email, r.Phone = contact.Address, contact.Email, contact.Phone
		for _, name := range b.Channels {
			if c.ChannelByName(name) == nil {
				diags = append(diags, errorAt(b.ChanRange.Ptr(), "Unknown channel",
					fmt.Sprintf("Recipient %q's notices go to channel %q, which is not declared; add a channel %q block or name a declared one.", b.Kind, name, name)))
			}
		}
		r.Channels = b.Channels
		c.Recipients = append(c.Recipients, r)
	}
	return diags
}

// RecipientByKind returns the recipient block of kind, or nil.
func (c *Config) RecipientByKind(kind string) *Recipient {
	for _, r := range c.Recipients {
		if r.Kind == kind {
			return r
		}
	}
	return nil
}

// checkAfter checks that each obligation's after names another
// obligation of its policy, fanning out over the same parties or not at
// all.
func checkAfter(p *Policy) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, o := range p.Obligations {
		if o.After == "" {
			continue
		}
		var first *Obligation
		var names []string
		for _, other := range p.Obligations {
			if other != o {
				names = append(names, other.Recipient)
				if other.Recipient == o.After {
					first = other
				}
			}
		}
		switch {
		case first == nil:
			diags = append(diags, errorAt(o.AfterRange.Ptr(), "Invalid after",
				fmt.Sprintf("after is %q; name the obligation of policy %s whose notice goes first: one of %s.", o.After, p.Name, strings.Join(names, ", "))))
		case first.ForEach != "" && first.ForEach != o.ForEach:
			diags = append(diags, errorAt(o.AfterRange.Ptr(), "Invalid after",
				fmt.Sprintf("obligation %s fans out over %s, %s does not: give both the same for_each so each party's notice follows its own.", o.After, first.ForEach, o.Recipient)))
		}
	}
	return diags
}
