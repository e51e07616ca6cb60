package incidents

import (
	"regexp"
	"strings"

	"github.com/breachd/breachd/rules"
)

// cardCandidate finds runs of 13 to 19 digits, optionally grouped by single
// spaces or dashes, as payment card numbers are written.
var cardCandidate = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

// ibanCandidate finds international bank account numbers, grouped by four
// or not.
var ibanCandidate = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`)

// ssn finds US social security numbers written as AAA-GG-SSSS.
var ssn = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)

// Mask hides payment card numbers (those passing the Luhn check), bank
// account numbers (IBANs passing their check) and social security numbers
// in s, keeping the last four characters, so that evidence kept
// or sent by breachd does not itself store sensitive data.
func Mask(s string) string {
	if !strings.ContainsAny(s, "0123456789") { // all three hold digits
		return s
	}
	// IBANs first: their digits could pass for a card number.
	s = ibanCandidate.ReplaceAllStringFunc(s, func(m string) string {
		if !rules.IBAN(m) {
			return m
		}
		return maskAlnum(m, 4)
	})
	s = cardCandidate.ReplaceAllStringFunc(s, func(m string) string {
		if !rules.Luhn(m) {
			return m
		}
		return maskDigits(m, 4)
	})
	return ssn.ReplaceAllStringFunc(s, func(m string) string { return maskDigits(m, 4) })
}

// maskAlnum replaces every letter and digit but the last keep with '*'.
func maskAlnum(s string, keep int) string {
	b := []byte(s)
	n := 0
	for i := len(b) - 1; i >= 0; i-- {
		if c := b[i]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
			if n >= keep {
				b[i] = '*'
			}
			n++
		}
	}
	return string(b)
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
