package console

import (
	"bytes"
	"fmt"
	"strings"
)

// mdSpecial are the characters of a value that Markdown could read as
// syntax: escaped with a backslash (CommonMark escapes any ASCII
// punctuation), a value cannot become a link or an image ([ ] and the :
// of an autolink), HTML or an entity (< > &), emphasis or code (* _ ` ~),
// a table's cell break (|), a heading's closing sequence (#), a mention
// (@), math ($), a footnote (^) or a template's braces.
const mdSpecial = "\\`*_{}[]<>#|~&$:@^"

// markdown is the document as Markdown (CommonMark, with GitHub's
// tables): the page's sections, every value escaped so that it reads as
// the text it holds.
func (d reportDoc) markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Incident #%d: %s\n\n", d.ID, mdText(d.Title))
	for _, l := range d.Lead {
		b.WriteString(mdText(l) + "\n\n")
	}
	for _, s := range d.Sections {
		mdSection(&b, s)
	}
	fmt.Fprintf(&b, "---\n\n*%s*\n", mdText(d.Head))
	return b.Bytes()
}

// mdSection writes a section: its facts as a list, its items under
// their own headings, its table.
func mdSection(b *bytes.Buffer, s docSection) {
	fmt.Fprintf(b, "## %s\n\n", mdText(s.Title))
	mdFacts(b, s.Facts)
	for _, it := range s.Items {
		fmt.Fprintf(b, "### %s\n\n", mdText(it.Head))
		mdFacts(b, it.Facts)
	}
	if s.Table != nil {
		mdTable(b, *s.Table)
	}
	if len(s.Facts)+len(s.Items) == 0 && s.Table == nil {
		fmt.Fprintf(b, "*%s*\n\n", mdText(s.Empty))
	}
	if s.Note != "" {
		fmt.Fprintf(b, "*%s*\n\n", mdText(s.Note))
	}
}

// mdFacts writes labelled values as a list.
func mdFacts(b *bytes.Buffer, facts []docFact) {
	for _, f := range facts {
		v := mdText(f.Value)
		if f.Code && isHex(f.Value) {
			v = "`" + f.Value + "`"
		}
		fmt.Fprintf(b, "- **%s:** %s\n", mdText(f.Label), v)
	}
	if len(facts) > 0 {
		b.WriteByte('\n')
	}
}

// mdTable writes a table (GitHub's syntax): a | in a cell is escaped.
func mdTable(b *bytes.Buffer, t docTable) {
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + mdText(c) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Columns)
	b.WriteString("|" + strings.Repeat(" --- |", len(t.Columns)) + "\n")
	for _, r := range t.Rows {
		row(r)
	}
	b.WriteString("\n")
}

// mdText is a value as Markdown text: the characters of mdSpecial
// escaped, and "www." (which GitHub makes a link) too; a newline, which
// could start a block (a heading, a list, a table's row), is shown as ↵;
// control and bidirectional formatting characters as \uXXXX text, as the
// page shows them.
func mdText(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == '\n':
			b.WriteString(" ↵ ")
		case r == '\t':
			b.WriteByte(' ')
		case hidden(r):
			fmt.Fprintf(&b, `\\u%04X`, r)
		case strings.ContainsRune(mdSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '.' && i >= 3 && strings.EqualFold(string(runes[i-3:i]), "www"):
			b.WriteString(`\.`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isHex says whether s is hexadecimal digits only (a hash).
func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
