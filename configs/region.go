package configs

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// jurisdictionPattern is what a jurisdiction may look like: an ISO 3166-1
// alpha-2 country, optionally with an ISO 3166-2 subdivision, or a union of
// countries written as a code of its own ("EU", "EEA").
var jurisdictionPattern = regexp.MustCompile(`^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU|EEA)$`)

// regionBlock is a policy's `region "NAME" { members = [...] }`: the
// jurisdictions that make up a region, such as the EU/EEA of the GDPR.
type regionBlock struct {
	Name         string    `hcl:"name,label"`
	NameRange    hcl.Range `hcl:"name,label_range"`
	Members      []string  `hcl:"members"`
	MembersRange hcl.Range `hcl:"members,attr_value_range"`
}

// decodeRegions reads a policy's region blocks.
func decodeRegions(blocks []*regionBlock, diags hcl.Diagnostics) (map[string][]string, hcl.Diagnostics) {
	if len(blocks) == 0 {
		return nil, diags
	}
	out := make(map[string][]string, len(blocks))
	seen := map[string]hcl.Range{}
	for _, b := range blocks {
		if d := checkName("region", b.Name, b.NameRange, seen); d != nil {
			diags = append(diags, d)
			continue
		}
		if len(b.Members) == 0 {
			diags = append(diags, errorAt(b.MembersRange.Ptr(), "Empty region", fmt.Sprintf("Region %q has no members; list its jurisdictions, e.g. members = [\"AT\", \"BE\", \"EU\"].", b.Name)))
		}
		for _, m := range b.Members {
			if !jurisdictionPattern.MatchString(m) {
				diags = append(diags, errorAt(b.MembersRange.Ptr(), "Invalid jurisdiction", fmt.Sprintf("Region %q lists %q; write ISO 3166 codes: a country (\"DE\"), a subdivision (\"US-CA\"), or \"EU\"/\"EEA\".", b.Name, m)))
			}
		}
		out[b.Name] = b.Members
	}
	return out, diags
}
