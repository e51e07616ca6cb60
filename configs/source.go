package configs

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// SourceKind names a kind of source.
type SourceKind string

// The source kinds breachd knows.
const (
	KindFile     SourceKind = "file"
	KindJournald SourceKind = "journald"
	KindSyslog   SourceKind = "syslog"
	KindStdin    SourceKind = "stdin"
)

// Source is a `source "KIND" "NAME"` block.
type Source struct {
	Kind SourceKind
	Name string
	// Paths are the files of a file source, absolute.
	Paths []string
	// Journald is set for a journald source, Syslog for a syslog
	// receiver.
	Journald *JournaldSource
	Syslog   *SyslogSource
	// Metrics is set for scrape and promql sources.
	Metrics *MetricsSource
	// StartAt says where to read a file that exists when breachd first
	// sees it (with no stored position).
	StartAt StartAt
	// Format says how lines are parsed.
	Format Format
	// MaxLineBytes caps a line of a file or stdin source; 0 means the
	// default (256 KiB).
	MaxLineBytes int
	// RotateGrace is how long a file source still reads a file rotated
	// away after it last grew; 0 means the default (5s).
	RotateGrace time.Duration
	// Structured is set for the json, logfmt and regex formats.
	Structured *Structured
	// Location is the zone of timestamps written without one.
	Location  *time.Location
	DeclRange hcl.Range
}

// JournaldSource says which journal to follow and what to select from it.
type JournaldSource struct {
	// Matches are journalctl matches: "FIELD=value", or "+" between groups
	// for OR.
	Matches []string
	// Journalctl is the absolute path of the journalctl program.
	Journalctl string
	// Files and Directory select journal files instead of the system
	// journal; absolute. At most one of them is set.
	Files     []string
	Directory string
	// MatchesRange points at the match attribute and JournalctlRange at
	// the journalctl attribute (or the block when it is not set), for
	// diagnostics.
	MatchesRange, JournalctlRange hcl.Range
}

// DefaultJournalctl is where journalctl is on Debian and most systems.
const DefaultJournalctl = "/usr/bin/journalctl"

// Fields the sources provide to rules, next to the rules' captures.
const (
	FieldHost    = "host"
	FieldProgram = "program"
	FieldPID     = "pid"
	FieldSender  = "sender"
	// FieldSeenIn is where a line was seen, for group_by and distinct
	// of every rule: the host the line names (its host field) when it
	// names one, else the file it was read from (a file source), else
	// the source.
	FieldSeenIn = "seen_in"
)

// Fields returns the names of the fields the source's events carry, in the
// order the detector fills rules.Event.Fields.
func (s *Source) Fields() []string {
	switch {
	case s.Kind == KindSyslog:
		return []string{FieldHost, FieldProgram, FieldPID, FieldSender}
	case s.Metrics != nil:
		return append([]string{FieldMetric, FieldValue, FieldTarget}, s.Metrics.Labels...)
	case s.Kind == KindJournald || s.Format == FormatSyslog || s.Format == FormatAuto:
		return []string{FieldHost, FieldProgram, FieldPID}
	case s.Structured != nil && s.Structured.Pattern != nil:
		var out []string
		for _, name := range s.Structured.Pattern.SubexpNames() {
			if name != "" && name != "message" && name != "time" {
				out = append(out, name)
			}
		}
		return out
	case s.Structured != nil:
		return s.Structured.FieldNames
	}
	return nil
}

// Format is how a source's lines are parsed.
type Format string

// Formats.
const (
	// FormatRaw: the whole line is the message; events are stamped with
	// the time they were read.
	FormatRaw Format = "raw"
	// FormatSyslog: lines as syslog daemons write them to files; the
	// header gives the event's time and the fields host, program and pid.
	FormatSyslog Format = "syslog"
)

// StartAt is where a file source starts reading a file it has no position
// for.
type StartAt string

// StartAt values.
const (
	StartAtEnd       StartAt = "end"
	StartAtBeginning StartAt = "beginning"
)

type sourceBlock struct {
	Type      string    `hcl:"type,label"`
	Name      string    `hcl:"name,label"`
	TypeRange hcl.Range `hcl:"type,label_range"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
	Body      hcl.Body  `hcl:",remain"`
}

type fileSourceBody struct {
	Paths            []string          `hcl:"paths,optional"`
	PathsRange       hcl.Range         `hcl:"paths,attr_value_range"`
	StartAt          *string           `hcl:"start_at,optional"`
	StartAtRange     hcl.Range         `hcl:"start_at,attr_value_range"`
	Format           *string           `hcl:"format,optional"`
	FormatRange      hcl.Range         `hcl:"format,attr_value_range"`
	Fields           map[string]string `hcl:"fields,optional"`
	FieldsRange      hcl.Range         `hcl:"fields,attr_value_range"`
	MessageKeys      []string          `hcl:"message_keys,optional"`
	MessageKeysRange hcl.Range         `hcl:"message_keys,attr_value_range"`
	TimeKeys         []string          `hcl:"time_keys,optional"`
	TimeKeysRange    hcl.Range         `hcl:"time_keys,attr_value_range"`
	Pattern          *string           `hcl:"pattern,optional"`
	TimeLayout       *string           `hcl:"time_layout,optional"`
	PatternRange     hcl.Range         `hcl:"pattern,attr_value_range"`
	MaxLineBytes     *int              `hcl:"max_line_bytes,optional"`
	MaxLineRange     hcl.Range         `hcl:"max_line_bytes,attr_value_range"`
	RotateGrace      *string           `hcl:"rotate_grace,optional"`
	RotateGraceRange hcl.Range         `hcl:"rotate_grace,attr_value_range"`
	Timezone         *string           `hcl:"timezone,optional"`
	TimezoneRange    hcl.Range         `hcl:"timezone,attr_value_range"`
}

// decodeTimezone loads the zone named by tz; it returns nil, nil when tz is
// not set.
func decodeTimezone(tz *string, rng hcl.Range) (*time.Location, *hcl.Diagnostic) {
	if tz == nil {
		return nil, nil
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil || *tz == "" {
		return nil, errorAt(rng.Ptr(), "Unknown timezone", fmt.Sprintf("timezone is %q; write an IANA zone name such as \"Europe/Berlin\" or \"UTC\", or \"Local\" for the host's zone.", *tz))
	}
	return loc, nil
}

// Bounds of max_line_bytes.
const (
	minLineBytes = 1 << 10
	maxLineBytes = 64 << 20
)

// defaultFormat is the format of a file or stdin source that sets none: a
// file's is recognised from its first lines; standard input stays raw.
func defaultFormat(kind SourceKind) Format {
	if kind == KindFile {
		return FormatAuto
	}
	return FormatRaw
}

// decodeFile decodes a file or stdin source.
func (c *Config) decodeFile(b *sourceBlock) (*Source, hcl.Diagnostics) {
	var body fileSourceBody
	if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
		return nil, d
	}
	kind := SourceKind(b.Type)
	if kind == KindFile && len(body.Paths) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Source has no paths",
			Detail:   "List at least one log file to follow, e.g. paths = [\"/var/log/auth.log\"].",
			Subject:  body.PathsRange.Ptr(),
		}}
	}
	if kind == KindStdin && (body.Paths != nil || body.StartAt != nil || body.RotateGrace != nil) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Attribute not used by stdin",
			Detail:   "A stdin source reads breachd's standard input; remove paths, start_at and rotate_grace, or use source \"file\".",
			Subject:  b.DefRange.Ptr(),
		}}
	}
	var diags hcl.Diagnostics
	s := &Source{Kind: kind, Name: b.Name, StartAt: StartAtEnd, Format: FormatRaw, Location: time.Local, DeclRange: b.DefRange}
	diags = append(diags, decodeFormat(s, formatAttrs{
		format: body.Format, formatRange: body.FormatRange,
		fields: body.Fields, fieldsRange: body.FieldsRange, hasFields: body.Fields != nil,
		messageKeys: body.MessageKeys, messageKeysRange: body.MessageKeysRange, hasMessageKeys: body.MessageKeys != nil,
		timeKeys: body.TimeKeys, timeKeysRange: body.TimeKeysRange, hasTimeKeys: body.TimeKeys != nil,
		pattern: body.Pattern, patternRange: body.PatternRange, timeLayout: body.TimeLayout,
		declRange: b.DefRange, def: defaultFormat(kind),
	})...)
	if loc, d := decodeTimezone(body.Timezone, body.TimezoneRange); d != nil {
		diags = append(diags, d)
	} else if loc != nil {
		s.Location = loc
	}
	if body.StartAt != nil {
		switch v := StartAt(*body.StartAt); v {
		case StartAtEnd, StartAtBeginning:
			s.StartAt = v
		default:
			diags = append(diags, errorAt(body.StartAtRange.Ptr(), "Invalid start_at", fmt.Sprintf("start_at is %q; use \"end\" (read only what is written from now on) or \"beginning\" (read the file's existing lines too).", *body.StartAt)))
		}
	}
	if body.MaxLineBytes != nil {
		if n := *body.MaxLineBytes; n < minLineBytes || n > maxLineBytes {
			diags = append(diags, errorAt(body.MaxLineRange.Ptr(), "Invalid max_line_bytes", fmt.Sprintf("max_line_bytes is %d; use %d to %d (the default is 262144, 256 KiB). Longer lines are cut, never buffered whole.", n, minLineBytes, maxLineBytes)))
		}
		s.MaxLineBytes = *body.MaxLineBytes
	}
	if body.RotateGrace != nil {
		d, diag := decodeRotateGrace(*body.RotateGrace, body.RotateGraceRange)
		if diag != nil {
			diags = append(diags, diag)
		}
		s.RotateGrace = d
	}
	for _, p := range body.Paths {
		if strings.TrimSpace(p) == "" {
			diags = append(diags, errorAt(body.PathsRange.Ptr(), "Empty path", "Each entry of paths must name a file."))
			continue
		}
		if _, err := filepath.Match(p, ""); err != nil {
			diags = append(diags, errorAt(body.PathsRange.Ptr(), "Invalid path pattern", fmt.Sprintf("%q is not a valid pattern (%v); * matches any run of characters within a folder name, ? one character, [a-z] one of a set.", p, err)))
			continue
		}
		s.Paths = append(s.Paths, c.Abs(p))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}
