package match

import (
	"regexp"
	"testing"
)

func TestAnalyzeLiterals(t *testing.T) {
	for expr, want := range map[string]string{
		`^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\S+) port \d+( ssh2)?$`: "^(Failed password for invalid user |Failed password for ) & ( from ) & ( port ) best (Failed password for invalid user |Failed password for )",
		`(?P<ip>\S+) - - \[[^]]+\] "GET /\.env`:                                                ` & (] "GET /.env) & ( - - [) best (] "GET /.env)`,
		`(?i)union\s+select`:                                                                   " best ()",
		`foo|barbaz`:                                                                           " & (foo|barbaz) best (foo|barbaz)",
		`(abc)+x`:                                                                              " & (abc) best (abc)",
		`ab(cd)?ef`:                                                                            " & (abcdef|abef) best (abcdef|abef)",
		`a(bcd)?e`:                                                                             " best ()", // "ae" is too short
		`x{2}yz`:                                                                               " & (xxyz) best (xxyz)",
		`(?P<card>\d{13,19})`:                                                                  " best ()",
		`^(Connection closed by|Disconnected from) (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \d+( \[preauth\])?$`: "^(Connection closed by invalid user |Connection closed by authenticating user |Disconnected from invalid user |Disconnected from authenticating user ) & ( port ) best (Connection closed by invalid user |Connection closed by authenticating user |Disconnected from invalid user |Disconnected from authenticating user )",
		`^Received disconnect from (?P<ip>[0-9A-Fa-f:.]+) port \d+:\d+: .* \[preauth\]$`:                                                        "^(Received disconnect from ) & ( [preauth]) & ( port ) best (Received disconnect from )",
		`(a.*bcd|xyz.*q)`: " & (bcd|xyz) best (bcd|xyz)",
		`(a.*bcd|x.*q)`:   " best ()", // a branch with nothing required
		`^.*foo`:          " & (foo) best (foo)",
	} {
		l := Analyze(expr)
		if got := l.String(); got != want {
			t.Errorf("Analyze(%q) =\n%s\nwant\n%s", expr, got, want)
		}
	}
}

// FuzzRequiredLiteral: a text an expression matches always passes the
// expression's literal check, and contains one of the literals the source
// filter scans for.
func FuzzRequiredLiteral(f *testing.F) {
	f.Add(`^Failed password for (?P<user>.*) from (?P<ip>\S+)`, "Failed password for root from 1.2.3.4")
	f.Add(`(abc)+x`, "abcabcx")
	f.Add(`x{2}yz`, "xxyz")
	f.Add(`^(a|bc)(d|)e? f`, "bcd f")
	f.Add(`^(Connection closed by|Disconnected from) (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \d+( \[preauth\])?$`, "Disconnected from invalid user x 1.2.3.4 port 22")
	f.Add(`a[.:]b(c|d)+e`, "a:bcdce")
	f.Fuzz(func(t *testing.T, expr, text string) {
		re, err := regexp.Compile(expr)
		if err != nil || !re.MatchString(text) {
			return
		}
		l := Analyze(expr)
		if !l.Check([]byte(text)) {
			t.Errorf("%q matches %q, which fails its literal check %s", expr, text, l.String())
		}
		if l.Best != nil && !ContainsAny([]byte(text), l.Best) {
			t.Errorf("%q matches %q, which has none of the filter's Literals %s", expr, text, l.String())
		}
	})
}

func TestCommonPrefix(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Failed password for ", "Failed publickey for ", "Failed none for "}, "Failed "},
		{[]string{"abc"}, "abc"},
		{[]string{"abc", "ab"}, "ab"},
		{[]string{"x", "y"}, ""},
	} {
		var in [][]byte
		for _, s := range c.in {
			in = append(in, []byte(s))
		}
		if got := string(CommonPrefix(in)); got != c.want {
			t.Errorf("CommonPrefix(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
