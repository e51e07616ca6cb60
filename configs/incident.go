package configs

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults of the incidents block.
const (
	// DefaultRetention is how long decisions, notices and evidence are
	// kept: five years.
	DefaultRetention = 5 * 365 * 24 * time.Hour
	// MinRetention is the shortest retention accepted: below a year a
	// register of decisions is no record at all. The store's trigger
	// holds the same floor.
	MinRetention = 365 * 24 * time.Hour
	// DefaultEvidenceLines is how many matched lines an incident keeps.
	DefaultEvidenceLines = 20
	// DefaultHighRiskSubjects is the number of data subjects from which an
	// unencrypted personal-data breach is suggested as high risk.
	DefaultHighRiskSubjects = 1000
)

// DefaultHighRiskCategories are data categories whose exposure is suggested
// as high risk: the identifiers a contract's "Data Breach" names, special categories (GDPR Art. 9) and
// credentials.
var defaultHighRiskCategories = []string{
	"ssn", "national_id", "passport", "drivers_licence", "financial_account", "bank_account",
	"card_number", "health", "biometric", "genetic", "credentials", "children",
}

// DefaultHighRiskCategories returns a fresh copy of the default list.
func DefaultHighRiskCategories() []string { return slices.Clone(defaultHighRiskCategories) }

// Incidents is the incidents block: how findings become incidents, what a
// breach costs, and how long records are kept.
type Incidents struct {
	// ReopenWithin: a finding whose incident was closed less than this ago
	// reopens it; later ones open a new incident. 0 never reopens.
	ReopenWithin time.Duration
	// CostPerRecord is the cost exposure per affected record, in
	// Currency.
	CostPerRecord float64
	Currency      string
	// EvidenceLines caps the matched lines kept per incident.
	EvidenceLines int
	// Retention is how long decisions, notices and evidence are kept;
	// the register is kept permanently.
	Retention time.Duration
	// HighRiskCategories and HighRiskSubjects drive the suggested risk.
	HighRiskCategories []string
	HighRiskSubjects   int64
	DeclRange          hcl.Range
}

// Role of the organisation for an asset's personal data.
const (
	RoleController = "controller"
	RoleProcessor  = "processor"
)

// Asset is an `asset "NAME"` block: something that holds data, found on
// hosts or services, whose breach has a scope.
type Asset struct {
	Name     string
	Hosts    []string
	Services []string
	// DataCategories are the kinds of personal data held ("name", "email",
	// "card_number", ...); empty means no personal data.
	DataCategories []string
	DataSubjects   int64
	Records        int64
	// EncryptedAtRest and KeysExposed decide whether a breach of the
	// asset is a "Data Breach" in the sense of P6.
	EncryptedAtRest bool
	KeysExposed     bool
	// Role is "controller" or "processor".
	Role string
	// Controller names the controller when Role is "processor", and
	// ControllerContact says where its notice goes (Appendix 2: its name
	// and address).
	Controller        string
	ControllerContact Contact
	// NonPublicData: the asset holds the contract's Non-Public Data
	// (confidential, not personal; clause 12.6.2), a data class of its
	// own beside the personal data categories.
	NonPublicData bool
	// CustomerContacts say where each customer's notice goes.
	CustomerContacts []Contact
	// Counterparty is the contract counterparty to notify.
	Counterparty string
	Customers    []string
	// Jurisdictions are where the data subjects live and where the data
	// is processed: ISO 3166 codes ("US", "DE", "US-CA") or "EU"/"EEA".
	// Empty means not declared (unknown).
	Jurisdictions []string
	NameRange     hcl.Range
	DeclRange     hcl.Range

	// CounterpartyContact says where the counterparty's notice goes.
	CounterpartyContact Contact
}

// Token roles: viewers read; responders record the team's decisions;
// the DPO alone writes the register; admins operate breachd.
const (
	RoleViewer    = "viewer"
	RoleResponder = "responder"
	RoleDPO       = "dpo"
	RoleAdmin     = "admin"
)

// TokenRoles lists the roles a token may have.
func TokenRoles() []string { return []string{RoleViewer, RoleResponder, RoleDPO, RoleAdmin} }

// Token is a `token "PRINCIPAL"` block: an API bearer token, stored as the
// SHA-256 of its value, whose requests are attributed to the principal.
type Token struct {
	Principal string
	Role      string
	SHA256    [32]byte
	DeclRange hcl.Range
}

type incidentsBlock struct {
	ReopenWithin       *string   `hcl:"reopen_within,optional"`
	ReopenWithinRange  hcl.Range `hcl:"reopen_within,attr_value_range"`
	CostPerRecord      *float64  `hcl:"cost_per_record,optional"`
	CostRange          hcl.Range `hcl:"cost_per_record,attr_value_range"`
	Currency           *string   `hcl:"currency,optional"`
	CurrencyRange      hcl.Range `hcl:"currency,attr_value_range"`
	EvidenceLines      *int      `hcl:"evidence_lines,optional"`
	EvidenceLinesRange hcl.Range `hcl:"evidence_lines,attr_value_range"`
	Retention          *string   `hcl:"retention,optional"`
	RetentionRange     hcl.Range `hcl:"retention,attr_value_range"`
	HighRiskCategories []string  `hcl:"high_risk_categories,optional"`
	HighRiskSubjects   *int64    `hcl:"high_risk_subjects,optional"`
	HighRiskSubjRange  hcl.Range `hcl:"high_risk_subjects,attr_value_range"`
	PolicyPacks        []string  `hcl:"policy_packs,optional"`
	PolicyPacksRange   hcl.Range `hcl:"policy_packs,attr_value_range"`
	DefRange           hcl.Range `hcl:",def_range"`
}

type assetBlock struct {
	Name               string          `hcl:"name,label"`
	NameRange          hcl.Range       `hcl:"name,label_range"`
	DefRange           hcl.Range       `hcl:",def_range"`
	Hosts              []string        `hcl:"hosts,optional"`
	Services           []string        `hcl:"services,optional"`
	DataCategories     []string        `hcl:"data_categories,optional"`
	DataCategoriesRng  hcl.Range       `hcl:"data_categories,attr_value_range"`
	DataSubjects       *int64          `hcl:"data_subjects,optional"`
	DataSubjectsRange  hcl.Range       `hcl:"data_subjects,attr_value_range"`
	Records            *int64          `hcl:"records,optional"`
	RecordsRange       hcl.Range       `hcl:"records,attr_value_range"`
	EncryptedAtRest    *bool           `hcl:"encrypted_at_rest,optional"`
	KeysExposed        *bool           `hcl:"keys_exposed,optional"`
	Role               *string         `hcl:"role,optional"`
	RoleRange          hcl.Range       `hcl:"role,attr_value_range"`
	Controller         *string         `hcl:"controller,optional"`
	ControllerAddress  *string         `hcl:"controller_address,optional"`
	ControllerEmail    *string         `hcl:"controller_email,optional"`
	ControllerEmailRng hcl.Range       `hcl:"controller_email,attr_value_range"`
	ControllerPhone    *string         `hcl:"controller_phone,optional"`
	ControllerPhoneRng hcl.Range       `hcl:"controller_phone,attr_value_range"`
	NonPublicData      *bool           `hcl:"non_public_data,optional"`
	CustomerBlocks     []*contactBlock `hcl:"customer,block"`
	Counterparty       *string         `hcl:"counterparty,optional"`
	Customers          []string        `hcl:"customers,optional"`
	Jurisdictions      []string        `hcl:"jurisdictions,optional"`
	JurisdictionsRange hcl.Range       `hcl:"jurisdictions,attr_value_range"`

	// Where the counterparty's notice goes.
	CounterpartyAddress  *string   `hcl:"counterparty_address,optional"`
	CounterpartyEmail    *string   `hcl:"counterparty_email,optional"`
	CounterpartyEmailRng hcl.Range `hcl:"counterparty_email,attr_value_range"`
	CounterpartyPhone    *string   `hcl:"counterparty_phone,optional"`
	CounterpartyPhoneRng hcl.Range `hcl:"counterparty_phone,attr_value_range"`
}

type tokenBlock struct {
	Principal      string    `hcl:"principal,label"`
	PrincipalRange hcl.Range `hcl:"principal,label_range"`
	DefRange       hcl.Range `hcl:",def_range"`
	Role           string    `hcl:"role"`
	RoleRange      hcl.Range `hcl:"role,attr_value_range"`
	SHA256         string    `hcl:"sha256"`
	SHA256Range    hcl.Range `hcl:"sha256,attr_value_range"`
}

// principalPattern is what a token's principal may look like.
var principalPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._@-]{0,63}$`)

// ValidPrincipal says whether name may be a token's principal: letters,
// digits and . _ - @, starting with a letter, at most 64 characters.
func ValidPrincipal(name string) bool { return principalPattern.MatchString(name) }

// categoryPattern is what a data category may look like.
var categoryPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ParseLongDuration parses a Go duration, or a whole number of days ("30d")
// or years of 365 days ("5y").
func ParseLongDuration(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "y": 365 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseInt(n, 10, 32)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("%q is not a duration", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	return d, nil
}

func (c *Config) decodeIncidents(blocks []*incidentsBlock) hcl.Diagnostics {
	c.Incidents = Incidents{
		Currency:           "USD",
		EvidenceLines:      DefaultEvidenceLines,
		Retention:          DefaultRetention,
		HighRiskCategories: DefaultHighRiskCategories(),
		HighRiskSubjects:   DefaultHighRiskSubjects,
	}
	if len(blocks) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	for _, extra := range blocks[1:] {
		diags = append(diags, duplicateBlock("incidents", blocks[0].DefRange, extra.DefRange))
	}
	b := blocks[0]
	in := &c.Incidents
	in.DeclRange = b.DefRange
	longDuration := func(attr string, s *string, rng hcl.Range, min time.Duration) (time.Duration, bool) {
		d, err := ParseLongDuration(*s)
		if err != nil || d < min {
			diags = append(diags, errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s", attr), fmt.Sprintf("%s is %q; write a duration of at least %s such as %s.", attr, *s, fmtDays(min), durationExamples(min))))
			return 0, false
		}
		return d, true
	}
	if b.ReopenWithin != nil {
		if d, ok := longDuration("reopen_within", b.ReopenWithin, b.ReopenWithinRange, 0); ok {
			in.ReopenWithin = d
		}
	}
	if b.Retention != nil {
		if d, ok := longDuration("retention", b.Retention, b.RetentionRange, MinRetention); ok {
			in.Retention = d
		}
	}
	if b.CostPerRecord != nil {
		if *b.CostPerRecord < 0 {
			diags = append(diags, errorAt(b.CostRange.Ptr(), "Invalid cost_per_record", "cost_per_record is the average cost of one breached record (e.g. 225, the Ponemon figure of P21); it cannot be negative."))
		} else {
			in.CostPerRecord = *b.CostPerRecord
		}
	}
	if b.Currency != nil {
		if len(*b.Currency) != 3 || strings.ToUpper(*b.Currency) != *b.Currency {
			diags = append(diags, errorAt(b.CurrencyRange.Ptr(), "Invalid currency", fmt.Sprintf("currency is %q; write an ISO 4217 code such as \"USD\" or \"EUR\".", *b.Currency)))
		} else {
			in.Currency = *b.Currency
		}
	}
	if b.EvidenceLines != nil {
		if n := *b.EvidenceLines; n < 1 || n > 1000 {
			diags = append(diags, errorAt(b.EvidenceLinesRange.Ptr(), "Invalid evidence_lines", fmt.Sprintf("evidence_lines is %d; keep 1 to 1000 matched lines per incident (default %d). Further findings are counted, not stored.", n, DefaultEvidenceLines)))
		} else {
			in.EvidenceLines = n
		}
	}
	if b.HighRiskCategories != nil {
		in.HighRiskCategories = b.HighRiskCategories
	}
	for _, name := range b.PolicyPacks {
		diags = append(diags, c.loadPolicyPack(name, b.PolicyPacksRange)...)
	}
	if b.HighRiskSubjects != nil {
		if *b.HighRiskSubjects < 1 {
			diags = append(diags, errorAt(b.HighRiskSubjRange.Ptr(), "Invalid high_risk_subjects", "high_risk_subjects is the number of affected data subjects from which a breach is suggested as high risk; use 1 or more."))
		} else {
			in.HighRiskSubjects = *b.HighRiskSubjects
		}
	}
	return diags
}

func fmtDays(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	return fmt.Sprintf("%dd", d/(24*time.Hour))
}

func (c *Config) decodeAssets(blocks []*assetBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, b := range blocks {
		if d := checkName("asset", b.Name, b.NameRange, seen); d != nil {
			diags = append(diags, d)
			continue
		}
		a := &Asset{
			Name: b.Name, Hosts: b.Hosts, Services: b.Services, DataCategories: b.DataCategories,
			Customers: b.Customers, Jurisdictions: b.Jurisdictions, Role: RoleController,
			NameRange: b.NameRange, DeclRange: b.DefRange,
		}
		for _, j := range b.Jurisdictions {
			if !jurisdictionPattern.MatchString(j) {
				diags = append(diags, errorAt(b.JurisdictionsRange.Ptr(), "Invalid jurisdiction", fmt.Sprintf("%q is not a jurisdiction; write where the data subjects live and where the data is processed as ISO 3166 codes: a country (\"US\", \"DE\"), a subdivision (\"US-CA\"), or \"EU\"/\"EEA\".", j)))
			}
		}
		for _, cat := range b.DataCategories {
			if !categoryPattern.MatchString(cat) {
				diags = append(diags, errorAt(b.DataCategoriesRng.Ptr(), "Invalid data category", fmt.Sprintf("%q is not a data category name; use lower-case words joined by '_', e.g. \"email\", \"card_number\", \"health\".", cat)))
			}
		}
		count := func(attr string, v *int64, rng hcl.Range) int64 {
			if v == nil {
				return 0
			}
			if *v < 0 {
				diags = append(diags, errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s", attr), fmt.Sprintf("%s is a count (approximate is fine); it cannot be negative.", attr)))
				return 0
			}
			return *v
		}
		a.DataSubjects = count("data_subjects", b.DataSubjects, b.DataSubjectsRange)
		a.Records = count("records", b.Records, b.RecordsRange)
		a.EncryptedAtRest = b.EncryptedAtRest != nil && *b.EncryptedAtRest
		a.KeysExposed = b.KeysExposed != nil && *b.KeysExposed
		if b.Role != nil {
			switch *b.Role {
			case RoleController, RoleProcessor:
				a.Role = *b.Role
			default:
				diags = append(diags, errorAt(b.RoleRange.Ptr(), "Invalid role", fmt.Sprintf("role is %q; use \"controller\" (you decide why the data is processed) or \"processor\" (you process it for a controller).", *b.Role)))
			}
		}
		if b.Controller != nil {
			a.Controller = *b.Controller
		}
		if b.Counterparty != nil {
			a.Counterparty = *b.Counterparty
		}
		if a.Role == RoleProcessor && a.Controller == "" {
			diags = append(diags, errorAt(b.RoleRange.Ptr(), "Processor asset without a controller", "A processor notifies its controller of a breach; name it with controller = \"...\"."))
		}
		diags = append(diags, decodeAssetContacts(a, b)...)
		c.Assets = append(c.Assets, a)
	}
	return diags
}

func (c *Config) decodeTokens(blocks []*tokenBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	hashes := map[[32]byte]string{}
	for _, b := range blocks {
		if !ValidPrincipal(b.Principal) {
			diags = append(diags, errorAt(b.PrincipalRange.Ptr(), "Invalid token principal", fmt.Sprintf("%q is not a principal name: use letters, digits and . _ - @ (a login or an email), starting with a letter, at most 64 characters. Every write is attributed to it.", b.Principal)))
			continue
		}
		if first, ok := seen[b.Principal]; ok {
			diags = append(diags, errorAt(b.PrincipalRange.Ptr(), "Duplicate token principal", fmt.Sprintf("Principal %q already has a token at %s; one token per principal.", b.Principal, first)))
			continue
		}
		seen[b.Principal] = b.PrincipalRange
		t := &Token{Principal: b.Principal, Role: b.Role, DeclRange: b.DefRange}
		if !slices.Contains(TokenRoles(), b.Role) {
			diags = append(diags, errorAt(b.RoleRange.Ptr(), "Invalid token role", fmt.Sprintf("role is %q; use one of %s.", b.Role, strings.Join(TokenRoles(), ", "))))
			continue
		}
		raw, err := hex.DecodeString(b.SHA256)
		if err != nil || len(raw) != 32 {
			diags = append(diags, errorAt(b.SHA256Range.Ptr(), "Invalid token hash", "sha256 is the hex SHA-256 of the token (64 characters), never the token itself; \"breachd token new\" prints a token and its block."))
			continue
		}
		copy(t.SHA256[:], raw)
		if other, ok := hashes[t.SHA256]; ok {
			diags = append(diags, errorAt(b.SHA256Range.Ptr(), "Token shared by two principals", fmt.Sprintf("This token is also %q's; every write is attributed to one principal, so give each its own token.", other)))
			continue
		}
		hashes[t.SHA256] = t.Principal
		c.Tokens = append(c.Tokens, t)
	}
	return diags
}

// AssetByName returns the asset with the given name, or nil.
func (c *Config) AssetByName(name string) *Asset {
	for _, a := range c.Assets {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// isLoopbackListen reports whether addr only listens on loopback.
func isLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// duplicateBlock reports a second block of a kind that may appear once.
func duplicateBlock(kind string, first, extra hcl.Range) *hcl.Diagnostic {
	return errorAt(extra.Ptr(), fmt.Sprintf("Duplicate %s block", kind), fmt.Sprintf("Only one %s block is allowed; the first is at %s. Merge the two.", kind, first))
}

// decodeTTL reads a ttl of at least min into dst; what says what lasts.
func decodeTTL(s *string, rng hcl.Range, min time.Duration, what string, dst *time.Duration) *hcl.Diagnostic {
	if s == nil {
		return nil
	}
	d, err := ParseLongDuration(*s)
	if err != nil || d < min {
		return errorAt(rng.Ptr(), "Invalid ttl", fmt.Sprintf("ttl is %q; write how long %s, at least %s, e.g. \"1h\", \"4h\" or \"7d\". It is reverted when the time is up.", *s, what, min))
	}
	*dst = d
	return nil
}

// durationExamples are durations a user may write for a value of at
// least min: none below it.
func durationExamples(min time.Duration) string {
	var ok []string
	for _, e := range []struct {
		text string
		d    time.Duration
	}{{"24h", 24 * time.Hour}, {"30d", 30 * 24 * time.Hour}, {"365d", 365 * 24 * time.Hour}, {"5y", 5 * 365 * 24 * time.Hour}} {
		if e.d >= min {
			ok = append(ok, strconv.Quote(e.text))
		}
	}
	return strings.Join(ok[:len(ok)-1], ", ") + " or " + ok[len(ok)-1]
}
