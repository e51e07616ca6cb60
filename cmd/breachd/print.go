package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

func statusList() string {
	ss := incidents.Statuses()
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

func printList(w io.Writer, list httpapi.IncidentList) {
	if len(list.Incidents) == 0 {
		fmt.Fprintln(w, "No incidents.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tRISK\tRULE\tFINDINGS\tLAST SEEN\tTITLE")
	for _, inc := range list.Incidents {
		risk := string(inc.Risk)
		if inc.Risk == incidents.RiskUnassessed && inc.SuggestedRisk != incidents.RiskUnassessed {
			risk = string(inc.SuggestedRisk) + "?"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", inc.ID, inc.Status, inc.Severity, risk, inc.Rule,
			inc.FindingCount, localTime(inc.LastSeen), printable(inc.Title))
	}
	tw.Flush()
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return localTime(*t)
}

// localTime is t in this terminal's zone, the zone named: a time without
// its zone is a time nobody can act on.
func localTime(t time.Time) string {
	return t.Local().Format(time.DateTime + " MST")
}

// dueTime is an obligation's due time in the organisation's zone (the
// daemon's annotation), else in this terminal's.
func dueTime(o incidents.Obligation) string {
	if o.DueAt == nil {
		return "-"
	}
	if t, err := time.Parse(time.RFC3339, o.DueLocal); err == nil {
		if o.DueZone != "" {
			return t.Format("2006-01-02 15:04") + " " + o.DueZone
		}
		return t.Format("2006-01-02 15:04 -07:00")
	}
	return localTime(*o.DueAt)
}

func printDetail(w io.Writer, d httpapi.IncidentDetail) {
	inc := d.Incident
	fmt.Fprintf(w, "Incident %d: %s\n", inc.ID, printable(inc.Title))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	status := string(inc.Status)
	if inc.MergedInto != nil {
		status += fmt.Sprintf(" (merged into %d)", *inc.MergedInto)
	} else if len(d.Allowed) > 0 {
		names := make([]string, len(d.Allowed))
		for i, s := range d.Allowed {
			names[i] = string(s)
		}
		status += " (next: " + strings.Join(names, ", ") + ")"
	}
	fmt.Fprintf(tw, "  Status:\t%s\n", status)
	if inc.Resolution != "" {
		fmt.Fprintf(tw, "  Resolution:\t%s\n", printable(inc.Resolution))
	}
	fmt.Fprintf(tw, "  Severity:\t%s\n", inc.Severity)
	risk := fmt.Sprintf("%s (suggested %s)", inc.Risk, inc.SuggestedRisk)
	if inc.RiskBy != "" {
		risk += fmt.Sprintf(", confirmed by %s: %s", printable(inc.RiskBy), printable(inc.RiskReason))
	}
	fmt.Fprintf(tw, "  Risk:\t%s\n", risk)
	if inc.PersonalDataBreach {
		how := "yes: personal data affected"
		if inc.Scope.Unintelligible() {
			how += " (encrypted, keys safe)"
		}
		fmt.Fprintf(tw, "  Data breach:\t%s\n", how)
	}
	fmt.Fprintf(tw, "  Category:\t%s\n", printable(inc.Category))
	if inc.Origin == incidents.OriginManual {
		reporter := printable(inc.Reporter)
		if reporter == "" {
			reporter = "(not given)"
		}
		fmt.Fprintf(tw, "  Opened:\tby hand; reported by %s\n", reporter)
	} else {
		fmt.Fprintf(tw, "  Rule:\t%s\n", inc.Rule)
		fmt.Fprintf(tw, "  Group:\t%s\n", printable(inc.GroupKey))
	}
	if inc.Host != "" {
		fmt.Fprintf(tw, "  Host:\t%s\n", printable(inc.Host))
	}
	fmt.Fprintf(tw, "  Findings:\t%d (first %s, last %s)\n", inc.FindingCount,
		localTime(inc.FirstSeen), localTime(inc.LastSeen))
	fmt.Fprintf(tw, "  Clocks:\toccurred %s, detected %s, aware %s, determined %s, contained %s, closed %s\n",
		fmtTime(inc.OccurredAt), localTime(inc.DetectedAt), localTime(inc.AwareAt),
		fmtTime(inc.DeterminedAt), fmtTime(inc.ContainedAt), fmtTime(inc.ClosedAt))
	s := inc.Scope
	if len(s.Assets) > 0 || s.PersonalData() {
		role := "held as " + s.Role
		if s.Role == incidents.RoleMixed {
			role = "held as controller and processor"
		}
		if len(s.Controllers) > 0 {
			role += " (for " + strings.Join(s.Controllers, ", ") + ")"
		}
		fmt.Fprintf(tw, "  Scope:\tassets %s; data %s; %d subjects, %d records; encrypted %t, keys exposed %t; %s\n",
			printable(strings.Join(s.Assets, ", ")), printable(strings.Join(s.DataCategories, ", ")), s.DataSubjects, s.Records,
			s.Encrypted, s.KeysExposed, printable(role))
		if s.Unintelligible() {
			// Not "0.00": no per-record cost applies, and the reader is
			// told why (the contract's clause covers unencrypted data).
			fmt.Fprintf(tw, "  Cost exposure:\tnone: encrypted, keys safe (no per-record cost)\n")
		} else {
			fmt.Fprintf(tw, "  Cost exposure:\t%.2f %s\n", inc.CostExposure, inc.Currency)
		}
	} else {
		fmt.Fprintf(tw, "  Scope:\tno asset in scope\n")
	}
	if inc.Description != "" {
		fmt.Fprintf(tw, "  Description:\t%s\n", printable(inc.Description))
	}
	tw.Flush()
	if len(d.Evidence) > 0 {
		fmt.Fprintf(w, "Evidence (%d lines kept, %d more findings counted):\n", len(d.Evidence), inc.EvidenceDropped)
		for _, e := range d.Evidence {
			line := printable(e.Line)
			if e.PurgedAt != nil {
				line = "(purged " + fmtTime(e.PurgedAt) + ")"
			}
			fmt.Fprintf(w, "  %s  %s\n", localTime(e.At), line)
		}
	}
	if len(d.Related) > 0 {
		fmt.Fprintln(w, "Related:")
		for _, l := range d.Related {
			fmt.Fprintf(w, "  incident %d  same %s %s\n", l.IncidentID, l.Kind, printable(l.Value))
		}
	}
	if len(d.Containments) > 0 {
		fmt.Fprintln(w, "Containments:")
		for _, c := range d.Containments {
			end := "until " + localTime(c.ExpiresAt)
			if c.EndedAt != nil {
				end = "ended " + fmtTime(c.EndedAt) + ": " + printable(c.EndReason)
			}
			fmt.Fprintf(w, "  %4d %-14s %-20s %-8s offence %d, %s\n", c.ID, c.Action, c.Target, c.State, c.Offense, end)
		}
	}
	if len(d.Messages) > 0 {
		fmt.Fprintln(w, "Messages:")
		for _, m := range d.Messages {
			fmt.Fprintf(w, "  %4d %-22s %-14s %-8s attempts=%d %s\n", m.ID, m.Event, printable(m.Channel), m.State, m.Attempts, printable(m.LastError))
		}
	}
	if len(d.Obligations) > 0 {
		// The id is what obligations decide and notices render take.
		fmt.Fprintln(w, "Obligations (id, policy, recipient, due, state):")
		for _, o := range d.Obligations {
			due := dueTime(o)
			if o.Overdue && !o.State.Decided() {
				due += " OVERDUE"
			}
			fmt.Fprintf(w, "  %-6d %-24s %-24s due %s  %s\n", o.ID, printable(o.Policy), printable(o.Recipient), due, o.State)
			if o.Proof != "" {
				fmt.Fprintf(w, "  %-6s %-24s proof: %s\n", "", "", printable(o.Proof))
			}
		}
	}
	fmt.Fprintln(w, "Timeline:")
	for _, e := range d.Timeline {
		msg := printable(e.Message)
		if e.RedactedAt != nil {
			msg = "(redacted by retention " + fmtTime(e.RedactedAt) + ")"
		}
		ref := ""
		if e.IncidentID != inc.ID {
			ref = fmt.Sprintf("[#%d] ", e.IncidentID)
		}
		if e.Supersedes != nil {
			ref += fmt.Sprintf("[corrects %d] ", *e.Supersedes)
		}
		fmt.Fprintf(w, "  %4d %s  %-10s %-10s %s%s\n", e.ID, localTime(e.At), printable(e.Actor), e.Kind, ref, msg)
	}
	fmt.Fprintln(w, "Actions:")
	if len(d.Actions) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, a := range d.Actions {
		fmt.Fprintf(w, "  %-16s %-9s attempts=%d  %s\n", a.Action, a.State, a.Attempts, printable(a.Result))
	}
}

// printable escapes control characters so that a hostile value taken from a
// log cannot drive the operator's terminal.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
