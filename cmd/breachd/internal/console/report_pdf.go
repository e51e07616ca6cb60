package console

import (
	"bytes"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// The PDF's layout: A4, millimetres and points.
const (
	pdfFamily = "dejavu"
	pdfMargin = 16.0
	pdfLabel  = 46.0 // the labels' column
	pdfIndent = 4.0  // an item's facts, a row's text
	pdfBody   = 9.5  // points
	pdfSmall  = 8.0
	pdfLine   = 4.4
)

// pdfWriter lays a report out on PDF pages. Every string goes through
// lines: made printable for the font, broken into lines that fit, and put
// in the order it is seen; the library draws it as text (no markup is
// read from it).
type pdfWriter struct {
	f *fpdf.Fpdf
	// glyphs are each font style's characters ("" regular, "B" bold);
	// style is the current one.
	glyphs map[string]*glyphSet
	style  string
	// width is the text's width between the margins; bottom where the
	// page's text ends.
	width, bottom float64
}

// pdf renders the document as an A4 PDF with the embedded fonts.
func (d reportDoc) pdf() ([]byte, error) {
	w, err := newPDFWriter(d)
	if err != nil {
		return nil, err
	}
	w.heading(d)
	for _, s := range d.Sections {
		w.section(s)
	}
	w.f.Ln(4)
	w.note("End of the report.")
	var buf bytes.Buffer
	if err := w.f.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newPDFWriter starts the document: fonts, margins, the footer of every
// page (the incident, its chain head and the page's number), the first
// page.
func newPDFWriter(d reportDoc) (*pdfWriter, error) {
	f := fpdf.New("P", "mm", "A4", "")
	w := &pdfWriter{f: f, glyphs: map[string]*glyphSet{}}
	for style, file := range map[string]string{"": "fonts/DejaVuSans.ttf", "B": "fonts/DejaVuSans-Bold.ttf"} {
		ttf, err := fontFiles.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if w.glyphs[style], err = fontGlyphs(ttf); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		f.AddUTF8FontFromBytes(pdfFamily, style, ttf)
	}
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin)
	f.SetCellMargin(0)
	f.SetTitle(fmt.Sprintf("breachd incident #%d report", d.ID), true)
	f.SetCreator("breachd", true)
	f.SetLang("en")
	if !d.At.IsZero() {
		f.SetCreationDate(d.At)
		f.SetModificationDate(d.At)
	}
	f.SetFooterFunc(func() { w.footer(d.Head) })
	f.AddPage()
	pageW, pageH := f.GetPageSize()
	w.width, w.bottom = pageW-2*pdfMargin, pageH-pdfMargin
	return w, f.Error()
}

// footer is every page's last line.
func (w *pdfWriter) footer(head string) {
	w.f.SetY(-pdfMargin + 4)
	w.f.SetFont(pdfFamily, "", 7)
	w.f.SetTextColor(80, 80, 80)
	w.f.CellFormat(0, 4, w.glyphs[""].printable(fmt.Sprintf("%s · page %d", head, w.f.PageNo())), "T", 0, "L", false, 0, "")
	w.f.SetTextColor(0, 0, 0)
}

// setFont selects the font's style and size.
func (w *pdfWriter) setFont(style string, size float64) {
	w.f.SetFont(pdfFamily, style, size)
	w.style = style
}

// heading is the report's title and the lines under it.
func (w *pdfWriter) heading(d reportDoc) {
	w.setFont("", pdfSmall)
	w.f.SetTextColor(80, 80, 80)
	w.block(pdfMargin, w.width, 4, fmt.Sprintf("breachd · report on incident #%d", d.ID))
	w.f.SetTextColor(0, 0, 0)
	w.f.Ln(1)
	w.setFont("B", 15)
	w.block(pdfMargin, w.width, 7, d.Title)
	w.f.Ln(1)
	w.setFont("", pdfBody)
	for _, l := range d.Lead {
		w.block(pdfMargin, w.width, pdfLine, l)
	}
}

// section is a part of the report: its title, then its facts, items and
// table, or what it says when it holds none.
func (w *pdfWriter) section(s docSection) {
	w.keep(24)
	w.f.Ln(4)
	w.setFont("B", 12)
	w.block(pdfMargin, w.width, 6.5, s.Title)
	y := w.f.GetY()
	w.f.Line(pdfMargin, y, pdfMargin+w.width, y)
	w.f.Ln(1.5)
	for _, f := range s.Facts {
		w.fact(pdfMargin, f)
	}
	for _, it := range s.Items {
		w.item(it)
	}
	if s.Table != nil {
		w.table(*s.Table)
	}
	if len(s.Facts)+len(s.Items) == 0 && s.Table == nil {
		w.note(s.Empty)
	}
	if s.Note != "" {
		w.f.Ln(1)
		w.note(s.Note)
	}
}

// item is a containment, an action run or a notice: its heading in bold,
// its facts under it.
func (w *pdfWriter) item(it docItem) {
	w.keep(14)
	w.f.Ln(1.5)
	w.setFont("B", pdfBody)
	w.block(pdfMargin, w.width, pdfLine, it.Head)
	for _, f := range it.Facts {
		w.fact(pdfMargin+pdfIndent, f)
	}
}

// table is a list of rows, each a line of its first columns in bold
// ("Seq 12 · when · who · kind") and its last column under it.
func (w *pdfWriter) table(t docTable) {
	for _, row := range t.Rows {
		if len(row) == 0 {
			continue
		}
		w.keep(10)
		w.f.Ln(1)
		head := append([]string{t.Columns[0] + " " + row[0]}, row[1:len(row)-1]...)
		w.setFont("B", pdfSmall)
		w.block(pdfMargin, w.width, 4, strings.Join(head, " · "))
		w.setFont("", pdfBody)
		w.block(pdfMargin+pdfIndent, w.width-pdfIndent, pdfLine, row[len(row)-1])
	}
}

// fact is a label in bold in its column, and the value beside it, from x.
func (w *pdfWriter) fact(x float64, f docFact) {
	valueW := pdfMargin + w.width - x - pdfLabel
	size := pdfBody
	if f.Code {
		size = pdfSmall // a hash: 64 characters on one line
	}
	w.setFont("B", pdfBody)
	labels := w.lines(f.Label, pdfLabel-2)
	w.setFont("", size)
	values := w.lines(f.Value, valueW)
	for i := range max(len(labels), len(values)) {
		w.f.SetX(x)
		w.setFont("B", pdfBody)
		w.f.CellFormat(pdfLabel, pdfLine, lineAt(labels, i), "", 0, "L", false, 0, "")
		w.setFont("", size)
		w.f.CellFormat(valueW, pdfLine, lineAt(values, i), "", 1, "L", false, 0, "")
	}
}

// note is the report's own remark, in grey.
func (w *pdfWriter) note(s string) {
	w.setFont("", pdfSmall)
	w.f.SetTextColor(60, 60, 60)
	w.block(pdfMargin, w.width, 4, s)
	w.f.SetTextColor(0, 0, 0)
}

// block draws s from x in lines no wider than width, each h high.
func (w *pdfWriter) block(x, width, h float64, s string) {
	for _, l := range w.lines(s, width) {
		w.f.SetX(x)
		w.f.CellFormat(width, h, l, "", 2, "L", false, 0, "")
	}
}

// keep starts a new page unless h millimetres are left on this one: a
// title is not left alone at the foot of a page.
func (w *pdfWriter) keep(h float64) {
	if w.f.GetY()+h > w.bottom {
		w.f.AddPage()
	}
}

// lines is s in the current font: made printable, each paragraph broken
// into lines no wider than width and put in the order it is seen.
func (w *pdfWriter) lines(s string, width float64) []string {
	var out []string
	for _, para := range strings.Split(w.glyphs[w.style].printable(s), "\n") {
		runes := []rune(para)
		p := newBidiParagraph(runes)
		for _, span := range w.wrap(runes, width) {
			out = append(out, p.visual(span[0], span[1]))
		}
	}
	return out
}

// wrap breaks a paragraph into lines no wider than width, at a space
// where it can and inside a word wider than a line: each line's start and
// end. An empty paragraph is one empty line.
func (w *pdfWriter) wrap(runes []rune, width float64) [][2]int {
	if len(runes) == 0 {
		return [][2]int{{0, 0}}
	}
	var out [][2]int
	for start := 0; start < len(runes); {
		end, sum, space := start, 0.0, -1
		for end < len(runes) {
			wd := w.f.GetStringWidth(string(runes[end]))
			if end > start && sum+wd > width {
				break
			}
			if runes[end] == ' ' {
				space = end
			}
			sum += wd
			end++
		}
		switch {
		case end == len(runes):
			out, start = append(out, [2]int{start, end}), end
		case runes[end] == ' ':
			out, start = append(out, [2]int{start, end}), end+1
		case space > start:
			out, start = append(out, [2]int{start, space}), space+1
		default:
			out, start = append(out, [2]int{start, end}), end
		}
	}
	return out
}

// lineAt is lines[i], or "" past its end.
func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
