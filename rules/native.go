package rules

import (
	"bytes"
	"net/netip"
	"regexp"
	"slices"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// cond is a where condition compiled to Go: it reads the matcher's slots
// in place, without building an environment, boxing strings or running
// the expr VM. Conditions of the shapes rule writers use most (field
// comparisons with string literals, membership in a list, the string
// operators, the IP, Luhn and IBAN helpers on a field, and their
// combinations with and, or and not) are compiled so; any other is left to
// expr. TestNativeWhere and FuzzNativeWhere check both give one answer.
type cond func(m *matcher) bool

// nativeWhere compiles where, which expr accepted, over the matcher's
// slots, or returns nil.
func nativeWhere(where string, slots []string) cond {
	tree, err := parser.Parse(where)
	if err != nil {
		return nil
	}
	return nativeNode(tree.Node, slots)
}

func nativeNode(n ast.Node, slots []string) cond {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*matcher) bool { return v }
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		if c := nativeNode(n.Node, slots); c != nil {
			return func(m *matcher) bool { return !c(m) }
		}
	case *ast.BinaryNode:
		return nativeBinary(n, slots)
	case *ast.CallNode:
		return nativeCall(n, slots)
	}
	return nil
}

func nativeBinary(n *ast.BinaryNode, slots []string) cond {
	switch n.Operator {
	case "&&", "and", "||", "or":
		l, r := nativeNode(n.Left, slots), nativeNode(n.Right, slots)
		if l == nil || r == nil {
			return nil
		}
		if n.Operator == "&&" || n.Operator == "and" {
			return func(m *matcher) bool { return l(m) && r(m) }
		}
		return func(m *matcher) bool { return l(m) || r(m) }
	case "in":
		slot := slotNode(n.Left, slots)
		values, ok := stringList(n.Right)
		if slot < 0 || !ok {
			return nil
		}
		return func(m *matcher) bool {
			v := m.value(slot)
			return slices.ContainsFunc(values, func(s string) bool { return s == string(v) })
		}
	}
	l, r := n.Left, n.Right
	if _, ok := l.(*ast.StringNode); ok && (n.Operator == "==" || n.Operator == "!=") {
		l, r = r, l
	}
	slot := slotNode(l, slots)
	lit, ok := r.(*ast.StringNode)
	if slot < 0 || !ok {
		return nil
	}
	s := lit.Value
	b := []byte(s)
	switch n.Operator {
	case "==":
		return func(m *matcher) bool { return string(m.value(slot)) == s }
	case "!=":
		return func(m *matcher) bool { return string(m.value(slot)) != s }
	case "startsWith":
		return func(m *matcher) bool { return bytes.HasPrefix(m.value(slot), b) }
	case "endsWith":
		return func(m *matcher) bool { return bytes.HasSuffix(m.value(slot), b) }
	case "contains":
		return func(m *matcher) bool { return bytes.Contains(m.value(slot), b) }
	case "matches":
		re, err := regexp.Compile(s)
		if err != nil {
			return nil
		}
		return func(m *matcher) bool { return re.Match(m.value(slot)) }
	}
	return nil
}

// nativeCall compiles a helper applied to a field.
func nativeCall(n *ast.CallNode, slots []string) cond {
	callee, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || len(n.Arguments) != 1 {
		return nil
	}
	slot := slotNode(n.Arguments[0], slots)
	if slot < 0 {
		return nil
	}
	var test func(string) bool
	switch callee.Value {
	case "is_ip":
		test = func(s string) bool {
			_, err := netip.ParseAddr(s)
			return err == nil
		}
	case "is_private_ip":
		test = func(s string) bool {
			a, err := netip.ParseAddr(s)
			a = a.Unmap()
			return err == nil && (a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast())
		}
	case "is_loopback_ip":
		test = func(s string) bool {
			a, err := netip.ParseAddr(s)
			return err == nil && a.Unmap().IsLoopback()
		}
	case "luhn":
		test = Luhn
	case "is_iban":
		test = IBAN
	default:
		return nil
	}
	return func(m *matcher) bool { return test(view(m.value(slot))) }
}

// slotNode returns the slot a field identifier names, or -1.
func slotNode(n ast.Node, slots []string) int {
	if id, ok := n.(*ast.IdentifierNode); ok {
		return slices.Index(slots, id.Value)
	}
	return -1
}

// stringList returns the strings of a list literal of string literals.
func stringList(n ast.Node) ([]string, bool) {
	arr, ok := n.(*ast.ArrayNode)
	if !ok {
		return nil, false
	}
	values := make([]string, 0, len(arr.Nodes))
	for _, e := range arr.Nodes {
		s, ok := e.(*ast.StringNode)
		if !ok {
			return nil, false
		}
		values = append(values, s.Value)
	}
	return values, true
}

// view returns b as a string without copying it, for a test that does not
// keep its argument (netip clones a zone it keeps).
func view(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
