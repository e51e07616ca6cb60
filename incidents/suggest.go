package incidents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
)

// Suggestion is the risk breachd suggests for an incident and why, in words
// for the timeline; a person confirms it.
type Suggestion struct {
	Risk   Risk
	Reason string
}

// Suggest is breachd's suggested risk from what the evidence indicates (the
// rule's indicates) and the data of the assets in scope:
//   - unassessed without assets in scope (nothing is known);
//   - none when no personal data is in scope or it was unintelligible
//     (encrypted, keys safe);
//   - none when the evidence shows attempts only: nothing shows anyone
//     reached the data;
//   - risk when it shows access;
//   - high when it shows exfiltration or sensitive data exposed and the
//     data is of a high-risk category or of at least high_risk_subjects
//     data subjects; risk otherwise.
//
// When the evidence says nothing of what it shows (indicates empty: a rule
// without it, a report by hand), the data alone decides: high for a
// high-risk category, for high_risk_subjects or more, or for a critical
// rule; risk otherwise.
func Suggest(s Scope, severity string, indicates []string, policy configs.Incidents) Suggestion {
	if len(s.Assets) == 0 {
		return Suggestion{RiskUnassessed, "no asset in scope: nothing is known of the data"}
	}
	sensitive := slices.Contains(indicates, configs.IndicatesSensitiveData)
	if !s.PersonalData() {
		if sensitive {
			return Suggestion{RiskRisk, fmt.Sprintf("sensitive data was found in the evidence although the assets in scope (%s) declare no personal data", strings.Join(s.Assets, ", "))}
		}
		return Suggestion{RiskNone, fmt.Sprintf("the assets in scope (%s) hold no personal data", strings.Join(s.Assets, ", "))}
	}
	if s.Unintelligible() && !sensitive {
		return Suggestion{RiskNone, "the personal data in scope is encrypted at rest and its keys are not exposed"}
	}
	var highCat string
	for _, c := range s.DataCategories {
		if slices.Contains(policy.HighRiskCategories, c) {
			highCat = c
			break
		}
	}
	many := policy.HighRiskSubjects > 0 && s.DataSubjects >= policy.HighRiskSubjects
	data := fmt.Sprintf("%d data subjects, categories %s", s.DataSubjects, strings.Join(s.DataCategories, ", "))
	weight := func() string {
		switch {
		case highCat != "":
			return fmt.Sprintf("high-risk category %s", highCat)
		case many:
			return fmt.Sprintf("%d data subjects, at least high_risk_subjects (%d)", s.DataSubjects, policy.HighRiskSubjects)
		}
		return ""
	}
	if len(indicates) == 0 {
		why := "the evidence does not say what it shows (no indicates), so the data in scope decides: "
		switch {
		case highCat != "" || many:
			return Suggestion{RiskHigh, why + weight()}
		case severity == configs.SeverityCritical.String():
			return Suggestion{RiskHigh, why + "a critical rule, " + data}
		}
		return Suggestion{RiskRisk, why + data}
	}
	shows := "the evidence indicates " + strings.Join(indicates, ", ")
	switch {
	case slices.Contains(indicates, configs.IndicatesExfiltration) || sensitive:
		if highCat != "" || many {
			return Suggestion{RiskHigh, shows + " with " + weight()}
		}
		return Suggestion{RiskRisk, shows + " of " + data + " (below high_risk_subjects, no high-risk category)"}
	case slices.Contains(indicates, configs.IndicatesAccess):
		return Suggestion{RiskRisk, shows + ": the personal data (" + data + ") was within reach; nothing shows it left"}
	}
	return Suggestion{RiskNone, shows + " only: nothing shows anyone reached the personal data (" + data + ")"}
}
