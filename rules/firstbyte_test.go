package rules

import (
	"slices"
	"testing"
)

// The lists by first byte keep every expression that can match a text
// starting with that byte, in the configured order, and leave out only
// those whose literal prefix starts with another byte.
func TestMatcherIndexByFirstByte(t *testing.T) {
	m := &matcher{pats: []*pattern{
		{lead: []byte("Failed ")},
		{},
		{lead: []byte("Invalid user ")},
		{lead: []byte("Fatal")},
	}}
	m.indexByFirstByte()
	if m.byFirst == nil {
		t.Fatal("no index built")
	}
	for _, tc := range []struct {
		b    byte
		want []int32
	}{
		{'F', []int32{0, 1, 3}},
		{'I', []int32{1, 2}},
		{'x', []int32{1}},
		{0, []int32{1}},
	} {
		if got := m.byFirst[tc.b]; !slices.Equal(got, tc.want) {
			t.Errorf("byFirst[%q] = %v, want %v", tc.b, got, tc.want)
		}
	}
	if !slices.Equal(m.noLead, []int32{1}) {
		t.Errorf("noLead = %v, want [1]", m.noLead)
	}

	none := &matcher{pats: []*pattern{{}, {}}}
	none.indexByFirstByte()
	if none.byFirst != nil {
		t.Error("an index was built with no prefix to index")
	}
}

// Through the engine: an expression without a prefix listed first still
// wins over a later anchored one, and an anchored one is found among many.
func TestMatcherFirstByteOrder(t *testing.T) {
	e := compile(t, `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "r" {
  source = "auth"
  match = [
    "^Accepted (?P<k>\\S+)$",
    "(?P<k>password) first$",
    "^Failed password (?P<k>\\S+)$",
    "^Invalid (?P<k>\\S+)$",
  ]
  incident { title = "r" }
}
`, Options{})
	matchField := func(line string) string {
		out := e.Evaluate(Event{Source: "auth", Line: []byte(line), Time: t0}, nil)
		if len(out) > 1 {
			t.Fatalf("%q: %d findings", line, len(out))
		}
		if len(out) == 0 {
			return ""
		}
		return out[0].Fields["k"]
	}
	for _, tc := range []struct{ line, want string }{
		{"Failed password first", "password"},
		{"Failed password second", "second"},
		{"Invalid third", "third"},
		{"Accepted fourth", "fourth"},
	} {
		got := matchField(tc.line)
		if got != tc.want {
			t.Errorf("%q: k = %q, want %q", tc.line, got, tc.want)
		}
	}
	if got := matchField("Nothing here"); got != "" {
		t.Errorf("a line no expression matches gave k = %q", got)
	}
}
