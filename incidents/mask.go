package incidents

import (
	"regexp"
	"strings"

	"github.com/breachd/breachd/rules"
)

// cardCandidate finds runs of 13 to 19 digits, optionally grouped by single
// spaces or dashes, as payment card numbers are written.
var cardCandidate = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

// ssn finds US social security numbers written as AAA-GG-SSSS.
var ssn = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)

// Mask hides payment card numbers (those passing the Luhn check) and social
// security numbers in s, keeping the last four digits, so that evidence kept
// or sent by breachd does not itself store sensitive data.
func Mask(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	s = cardCandidate.ReplaceAllStringFunc(s, func(m string) string {
		if !rules.Luhn(m) {
			return m
		}
		return maskDigits(m, 4)
	})
	return ssn.ReplaceAllStringFunc(s, func(m string) string { return maskDigits(m, 4) })
}

// maskDigits replaces every digit but the last keep with '*'.
func maskDigits(s string, keep int) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	b := []byte(s)
	for i := range b {
		if b[i] >= '0' && b[i] <= '9' {
			if digits > keep {
				b[i] = '*'
			}
			digits--
		}
	}
	return string(b)
}
