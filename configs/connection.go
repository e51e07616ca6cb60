package configs

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Bounds of a `connection` block.
const (
	// DefaultConnectionKeys is how many connections a rule tracks at once
	// unless max_keys says otherwise.
	DefaultConnectionKeys = 10_000
	maxConnectionKeys     = 1_000_000
	// MaxConnectionHeld is how many held or waiting lines one connection
	// keeps; further ones are dropped.
	MaxConnectionHeld = 32
)

type connectionBlock struct {
	By           []string       `hcl:"by"`
	ByRange      hcl.Range      `hcl:"by,attr_value_range"`
	Fill         []string       `hcl:"fill"`
	FillRange    hcl.Range      `hcl:"fill,attr_value_range"`
	Within       string         `hcl:"within"`
	WithinRange  hcl.Range      `hcl:"within,attr_value_range"`
	MaxKeys      *int           `hcl:"max_keys,optional"`
	MaxKeysRange hcl.Range      `hcl:"max_keys,attr_value_range"`
	Switch       *string        `hcl:"switch,optional"`
	SwitchRange  hcl.Range      `hcl:"switch,attr_value_range"`
	Note         hcl.Expression `hcl:"note,optional"`
	NoteRange    hcl.Range      `hcl:"note,attr_value_range"`
	Hold         hcl.Expression `hcl:"hold,optional"`
	HoldRange    hcl.Range      `hcl:"hold,attr_value_range"`
	Success      hcl.Expression `hcl:"success,optional"`
	SuccessRange hcl.Range      `hcl:"success,attr_value_range"`
	End          hcl.Expression `hcl:"end,optional"`
	EndRange     hcl.Range      `hcl:"end,attr_value_range"`
	DefRange     hcl.Range      `hcl:",def_range"`
}

// Connection is a rule's `connection` block: lines of one connection (the
// By values, e.g. host, program and pid) share the Fill fields, so a
// failure logged without the client's address takes the one its
// connection logged on another line (docs/rules.md "connection").
type Connection struct {
	By        []string
	ByRange   hcl.Range
	Fill      []string
	FillRange hcl.Range
	// Within is how long a connection is kept after its last line, by the
	// lines' own times.
	Within  time.Duration
	MaxKeys int
	// Switch, if set, is a field (the user) whose second distinct value
	// in one connection makes that line count as a failure.
	Switch      string
	SwitchRange hcl.Range
	// The kinds of lines besides the rule's match (its failures), each a
	// list of expressions checked with the rule's where.
	Note, Hold, Success, End                     []string
	NoteRange, HoldRange, SuccessRange, EndRange hcl.Range
	DeclRange                                    hcl.Range
}

// Lists returns the connection's expression lists in the order a line is
// tried against them, with their names and ranges.
func (c *Connection) Lists() []ConnectionList {
	return []ConnectionList{
		{"note", c.Note, c.NoteRange},
		{"hold", c.Hold, c.HoldRange},
		{"success", c.Success, c.SuccessRange},
		{"end", c.End, c.EndRange},
	}
}

// ConnectionList is one list of a connection block.
type ConnectionList struct {
	Name    string
	Matches []string
	Range   hcl.Range
}

func decodeConnection(b *connectionBlock, ruleName string) (*Connection, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	c := &Connection{By: b.By, ByRange: b.ByRange, Fill: b.Fill, FillRange: b.FillRange, MaxKeys: DefaultConnectionKeys, DeclRange: b.DefRange}
	if len(b.By) == 0 {
		diags = append(diags, errorAt(b.ByRange.Ptr(), "Connection without by", "by names the fields that identify one connection, e.g. by = [\"host\", \"program\", \"pid\"]."))
	}
	if len(b.Fill) == 0 {
		diags = append(diags, errorAt(b.FillRange.Ptr(), "Connection without fill", "fill names the fields a line takes from its connection when it lacks them, e.g. fill = [\"ip\"]."))
	}
	for _, f := range b.Fill {
		if slices.Contains(b.By, f) {
			diags = append(diags, errorAt(b.FillRange.Ptr(), "fill field also in by", fmt.Sprintf("%q identifies the connection, so every line of it has it already; fill names the fields some lines lack.", f)))
		}
	}
	d, diag := parseDuration("within", b.Within, b.WithinRange)
	if diag != nil {
		diags = append(diags, diag)
	}
	c.Within = d
	if b.MaxKeys != nil {
		c.MaxKeys = *b.MaxKeys
		if c.MaxKeys < 1 || c.MaxKeys > maxConnectionKeys {
			diags = append(diags, errorAt(b.MaxKeysRange.Ptr(), "Invalid max_keys", fmt.Sprintf("max_keys is %d; it must be between 1 and %d connections.", c.MaxKeys, maxConnectionKeys)))
		}
	}
	if b.Switch != nil {
		c.Switch, c.SwitchRange = *b.Switch, b.SwitchRange
		if slices.Contains(b.By, c.Switch) || slices.Contains(b.Fill, c.Switch) {
			diags = append(diags, errorAt(b.SwitchRange.Ptr(), "switch field in by or fill", fmt.Sprintf("%q is shared by the whole connection, so it never changes within one; switch names a field that may (the user).", c.Switch)))
		}
	}
	lists := []struct {
		expr hcl.Expression
		rng  hcl.Range
		dst  *[]string
		at   *hcl.Range
	}{{b.Note, b.NoteRange, &c.Note, &c.NoteRange}, {b.Hold, b.HoldRange, &c.Hold, &c.HoldRange}, {b.Success, b.SuccessRange, &c.Success, &c.SuccessRange}, {b.End, b.EndRange, &c.End, &c.EndRange}}
	for _, l := range lists {
		*l.at = l.rng
		if l.expr == nil || isNull(l.expr) {
			continue
		}
		m, d := decodeMatches(l.expr, l.rng)
		diags = append(diags, d...)
		*l.dst = m
	}
	if len(c.Note)+len(c.Hold)+len(c.Success)+len(c.End) == 0 {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Connection without lines", fmt.Sprintf("Rule %q's connection block has none of note, hold, success or end: without them its connections only learn from the rule's own match. Add the lines that carry the fields (note) or end the connection (end).", ruleName)))
	}
	return c, diags
}
