package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// tokenCmd prints a new random API token and the config block holding its
// hash; the token itself is never stored.
func tokenCmd(s *streams) *cobra.Command {
	return group("token", "make API tokens", completeFlag(leaf("new PRINCIPAL [--role ROLE] [--out FILE]", "make an API token and its config block", func(fs *pflag.FlagSet) runner {
		role := fs.String("role", configs.RoleViewer, "the token's role: "+strings.Join(configs.TokenRoles(), ", "))
		outFile := fs.String("out", "", "write the token to this new file (mode 600) instead of showing it on the terminal")
		return func(pos []string) int {
			stdout, stderr := s.stdout, s.stderr
			if len(pos) != 1 {
				fmt.Fprintln(stderr, "breachd token new: name the principal (the person or service the token is for)")
				return 2
			}
			if !slices.Contains(configs.TokenRoles(), *role) {
				fmt.Fprintf(stderr, "breachd token new: role %q; use one of %s\n", *role, strings.Join(configs.TokenRoles(), ", "))
				return 2
			}
			if !configs.ValidPrincipal(pos[0]) {
				fmt.Fprintf(stderr, "breachd token new: %q is not a principal name: use letters, digits and . _ - @ (a login or an email), starting with a letter, at most 64 characters\n", pos[0])
				return 2
			}
			// The token goes to a file of its own or to the person at the
			// terminal, never to standard output, which is where the config
			// block goes (often straight into the config file).
			if *outFile == "" && !isTerminal(stderr) {
				fmt.Fprintln(stderr, "breachd token new: no terminal to show the token on; write it to a file with --out FILE")
				return 2
			}
			raw := make([]byte, 32)
			if _, err := rand.Read(raw); err != nil {
				fmt.Fprintln(stderr, "breachd token new:", err)
				return 1
			}
			token := "bd_" + hex.EncodeToString(raw)
			sum := sha256.Sum256([]byte(token))
			where := "shown once on the terminal"
			if *outFile != "" {
				f, err := os.OpenFile(*outFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				if err != nil {
					fmt.Fprintf(stderr, "breachd token new: %v (the file must not exist yet, in a folder that does)\n", err)
					return 1
				}
				_, err = fmt.Fprintln(f, token)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					os.Remove(*outFile)
					fmt.Fprintln(stderr, "breachd token new:", err)
					return 1
				}
				where = "in " + *outFile
			} else {
				fmt.Fprintf(stderr, "Token for %s (give it to them; it is shown once): %s\n", pos[0], token)
			}
			if _, err := fmt.Fprintf(stdout, "# API token for %s, role %s (the token is %s; this block holds only its hash)\ntoken %q {\n  role   = %q\n  sha256 = %q\n}\n",
				pos[0], *role, where, pos[0], *role, hex.EncodeToString(sum[:])); err != nil {
				// A token without its config block is of no use: none is kept.
				if *outFile != "" {
					os.Remove(*outFile)
				}
				fmt.Fprintf(stderr, "breachd token new: writing the config block: %v; no token was kept\n", err)
				return 1
			}
			fmt.Fprintln(stderr, "Add the block to the config, then reload breachd to apply it: systemctl reload breachd, kill -HUP, or POST /-/reload.")
			return 0
		}
	}), "role", configs.TokenRoles()))
}

// isTerminal says whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// actionsCmd works containments in force and runs waiting for approval.
func actionsCmd(s *streams) *cobra.Command {
	const parent = "actions"
	return group(parent, "containments in force and runs waiting for approval",
		apiLeaf(s, parent, "list", "the containments in force", func(a *api, fs *pflag.FlagSet) runner {
			return func(pos []string) int {
				if len(pos) > 0 {
					return a.usage("unexpected argument %q", pos[0])
				}
				var list httpapi.ContainmentList
				raw, err := a.cf.do(a.ctx, "GET", "/api/v1/containments", nil, &list)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				if len(list.Containments) == 0 {
					fmt.Fprintln(a.stdout, "No containment in force.")
					return 0
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tACTION\tTARGET\tINCIDENT\tOFFENCE\tSINCE\tUNTIL")
				for _, c := range list.Containments {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", c.ID, c.Action, printable(c.Target), c.IncidentID, c.Offense,
						localTime(c.AppliedAt), localTime(c.ExpiresAt))
				}
				tw.Flush()
				return 0
			}
		}),
		apiLeaf(s, parent, "revert ID --reason R", "lift a containment now", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why the containment is lifted (required)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "containment", "name one containment ID (breachd actions list)")
				if !ok {
					return 2
				}
				var c incidents.Containment
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/containments/%d/revert", id), httpapi.RevertRequest{Reason: *reason}, &c)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprintf(a.stdout, "Containment %d of %s reverted: %s\n", c.ID, printable(c.Target), printable(c.EndReason))
				return 0
			}
		}),
		apiLeaf(s, parent, "approvals", "the runs waiting for approval", func(a *api, fs *pflag.FlagSet) runner {
			return func(pos []string) int {
				if len(pos) > 0 {
					return a.usage("unexpected argument %q", pos[0])
				}
				var list httpapi.ApprovalList
				raw, err := a.cf.do(a.ctx, "GET", "/api/v1/approvals", nil, &list)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				if len(list.Runs) == 0 {
					fmt.Fprintln(a.stdout, "No action waits for approval.")
					return 0
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tACTION\tINCIDENT\tEXPIRES\tWHY")
				for _, r := range list.Runs {
					fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", r.ID, r.Action, r.IncidentID, fmtTime(r.ApprovalExpiresAt), printable(r.ApprovalReason))
				}
				tw.Flush()
				return 0
			}
		}),
		decideRun(s, "approve", "let a run waiting for approval act now"),
		decideRun(s, "deny", "refuse a run waiting for approval; nothing runs"),
		settleCmd(s),
	)
}

// decideRun approves or denies (verb) a run waiting for approval.
func decideRun(s *streams, verb, short string) *cobra.Command {
	return apiLeaf(s, "actions", verb+" RUN --reason R", short, func(a *api, fs *pflag.FlagSet) runner {
		reason := fs.String("reason", "", "why (required; it goes on the incident's timeline)")
		return func(pos []string) int {
			id, ok := a.idArg(pos, 1, "run", "name one run ID (breachd actions approvals)")
			if !ok {
				return 2
			}
			var run incidents.ActionRun
			raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/actions/%d/%s", id, verb), httpapi.DecisionRequest{Reason: *reason}, &run)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(a.stdout, "Run %d of %s (incident %d): %s\n", run.ID, run.Action, run.IncidentID, run.State)
			return 0
		}
	})
}
