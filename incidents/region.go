package incidents

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// inRegion is the in_region(region, jurisdictions) function of a policy's
// conditions: whether any of the jurisdictions is a member of the policy's
// region of that name, a subdivision ("DE-BY") counting as its country.
func inRegion(regions map[string][]string) expr.Option {
	return expr.Function("in_region", func(params ...any) (any, error) {
		name, _ := params[0].(string)
		members, ok := regions[name]
		if !ok {
			return nil, fmt.Errorf("no region %q in this policy", name)
		}
		list, _ := params[1].([]string)
		return InRegion(members, list), nil
	}, new(func(string, []string) bool))
}

// InRegion reports whether any of jurisdictions is one of members, a
// subdivision ("DE-BY") counting as its country ("DE").
func InRegion(members, jurisdictions []string) bool {
	for _, j := range jurisdictions {
		country, _, _ := strings.Cut(j, "-")
		if slices.Contains(members, j) || slices.Contains(members, country) {
			return true
		}
	}
	return false
}

// regionChecker collects the mistakes in a condition's in_region calls.
type regionChecker struct {
	regions map[string][]string
	errs    []error
}

func (c *regionChecker) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "in_region" || len(call.Arguments) == 0 {
		return
	}
	lit, ok := call.Arguments[0].(*ast.StringNode)
	switch {
	case !ok:
		c.errs = append(c.errs, errors.New("in_region's first argument must be a region's name in quotes, e.g. in_region('EEA', jurisdictions)"))
	case c.regions[lit.Value] == nil:
		names := make([]string, 0, len(c.regions))
		for n := range c.regions {
			names = append(names, n)
		}
		slices.Sort(names)
		c.errs = append(c.errs, fmt.Errorf("in_region names region %q, which the policy does not declare (declared: %s); add region %q { members = [...] } to the policy", lit.Value, strings.Join(names, ", "), lit.Value))
	}
}

// checkRegions reports in_region calls naming a region the policy does not
// declare, so that the mistake shows at load, not at the first incident.
func checkRegions(prog *vm.Program, regions map[string][]string) error {
	c := &regionChecker{regions: regions}
	node := prog.Node()
	ast.Walk(&node, c)
	return errors.Join(c.errs...)
}
