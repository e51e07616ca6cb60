package incidents

import (
	"fmt"
	"slices"
	"strings"
)

// transitions lists the statuses each status may move to. Containment may
// come before triage (mitigate immediately); a closed incident or a
// false positive is reopened by hand to open.
var transitions = map[Status][]Status{
	StatusOpen:          {StatusTriaged, StatusContained, StatusFalsePositive},
	StatusTriaged:       {StatusContained, StatusNotifying, StatusClosed, StatusFalsePositive},
	StatusContained:     {StatusNotifying, StatusClosed},
	StatusNotifying:     {StatusClosed},
	StatusClosed:        {StatusOpen},
	StatusFalsePositive: {StatusOpen},
}

// Allowed returns the statuses an incident in status s may move to.
func Allowed(s Status) []Status { return slices.Clone(transitions[s]) }

// ValidStatus reports whether s is a status.
func ValidStatus(s Status) bool { return slices.Contains(Statuses(), s) }

// CheckTransition says whether inc may move to status to: the move must be
// in the lifecycle; closing needs a resolution, a confirmed risk and every
// obligation decided (undecided counts those that are not). The error wraps
// ErrConflict or ErrInvalid and says what to do.
func CheckTransition(inc *Incident, to Status, resolution string, undecided []Obligation, reason string) error {
	if !ValidStatus(to) {
		return fmt.Errorf("%w: %q is not a status; use one of %s", ErrInvalid, to, joinStatuses(Statuses()))
	}
	if inc.MergedInto != nil {
		return fmt.Errorf("%w: incident %d was merged into incident %d; work on that one", ErrConflict, inc.ID, *inc.MergedInto)
	}
	if !slices.Contains(transitions[inc.Status], to) {
		return fmt.Errorf("%w: incident %d is %s and cannot become %s; from %s it can become %s",
			ErrConflict, inc.ID, inc.Status, to, inc.Status, joinStatuses(transitions[inc.Status]))
	}
	if strings.TrimSpace(reason) == "" && (to == StatusFalsePositive || to == StatusOpen) {
		return fmt.Errorf("%w: say why the incident becomes %s (reason)", ErrInvalid, to)
	}
	if to == StatusClosed {
		if strings.TrimSpace(resolution) == "" {
			return fmt.Errorf("%w: closing needs a resolution: what was found and done", ErrInvalid)
		}
		if inc.Risk == RiskUnassessed {
			return fmt.Errorf("%w: incident %d has no confirmed risk; assess it (none, risk or high) before closing", ErrConflict, inc.ID)
		}
		if len(undecided) > 0 {
			names := make([]string, len(undecided))
			for i, o := range undecided {
				names[i] = fmt.Sprintf("%s → %s (%s)", o.Policy, o.Recipient, o.State)
			}
			return fmt.Errorf("%w: incident %d has undecided obligations: %s; send each or record why it is not required",
				ErrConflict, inc.ID, strings.Join(names, ", "))
		}
	}
	return nil
}

func joinStatuses(ss []Status) string {
	if len(ss) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// ValidRisk reports whether r is a risk a person may confirm.
func ValidRisk(r Risk) bool { return slices.Contains(Risks(), r) }

// RegisterKindFor says which register entry an assessment makes: a breach
// whenever personal data was affected, a near miss otherwise. A
// "personal data breach" (the GDPR procedure's definitions, Art. 4(12))
// is any breach of security leading to the destruction, loss, alteration,
// disclosure of, or access to personal data: whatever the risk (which
// decides the notices, not the register) and whether or not the data was
// encrypted (which decides the data subjects' notice and the contract's
// "Data Breach").
func RegisterKindFor(personalData bool, _ Scope, _ Risk) string {
	if personalData {
		return RegisterBreach
	}
	return RegisterNearMiss
}
