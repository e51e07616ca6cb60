package console

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// glyphSet is the characters of the Basic Multilingual Plane a font has a
// glyph for, one bit each.
type glyphSet [1 << 16 / 64]uint64

// has says whether the font draws r.
func (g *glyphSet) has(r rune) bool {
	return r >= 0 && r < 1<<16 && g[r/64]&(1<<(r%64)) != 0
}

// printable is s as the PDF draws it with the font: control and
// bidirectional formatting characters (which hidden names: a log line's
// U+202E would turn what follows around), characters beyond the Basic
// Multilingual Plane (which the PDF library cannot draw) and characters
// the font has no glyph for are written as visible \uXXXX text
// (\U0001F600); a tab is a space; a newline stays (it starts a
// paragraph); bytes that are not UTF-8 are U+FFFD.
func (g *glyphSet) printable(s string) string {
	clean := true
	for _, r := range s {
		if r == '\t' || r == utf8.RuneError || r != '\n' && (hidden(r) || !g.has(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r >= 1<<16:
			fmt.Fprintf(&b, `\U%08X`, r)
		case hidden(r) || !g.has(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fontGlyphs reads which characters a TrueType font has glyphs for, from
// its cmap table's Windows Unicode BMP subtable (platform 3, encoding 1,
// format 4): every segment's characters whose glyph is not glyph 0
// (.notdef, the empty box).
func fontGlyphs(ttf []byte) (*glyphSet, error) {
	sub, err := cmapSubtable(ttf)
	if err != nil {
		return nil, err
	}
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(sub) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(sub[off:])), true
	}
	segX2, ok := u16(6)
	if !ok {
		return nil, errors.New("font: short cmap subtable")
	}
	ends, starts, deltas, ranges := 14, 16+segX2, 16+2*segX2, 16+3*segX2
	g := new(glyphSet)
	for seg := 0; seg < segX2; seg += 2 {
		end, ok1 := u16(ends + seg)
		start, ok2 := u16(starts + seg)
		delta, ok3 := u16(deltas + seg)
		rangeOff, ok4 := u16(ranges + seg)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errors.New("font: cmap segments beyond the subtable")
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			glyph := (c + delta) & 0xFFFF
			if rangeOff != 0 {
				id, ok := u16(ranges + seg + rangeOff + 2*(c-start))
				if !ok {
					return nil, errors.New("font: cmap glyph index beyond the subtable")
				}
				glyph = 0
				if id != 0 {
					glyph = (id + delta) & 0xFFFF
				}
			}
			if glyph != 0 {
				g[c/64] |= 1 << (c % 64)
			}
		}
	}
	return g, nil
}

// cmapSubtable finds the font's format 4 Windows Unicode BMP subtable of
// its cmap table: the bytes from its start to the cmap's end.
func cmapSubtable(ttf []byte) ([]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("font: too short")
	}
	var cmap []byte
	for i, n := 0, int(binary.BigEndian.Uint16(ttf[4:])); i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errors.New("font: table directory beyond the file")
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			off, size := int(binary.BigEndian.Uint32(ttf[rec+8:])), int(binary.BigEndian.Uint32(ttf[rec+12:]))
			if off < 0 || size < 4 || off+size > len(ttf) {
				return nil, errors.New("font: cmap beyond the file")
			}
			cmap = ttf[off : off+size]
		}
	}
	if cmap == nil {
		return nil, errors.New("font: no cmap table")
	}
	for i, n := 0, int(binary.BigEndian.Uint16(cmap[2:])); i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, encoding, off := binary.BigEndian.Uint16(cmap[rec:]), binary.BigEndian.Uint16(cmap[rec+2:]), int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if platform != 3 || encoding != 1 || off < 0 || off+4 > len(cmap) || binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		// Its length is 16 bits, which a large subtable outgrows: each
		// read is checked against the cmap's end instead.
		return cmap[off:], nil
	}
	return nil, errors.New("font: no Windows Unicode BMP (format 4) cmap subtable")
}
