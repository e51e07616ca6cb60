package rules

import (
	"slices"
	"sort"
	"strings"

	"github.com/breachd/breachd/configs"
)

// clearField says whether a sensitive rule's findings keep a field in
// clear: where a value was seen, never the value.
func clearField(name string) bool { return slices.Contains(configs.WhereFields(), name) }

// MaskValue hides v but for its last four characters when it has at least
// eight (enough to tell two values apart without giving either away), and
// wholly when shorter: a part of a number (an SSN's area, a card's BIN)
// is not left in clear because it was captured on its own.
func MaskValue(v string) string {
	n := len(v)
	keep := 0
	if n >= 8 {
		keep = 4
	}
	b := []byte(v)
	for i := 0; i < n-keep; i++ {
		if c := b[i]; c > ' ' && c != '-' && c != '.' && c != ':' && c != '/' {
			b[i] = '*'
		}
	}
	return string(b)
}

// maskSensitive masks, in place, every captured field of a sensitive
// rule's finding and returns the evidence line with each captured value
// masked where it occurs, and the group key built from the masked values.
// Longer values are replaced first, so a capture and its sub-captures
// (ssn, area, group, serial) all end masked.
func maskSensitive(fields map[string]string, line, key string) (string, string) {
	type pair struct{ clear, masked string }
	var pairs []pair
	for name, v := range fields {
		if clearField(name) || v == "" {
			continue
		}
		m := MaskValue(v)
		fields[name] = m
		pairs = append(pairs, pair{v, m})
	}
	sort.Slice(pairs, func(i, j int) bool { return len(pairs[i].clear) > len(pairs[j].clear) })
	for _, p := range pairs {
		line = strings.ReplaceAll(line, p.clear, p.masked)
	}
	if key != "" && !strings.HasPrefix(key, "sha256:") {
		parts := strings.Split(key, ",")
		for i, part := range parts {
			if name, v, ok := strings.Cut(part, "="); ok && !clearField(name) {
				parts[i] = name + "=" + MaskValue(v)
			}
		}
		key = strings.Join(parts, ",")
	}
	return line, key
}
