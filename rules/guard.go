package rules

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// guard is a test of one source field that a where condition requires of
// every event it accepts: `program == 'sudo'` or `program in ['sshd',
// 'sshd-session']` as a conjunct of the condition. An event without one of
// the values cannot match, so the matcher rejects it before running its
// expressions, and the source's rules are grouped by the field's values
// (filter.go), so that a cron line never reaches the sshd rules.
type guard struct {
	field  int // index in the event's Fields (the source's fields)
	values []string
}

// allows reports whether an event with these source fields passes.
func (g *guard) allows(fields [][]byte) bool {
	var v []byte
	if g.field < len(fields) {
		v = fields[g.field]
	}
	for _, want := range g.values {
		if want == string(v) {
			return true
		}
	}
	return false
}

// whereGuard finds a guard among the conjuncts of where (the first one,
// left to right) on one of srcFields, or returns nil.
func whereGuard(where string, srcFields []string) *guard {
	tree, err := parser.Parse(where)
	if err != nil {
		return nil
	}
	return findGuard(tree.Node, srcFields)
}

func findGuard(n ast.Node, srcFields []string) *guard {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return nil
	}
	switch b.Operator {
	case "&&", "and":
		if g := findGuard(b.Left, srcFields); g != nil {
			return g
		}
		return findGuard(b.Right, srcFields)
	case "==":
		l, r := b.Left, b.Right
		if _, ok := l.(*ast.StringNode); ok {
			l, r = r, l
		}
		s, ok := r.(*ast.StringNode)
		if f := slotNode(l, srcFields); f >= 0 && ok {
			return &guard{field: f, values: []string{s.Value}}
		}
	case "in":
		values, ok := stringList(b.Right)
		if f := slotNode(b.Left, srcFields); f >= 0 && ok && len(values) > 0 {
			return &guard{field: f, values: values}
		}
	}
	return nil
}
