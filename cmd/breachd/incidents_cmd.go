package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

const incidentsUsage = `use one of:
  incidents list [--status S,...] [--severity S] [--rule R] [--risk R] [--limit N]
  incidents show ID
  incidents transition ID STATUS [--reason R] [--resolution R]
  incidents assess ID none|risk|high --reason R [--personal-data true|false] [--consequences C] [--measures M]
  incidents note ID TEXT [--decision] [--corrects ENTRY --reason R]
  incidents open --title T [--description D] [--reporter R] [--severity S] [--category C] [--host H] [--assets A,B] [--occurred-at TIME]
  incidents merge INTO FROM... --reason R
  incidents scope ID --reason R [--assets A,B] [--categories C,D] [--subjects N] [--records N] [--encrypted true|false] [--keys-exposed true|false]
  incidents clock ID aware_at|occurred_at TIME --reason R
  incidents subjects ID --file LIST.csv --reason R   the DPO uploads the data subjects (name,email,address)
  incidents facts ID --reason R [--nature N] [--consequences C] [--measures M] [--effects E,F] [--effects-other O] [--caused-by B] [--delay-reason D] [--clear F,G]
  incidents removal ID customer|company --what W [--customer NAME] [--at TIME] [--reason R]
each with [--json] [--token T] [--server URL | --config FILE]`

// optBool is a flag that is either unset or true/false.
type optBool struct{ v *bool }

func (o *optBool) String() string {
	if o.v == nil {
		return ""
	}
	return strconv.FormatBool(*o.v)
}

func (o *optBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("use true or false")
	}
	o.v = &b
	return nil
}

// optInt is a flag that is either unset or a number.
type optInt struct{ v *int64 }

func (o *optInt) String() string {
	if o.v == nil {
		return ""
	}
	return strconv.FormatInt(*o.v, 10)
}

func (o *optInt) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("use a whole number")
	}
	o.v = &n
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func cmdIncidents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "breachd incidents:", incidentsUsage)
		return 2
	}
	var cf clientFlags
	sub := args[0]
	fs := newFlags("incidents "+sub, stderr)
	cf.register(fs)
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "breachd incidents %s: %s\n", sub, fmt.Sprintf(format, a...))
		return 2
	}
	parseID := func(s string) (int64, bool) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			usage("%q is not an incident ID", s)
			return 0, false
		}
		return id, true
	}
	// idArgs parses the flags and wants n positionals, the first an
	// incident ID; it prints what is wrong itself.
	idArgs := func(n int, what string, a ...any) (int64, []string, bool) {
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 0, nil, false
		}
		if len(pos) != n {
			usage(what, a...)
			return 0, nil, false
		}
		id, ok := parseID(pos[0])
		return id, pos, ok
	}
	// show prints the incident answered by a change.
	show := func(raw []byte, err error, d httpapi.IncidentDetail) int {
		if err != nil {
			fmt.Fprintf(stderr, "breachd incidents %s: %v\n", sub, err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		printDetail(stdout, d)
		return 0
	}
	var detail httpapi.IncidentDetail
	switch sub {
	case "list":
		limit := fs.Int("limit", 50, "show at most `N` incidents")
		status := fs.String("status", "", "only these `statuses` (comma list, or active)")
		severity := fs.String("severity", "", "only this `severity`")
		rule := fs.String("rule", "", "only this `rule`")
		risk := fs.String("risk", "", "only this `risk` (unassessed, none, risk, high)")
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				return usage("unexpected argument %q", pos[0])
			}
			return 2
		}
		q := url.Values{"limit": {strconv.Itoa(*limit)}}
		for k, v := range map[string]string{"status": *status, "severity": *severity, "rule": *rule, "risk": *risk} {
			if v != "" {
				q.Set(k, v)
			}
		}
		var list httpapi.IncidentList
		raw, err := cf.do(ctx, "GET", "/api/v1/incidents?"+q.Encode(), nil, &list)
		if err != nil {
			fmt.Fprintln(stderr, "breachd incidents list:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		printList(stdout, list)
		return 0
	case "show":
		id, _, ok := idArgs(1, "name one incident ID")
		if !ok {
			return 2
		}
		raw, err := cf.do(ctx, "GET", "/api/v1/incidents/"+strconv.FormatInt(id, 10), nil, &detail)
		return show(raw, err, detail)
	case "transition":
		reason := fs.String("reason", "", "why (required to reopen or mark a false positive)")
		resolution := fs.String("resolution", "", "what was found and done (required to close)")
		id, pos, ok := idArgs(2, "name the incident ID and the new status (%s)", statusList())
		if !ok {
			return 2
		}
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/transition", id),
			httpapi.TransitionRequest{To: incidents.Status(pos[1]), Reason: *reason, Resolution: *resolution}, &detail)
		return show(raw, err, detail)
	case "assess":
		reason := fs.String("reason", "", "why this risk (required)")
		consequences := fs.String("consequences", "", "likely consequences for the data subjects")
		measures := fs.String("measures", "", "measures taken or proposed")
		var personal optBool
		fs.Var(&personal, "personal-data", "whether personal data was affected (`true|false`; default: from the scope)")
		id, pos, ok := idArgs(2, "name the incident ID and the risk (none, risk or high)")
		if !ok {
			return 2
		}
		req := httpapi.AssessRequest{Reason: *reason}
		req.Risk, req.PersonalData, req.Consequences, req.Measures = incidents.Risk(pos[1]), personal.v, *consequences, *measures
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/assess", id), req, &detail)
		return show(raw, err, detail)
	case "note":
		decision := fs.Bool("decision", false, "record a decision rather than a note")
		var corrects optInt
		fs.Var(&corrects, "corrects", "the timeline `ENTRY` id this corrects")
		reason := fs.String("reason", "", "why (required for a correction)")
		id, pos, ok := idArgs(2, "name the incident ID and the text (quoted)")
		if !ok {
			return 2
		}
		kind := "note"
		if *decision {
			kind = "decision"
		}
		var e incidents.TimelineEntry
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/notes", id),
			httpapi.NoteRequest{Kind: kind, Text: pos[1], Supersedes: corrects.v, Reason: *reason}, &e)
		if err != nil {
			fmt.Fprintln(stderr, "breachd incidents note:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Entry %d (%s) added to incident %d.\n", e.ID, e.Kind, id)
		return 0
	case "open":
		var r incidents.ManualReport
		fs.StringVar(&r.Title, "title", "", "what happened, in a line (required)")
		fs.StringVar(&r.Description, "description", "", "the report in full")
		fs.StringVar(&r.Reporter, "reporter", "", "who reported it (a customer, a user, a third party)")
		fs.StringVar(&r.Severity, "severity", "", "info, low, medium, high (default) or critical")
		fs.StringVar(&r.Category, "category", "", "category (default reported)")
		fs.StringVar(&r.Host, "host", "", "the host concerned (its assets are in scope)")
		assets := fs.String("assets", "", "the assets concerned (comma list)")
		occurred := fs.String("occurred-at", "", "when it happened (RFC 3339), if known")
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				return usage("unexpected argument %q; options go in flags", pos[0])
			}
			return 2
		}
		r.Assets = splitList(*assets)
		if *occurred != "" {
			t, err := time.Parse(time.RFC3339, *occurred)
			if err != nil {
				return usage("--occurred-at %q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", *occurred)
			}
			r.OccurredAt = &t
		}
		raw, err := cf.do(ctx, "POST", "/api/v1/incidents", r, &detail)
		return show(raw, err, detail)
	case "merge":
		reason := fs.String("reason", "", "why these are one case (required)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) < 2 {
			return usage("name the incident to keep and the incidents to merge into it")
		}
		into, ok := parseID(pos[0])
		if !ok {
			return 2
		}
		var from []int64
		for _, p := range pos[1:] {
			id, ok := parseID(p)
			if !ok {
				return 2
			}
			from = append(from, id)
		}
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/merge", into), httpapi.MergeRequest{From: from, Reason: *reason}, &detail)
		return show(raw, err, detail)
	case "scope":
		reason := fs.String("reason", "", "why the scope changes (required)")
		assets := fs.String("assets", "", "the assets concerned (comma list); recomputes the scope from them")
		categories := fs.String("categories", "", "the data categories affected (comma list)")
		var subjects, records optInt
		var encrypted, exposed optBool
		fs.Var(&subjects, "subjects", "approximate number of data subjects")
		fs.Var(&records, "records", "approximate number of records")
		fs.Var(&encrypted, "encrypted", "whether the data was encrypted (`true|false`)")
		fs.Var(&exposed, "keys-exposed", "whether the keys may be exposed (`true|false`)")
		id, _, ok := idArgs(1, "name one incident ID")
		if !ok {
			return 2
		}
		req := httpapi.ScopeRequest{Reason: *reason}
		req.Assets, req.DataCategories = splitList(*assets), splitList(*categories)
		req.DataSubjects, req.Records, req.Encrypted, req.KeysExposed = subjects.v, records.v, encrypted.v, exposed.v
		raw, err := cf.do(ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/scope", id), req, &detail)
		return show(raw, err, detail)
	case "subjects":
		return cmdIncidentsSubjects(ctx, &cf, fs, args[1:], stdout, stderr)
	case "facts":
		reason := fs.String("reason", "", "why the facts change (required)")
		fs.String("nature", "", "the nature of the breach, for the notices")
		fs.String("consequences", "", "its likely consequences")
		fs.String("measures", "", "the measures taken or planned")
		fs.String("effects", "", "what happened to the data (comma list of the form's choices: disclosed, destroyed, lost, modified, accessed, other)")
		fs.String("effects-other", "", "what the effect other is (required with other)")
		fs.String("caused-by", "", "unauthorized persons, or internal accident")
		fs.String("delay-reason", "", "why a notice is late")
		clear := fs.String("clear", "", "facts to empty (comma list of the names above, e.g. measures,delay-reason)")
		id, _, ok := idArgs(1, "name one incident ID")
		if !ok {
			return 2
		}
		p, err := factsPatch(fs, splitList(*clear))
		if err != nil {
			fmt.Fprintln(stderr, "breachd incidents facts:", err)
			return 2
		}
		raw, err := cf.do(ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/facts", id), httpapi.FactsRequest{FactsPatch: p, Reason: *reason}, &detail)
		if err == nil && detail.Unchanged && !cf.json {
			fmt.Fprintf(stdout, "Incident %d: facts unchanged: they already say this; nothing was written.\n", id)
			return 0
		}
		return show(raw, err, detail)
	case "clock":
		reason := fs.String("reason", "", "why (required: the deadlines run from it)")
		id, pos, ok := idArgs(3, "name the incident ID, the clock (aware_at or occurred_at) and the time (RFC 3339)")
		if !ok {
			return 2
		}
		t, err := time.Parse(time.RFC3339, pos[2])
		if err != nil {
			return usage("%q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", pos[2])
		}
		raw, err := cf.do(ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/clocks/%s", id, url.PathEscape(pos[1])),
			httpapi.ClockRequest{At: t, Reason: *reason}, &detail)
		return show(raw, err, detail)
	}
	if sub == "removal" {
		return cmdRemoval(ctx, &cf, fs, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "breachd incidents: unknown command %q; %s\n", sub, incidentsUsage)
	return 2
}
