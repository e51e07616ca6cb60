package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/breachd/breachd/configs"
)

// stateKey identifies what a rule's state depends on: its name, the
// fields of the sources it reads, its expressions and conditions, what a
// threshold groups and counts, and its sequence, absent or metric
// settings. Two compilations of a rule with the same key can share state;
// title, severity, actions and tags do not take part, so editing them
// keeps the state, and neither do a threshold's count, within and
// cooldown: a window is carried over to new ones (windowSet.retuned).
func stateKey(cfg *configs.Config, spec *configs.Rule, maxKeys int) string {
	var b []byte
	put := func(parts ...any) {
		for _, p := range parts {
			b = appendKeyPart(b, p)
		}
	}
	matcher := func(source string, matches []string, where string) {
		var fields []string
		if s := cfg.SourceByName(source); s != nil {
			fields = s.Fields()
		}
		put(source, fields, matches, where)
	}
	put(spec.Name, maxKeys)
	switch {
	case spec.Sequence != nil:
		s := spec.Sequence
		put("sequence", s.By, s.Within)
		for _, st := range s.Steps {
			put(st.Name, st.Count)
			matcher(st.Source, st.Matches, st.Where)
		}
	case spec.Metric != nil:
		m := spec.Metric
		put("metric", spec.Source, m.Name, m.Labels, m.Window, m.When, m.For)
	default:
		matcher(spec.Source, spec.Matches, spec.Where)
		if t := spec.Threshold; t != nil {
			put("threshold", t.GroupBy, t.Distinct)
		}
		if c := spec.Connection; c != nil {
			put("connection", c.By, c.Fill, c.Within, c.MaxKeys, c.Switch, c.Note, c.Hold, c.Success, c.End)
		}
		if a := spec.Absent; a != nil {
			put("absent", a.Within, a.GroupBy)
		}
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendKeyPart appends p to a state key unambiguously: a list as its
// length then each element, a string (or any other value, as fmt prints
// it) as its length then its bytes, each behind a tag. So ["a b", "c"] and
// ["a", "b c"], or ["x"] and "x", never give the same bytes.
func appendKeyPart(b []byte, p any) []byte {
	switch v := p.(type) {
	case []string:
		b = append(b, 'l')
		b = binary.AppendUvarint(b, uint64(len(v)))
		for _, s := range v {
			b = appendKeyPart(b, s)
		}
		return b
	case string:
		b = append(b, 's')
		b = binary.AppendUvarint(b, uint64(len(v)))
		return append(b, v...)
	case map[string]string:
		b = append(b, 'm')
		b = binary.AppendUvarint(b, uint64(len(v)))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			b = appendKeyPart(appendKeyPart(b, k), v[k])
		}
		return b
	}
	s := fmt.Sprint(p)
	b = append(b, 'v')
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Adopt carries the state of old's rules over to e's rules whose
// detection is unchanged (see stateKey): their windows (under the new
// count, within and cooldown if those changed), sequence attempts,
// silences, metric series and counters. A reload compiles the new config
// into e, calls Adopt, then swaps: an attack half-way to its threshold is
// still caught after the reload. old must not be used afterwards. Adopt
// returns the names of the rules that kept their state.
func (e *Engine) Adopt(old *Engine) []string {
	prev := make(map[string]*Rule, len(old.rules))
	for _, r := range old.rules {
		prev[r.stateKey] = r
	}
	var kept []string
	for _, r := range e.rules {
		o := prev[r.stateKey]
		if o == nil {
			continue
		}
		if w, ow := r.windows, o.windows; w != nil && ow != nil {
			if w.count == ow.count && w.within == ow.within && w.cooldown == ow.cooldown {
				r.windows = ow
			} else {
				r.windows = ow.retuned(w.count, w.within, w.cooldown, w.keys.max, r.distinct != "")
			}
		}
		if r.seqs != nil && o.seqs != nil {
			r.seqs = o.seqs
		}
		if r.conn != nil && o.conn != nil {
			r.conn.set = o.conn.set
		}
		if r.silence != nil && o.silence != nil {
			r.silence = o.silence
		}
		if r.metric != nil && o.metric != nil {
			r.metric.series = o.metric.series
		}
		r.stats.evaluations.Store(o.stats.evaluations.Load())
		r.stats.matches.Store(o.stats.matches.Load())
		r.stats.findings.Store(o.stats.findings.Load())
		r.stats.whereErrors.Store(o.stats.whereErrors.Load())
		kept = append(kept, r.spec.Name)
	}
	e.used = max(e.used, old.used)
	if e.track != nil {
		e.wire() // the adopted state now records its changes here
	}
	return kept
}
