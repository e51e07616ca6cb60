package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// obligationsCmd works the notices the policies require.
func obligationsCmd(s *streams) *cobra.Command {
	const parent = "obligations"
	return group(parent, "the notices the policies require, by due time",
		apiLeaf(s, parent, "list", "undecided notices of every incident, soonest due first", func(a *api, fs *pflag.FlagSet) runner {
			return func(pos []string) int {
				if len(pos) > 0 {
					return a.usage("unexpected argument %q", pos[0])
				}
				var list httpapi.ObligationList
				raw, err := a.cf.do(a.ctx, "GET", "/api/v1/obligations", nil, &list)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				if len(list.Obligations) == 0 {
					fmt.Fprintln(a.stdout, "No notice is due.")
					return 0
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tINCIDENT\tPOLICY\tRECIPIENT\tDUE\tLEFT\tSTATE\tDEADLINE")
				for _, o := range list.Obligations {
					due, left := "-", "-"
					if o.DueAt != nil {
						due = dueTime(o) // the organisation's time zone
						left = o.TimeLeft
						if d, err := time.ParseDuration(o.TimeLeft); err == nil {
							left = d.Truncate(time.Minute).String()
							if o.Overdue {
								left = "OVERDUE " + (-d).Truncate(time.Minute).String()
							}
						}
					}
					fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.IncidentID, printable(o.Policy), printable(o.Recipient), due, left, o.State, printable(o.Deadline))
				}
				tw.Flush()
				return 0
			}
		}),
		complete(apiLeaf(s, parent, "decide ID approved|sent|not_required --reason R", "decide an obligation: approve its notice, record it sent, or not required", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "how it was sent, or why it is not required (required)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 2, "obligation", "name the obligation ID and approved, sent or not_required")
				if !ok || !a.choice(pos[1], "the decision", decisions...) {
					return 2
				}
				var o incidents.Obligation
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/obligations/%d/decide", id),
					httpapi.ObligationDecision{State: incidents.ObligationState(pos[1]), Reason: *reason}, &o)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprintf(a.stdout, "Obligation %d (%s → %s) of incident %d: %s\n", o.ID, printable(o.Policy), printable(o.Recipient), o.IncidentID, o.State)
				return 0
			}
		}), 1, decisions),
		proofCmd(s, "call"), proofCmd(s, "posted"), proofCmd(s, "published"),
		apiLeaf(s, parent, "update ID --reason R", "open the next update of a notice that was sent (GDPR Art. 33(4)); approve it to send it", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "what the update adds or corrects (required)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "obligation", "name the ID of one obligation whose notice was sent")
				if !ok {
					return 2
				}
				var o incidents.Obligation
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/obligations/%d/update", id), httpapi.UpdateRequest{Reason: *reason}, &o)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprintf(a.stdout, "Obligation %d (%s → %s) of incident %d: %s; approve it to send it (breachd obligations decide %d approved --reason ...)\n",
					o.ID, printable(o.Policy), printable(o.Recipient), o.IncidentID, o.State, o.ID)
				return 0
			}
		}),
		apiLeaf(s, parent, "resend MESSAGE --reason R", "send a sent or given-up message again, as a new message (its ID from incidents show)", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why it is sent again (required)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "message", "name one message ID (breachd incidents show lists them)")
				if !ok {
					return 2
				}
				var m incidents.Message
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/messages/%d/resend", id), httpapi.ResendRequest{Reason: *reason}, &m)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprintf(a.stdout, "Message %d via %s sent again as message %d (key %s)\n", m.ResendOf, printable(m.Channel), m.ID, m.IdempotencyKey)
				return 0
			}
		}),
	)
}

// noticesCmd renders an obligation's notice as it would be sent.
func noticesCmd(s *streams) *cobra.Command {
	return group("notices", "notices as they would be sent",
		apiLeaf(s, "notices", "render INCIDENT OBLIGATION", "a notice as it would be sent, and what it lacks (the IDs from breachd obligations list)", func(a *api, fs *pflag.FlagSet) runner {
			return func(pos []string) int {
				if len(pos) != 2 {
					return a.usage("name the incident ID and the obligation ID")
				}
				var ids [2]int64
				for i, p := range pos {
					var err error
					if ids[i], err = strconv.ParseInt(p, 10, 64); err != nil || ids[i] < 1 {
						return a.usage("%q is not an ID", p)
					}
				}
				var nd httpapi.NoticeDetail
				raw, err := a.cf.do(a.ctx, "GET", fmt.Sprintf("/api/v1/obligations/%d/notice", ids[1]), nil, &nd)
				if err != nil {
					return a.failed(err)
				}
				if nd.Obligation.IncidentID != ids[0] {
					return a.failed(fmt.Errorf("obligation %d belongs to incident %d, not %d", ids[1], nd.Obligation.IncidentID, ids[0]))
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprint(a.stdout, nd.Notice.Text)
				if len(nd.Notice.Missing) > 0 {
					fmt.Fprintf(a.stderr, "\nThe notice lacks: %s. Fill them in (breachd incidents facts %d ...) before approving it.\n", strings.Join(nd.Notice.Missing, ", "), ids[0])
				}
				return 0
			}
		}),
	)
}

// factsPatch builds a facts patch from the flags given on the command line
// (a flag not given keeps its fact) and the names to clear.
func factsPatch(fs *pflag.FlagSet, clear []string) (incidents.FactsPatch, error) {
	var p incidents.FactsPatch
	fields := map[string]**string{
		"nature": &p.Nature, "consequences": &p.Consequences, "measures": &p.Measures,
		"caused-by": &p.CausedBy, "delay-reason": &p.DelayReason, "effects-other": &p.EffectsOther,
	}
	given := map[string]bool{}
	fs.Visit(func(f *pflag.Flag) {
		given[f.Name] = true
		v := f.Value.String()
		if dst, ok := fields[f.Name]; ok {
			*dst = &v
		}
		if f.Name == "effects" {
			list := splitList(v)
			if list == nil {
				list = []string{}
			}
			p.Effects = &list
		}
	})
	for _, name := range clear {
		if given[name] {
			return p, fmt.Errorf("--clear %s and --%s together: say one", name, name)
		}
		empty := ""
		switch dst, ok := fields[name]; {
		case ok:
			*dst = &empty
		case name == "effects":
			p.Effects = &[]string{}
		default:
			return p, fmt.Errorf("--clear %s: no such fact; the facts are nature, consequences, measures, effects, effects-other, caused-by, delay-reason", name)
		}
	}
	if p.Empty() {
		return p, fmt.Errorf("nothing to change: give at least one fact to change (--nature, --consequences, --measures, --effects, --effects-other, --caused-by, --delay-reason), or --clear FACT,... to empty some")
	}
	return p, nil
}
