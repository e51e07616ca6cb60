package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

const obligationsUsage = `use one of:
  obligations list                   undecided notices of every incident, soonest due first
  obligations decide ID approved|sent|not_required --reason R
  obligations resend MESSAGE --reason R   send a sent or given-up message again, as a new message (its ID from incidents show)
  obligations call ID --caller WHO --callee WHOM [--number N] --at TIME --said TEXT   a notice given by telephone
  obligations posted ID --by WHO --address ADDRESS --at TIME   a data subject's notice posted to the address on the list
  obligations published ID --by WHO --where WHERE --at TIME   a public communication published
  obligations update ID --reason R   open the next update of a notice that was sent (GDPR Art. 33(4)); approve it to send it
each with [--json] [--token T] [--server URL | --config FILE]`

func cmdObligations(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "breachd obligations:", obligationsUsage)
		return 2
	}
	var cf clientFlags
	sub := args[0]
	fs := newFlags("obligations "+sub, stderr)
	cf.register(fs)
	switch sub {
	case "list":
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd obligations list: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		var list httpapi.ObligationList
		raw, err := cf.do(ctx, "GET", "/api/v1/obligations", nil, &list)
		if err != nil {
			fmt.Fprintln(stderr, "breachd obligations list:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		if len(list.Obligations) == 0 {
			fmt.Fprintln(stdout, "No notice is due.")
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
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
	case "decide":
		reason := fs.String("reason", "", "how it was sent, or why it is not required (required)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) != 2 {
			fmt.Fprintln(stderr, "breachd obligations decide: name the obligation ID and approved, sent or not_required")
			return 2
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			fmt.Fprintf(stderr, "breachd obligations decide: %q is not an obligation ID\n", pos[0])
			return 2
		}
		var o incidents.Obligation
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/obligations/%d/decide", id),
			httpapi.ObligationDecision{State: incidents.ObligationState(pos[1]), Reason: *reason}, &o)
		if err != nil {
			fmt.Fprintln(stderr, "breachd obligations decide:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Obligation %d (%s → %s) of incident %d: %s\n", o.ID, printable(o.Policy), printable(o.Recipient), o.IncidentID, o.State)
		return 0
	case "call", "posted", "published":
		return cmdObligationsProof(ctx, &cf, fs, sub, args[1:], stdout, stderr)
	case "update":
		reason := fs.String("reason", "", "what the update adds or corrects (required)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		id, err := strconv.ParseInt(strings.Join(pos, " "), 10, 64)
		if len(pos) != 1 || err != nil || id < 1 {
			fmt.Fprintln(stderr, "breachd obligations update: name the ID of one obligation whose notice was sent")
			return 2
		}
		var o incidents.Obligation
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/obligations/%d/update", id), httpapi.UpdateRequest{Reason: *reason}, &o)
		if err != nil {
			fmt.Fprintln(stderr, "breachd obligations update:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Obligation %d (%s → %s) of incident %d: %s; approve it to send it (breachd obligations decide %d approved --reason ...)\n",
			o.ID, printable(o.Policy), printable(o.Recipient), o.IncidentID, o.State, o.ID)
		return 0
	case "resend":
		reason := fs.String("reason", "", "why it is sent again (required)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "breachd obligations resend: name one message ID (breachd incidents show lists them)")
			return 2
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			fmt.Fprintf(stderr, "breachd obligations resend: %q is not a message ID\n", pos[0])
			return 2
		}
		var m incidents.Message
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/messages/%d/resend", id), httpapi.ResendRequest{Reason: *reason}, &m)
		if err != nil {
			fmt.Fprintln(stderr, "breachd obligations resend:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Message %d via %s sent again as message %d (key %s)\n", m.ResendOf, printable(m.Channel), m.ID, m.IdempotencyKey)
		return 0
	}
	fmt.Fprintf(stderr, "breachd obligations: unknown command %q; %s\n", sub, obligationsUsage)
	return 2
}

// cmdNotices renders an obligation's notice as it would be sent.
func cmdNotices(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "render" {
		fmt.Fprintln(stderr, "breachd notices: use \"notices render INCIDENT OBLIGATION\" (the IDs from breachd obligations list)")
		return 2
	}
	var cf clientFlags
	fs := newFlags("notices render", stderr)
	cf.register(fs)
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "breachd notices render: name the incident ID and the obligation ID")
		return 2
	}
	var ids [2]int64
	for i, p := range pos {
		if ids[i], err = strconv.ParseInt(p, 10, 64); err != nil || ids[i] < 1 {
			fmt.Fprintf(stderr, "breachd notices render: %q is not an ID\n", p)
			return 2
		}
	}
	var nd httpapi.NoticeDetail
	raw, err := cf.do(ctx, "GET", fmt.Sprintf("/api/v1/obligations/%d/notice", ids[1]), nil, &nd)
	if err != nil {
		fmt.Fprintln(stderr, "breachd notices render:", err)
		return 1
	}
	if nd.Obligation.IncidentID != ids[0] {
		fmt.Fprintf(stderr, "breachd notices render: obligation %d belongs to incident %d, not %d\n", ids[1], nd.Obligation.IncidentID, ids[0])
		return 1
	}
	if cf.json {
		stdout.Write(raw)
		return 0
	}
	fmt.Fprint(stdout, nd.Notice.Text)
	if len(nd.Notice.Missing) > 0 {
		fmt.Fprintf(stderr, "\nThe notice lacks: %s. Fill them in (breachd incidents facts %d ...) before approving it.\n", strings.Join(nd.Notice.Missing, ", "), ids[0])
	}
	return 0
}

// factsPatch builds a facts patch from the flags given on the command line
// (a flag not given keeps its fact) and the names to clear.
func factsPatch(fs *flag.FlagSet, clear []string) (incidents.FactsPatch, error) {
	var p incidents.FactsPatch
	fields := map[string]**string{
		"nature": &p.Nature, "consequences": &p.Consequences, "measures": &p.Measures,
		"caused-by": &p.CausedBy, "delay-reason": &p.DelayReason, "effects-other": &p.EffectsOther,
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
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
