package rules

import "encoding/binary"

// packed is a list of strings in one string: each value is its length
// (uvarint) then its bytes. Values past the end are empty. Per-key state
// keeps its fields this way: one allocation instead of one per field.
type packed string

// get returns value i.
func (p packed) get(i int) string {
	s := string(p)
	for len(s) > 0 {
		var n uint64
		w := 0
		for shift := 0; w < len(s) && shift < 64; shift += 7 {
			b := s[w]
			w++
			n |= uint64(b&0x7f) << shift
			if b < 0x80 {
				break
			}
		}
		if uint64(len(s)-w) < n {
			return ""
		}
		if i == 0 {
			return s[w : w+int(n)]
		}
		s = s[w+int(n):]
		i--
	}
	return ""
}

// update returns p with value i replaced by vals[i] wherever vals[i] is not
// empty, allocating only when a value changes; buf is scratch space,
// returned for reuse.
func (p packed) update(vals [][]byte, buf []byte) (packed, []byte) {
	changed := false
	for i, v := range vals {
		if len(v) > 0 && p.get(i) != string(v) {
			changed = true
			break
		}
	}
	if !changed {
		return p, buf
	}
	buf = buf[:0]
	for i, v := range vals {
		if len(v) > 0 {
			buf = binary.AppendUvarint(buf, uint64(len(v)))
			buf = append(buf, v...)
			continue
		}
		old := p.get(i)
		buf = binary.AppendUvarint(buf, uint64(len(old)))
		buf = append(buf, old...)
	}
	return packed(buf), buf
}
