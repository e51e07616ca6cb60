package incidents

import (
	"fmt"
	"reflect"
	"strings"
	"text/template"
	"time"

	"github.com/breachd/breachd/configs"
)

// Notice is an obligation's notice as it would be sent: the form filled
// with what the incident holds, and what it still lacks.
type Notice struct {
	Template string `json:"template"`
	Text     string `json:"text"`
	// Missing lists the facts the incident does not have yet; each is
	// shown as [missing: ...] in Text, never left blank, and a notice
	// with one cannot be approved.
	Missing []string `json:"missing"`
}

// noticeData is what a form sees.
type noticeData struct {
	Company, CompanyAddress  string
	Recipient, RecipientKind string
	// RecipientName, RecipientAddress and RecipientPhone say who this
	// notice goes to: one party of a fan-out obligation, never the
	// others.
	RecipientName, RecipientAddress, RecipientPhone string
	Policy                                          string
	// Date is when the breach occurred; Discovered when the company
	// became aware of it (aware_at, the clock the deadlines run from).
	// Every date is in the organisation's time zone, named.
	Date, Discovered   string
	Nature, Categories string
	Subjects, Records  int64
	// PersonalData: personal data is in scope (else only Non-Public
	// Data, which has records but no data subjects).
	PersonalData                  bool
	Consequences, Measures        string
	Effects                       []string
	CausedBy                      string
	DPOName, DPOEmail, DPOAddress string
	Now                           string
	Late                          bool
	DelayReason                   string
	// The incident as it stands: what the first word to management says.
	IncidentID                  int64
	Title, Severity, Host       string
	Origin, Reporter            string
	Risk, SuggestedRisk, Status string
	// Customers are the customers in scope; Deadlines the due times of
	// the policy's obligations for this incident, by recipient, in the
	// organisation's time zone (absent when none is set).
	Customers string
	Deadlines map[string]string
}

// RenderNotice fills the form of obligation o (of policy p) for inc,
// reading and parsing the form first; the manager renders the form its
// policies loaded with the config.
func RenderNotice(cfg *configs.Config, p *configs.Policy, o *configs.Obligation, ob Obligation, inc *Incident, now time.Time) (Notice, error) {
	form, err := loadNotice(cfg, o)
	if err != nil {
		return Notice{Template: o.Template, Missing: []string{}}, err
	}
	return renderNotice(cfg, p, o, form, ob, inc, RecipientContact(cfg, o, ob.Recipient, inc), now)
}

// RecipientContact is who obligation o's notice under key goes to: for a
// fan-out obligation the one party of key, at the name and address its
// asset gives (never a global recipient block's); else the recipient
// block of its kind, or the name and address the pack gives. A data
// subject's contact comes from the uploaded list (Manager.Notice).
func RecipientContact(cfg *configs.Config, o *configs.Obligation, key string, inc *Incident) configs.Contact {
	_, party := configs.SplitRecipientKey(key)
	switch o.ForEach {
	case configs.ForEachControllers, configs.ForEachCustomers, configs.ForEachCounterparties:
		if party == "" {
			return configs.Contact{}
		}
		c, _ := cfg.Contact(o.ForEach, party)
		c.Name = party
		if r := cfg.RecipientByKind(o.Recipient); o.ForEach == configs.ForEachCounterparties && !c.Known() && r.ContactBlock() {
			// The block of a config whose assets name one
			// counterparty only (checked at load).
			c = configs.Contact{Name: r.Name, Address: r.Address, Email: r.Email, Phone: r.Phone}
			if c.Name == "" {
				c.Name = party
			}
		}
		return c
	case configs.ForEachDataSubjects:
		if party == PublicParty {
			return configs.Contact{Name: "the public"}
		}
		return configs.Contact{}
	}
	c := configs.Contact{Name: o.RecipientName, Address: o.RecipientAddress}
	if r := cfg.RecipientByKind(o.Recipient); r != nil {
		c.Email, c.Phone = r.Email, r.Phone
		if r.Name != "" {
			c.Name, c.Address = r.Name, r.Address
		}
	}
	if c.Name == "" && inc != nil {
		switch o.Recipient {
		case "counterparty":
			c.Name = strings.Join(inc.Scope.Counterparties, ", ")
		case "controller":
			c.Name = strings.Join(inc.Scope.Controllers, ", ")
		}
	}
	return c
}

// renderNotice fills form, obligation o's parsed form, for inc, addressed
// to to.
func renderNotice(cfg *configs.Config, p *configs.Policy, o *configs.Obligation, form *template.Template, ob Obligation, inc *Incident, to configs.Contact, now time.Time) (Notice, error) {
	n := Notice{Template: o.Template, Missing: []string{}}
	org := cfg.Organisation
	// The data this notice concerns: the assets held in the obligation's
	// role, one party's own assets; never another party's.
	sc, _ := viewFor(o, ob.Recipient, inc.Scope)
	d := noticeData{
		Company: strings.TrimSpace(org.Name + "\n" + org.Address), RecipientKind: o.Recipient, Policy: p.Name,
		Nature: inc.Facts.Nature, Categories: strings.Join(sc.DataCategories, ", "),
		Subjects: sc.DataSubjects, Records: sc.Records, PersonalData: sc.PersonalData(),
		Consequences: inc.Facts.Consequences, Measures: inc.Facts.Measures, Effects: inc.Facts.printedEffects(), CausedBy: inc.Facts.CausedBy,
		DPOName: org.DPOName, DPOEmail: org.DPOEmail, DPOAddress: org.DPOAddress,
		IncidentID: inc.ID, Title: inc.Title, Severity: inc.Severity, Host: inc.Host, Origin: inc.Origin, Reporter: inc.Reporter,
		Risk: string(inc.Risk), SuggestedRisk: string(inc.SuggestedRisk), Status: string(inc.Status),
		Customers: strings.Join(sc.Customers, ", "), Deadlines: map[string]string{},
	}
	loc := org.Location
	if loc == nil {
		loc = time.UTC
	}
	d.Now = noticeTime(now, loc, "2006-01-02 15:04 MST")
	for _, other := range p.Obligations {
		if _, due := deadline(p, other, inc); due != nil {
			d.Deadlines[other.Recipient] = noticeTime(*due, loc, "2 January 2006 15:04 MST")
		}
	}
	if d.Nature == "" {
		d.Nature = inc.Description
	}
	if inc.OccurredAt != nil {
		d.Date = noticeDate(*inc.OccurredAt, loc)
	}
	if !inc.AwareAt.IsZero() {
		d.Discovered = noticeDate(inc.AwareAt, loc)
	}
	d.RecipientName, d.RecipientAddress, d.RecipientPhone = to.Name, to.Address, to.Phone
	d.Recipient = strings.TrimSpace(to.Name + "\n" + to.Address)
	if sc.NonPublicData {
		// The contract's own data class (12.6.2), named beside the
		// personal data categories.
		d.Categories = strings.TrimPrefix(d.Categories+", Non-Public Data (confidential, not personal)", ", ")
	}
	if ob.DueAt != nil && now.After(*ob.DueAt) {
		d.Late = true
		d.DelayReason = inc.Facts.DelayReason
	}
	seen := map[string]bool{}
	need := func(label string, v any) any {
		rv := reflect.ValueOf(v)
		if !rv.IsValid() || rv.IsZero() || (rv.Kind() == reflect.Slice && rv.Len() == 0) {
			if !seen[label] {
				seen[label] = true
				n.Missing = append(n.Missing, label)
			}
			if rv.IsValid() && rv.Kind() == reflect.Slice {
				return []string{"[missing: " + label + "]"}
			}
			return "[missing: " + label + "]"
		}
		return v
	}
	// A clone per render: the form is shared, need is this render's.
	t, err := form.Clone()
	if err != nil {
		return n, fmt.Errorf("template %s: %w", o.Template, err)
	}
	t.Funcs(template.FuncMap{"need": need})
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return n, fmt.Errorf("template %s: %w", o.Template, err)
	}
	n.Text = b.String()
	return n, nil
}

// loadNotice reads obligation o's form and parses it, so that a mistake
// shows when the config loads, not when a notice is due. Rendering binds
// its own need function to a clone.
func loadNotice(cfg *configs.Config, o *configs.Obligation) (*template.Template, error) {
	src, err := cfg.NoticeTemplate(o.Template)
	if err != nil {
		return nil, err
	}
	t, err := template.New(o.Template).Funcs(template.FuncMap{"need": func(_ string, v any) any { return v }}).
		Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", o.Template, err)
	}
	return t, nil
}

// noticeSubjects says what each shipped form is, for its subject line;
// a form not named here (generic, or an operator's own) is a security
// incident notice.
var noticeSubjects = map[string]string{
	"controller-authority": "personal data breach notification",
	"controller-subject":   "personal data breach notification",
	"processor-controller": "personal data breach notification",
	"counterparty":         "security incident notification",
	"customer":             "security incident notification",
	"hosting-provider":     "security incident notification",
	"insurer":              "cyber incident notice and claim",
	"law-enforcement":      "report of a criminal intrusion",
	"management":           "security incident notice to executive management",
	"removal-request":      "request to remove sensitive data from our systems",
	"removal-follow-up":    "follow-up: sensitive data still to be removed from our systems",
}

// noticeSubject names a notice for its recipient: the organisation,
// what the notice is (by its form, template), the policy and the
// incident.
func noticeSubject(cfg *configs.Config, ob Obligation, template string) string {
	org := cfg.Organisation.Name
	if org == "" {
		org = "breachd"
	}
	what, ok := noticeSubjects[template]
	if !ok {
		what = "security incident notification"
	}
	if _, n := UpdateBase(ob.Recipient); n > 0 {
		return fmt.Sprintf("%s: %s, update %d (%s, incident %d)", org, what, n, ob.Policy, ob.IncidentID)
	}
	return fmt.Sprintf("%s: %s (%s, incident %d)", org, what, ob.Policy, ob.IncidentID)
}
