package configs

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// More formats (see Format).
const (
	// FormatJSON: each line is a JSON object; declared keys (dotted paths
	// into nested objects) become fields.
	FormatJSON Format = "json"
	// FormatLogfmt: each line is key=value pairs; declared keys become
	// fields.
	FormatLogfmt Format = "logfmt"
	// FormatRegex: a pattern with named captures; the captures are the
	// fields, "message" and "time" captures the message and the time.
	FormatRegex Format = "regex"
	// FormatAuto: each file's format is recognised from its first lines
	// (syslog with or without host and <PRI>, RFC 5424, a line starting
	// with an ISO 8601 time, JSON, logfmt, else raw); the default of a
	// file source. Its events carry the fields host, program and pid
	// (empty unless the file is syslog).
	FormatAuto Format = "auto"
)

// DefaultMessageKeys are the keys whose value is the message of a JSON or
// logfmt line when message_keys is not set.
func DefaultMessageKeys() []string { return []string{"msg", "message"} }

// DefaultTimeKeys are the keys whose value is the time of a JSON or logfmt
// line when time_keys is not set.
func DefaultTimeKeys() []string { return []string{"time", "ts", "timestamp", "@timestamp"} }

// Structured says how a json, logfmt or regex source takes fields from a
// line.
type Structured struct {
	// FieldNames are the rule field names, sorted; Keys the key (JSON:
	// dotted path) each is read from.
	FieldNames []string
	Keys       []string
	// MessageKeys and TimeKeys name the message and the time.
	MessageKeys, TimeKeys []string
	// Pattern is the regex format's expression, and TimeLayout the Go
	// time layout of its time capture ("" for RFC 3339 or Unix time).
	Pattern    *regexp.Regexp
	TimeLayout string
}

// fieldName is what a field provided by a source may be called: usable
// in where conditions and templates.
var fieldName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// formatAttrs are the format attributes of a source body.
type formatAttrs struct {
	format                                 *string
	formatRange                            hcl.Range
	fields                                 map[string]string
	fieldsRange                            hcl.Range
	messageKeys, timeKeys                  []string
	messageKeysRange, timeKeysRange        hcl.Range
	pattern                                *string
	timeLayout                             *string
	patternRange                           hcl.Range
	hasFields, hasMessageKeys, hasTimeKeys bool
	declRange                              hcl.Range
	// def is the format when none is set; "" means raw.
	def Format
}

// decodeFormat sets s.Format and s.Structured.
func decodeFormat(s *Source, a formatAttrs) hcl.Diagnostics {
	var diags hcl.Diagnostics
	s.Format = cmp.Or(a.def, FormatRaw)
	if a.format != nil {
		switch v := Format(*a.format); v {
		case FormatRaw, FormatSyslog, FormatJSON, FormatLogfmt, FormatRegex, FormatAuto:
			s.Format = v
		default:
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unsupported format",
				Detail:   fmt.Sprintf("format is %q; use \"syslog\" for lines like \"Nov 23 10:00:01 host sshd[42]: ...\", \"json\", \"logfmt\", \"regex\" (with pattern), \"auto\" to recognise each file's format, or \"raw\" for anything else.", *a.format),
				Subject:  a.formatRange.Ptr(),
			}}
		}
	}
	structured := s.Format == FormatJSON || s.Format == FormatLogfmt
	notFor := func(attr string, rng hcl.Range, formats string) {
		diags = append(diags, errorAt(rng.Ptr(), "Attribute not used by this format", fmt.Sprintf("%s applies to format %s; this source's format is %q. Remove it or change the format.", attr, formats, s.Format)))
	}
	// auto reads JSON and logfmt files' message and time by these keys
	// too, but declares no fields: its fields are host, program and pid.
	keyed := structured || s.Format == FormatAuto
	if !structured && a.hasFields {
		notFor("fields", a.fieldsRange, "\"json\" or \"logfmt\"")
	}
	if !keyed {
		if a.hasMessageKeys {
			notFor("message_keys", a.messageKeysRange, "\"json\", \"logfmt\" or \"auto\"")
		}
		if a.hasTimeKeys {
			notFor("time_keys", a.timeKeysRange, "\"json\", \"logfmt\" or \"auto\"")
		}
	}
	if a.pattern != nil && s.Format != FormatRegex {
		notFor("pattern", a.patternRange, "\"regex\"")
	}
	if a.timeLayout != nil && s.Format != FormatRegex {
		notFor("time_layout", a.patternRange, "\"regex\"")
	}
	if diags.HasErrors() {
		return diags
	}
	switch {
	case s.Format == FormatAuto:
		st := &Structured{MessageKeys: DefaultMessageKeys(), TimeKeys: DefaultTimeKeys()}
		if a.hasMessageKeys {
			st.MessageKeys = a.messageKeys
		}
		if a.hasTimeKeys {
			st.TimeKeys = a.timeKeys
		}
		s.Structured = st
	case structured:
		st := &Structured{MessageKeys: DefaultMessageKeys(), TimeKeys: DefaultTimeKeys()}
		if a.hasMessageKeys {
			st.MessageKeys = a.messageKeys
		}
		if a.hasTimeKeys {
			st.TimeKeys = a.timeKeys
		}
		for name := range a.fields {
			st.FieldNames = append(st.FieldNames, name)
		}
		slices.Sort(st.FieldNames)
		for _, name := range st.FieldNames {
			key := a.fields[name]
			if d := checkFieldName(name, a.fieldsRange); d != nil {
				diags = append(diags, d)
			}
			if strings.TrimSpace(key) == "" || (s.Format == FormatJSON && (strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") || strings.Contains(key, ".."))) {
				diags = append(diags, errorAt(a.fieldsRange.Ptr(), "Invalid key", fmt.Sprintf("Field %q reads key %q; write the key as it appears in the line (for JSON, a dotted path such as \"user.name\").", name, key)))
			}
			st.Keys = append(st.Keys, key)
		}
		s.Structured = st
	case s.Format == FormatRegex:
		if a.pattern == nil {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Missing pattern",
				Detail:   "Format \"regex\" needs pattern, a regular expression whose named captures become fields, e.g. pattern = \"^(?P<client>\\\\S+) (?P<message>.*)$\".",
				Subject:  a.declRange.Ptr(),
			}}
		}
		re, err := regexp.Compile(*a.pattern)
		if err != nil {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid pattern",
				Detail:   fmt.Sprintf("%v. pattern uses RE2 syntax; in HCL strings write a backslash as \\\\.", err),
				Subject:  a.patternRange.Ptr(),
			}}
		}
		for _, name := range re.SubexpNames() {
			if name != "" && name != "message" && name != "time" {
				if d := checkFieldName(name, a.patternRange); d != nil {
					diags = append(diags, d)
				}
			}
		}
		s.Structured = &Structured{Pattern: re}
		if a.timeLayout != nil {
			s.Structured.TimeLayout = *a.timeLayout
		}
	}
	return diags
}

// checkFieldName reports a field name that rules could not use or that
// breachd reserves.
func checkFieldName(name string, rng hcl.Range) *hcl.Diagnostic {
	if !fieldName.MatchString(name) {
		return errorAt(rng.Ptr(), "Invalid field name", fmt.Sprintf("Field name %q must be lower case letters, digits and underscores, starting with a letter or underscore, so that where conditions can use it.", name))
	}
	switch name {
	case "rule", "source", "line", "incident_id":
		return errorAt(rng.Ptr(), "Reserved field name", fmt.Sprintf("Field name %q is reserved by breachd; choose another.", name))
	}
	return nil
}
