package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// cmdRemoval is "breachd incidents removal ID customer|company --what W
// [--customer NAME]": the person running it records that the sensitive
// data an incident found was removed, by the customer or by the
// company; with more than one customer in scope, --customer names whose.
func removalCmd(s *streams) *cobra.Command {
	return complete(apiLeaf(s, "incidents", "removal ID customer|company --what W", "record that the sensitive data an incident found was removed, by the customer or the company", func(a *api, fs *pflag.FlagSet) runner {
		what := fs.String("what", "", "what was removed, and where (required)")
		at := fs.String("at", "", "when it was removed (RFC 3339); default now")
		reason := fs.String("reason", "", "why, or how it was confirmed")
		customer := fs.String("customer", "", "the customer whose data was removed (required when more than one is in scope)")
		return func(pos []string) int {
			ctx, cf, stdout, usage := a.ctx, &a.cf, a.stdout, a.usage
			id, ok := a.idArg(pos, 2, "incident", "name the incident ID and who removed the data: customer or company")
			if !ok || !a.choice(pos[1], "who removed it", removers...) {
				return 2
			}
			req := httpapi.RemovalRequest{Removal: incidents.Removal{Customer: *customer, RemovedBy: pos[1], What: *what}, Reason: *reason}
			if *at != "" {
				t, err := time.Parse(time.RFC3339, *at)
				if err != nil {
					return usage("--at %q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", *at)
				}
				req.At = t
			}
			var e incidents.TimelineEntry
			raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/removals", id), req, &e)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(stdout, "Entry %d (%s) added to incident %d: %s\n", e.ID, e.Kind, id, printable(e.Message))
			return 0
		}
	}), 1, removers)
}
