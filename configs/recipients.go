package configs

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Fan-out of an obligation (for_each): one obligation, notice and delivery
// record per affected customer, per controller, or per data subject of the
// list the DPO uploads.
const (
	ForEachCustomers    = "customers"
	ForEachControllers  = "controllers"
	ForEachDataSubjects = "data_subjects"
	// ForEachCounterparties: each contract counterparty of the assets in
	// scope, at the counterparty_* contact its asset gives.
	ForEachCounterparties = "counterparties"
)

// ForEachKinds lists what an obligation can fan out over.
func ForEachKinds() []string {
	return []string{ForEachCustomers, ForEachControllers, ForEachCounterparties, ForEachDataSubjects}
}

// Contact is where a notice goes: a party's name, postal address, email
// and phone number. An empty field is unknown (a notice that needs it
// lists it as missing).
type Contact struct {
	Name, Address, Email, Phone string
	DeclRange                   hcl.Range
}

// set takes the address, email and phone given (nil: not given), checking
// the email and the phone at their ranges.
func (c *Contact) set(address, email, phone *string, emailRange, phoneRange hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if address != nil {
		c.Address = *address
	}
	if email != nil {
		if d := checkEmail(*email, emailRange); d != nil {
			diags = append(diags, d)
		}
		c.Email = *email
	}
	if phone != nil {
		if d := checkPhone(*phone, phoneRange); d != nil {
			diags = append(diags, d)
		}
		c.Phone = *phone
	}
	return diags
}

type contactBlock struct {
	Name       string    `hcl:"name,label"`
	NameRange  hcl.Range `hcl:"name,label_range"`
	DefRange   hcl.Range `hcl:",def_range"`
	Address    *string   `hcl:"address,optional"`
	Email      *string   `hcl:"email,optional"`
	EmailRange hcl.Range `hcl:"email,attr_value_range"`
	Phone      *string   `hcl:"phone,optional"`
	PhoneRange hcl.Range `hcl:"phone,attr_value_range"`
}

// phonePattern is what a phone number may look like: digits with an
// optional leading + and spaces, dots, dashes or parentheses.
var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ().-]{3,30}$`)

func checkEmail(v string, rng hcl.Range) *hcl.Diagnostic {
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
		return errorAt(rng.Ptr(), "Invalid email", fmt.Sprintf("%q is not an email address; write it bare, e.g. \"dpo@acme.example\".", v))
	}
	return nil
}

func checkPhone(v string, rng hcl.Range) *hcl.Diagnostic {
	if !phonePattern.MatchString(v) {
		return errorAt(rng.Ptr(), "Invalid phone", fmt.Sprintf("%q is not a phone number; write digits with an optional leading +, e.g. \"+1 210 555 0100\".", v))
	}
	return nil
}

// decodeAssetContacts reads where an asset's controller and customers are
// reached.
func decodeAssetContacts(a *Asset, b *assetBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	a.NonPublicData = b.NonPublicData != nil && *b.NonPublicData
	a.ControllerContact = Contact{Name: a.Controller, DeclRange: b.DefRange}
	diags = append(diags, a.ControllerContact.set(b.ControllerAddress, b.ControllerEmail, b.ControllerPhone, b.ControllerEmailRng, b.ControllerPhoneRng)...)
	if a.Role != RoleProcessor && (b.ControllerAddress != nil || b.ControllerEmail != nil || b.ControllerPhone != nil) {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Controller contact on a controller's asset",
			fmt.Sprintf("Asset %q is held as controller, so it has no other controller to notify; set role = \"processor\" and controller = \"...\", or remove controller_address/controller_email/controller_phone.", a.Name)))
	}
	a.CounterpartyContact = Contact{Name: a.Counterparty, DeclRange: b.DefRange}
	diags = append(diags, a.CounterpartyContact.set(b.CounterpartyAddress, b.CounterpartyEmail, b.CounterpartyPhone, b.CounterpartyEmailRng, b.CounterpartyPhoneRng)...)
	if a.Counterparty == "" && (b.CounterpartyAddress != nil || b.CounterpartyEmail != nil || b.CounterpartyPhone != nil) {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Counterparty contact without a counterparty",
			fmt.Sprintf("Asset %q names no counterparty; add counterparty = \"...\" (the contract's other party), or remove counterparty_address/counterparty_email/counterparty_phone.", a.Name)))
	}
	seen := map[string]hcl.Range{}
	for _, cb := range b.CustomerBlocks {
		if first, ok := seen[cb.Name]; ok {
			diags = append(diags, errorAt(cb.NameRange.Ptr(), "Duplicate customer", fmt.Sprintf("Customer %q is already declared at %s.", cb.Name, first)))
			continue
		}
		seen[cb.Name] = cb.NameRange
		if b.Customers != nil && !slices.Contains(b.Customers, cb.Name) {
			// A misspelt name would leave the listed customer without
			// an address and give one to a customer that is not there.
			diags = append(diags, errorAt(cb.NameRange.Ptr(), "Customer not listed",
				fmt.Sprintf("Customer %q is not among asset %q's customers (%s): its contact would reach no customer in scope, and the listed one would have no address. Write the name exactly as listed, or add it to customers.", cb.Name, a.Name, quoteList(b.Customers))))
			continue
		}
		c := Contact{Name: cb.Name, DeclRange: cb.DefRange}
		diags = append(diags, c.set(cb.Address, cb.Email, cb.Phone, cb.EmailRange, cb.PhoneRange)...)
		a.CustomerContacts = append(a.CustomerContacts, c)
		if !slices.Contains(a.Customers, cb.Name) {
			a.Customers = append(a.Customers, cb.Name)
		}
	}
	return diags
}

// quoteList is names quoted and joined: "a", "b"; "none" for no name.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// RecipientKey names one recipient of a fan-out obligation: the
// obligation's recipient, a colon and the party ("customer:Acme Corp").
// An obligation that does not fan out keeps its recipient as its key.
func RecipientKey(kind, party string) string { return kind + ":" + party }

// SplitRecipientKey returns the obligation's recipient and the party of a
// key ("" when the obligation does not fan out).
func SplitRecipientKey(key string) (kind, party string) {
	kind, party, _ = strings.Cut(key, ":")
	return kind, party
}

// Contact returns where the party of a fan-out obligation is reached: the
// controller named by a processor's asset, or a customer of an asset. The
// first asset that names the party and says where it is wins; ok is false
// when no asset names the party.
func (c *Config) Contact(forEach, party string) (Contact, bool) {
	var found Contact
	ok := false
	for _, a := range c.Assets {
		k, named := a.contact(forEach, party)
		if named && (!ok || (!found.Known() && k.Known())) {
			found, ok = k, true
		}
	}
	return found, ok
}

// contact is where asset a says party is reached, and whether a names it.
func (a *Asset) contact(forEach, party string) (Contact, bool) {
	switch forEach {
	case ForEachControllers:
		if a.Role == RoleProcessor && a.Controller == party {
			return a.ControllerContact, true
		}
	case ForEachCounterparties:
		if a.Counterparty == party {
			return a.CounterpartyContact, true
		}
	case ForEachCustomers:
		for _, cc := range a.CustomerContacts {
			if cc.Name == party {
				return cc, true
			}
		}
		if slices.Contains(a.Customers, party) {
			return Contact{Name: party}, true
		}
	}
	return Contact{}, false
}

// Known reports whether the contact says more than the name.
// Known says whether the contact gives any way to reach it.
func (c Contact) Known() bool { return c.Address != "" || c.Email != "" || c.Phone != "" }

// checkReachable reports, at load, every recipient that a channel of its
// notices cannot reach: an smtp channel needs the recipient's email. For
// a fan-out obligation each party on the assets is checked, and a
// recipient block of that kind may only name channels: the name and
// address come from each asset, so a global block cannot send the notice
// to the wrong party.
func (c *Config) checkReachable() hcl.Diagnostics {
	var diags hcl.Diagnostics
	smtpOf := func(r *Recipient) string {
		if r == nil {
			return ""
		}
		for _, name := range r.Channels {
			if ch := c.ChannelByName(name); ch != nil && ch.Kind == ChannelSMTP {
				return name
			}
		}
		return ""
	}
	// The team's messages (pages, reminders, dead letters) go to an smtp
	// channel's own to; one without is for notices only.
	teamMail := func(names []string, rng hcl.Range, what string) {
		for _, name := range names {
			if ch := c.ChannelByName(name); ch != nil && ch.Kind == ChannelSMTP && len(ch.To) == 0 {
				diags = append(diags, errorAt(rng.Ptr(), "Channel has no one to mail",
					fmt.Sprintf("%s names smtp channel %q, which has no to or to_roles: the team's messages need them (a notice goes to its recipient's email). Add to = [\"...\"] to the channel.", what, name)))
			}
		}
	}
	for _, r := range c.Routes {
		teamMail(r.Channels, r.DeclRange, fmt.Sprintf("Route %q", r.Name))
	}
	n := c.Notifications
	teamMail(n.DeadLetterChannels, n.DeclRange, "dead_letter_channels")
	teamMail(n.ReminderChannels, n.DeclRange, "reminder_channels")
	teamMail(n.EscalationChannels, n.DeclRange, "escalation_channels")
	checked := map[string]bool{}
	for _, p := range c.Policies {
		for _, o := range p.Obligations {
			r := c.RecipientByKind(o.Recipient)
			if checked[o.Recipient] || r == nil {
				continue
			}
			checked[o.Recipient] = true
			mail := smtpOf(r)
			switch o.ForEach {
			case "":
				if mail != "" && r.Email == "" {
					diags = append(diags, errorAt(r.ChanRange.Ptr(), "Recipient cannot be mailed",
						fmt.Sprintf("Recipient %q's notices go to smtp channel %q, but it has no email: add email = \"...\" to the recipient block, or send them another way.", r.Kind, mail)))
				}
			case ForEachCounterparties:
				diags = append(diags, c.checkCounterparties(p, o, r, mail)...)
			default:
				if r.Name != "" || r.Address != "" || r.Email != "" || r.Phone != "" {
					diags = append(diags, errorAt(r.DeclRange.Ptr(), "Recipient of a fan-out obligation",
						fmt.Sprintf("Obligation %s → %s goes to each of the incident's %s, at the name and address its asset gives; this block may only name channels. Put name, address, email and phone on the assets.", p.Name, o.Recipient, o.ForEach)))
				}
				if mail == "" {
					continue
				}
				for _, a := range c.Assets {
					switch o.ForEach {
					case ForEachControllers:
						if a.Role == RoleProcessor && a.ControllerContact.Email == "" {
							diags = append(diags, errorAt(a.DeclRange.Ptr(), "Controller cannot be mailed",
								fmt.Sprintf("Controller %q of asset %q gets its notice through smtp channel %q, but has no email: add controller_email = \"...\" to the asset.", a.Controller, a.Name, mail)))
						}
					case ForEachCustomers:
						for _, name := range a.Customers {
							email := ""
							for _, cc := range a.CustomerContacts {
								if cc.Name == name {
									email = cc.Email
								}
							}
							if email == "" {
								diags = append(diags, errorAt(a.DeclRange.Ptr(), "Customer cannot be mailed",
									fmt.Sprintf("Customer %q of asset %q gets its notice through smtp channel %q, but has no email: add customer %q { email = \"...\" } to the asset.", name, a.Name, mail, name)))
							}
						}
					}
				}
			}
		}
	}
	return diags
}

// ContactBlock reports whether recipient block r names where to reach
// its recipient (name, address, email or phone), not only channels.
func (r *Recipient) ContactBlock() bool {
	return r != nil && (r.Name != "" || r.Address != "" || r.Email != "" || r.Phone != "")
}

// Counterparties lists the distinct contract counterparties the assets
// name, in order.
func (c *Config) Counterparties() []string {
	var out []string
	for _, a := range c.Assets {
		if a.Counterparty != "" && !slices.Contains(out, a.Counterparty) {
			out = append(out, a.Counterparty)
		}
	}
	return out
}

// checkCounterparties checks obligation o of policy p, which goes to each
// counterparty, with its recipient block r (mail: its smtp channel, if
// any). Each counterparty is reached at the counterparty_* contact its
// asset gives; the block's own name, address, email and phone are the
// fallback of a config whose assets name one counterparty only (as
// before counterparties fanned out), and refused with two or more: they
// would send every counterparty's notice to the same place.
func (c *Config) checkCounterparties(p *Policy, o *Obligation, r *Recipient, mail string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := c.Counterparties()
	fallback := r.ContactBlock()
	if fallback && len(names) > 1 {
		diags = append(diags, errorAt(r.DeclRange.Ptr(), "Recipient of a fan-out obligation",
			fmt.Sprintf("Obligation %s → %s goes to each counterparty (%s), each at the contact its asset gives; this block may only name channels while the assets name more than one counterparty. Put counterparty_address, counterparty_email and counterparty_phone on the assets.", p.Name, o.Recipient, strings.Join(names, ", "))))
		return diags
	}
	if mail == "" {
		return diags
	}
	for _, a := range c.Assets {
		if a.Counterparty != "" && a.CounterpartyContact.Email == "" && !(fallback && r.Email != "") {
			diags = append(diags, errorAt(a.DeclRange.Ptr(), "Counterparty cannot be mailed",
				fmt.Sprintf("Counterparty %q of asset %q gets its notice through smtp channel %q, but has no email: add counterparty_email = \"...\" to the asset.", a.Counterparty, a.Name, mail)))
		}
	}
	return diags
}
