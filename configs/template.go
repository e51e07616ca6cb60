package configs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Template is a string written with HCL interpolation, such as
// "SSH brute force from ${ip}", whose variables are fields of an event. Only
// bare field names may be interpolated; functions and other expressions are
// refused at load.
type Template struct {
	expr    hcl.Expression
	literal *string
	fields  []string
	// parts is the template compiled to literal text and field references
	// when it is only that (the common case); Render then concatenates
	// instead of evaluating HCL.
	parts []templatePart
	Range hcl.Range
}

type templatePart struct {
	text  string
	field string // set for a field reference
}

// LiteralTemplate returns a template that always renders s.
func LiteralTemplate(s string, rng hcl.Range) *Template {
	return &Template{literal: &s, Range: rng}
}

// NewTemplate checks expr and returns it as a template.
func NewTemplate(expr hcl.Expression) (*Template, hcl.Diagnostics) {
	t := &Template{expr: expr, Range: expr.Range()}
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, tr := range expr.Variables() {
		if len(tr) != 1 {
			diags = append(diags, errorAt(tr.SourceRange().Ptr(), "Unsupported template reference", "Only bare field names can be interpolated, e.g. ${ip}."))
			continue
		}
		name := tr.RootName()
		if !seen[name] {
			seen[name] = true
			t.fields = append(t.fields, name)
		}
	}
	sort.Strings(t.fields)
	if diags.HasErrors() {
		return t, diags
	}
	// A trial render with every field set proves the expression uses
	// nothing but interpolation of strings.
	probe := make(map[string]string, len(t.fields))
	for _, f := range t.fields {
		probe[f] = "x"
	}
	if _, d := t.render(probe); d.HasErrors() {
		return t, d
	}
	if len(t.fields) == 0 {
		s, _ := t.render(nil)
		t.literal = &s
		return t, nil
	}
	t.parts = simpleParts(expr)
	return t, nil
}

// simpleParts returns the parts of a template made only of literal strings
// and bare field references, or nil.
func simpleParts(expr hcl.Expression) []templatePart {
	var exprs []hclsyntax.Expression
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		exprs = e.Parts
	case *hclsyntax.TemplateWrapExpr:
		exprs = []hclsyntax.Expression{e.Wrapped}
	default:
		return nil
	}
	parts := make([]templatePart, 0, len(exprs))
	for _, p := range exprs {
		switch p := p.(type) {
		case *hclsyntax.LiteralValueExpr:
			if p.Val.Type() != cty.String || p.Val.IsNull() {
				return nil
			}
			parts = append(parts, templatePart{text: p.Val.AsString()})
		case *hclsyntax.ScopeTraversalExpr:
			if len(p.Traversal) != 1 {
				return nil
			}
			parts = append(parts, templatePart{field: p.Traversal.RootName()})
		default:
			return nil
		}
	}
	return parts
}

// Fields returns the names the template interpolates, sorted.
func (t *Template) Fields() []string { return t.fields }

// IsLiteral reports whether the template interpolates nothing.
func (t *Template) IsLiteral() bool { return t.literal != nil }

// Render returns the template with fields substituted. A field the template
// needs but fields lacks is an error.
func (t *Template) Render(fields map[string]string) (string, error) {
	s, diags := t.render(fields)
	if diags.HasErrors() {
		return "", diags
	}
	return s, nil
}

func (t *Template) render(fields map[string]string) (string, hcl.Diagnostics) {
	if t.literal != nil {
		return *t.literal, nil
	}
	if t.parts != nil {
		n := 0
		for _, p := range t.parts {
			n += len(p.text) + len(fields[p.field])
		}
		var b strings.Builder
		b.Grow(n)
		for _, p := range t.parts {
			if p.field == "" {
				b.WriteString(p.text)
				continue
			}
			v, ok := fields[p.field]
			if !ok {
				return "", t.missing(p.field)
			}
			b.WriteString(v)
		}
		return b.String(), nil
	}
	vars := make(map[string]cty.Value, len(t.fields))
	for _, f := range t.fields {
		v, ok := fields[f]
		if !ok {
			return "", t.missing(f)
		}
		vars[f] = cty.StringVal(v)
	}
	v, diags := t.expr.Value(&hcl.EvalContext{Variables: vars})
	if diags.HasErrors() {
		return "", diags
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil || sv.IsNull() || !sv.IsKnown() {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Template is not a string",
			Detail:   "Write a quoted string such as \"blocked ${ip}\".",
			Subject:  t.Range.Ptr(),
		}}
	}
	return sv.AsString(), nil
}

func (t *Template) missing(field string) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Missing field",
		Detail:   fmt.Sprintf("The template needs field %q, which this event does not have.", field),
		Subject:  t.Range.Ptr(),
	}}
}

func isNull(expr hcl.Expression) bool {
	if len(expr.Variables()) > 0 {
		return false
	}
	v, diags := expr.Value(nil)
	return !diags.HasErrors() && v.IsNull()
}

// fieldOrLiteral reads an attribute that is either one field, "${name}",
// or literal text; set is false when the attribute is absent.
func fieldOrLiteral(expr hcl.Expression) (field, literal string, set bool, diags hcl.Diagnostics) {
	if expr == nil || isNull(expr) {
		return "", "", false, nil
	}
	t, diags := NewTemplate(expr)
	if diags.HasErrors() {
		return "", "", true, diags
	}
	if t.IsLiteral() {
		lit, _ := t.Render(nil)
		return "", lit, true, nil
	}
	if fs := t.Fields(); len(fs) == 1 {
		if out, err := t.Render(map[string]string{fs[0]: "\x00"}); err == nil && out == "\x00" {
			return fs[0], "", true, nil
		}
	}
	return "", "", true, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "One field or literal text",
		Detail:   "Write one field, e.g. \"${ip}\", or a literal value; a value built from several parts could mean something else than what was captured.",
		Subject:  expr.Range().Ptr(),
	}}
}
