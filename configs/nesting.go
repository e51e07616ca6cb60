package configs

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxNesting is how deep a config may nest blocks, brackets, braces,
// parentheses, strings and templates (and chains of unary ! and -). The
// HCL parser recurses once per level or more, and a Go stack overflow is
// fatal: it cannot be recovered, so a file nested about 60,000 deep would
// crash validate, fmt and a running daemon's reload. Real configs nest a
// handful of levels.
const MaxNesting = 128

// CheckNesting reports, before src is parsed, the first place where it
// nests deeper than MaxNesting. It reads the tokens of HCL's own scanner,
// which is not recursive, so brackets inside strings, heredocs and
// comments are not counted, and templates inside strings are.
func CheckNesting(filename string, src []byte) hcl.Diagnostics {
	toks, diags := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		// The parser reports the same errors, with context; lexing
		// errors do not recurse.
		return nil
	}
	depth, unary := 0, 0
	for _, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
			unary = 0
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
			unary = 0
		case hclsyntax.TokenBang, hclsyntax.TokenMinus:
			// Each unary operator is a level of the parser's recursion;
			// the first of a run may be a binary minus.
			unary++
		default:
			unary = 0
		}
		if depth+unary > MaxNesting {
			return hcl.Diagnostics{errorAt(tok.Range.Ptr(), "Nesting too deep", fmt.Sprintf(
				"The file nests blocks, brackets, braces, parentheses, strings or templates (or repeats ! and -) more than %d levels deep here; breachd refuses it before parsing, as such depth would exhaust the parser's stack. Flatten the expression or split it into several attributes, rules or files.", MaxNesting))}
		}
	}
	return nil
}
