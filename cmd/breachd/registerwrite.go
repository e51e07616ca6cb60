package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// correctCmd is "breachd register correct ENTRY --reason R
// [--kind K] [--nature N] ... [--clear F,G]": the DPO corrects a register entry
// through the API with a new entry that supersedes it, carries forward
// every field not given, and empties those named in --clear.
func correctCmd(s *streams) *cobra.Command {
	return apiLeaf(s, "register", "correct ENTRY --reason R", "the DPO corrects a register entry through the API (fields not given are kept)", func(a *api, fs *pflag.FlagSet) runner {
		reason := fs.String("reason", "", "why the entry is corrected (required)")
		fs.String("nature", "", "the nature of the breach")
		fs.String("categories", "", "the data categories affected (comma list)")
		fs.String("subjects", "", "the number of data subjects affected")
		fs.String("records", "", "the number of records affected")
		choiceFlag(fs, "risk", riskFilters, false, "the risk: unassessed, none, risk or high")
		fs.String("consequences", "", "the likely consequences")
		fs.String("measures", "", "the measures taken or planned")
		clear := fs.String("clear", "", "fields to empty (comma list of this command's field flags: nature, categories, subjects, records, risk, consequences, measures)")
		kind := fs.String("kind", incidents.RegisterCorrection, "the entry's kind: correction, or breach or near_miss to re-file it (it must agree with the incident's risk decision)")
		return func(pos []string) int {
			ctx, cf, stdout, usage := a.ctx, &a.cf, a.stdout, a.usage
			id, ok := a.idArg(pos, 1, "register entry", "name the register entry to correct (its id: breachd register export lists them)")
			if !ok {
				return 2
			}
			switch *kind {
			case incidents.RegisterCorrection, incidents.RegisterBreach, incidents.RegisterNearMiss:
			default:
				return usage("--kind %q; use correction, breach or near_miss", *kind)
			}
			p, err := recordPatch(fs, splitList(*clear))
			if err != nil {
				return usage("%v", err)
			}
			var e incidents.RegisterEntry
			raw, err := cf.do(ctx, "POST", "/api/v1/register", httpapi.RegisterRequest{
				Kind: *kind, Supersedes: &id, Record: p, Reason: *reason,
			}, &e)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(stdout, "Register entry %d (correction) supersedes entry %d\n", e.ID, id)
			return 0
		}
	})
}

// recordPatch builds a register record patch from the flags given (a flag
// not given is carried forward) and the names to clear.
func recordPatch(fs *pflag.FlagSet, clear []string) (incidents.RecordPatch, error) {
	var p incidents.RecordPatch
	texts := map[string]**string{"nature": &p.Nature, "consequences": &p.Consequences, "measures": &p.Measures}
	counts := map[string]**int64{"subjects": &p.DataSubjects, "records": &p.Records}
	given := map[string]bool{}
	var bad error
	fs.Visit(func(f *pflag.Flag) {
		given[f.Name] = true
		v := f.Value.String()
		switch f.Name {
		case "categories":
			list := splitList(v)
			if list == nil {
				list = []string{}
			}
			p.DataCategories = &list
		case "risk":
			r := incidents.Risk(v)
			p.Risk = &r
		}
		if dst, ok := texts[f.Name]; ok {
			*dst = &v
		}
		if dst, ok := counts[f.Name]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				bad = fmt.Errorf("--%s %q is not a count", f.Name, v)
			}
			*dst = &n
		}
	})
	if bad != nil {
		return p, bad
	}
	for _, name := range clear {
		if given[name] {
			return p, fmt.Errorf("--clear %s and --%s together: say one", name, name)
		}
		empty, zero := "", int64(0)
		switch {
		case texts[name] != nil:
			*texts[name] = &empty
		case counts[name] != nil:
			*counts[name] = &zero
		case name == "categories":
			p.DataCategories = &[]string{}
		case name == "risk":
			r := incidents.RiskUnassessed
			p.Risk = &r
		default:
			return p, fmt.Errorf("--clear %s: no such field; the fields are nature, categories, subjects, records, risk, consequences, measures", name)
		}
	}
	if p.Nature == nil && p.DataCategories == nil && p.DataSubjects == nil && p.Records == nil && p.Risk == nil && p.Consequences == nil && p.Measures == nil {
		return p, fmt.Errorf("give at least one field to correct (--nature, --categories, --subjects, --records, --risk, --consequences, --measures) or --clear")
	}
	return p, nil
}
