package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// settleCmd is breachd actions settle RUN ran|not-run --reason R
// [--run-again]: a person's answer for a run whose outcome is unknown.
func settleCmd(s *streams) *cobra.Command {
	return complete(apiLeaf(s, "actions", "settle RUN ran|not-run --reason R [--run-again]", "answer for a run whose outcome is unknown", func(a *api, fs *pflag.FlagSet) runner {
		reason := fs.String("reason", "", "how you know (required; it goes on the incident's timeline)")
		again := fs.Bool("run-again", false, "with not-run: run it once more")
		return func(pos []string) int {
			ctx, cf, stdout := a.ctx, &a.cf, a.stdout
			id, ok := a.idArg(pos, 2, "run", "name one run ID and ran or not-run (the run's timeline entry says which run is unknown)")
			if !ok || !a.choice(pos[1], "the outcome", settleOutcomes...) {
				return 2
			}
			outcome := string(incidents.ActionRan)
			if pos[1] == "not-run" {
				outcome = string(incidents.ActionNotRun)
			}
			var run incidents.ActionRun
			raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/actions/%d/settle", id),
				httpapi.SettleRequest{Outcome: outcome, Reason: *reason, RunAgain: *again}, &run)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(stdout, "Run %d of %s (incident %d): %s, settled by %s\n", run.ID, run.Action, run.IncidentID, run.State, printable(run.SettledBy))
			return 0
		}
	}), 1, settleOutcomes)
}
