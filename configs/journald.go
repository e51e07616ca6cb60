package configs

import (
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// journalMatch is what a journalctl match may look like: a field name in
// journald's alphabet, "=", and a value; or "+" (OR). Nothing in it can be
// read by journalctl as an option.
var journalMatch = regexp.MustCompile(`^(\+|[A-Z0-9_]+=[^\x00\n]*)$`)

type journaldBody struct {
	Match           []string  `hcl:"match,optional"`
	MatchRange      hcl.Range `hcl:"match,attr_value_range"`
	StartAt         *string   `hcl:"start_at,optional"`
	StartAtRange    hcl.Range `hcl:"start_at,attr_value_range"`
	Journalctl      *string   `hcl:"journalctl,optional"`
	JournalctlRange hcl.Range `hcl:"journalctl,attr_value_range"`
	Files           []string  `hcl:"files,optional"`
	FilesRange      hcl.Range `hcl:"files,attr_value_range"`
	Directory       *string   `hcl:"directory,optional"`
	DirectoryRange  hcl.Range `hcl:"directory,attr_value_range"`
}

func (c *Config) decodeJournald(b *sourceBlock) (*Source, hcl.Diagnostics) {
	var body journaldBody
	if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
		return nil, d
	}
	var diags hcl.Diagnostics
	j := &JournaldSource{Journalctl: DefaultJournalctl, MatchesRange: body.MatchRange, JournalctlRange: b.DefRange}
	s := &Source{Kind: KindJournald, Name: b.Name, StartAt: StartAtEnd, Journald: j, DeclRange: b.DefRange}
	for _, m := range body.Match {
		if !journalMatch.MatchString(m) {
			diags = append(diags, errorAt(body.MatchRange.Ptr(), "Invalid journal match", fmt.Sprintf("%q is not a journal match; write FIELD=value with an upper-case field name, e.g. \"_SYSTEMD_UNIT=ssh.service\", or \"+\" between alternatives.", m)))
		}
	}
	j.Matches = body.Match
	if body.StartAt != nil {
		switch v := StartAt(*body.StartAt); v {
		case StartAtEnd, StartAtBeginning:
			s.StartAt = v
		default:
			diags = append(diags, errorAt(body.StartAtRange.Ptr(), "Invalid start_at", fmt.Sprintf("start_at is %q; use \"end\" (only new entries) or \"beginning\" (the whole journal).", *body.StartAt)))
		}
	}
	if body.Journalctl != nil {
		if !filepath.IsAbs(*body.Journalctl) {
			diags = append(diags, errorAt(body.JournalctlRange.Ptr(), "journalctl must be an absolute path", fmt.Sprintf("%q is not absolute; breachd never searches PATH. Write e.g. %q.", *body.Journalctl, DefaultJournalctl)))
		}
		j.Journalctl = *body.Journalctl
		j.JournalctlRange = body.JournalctlRange
	}
	for _, f := range body.Files {
		j.Files = append(j.Files, c.Abs(f))
	}
	if body.Directory != nil {
		j.Directory = c.Abs(*body.Directory)
		if len(body.Files) > 0 {
			diags = append(diags, errorAt(body.DirectoryRange.Ptr(), "Both files and directory", "Name journal files or a journal directory, not both."))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}
