package rules

import (
	"regexp"
	"strings"
	"testing"
)

func TestRequiredLiteral(t *testing.T) {
	for expr, want := range map[string]string{
		`^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\S+) port \d+( ssh2)?$`: "Failed password for ",
		`(?P<ip>\S+) - - \[[^]]+\] "GET /\.env`:                                                `] "GET /.env`,
		`(?i)union\s+select`:                                                                   "",
		`foo|barbaz`:                                                                           "",
		`(abc)+x`:                                                                              "abc",
		`a(bcd)?e`:                                                                             "",
		`x{2}yz`:                                                                               "", // repeats are not unrolled
		`(?P<card>\d{13,19})`:                                                                  "",
	} {
		if got := requiredLiteral(expr); got != want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", expr, got, want)
		}
	}
}

// FuzzRequiredLiteral: a line an expression matches always contains the
// expression's required literal.
func FuzzRequiredLiteral(f *testing.F) {
	f.Add(`^Failed password for (?P<user>.*) from (?P<ip>\S+)`, "Failed password for root from 1.2.3.4")
	f.Add(`(abc)+x`, "abcabcx")
	f.Add(`x{2}yz`, "xxyz")
	f.Fuzz(func(t *testing.T, expr, line string) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return
		}
		if lit := requiredLiteral(expr); lit != "" && re.MatchString(line) && !strings.Contains(line, lit) {
			t.Errorf("%q matches %q without its literal %q", expr, line, lit)
		}
	})
}
