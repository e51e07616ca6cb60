package configs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// What a rule's match shows (a rule's indicates): the suggested risk of
// its incidents follows from it and from the data of the assets in scope.
const (
	// IndicatesAttempt: someone tried (failed logins, scans, refused
	// requests); nothing shows that they got in.
	IndicatesAttempt = "attempt"
	// IndicatesAccess: someone got in (a login that succeeded, a shell,
	// a privilege gained): the data on the host was within reach.
	IndicatesAccess = "access"
	// IndicatesExfiltration: data left (unusual outbound volume, a dump
	// downloaded).
	IndicatesExfiltration = "exfiltration"
	// IndicatesSensitiveData: sensitive data (SSNs, card or bank
	// account numbers, health data) was found where it must not be.
	IndicatesSensitiveData = "sensitive_data_exposed"
)

// Indications lists the values indicates may hold.
func Indications() []string {
	return []string{IndicatesAttempt, IndicatesAccess, IndicatesExfiltration, IndicatesSensitiveData}
}

// checkIndications reports values of a rule's indicates that are unknown
// or repeated.
func checkIndications(rule string, values []string, rng hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, v := range values {
		if !slices.Contains(Indications(), v) {
			diags = append(diags, errorAt(rng.Ptr(), "Invalid indicates",
				fmt.Sprintf("Rule %q indicates %q; say what a match shows with one or more of %s (e.g. indicates = [\"attempt\"] for failed logins, [\"access\"] for a login that succeeded).",
					rule, v, strings.Join(Indications(), ", "))))
			continue
		}
		if slices.Contains(values[:i], v) {
			diags = append(diags, errorAt(rng.Ptr(), "Duplicate indicates", fmt.Sprintf("Rule %q lists %q twice in indicates; list it once.", rule, v)))
		}
	}
	return diags
}
