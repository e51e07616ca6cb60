package configs

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestCheckNesting(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	tests := []struct {
		name, src string
		// where is "line:column" of the refusal, "" for none.
		where string
	}{
		{"at the bound", "a = " + deep("[", "]", 128) + "\n", ""},
		{"one past the bound", "a = " + deep("[", "]", 129) + "\n", "1:133"},
		{"mixed brackets", "a = " + deep("{x = (", ")}", 65) + "\n", "1:389"}, // the 65th "{", 6 characters a level pair
		{"blocks", strings.Repeat("b {\n", 129) + strings.Repeat("}\n", 129), "129:3"},
		{"inside a string", `a = "` + strings.Repeat("[", 1000) + `"` + "\n", ""},
		{"inside a comment", "# " + strings.Repeat("{", 1000) + "\n/* " + strings.Repeat("(", 1000) + " */\na = 1\n", ""},
		{"inside a heredoc", "a = <<EOT\n" + strings.Repeat("[", 1000) + "\nEOT\n", ""},
		{"templates in strings", "a = " + strings.Repeat(`"${`, 65) + "1" + strings.Repeat(`}"`, 65) + "\n", "1:197"}, // the 65th quote
		{"unary chain", "a = " + strings.Repeat("!", 129) + "true\n", "1:133"},
		{"binary minus is flat", "a = " + strings.Repeat("1 - ", 1000) + "1\n", ""},
		{"siblings are flat", "a = [" + strings.Repeat("[1], ", 1000) + "]\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := CheckNesting("c.hcl", []byte(tt.src))
			got := ""
			if diags.HasErrors() {
				s := diags[0].Subject
				got = fmt.Sprintf("%d:%d", s.Start.Line, s.Start.Column)
				if s.Filename != "c.hcl" || diags[0].Summary != "Nesting too deep" {
					t.Errorf("diagnostic = %v", diags[0])
				}
			}
			if got != tt.where || len(diags) > 1 {
				t.Errorf("refused at %q (%d diagnostics), want %q", got, len(diags), tt.where)
			}
		})
	}
}

// TestGarbageGivesABoundedReport: a file of 50,000 "${" gives one error
// per token; validate prints the first hundred and counts the rest, in
// well under a second instead of minutes and megabytes.
func TestGarbageGivesABoundedReport(t *testing.T) {
	src := []byte(`y = "` + strings.Repeat("${", 50000) + "\n")
	_, diags := Parse("garbage.hcl", src, "/")
	if len(diags) <= maxDiagnostics {
		t.Fatalf("%d diagnostics; the test needs more than %d", len(diags), maxDiagnostics)
	}
	var out bytes.Buffer
	if err := WriteDiagnostics(&out, diags, map[string]*hcl.File{"garbage.hcl": {Bytes: src}}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), ": error: "); n != maxDiagnostics {
		t.Errorf("%d errors printed, want %d", n, maxDiagnostics)
	}
	if want := fmt.Sprintf("... and %d more (fix the ones above first)", len(diags)-maxDiagnostics); !strings.Contains(out.String(), want) {
		t.Errorf("the report does not end with %q:\n%s", want, out.String()[out.Len()-300:])
	}
	if out.Len() > 64<<10 {
		t.Errorf("the report is %d bytes", out.Len())
	}
}
