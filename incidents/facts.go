package incidents

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnchanged is returned for a change that would leave everything as it
// is: nothing was written.
var ErrUnchanged = errors.New("unchanged")

// EffectOther is the effect whose specification the form asks for
// ("Other [please specify other possible results]"): it goes in
// Facts.EffectsOther.
const EffectOther = "other"

// EffectChoices are what the GDPR procedure's Appendix 4 lets a notice say
// happened to the data.
func EffectChoices() []string {
	return []string{"disclosed", "destroyed", "lost", "modified", "accessed", EffectOther}
}

// CausedByChoices are by whom, per Appendix 4.
func CausedByChoices() []string { return []string{"unauthorized persons", "internal accident"} }

// normalize checks the choices the patch gives against the form's lists,
// writing them back in their canonical spelling (lower case, single
// spaces) and the effects in the form's order.
func (p *FactsPatch) normalize() error {
	if p.Effects != nil {
		choices := EffectChoices()
		seen := map[string]bool{}
		out := make([]string, 0, len(*p.Effects))
		for _, e := range *p.Effects {
			c := canonChoice(e)
			if !slices.Contains(choices, c) {
				return fmt.Errorf("%w: effect %q is not one of the form's choices (GDPR procedure, Appendix 4): %s; for other, say what in effects_other", ErrInvalid, e, strings.Join(choices, ", "))
			}
			if seen[c] {
				return fmt.Errorf("%w: effect %q is given twice", ErrInvalid, c)
			}
			seen[c] = true
			out = append(out, c)
		}
		// In the form's order: a checklist, whose order says nothing.
		slices.SortFunc(out, func(a, b string) int { return slices.Index(choices, a) - slices.Index(choices, b) })
		p.Effects = &out
	}
	if p.CausedBy != nil && *p.CausedBy != "" {
		c, choices := canonChoice(*p.CausedBy), CausedByChoices()
		if !slices.Contains(choices, c) {
			return fmt.Errorf("%w: caused_by %q is not one of the form's choices (GDPR procedure, Appendix 4): %q or %q", ErrInvalid, *p.CausedBy, choices[0], choices[1])
		}
		p.CausedBy = &c
	}
	if p.EffectsOther != nil {
		t := strings.TrimSpace(*p.EffectsOther)
		p.EffectsOther = &t
	}
	return nil
}

func canonChoice(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Check says whether facts hang together: the effect "other" needs its
// specification, and a specification needs "other" among the effects.
func (f Facts) Check() error {
	other := slices.Contains(f.Effects, EffectOther)
	switch {
	case other && f.EffectsOther == "":
		return fmt.Errorf("%w: effects has %q: say what in effects_other (--effects-other), the form's \"please specify other possible results\"", ErrInvalid, EffectOther)
	case !other && f.EffectsOther != "":
		return fmt.Errorf("%w: effects_other specifies the effect %q, which effects does not list: add %s to effects, or clear effects_other", ErrInvalid, EffectOther, EffectOther)
	}
	return nil
}

// Equal says whether f and g say the same (no effects and an empty list
// of effects are the same).
func (f Facts) Equal(g Facts) bool {
	return f.Nature == g.Nature && f.Consequences == g.Consequences && f.Measures == g.Measures &&
		slices.Equal(f.Effects, g.Effects) && f.EffectsOther == g.EffectsOther && f.CausedBy == g.CausedBy &&
		f.DelayReason == g.DelayReason
}

// printedEffects are the effects as a notice prints them: "other" with
// its specification.
func (f Facts) printedEffects() []string {
	if !slices.Contains(f.Effects, EffectOther) {
		return f.Effects
	}
	out := make([]string, len(f.Effects))
	for i, e := range f.Effects {
		out[i] = e
		if e == EffectOther && f.EffectsOther != "" {
			out[i] = EffectOther + ": " + f.EffectsOther
		}
	}
	return out
}
