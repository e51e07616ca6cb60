// Package match is the rules engine's own matching: what each rule
// expression's syntax tree says every matching line contains (Analyze:
// an anchored prefix, required literals), the automata that find those
// literals and prefixes in one pass over a line for many rules at once
// (Scanner, a dense Aho-Corasick; PrefixTable, compared a machine word at
// a time), and a backtracking matcher for ASCII text (ASCII) that gives
// Go's regexp answers (leftmost match, RE2's priorities) in a fraction of
// its time on the shapes rule expressions have.
//
// Every answer is checked against Go's regexp and bytes functions by the
// package's fuzz tests (FuzzASCIIMatcher, FuzzRequiredLiteral,
// FuzzLitScanner, FuzzPrefixTable; their seed corpus is testdata/fuzz,
// from the shipped packs' expressions and test lines) and, on every pack
// expression, by TestASCIIMatcherOnPacks. A rule with matcher = "regexp",
// or any command run with BREACHD_MATCHER=regexp, does without ASCII.
package match
