package configs

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics prints diags one after another in the compiler style
// "file:line:column: error: Summary", followed by the detail and the source
// line with the offending range underlined. files supplies the sources for the
// snippets; a diagnostic without a subject prints without position.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File) error {
	bw := bufio.NewWriter(w)
	more := 0
	if len(diags) > maxDiagnostics {
		// A file of garbage gives one error per token: the first ones say
		// what is wrong, and printing them all (each with its line)
		// would take minutes and megabytes.
		more = len(diags) - maxDiagnostics
		diags = diags[:maxDiagnostics]
	}
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		if d.Subject != nil {
			fmt.Fprintf(bw, "%s:%d:%d: %s: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, sev, d.Summary)
		} else {
			fmt.Fprintf(bw, "%s: %s\n", sev, d.Summary)
		}
		if d.Detail != "" {
			fmt.Fprintf(bw, "    %s\n", d.Detail)
		}
		if d.Subject != nil {
			if f := files[d.Subject.Filename]; f != nil {
				writeSnippet(bw, f.Bytes, *d.Subject)
			}
		}
	}
	if more > 0 {
		fmt.Fprintf(bw, "... and %d more (fix the ones above first)\n", more)
	}
	return bw.Flush()
}

// maxDiagnostics is the most diagnostics WriteDiagnostics prints.
const maxDiagnostics = 100

// maxSnippet is the most characters of a source line a diagnostic shows.
const maxSnippet = 120

func writeSnippet(w io.Writer, src []byte, rng hcl.Range) {
	lines := bytes.Split(src, []byte("\n"))
	if rng.Start.Line < 1 || rng.Start.Line > len(lines) {
		return
	}
	line := strings.TrimRight(string(lines[rng.Start.Line-1]), "\r")
	line = strings.ReplaceAll(line, "\t", " ")
	start := rng.Start.Column - 1
	// A very long line is shown around the column only.
	if runes := []rune(line); len(runes) > maxSnippet {
		from := min(max(start-maxSnippet/2, 0), len(runes)-maxSnippet)
		line, start = string(runes[from:from+maxSnippet]), start-from
	}
	prefix := fmt.Sprintf("    %d | ", rng.Start.Line)
	fmt.Fprintf(w, "%s%s\n", prefix, line)
	width := 1
	if rng.End.Line == rng.Start.Line && rng.End.Column > rng.Start.Column {
		width = rng.End.Column - rng.Start.Column
	}
	lineLen := utf8.RuneCountInString(line)
	start = min(max(start, 0), lineLen)
	width = max(min(width, lineLen-start), 1)
	fmt.Fprintf(w, "%s%s%s\n", strings.Repeat(" ", len(prefix)-2)+"| ", strings.Repeat(" ", start), strings.Repeat("^", width))
}

// errorAt is the error diagnostic every check of the loader reports: what is
// wrong (summary), how to fix it (detail), and where (subject).
func errorAt(subject *hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
}
