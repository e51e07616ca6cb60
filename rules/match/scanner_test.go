package match

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

func scanAll(s *Scanner, text string) []int32 {
	var ids []int32
	s.Scan([]byte(text), func(id int32) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	})
	slices.Sort(ids)
	return ids
}

func TestLitScanner(t *testing.T) {
	lits := [][]byte{[]byte("he"), []byte("she"), []byte("his"), []byte("hers"), []byte("Failed password for "), []byte("ushers")}
	dense, sparse := NewScanner(lits), NewScannerLimit(lits, 0)
	if dense.dense == nil || sparse.dense != nil {
		t.Fatal("the limit does not choose the automaton")
	}
	for text, want := range map[string]string{
		"ushers": "[0 1 3 5]",
		"xyz":    "[]",
		"his":    "[2]",
		"sshd[1]: Failed password for root from x": "[4]",
		"Failed password for root":                 "[4]",
		"hhe":                                      "[0]",
	} {
		if got := fmt.Sprint(scanAll(dense, text)); got != want {
			t.Errorf("dense scan(%q) = %s, want %s", text, got, want)
		}
		if got := fmt.Sprint(scanAll(sparse, text)); got != want {
			t.Errorf("sparse scan(%q) = %s, want %s", text, got, want)
		}
	}
}

// FuzzLitScanner checks the scanner against bytes.Contains.
func FuzzLitScanner(f *testing.F) {
	f.Add("he|she|his|hers", "ushers and his")
	f.Add("aab|ab|b|abab", "aababab")
	f.Fuzz(func(t *testing.T, dict, text string) {
		var lits [][]byte
		for _, l := range bytes.Split([]byte(dict), []byte("|")) {
			if len(l) > 0 && len(lits) < 64 {
				lits = append(lits, l)
			}
		}
		if len(lits) == 0 {
			return
		}
		got := scanAll(NewScanner(lits), text)
		sparse := scanAll(NewScannerLimit(lits, 0), text)
		var want []int32
		for i, l := range lits {
			if bytes.Contains([]byte(text), l) && slices.IndexFunc(lits[:i], func(o []byte) bool { return bytes.Equal(o, l) }) < 0 {
				want = append(want, int32(i))
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(sparse) != fmt.Sprint(want) {
			t.Errorf("dict %q text %q: dense scan %v, sparse scan %v, contains %v", dict, text, got, sparse, want)
		}
	})
}

// FuzzPrefixTable checks the prefix table against bytes.HasPrefix.
func FuzzPrefixTable(f *testing.F) {
	f.Add("Failed p|Failed k|Invalid |a|\x00|", "Failed password for x")
	f.Add("ab\x00|ab", "ab")
	f.Add("a0|a1|a2|a3|a4|a5|a6|a7|a8|a9|a|ab|abc|a\x00", "a7x")
	f.Fuzz(func(t *testing.T, dict, text string) {
		var lits [][]byte
		for _, l := range bytes.Split([]byte(dict), []byte("|")) {
			if len(lits) < 64 {
				lits = append(lits, l[:min(len(l), MaxPrefix)])
			}
		}
		var got, want []int32
		NewPrefixTable(lits).Prefixes([]byte(text), func(id int32) { got = append(got, id) })
		for i, l := range lits {
			if bytes.HasPrefix([]byte(text), l) {
				want = append(want, int32(i))
			}
		}
		slices.Sort(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("prefixes %q of %q: got %v, want %v", lits, text, got, want)
		}
	})
}
