package match

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/breachd/breachd/bench/authlog"
)

// agree checks that the ASCII matcher of expr gives regexp's submatches
// on text, when it answers.
func agree(t *testing.T, expr string, text []byte) {
	t.Helper()
	re, err := regexp.Compile(expr)
	if err != nil {
		return
	}
	if m := NewASCII(expr); m != nil {
		agreeWith(t, re, m, text)
	}
}

func agreeWith(t *testing.T, re *regexp.Regexp, m *ASCII, text []byte) {
	t.Helper()
	expr := re.String()
	got, ok := m.Find(text)
	if !ok {
		if isASCII(text) && 2*len(m.prog)*(len(text)+1) <= maxVisitedBits {
			t.Errorf("%q on ASCII %q: no answer", expr, text)
		}
		return
	}
	if want := re.FindSubmatchIndex(text); !slices.Equal(got, want) {
		t.Errorf("%q on %q:\n got %v\nwant %v", expr, text, got, want)
	}
}

func TestASCIIMatcher(t *testing.T) {
	cases := []struct {
		expr  string
		texts []string
	}{
		{`^Failed (password|publickey) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \d+ ssh2(: \S+ \S+)?$`, []string{
			"Failed password for root from 203.0.113.7 port 22 ssh2",
			"Failed password for invalid user admin from 2001:db8::1 port 22 ssh2: RSA SHA256:x",
			"Failed password for invalid user x from 10.0.0.1 port 22 from 203.0.113.7 port 4 ssh2",
			"Failed password for invalid user  from  port 22 ssh2",
			"Failed publickey for from from 1.2.3.4 port 1 ssh2: a",
			"Failed password for root from 203.0.113.7 port 22 ssh2 trailing",
		}},
		{`(?:^|[^0-9])(?P<card>(?:4\d{3}|5[1-5]\d{2})(?:[ -]?\d){9,15})(?:[^0-9]|$)`, []string{
			"card=4111111111111111 ok", "4111 1111 1111 1111", "x5500-0055-5555-5559", "41111", "",
		}},
		{`(?i)select.+from`, []string{"SELECT a FROM b", "sElEcT x fRoM", "select from", "ſelect x from"}},
		{`(?i)\x{212A}elvin`, []string{"Kelvin", "kelvin", "xelvin"}},
		{`(a|ab)(c|bcd)(d*)`, []string{"abcd", "acd", "abbcd"}},
		{`(a+)(b+)?`, []string{"aaab", "b", "aaa"}},
		{`(a+?)(a*)`, []string{"aaaa"}},
		{`(?:ab)+c`, []string{"ababc", "abc", "ac", "abab"}},
		{`(?:ab)*?c`, []string{"ababc", "c"}},
		{`\bfoo\b|\Bbar`, []string{"a foo b", "foobar", "xbar", "bar"}},
		{`(?m)^x$`, []string{"a\nx\nb", "x", "ax"}},
		{`(?s).+`, []string{"a\nb"}},
		{`.+`, []string{"a\nb", ""}},
		{`a{2,3}?`, []string{"aaaa"}},
		{`(a{2}){2,}`, []string{"aaaaaaa", "aaa"}},
		{`[^a]*x`, []string{"bbbx", "bax"}},
		{`()`, []string{"", "a"}},
		{`x*`, []string{"", "yxx"}},
		{`$`, []string{"", "abc"}},
		{`a|b|`, []string{"c", "b"}},
		{`[[:^alpha:]]+`, []string{"ab12cd"}},
		{`(?U)a+`, []string{"aaa"}},
	}
	for _, c := range cases {
		if NewASCII(c.expr) == nil {
			t.Errorf("%q: not handled", c.expr)
		}
		for _, text := range c.texts {
			agree(t, c.expr, []byte(text))
		}
	}
	// Loops over bodies that match the empty string are regexp's.
	for _, expr := range []string{`(a*)*`, `(a|)+b`, `(?:a?)*?`} {
		if NewASCII(expr) != nil {
			t.Errorf("%q: handled; its empty iterations are regexp's to define", expr)
		}
	}
	// Non-ASCII text and text too long for the visited states are
	// regexp's.
	m := NewASCII(`^(?P<u>.*) x$`)
	if _, ok := m.Find([]byte("é x")); ok {
		t.Error("answered on non-ASCII text")
	}
	if _, ok := m.Find(bytes.Repeat([]byte("a"), maxVisitedBits)); ok {
		t.Error("answered on text beyond the visited-state budget")
	}
}

// TestASCIIMatcherIsLinear: on expressions that make a naive backtracker
// quadratic or exponential, and long attacker-sized lines, the states and
// bytes the matcher examines stay within a small multiple of the program
// times the text, as regexp's backtracker does (a count, not a timing).
func TestASCIIMatcherIsLinear(t *testing.T) {
	for _, expr := range []string{`(?:a+b?)+c`, `(a|aa)+c`, `.*.*.*x`, `(?:.*?,)*?x`, `\s*.*\s*.*=`, `^(?P<u>.*?) from (?P<ip>\S+) port \d+$`, `(a*?)(a*?)(a*?)b`} {
		m := NewASCII(expr)
		re := regexp.MustCompile(expr)
		for _, n := range []int{1000, 8000} {
			for _, text := range [][]byte{bytes.Repeat([]byte("a"), n), bytes.Repeat([]byte("a,"), n/2), bytes.Repeat([]byte(" from "), n/6)} {
				agreeWith(t, re, m, text)
				if limit := 4 * len(m.prog) * (len(text) + 1); m.steps > limit {
					t.Errorf("%q on %d bytes: %d steps, more than %d", expr, len(text), m.steps, limit)
				}
			}
		}
	}
}

// TestASCIIMatcherOnPacks runs every expression of the shipped packs over
// every line of their tests and a generated auth log: the ASCII matcher
// must give regexp's answer, and must handle every expression of the
// packs (or they lose its speed).
func TestASCIIMatcherOnPacks(t *testing.T) {
	packs, _ := filepath.Glob("../../configs/rules/*.hcl")
	var exprs, texts []string
	for _, p := range packs {
		strs := hclStrings(t, p)
		if strings.HasSuffix(p, "_test.hcl") {
			for _, s := range strs {
				texts = append(texts, s)
				if _, msg, ok := strings.Cut(s, ": "); ok {
					texts = append(texts, msg)
				}
			}
			continue
		}
		for _, s := range strs {
			if _, err := regexp.Compile(s); err == nil && strings.ContainsAny(s, `^\(`) {
				exprs = append(exprs, s)
			}
		}
	}
	var log bytes.Buffer
	if _, err := authlog.Generate(&log, authlog.Options{Lines: 5000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&log)
	for sc.Scan() {
		line := sc.Text()
		texts = append(texts, line)
		if _, msg, ok := strings.Cut(line, "]: "); ok {
			texts = append(texts, msg)
		}
	}
	if len(exprs) < 40 || len(texts) < 5000 {
		t.Fatalf("found %d expressions and %d lines in the packs", len(exprs), len(texts))
	}
	for _, expr := range exprs {
		m := NewASCII(expr)
		if m == nil {
			t.Errorf("pack expression %q is not handled by the ASCII matcher", expr)
			continue
		}
		re := regexp.MustCompile(expr)
		for _, text := range texts {
			agreeWith(t, re, m, []byte(text))
		}
	}
}

// hclStrings returns the literal strings of an HCL file.
func hclStrings(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out []string
	_ = hclsyntax.VisitAll(f.Body.(*hclsyntax.Body), func(n hclsyntax.Node) hcl.Diagnostics {
		if tmpl, ok := n.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
			v, _ := tmpl.Value(nil)
			out = append(out, v.AsString())
		}
		return nil
	})
	return out
}

// FuzzASCIIMatcher checks the ASCII matcher against regexp on arbitrary
// expressions and texts, and on the texts with their non-ASCII bytes
// replaced, which the matcher answers.
func FuzzASCIIMatcher(f *testing.F) {
	f.Add(`^Failed (password|publickey) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \d+ ssh2(: \S+ \S+)?$`, "Failed password for invalid user x from 10.0.0.1 port 22 from 203.0.113.7 port 4 ssh2")
	f.Add(`(?:^|[^0-9])(?P<card>(?:4\d{3}|5[1-5]\d{2})(?:[ -]?\d){9,15})(?:[^0-9]|$)`, "card=4111 1111 1111 1111;")
	f.Add(`(?i)(union\s+select|sleep\()`, "id=1 UNION  SELECT")
	f.Add(`(a|ab)(c|bcd)(d*)`, "abcd")
	f.Add(`(?:ab)+?c|\bx\B`, "ababc xy")
	f.Add(`(?m)^(\w+)=(.*)$`, "a=1\nb=2")
	f.Add(`(?U)(a+)(a*?)b{2,4}`, "aaabbbbb")
	f.Fuzz(func(t *testing.T, expr, text string) {
		if len(expr) > 200 || len(text) > 2000 {
			return
		}
		agree(t, expr, []byte(text))
		ascii := []byte(text)
		for i, b := range ascii {
			if b >= 0x80 {
				ascii[i] = b & 0x7f
			}
		}
		agree(t, expr, ascii)
	})
}

// BenchmarkASCIIMatcher compares the ASCII matcher with regexp on a
// matching sshd line.
func BenchmarkASCIIMatcher(b *testing.B) {
	expr := `^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \d+ ssh2(: \S+ \S+)?$`
	text := []byte("Failed password for invalid user oracle from 203.0.113.77 port 52144 ssh2")
	b.Run("ascii", func(b *testing.B) {
		m := NewASCII(expr)
		for b.Loop() {
			if idx, _ := m.Find(text); idx == nil {
				b.Fatal("no match")
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		re := regexp.MustCompile(expr)
		for b.Loop() {
			if re.FindSubmatchIndex(text) == nil {
				b.Fatal("no match")
			}
		}
	})
}
