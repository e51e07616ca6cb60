package main

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// optBool is a flag that is either unset or true/false.
type optBool struct{ v *bool }

func (o *optBool) String() string {
	if o.v == nil {
		return ""
	}
	return strconv.FormatBool(*o.v)
}

// Type names the value in help.
func (o *optBool) Type() string { return "bool" }

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

// Type names the value in help.
func (o *optInt) Type() string { return "int" }

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

// parseID reads the ID of a kind of record ("incident", "run"), or prints
// why it is none.
func (a *api) parseID(s, kind string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		article := "a"
		if strings.ContainsRune("aeiou", rune(kind[0])) {
			article = "an"
		}
		a.usage("%q is not %s %s ID", s, article, kind)
		return 0, false
	}
	return id, true
}

// idArg wants n positionals, the first the ID of a kind of record; it
// prints what is wrong itself: what (a format, with args) when the count
// is not n.
func (a *api) idArg(pos []string, n int, kind, what string, args ...any) (int64, bool) {
	if len(pos) != n {
		a.usage(what, args...)
		return 0, false
	}
	return a.parseID(pos[0], kind)
}

// show prints the incident answered by a change.
func (a *api) show(raw []byte, err error, d httpapi.IncidentDetail) int {
	if err != nil {
		return a.failed(err)
	}
	if a.printJSON(raw) {
		return 0
	}
	printDetail(a.stdout, d)
	return 0
}

// listIncidents offers the filters' values in shell completion.
func listIncidents(c *cobra.Command) *cobra.Command {
	completeFlag(c, "status", append(statuses(), "active"))
	completeFlag(c, "severity", severityFilters)
	return completeFlag(c, "risk", riskFilters)
}

// incidentsCmd works incidents through the API.
func incidentsCmd(s *streams) *cobra.Command {
	const parent = "incidents"
	var detail httpapi.IncidentDetail
	return group(parent, "work incidents through the API (--token or $BREACHD_TOKEN)",
		listIncidents(apiLeaf(s, parent, "list", "incidents, newest first", func(a *api, fs *pflag.FlagSet) runner {
			limit := fs.Int("limit", 50, "show at most `N` incidents")
			status := choiceFlag(fs, "status", append(statuses(), "active"), true, "only these `statuses` (comma list, or active)")
			severity := choiceFlag(fs, "severity", severityFilters, false, "only this `severity`")
			rule := fs.String("rule", "", "only this `rule`")
			risk := choiceFlag(fs, "risk", riskFilters, false, "only this `risk` (unassessed, none, risk, high)")
			return func(pos []string) int {
				if len(pos) > 0 {
					return a.usage("unexpected argument %q", pos[0])
				}
				if *limit < 1 || *limit > 10000 {
					return a.usage("--limit %d: show from 1 to 10000 incidents", *limit)
				}
				q := url.Values{"limit": {strconv.Itoa(*limit)}}
				for k, v := range map[string]string{"status": *status, "severity": *severity, "rule": *rule, "risk": *risk} {
					if v != "" {
						q.Set(k, v)
					}
				}
				var list httpapi.IncidentList
				raw, err := a.cf.do(a.ctx, "GET", "/api/v1/incidents?"+q.Encode(), nil, &list)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				printList(a.stdout, list)
				return 0
			}
		})),
		apiLeaf(s, parent, "show ID", "one incident: scope, clocks, evidence, obligations, timeline and action runs", func(a *api, fs *pflag.FlagSet) runner {
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "incident", "name one incident ID")
				if !ok {
					return 2
				}
				raw, err := a.cf.do(a.ctx, "GET", "/api/v1/incidents/"+strconv.FormatInt(id, 10), nil, &detail)
				return a.show(raw, err, detail)
			}
		}),
		complete(apiLeaf(s, parent, "transition ID STATUS", "move an incident along its lifecycle", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why (required to reopen or mark a false positive)")
			resolution := fs.String("resolution", "", "what was found and done (required to close)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 2, "incident", "name the incident ID and the new status (%s)", statusList())
				if !ok || !a.choice(pos[1], "the status", statuses()...) {
					return 2
				}
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/transition", id),
					httpapi.TransitionRequest{To: incidents.Status(pos[1]), Reason: *reason, Resolution: *resolution}, &detail)
				return a.show(raw, err, detail)
			}
		}), 1, statuses()),
		complete(apiLeaf(s, parent, "assess ID none|risk|high --reason R", "confirm the risk to the data subjects", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why this risk (required)")
			consequences := fs.String("consequences", "", "likely consequences for the data subjects")
			measures := fs.String("measures", "", "measures taken or proposed")
			var personal optBool
			fs.Var(&personal, "personal-data", "whether personal data was affected (`true|false`; default: from the scope)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 2, "incident", "name the incident ID and the risk (none, risk or high)")
				if !ok || !a.choice(pos[1], "the risk", assessedRisks...) {
					return 2
				}
				req := httpapi.AssessRequest{Reason: *reason}
				req.Risk, req.PersonalData, req.Consequences, req.Measures = incidents.Risk(pos[1]), personal.v, *consequences, *measures
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/assess", id), req, &detail)
				return a.show(raw, err, detail)
			}
		}), 1, assessedRisks),
		apiLeaf(s, parent, "note ID TEXT", "add a note, a decision, or a correction of an entry to the timeline", func(a *api, fs *pflag.FlagSet) runner {
			decision := fs.Bool("decision", false, "record a decision rather than a note")
			var corrects optInt
			fs.Var(&corrects, "corrects", "the timeline `ENTRY` id this corrects")
			reason := fs.String("reason", "", "why (required for a correction)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 2, "incident", "name the incident ID and the text (quoted)")
				if !ok {
					return 2
				}
				kind := "note"
				if *decision {
					kind = "decision"
				}
				var e incidents.TimelineEntry
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/notes", id),
					httpapi.NoteRequest{Kind: kind, Text: pos[1], Supersedes: corrects.v, Reason: *reason}, &e)
				if err != nil {
					return a.failed(err)
				}
				if a.printJSON(raw) {
					return 0
				}
				fmt.Fprintf(a.stdout, "Entry %d (%s) added to incident %d.\n", e.ID, e.Kind, id)
				return 0
			}
		}),
		apiLeaf(s, parent, "open --title T", "open an incident from a report", func(a *api, fs *pflag.FlagSet) runner {
			var r incidents.ManualReport
			fs.StringVar(&r.Title, "title", "", "what happened, in a line (required)")
			fs.StringVar(&r.Description, "description", "", "the report in full")
			fs.StringVar(&r.Reporter, "reporter", "", "who reported it (a customer, a user, a third party)")
			severity := choiceFlag(fs, "severity", severityFilters, false, "info, low, medium, high (default) or critical")
			fs.StringVar(&r.Category, "category", "", "category (default reported)")
			fs.StringVar(&r.Host, "host", "", "the host concerned (its assets are in scope)")
			assets := fs.String("assets", "", "the assets concerned (comma list)")
			occurred := fs.String("occurred-at", "", "when it happened (RFC 3339), if known")
			return func(pos []string) int {
				if len(pos) > 0 {
					return a.usage("unexpected argument %q; options go in flags", pos[0])
				}
				r.Assets, r.Severity = splitList(*assets), *severity
				if *occurred != "" {
					t, err := time.Parse(time.RFC3339, *occurred)
					if err != nil {
						return a.usage("--occurred-at %q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", *occurred)
					}
					r.OccurredAt = &t
				}
				raw, err := a.cf.do(a.ctx, "POST", "/api/v1/incidents", r, &detail)
				return a.show(raw, err, detail)
			}
		}),
		apiLeaf(s, parent, "merge INTO FROM... --reason R", "merge incidents into one, keeping every history", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why these are one case (required)")
			return func(pos []string) int {
				if len(pos) < 2 {
					return a.usage("name the incident to keep and the incidents to merge into it")
				}
				into, ok := a.parseID(pos[0], "incident")
				if !ok {
					return 2
				}
				var from []int64
				for _, p := range pos[1:] {
					id, ok := a.parseID(p, "incident")
					if !ok {
						return 2
					}
					from = append(from, id)
				}
				raw, err := a.cf.do(a.ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/merge", into), httpapi.MergeRequest{From: from, Reason: *reason}, &detail)
				return a.show(raw, err, detail)
			}
		}),
		apiLeaf(s, parent, "scope ID --reason R", "edit the scope: assets, data categories, subjects, records; suggested risk and cost follow", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why the scope changes (required)")
			assets := fs.String("assets", "", "the assets concerned (comma list); recomputes the scope from them")
			categories := fs.String("categories", "", "the data categories affected (comma list)")
			var subjects, records optInt
			var encrypted, exposed optBool
			fs.Var(&subjects, "subjects", "approximate number of data subjects")
			fs.Var(&records, "records", "approximate number of records")
			fs.Var(&encrypted, "encrypted", "whether the data was encrypted (`true|false`)")
			fs.Var(&exposed, "keys-exposed", "whether the keys may be exposed (`true|false`)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "incident", "name one incident ID")
				if !ok {
					return 2
				}
				if !slices.ContainsFunc([]string{"assets", "categories", "subjects", "records", "encrypted", "keys-exposed"}, fs.Changed) {
					return a.usage("nothing to change: give at least one of --assets, --categories, --subjects, --records, --encrypted, --keys-exposed")
				}
				req := httpapi.ScopeRequest{Reason: *reason}
				req.Assets, req.DataCategories = splitList(*assets), splitList(*categories)
				req.DataSubjects, req.Records, req.Encrypted, req.KeysExposed = subjects.v, records.v, encrypted.v, exposed.v
				raw, err := a.cf.do(a.ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/scope", id), req, &detail)
				return a.show(raw, err, detail)
			}
		}),
		subjectsCmd(s),
		apiLeaf(s, parent, "facts ID --reason R", "the facts the notices say: nature, consequences, measures, effects", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why the facts change (required)")
			fs.String("nature", "", "the nature of the breach, for the notices")
			fs.String("consequences", "", "its likely consequences")
			fs.String("measures", "", "the measures taken or planned")
			fs.String("effects", "", "what happened to the data (comma list of the form's choices: disclosed, destroyed, lost, modified, accessed, other)")
			fs.String("effects-other", "", "what the effect other is (required with other)")
			fs.String("caused-by", "", "unauthorized persons, or internal accident")
			fs.String("delay-reason", "", "why a notice is late")
			clear := fs.String("clear", "", "facts to empty (comma list of this command's fact flags: nature, consequences, measures, effects, effects-other, caused-by, delay-reason)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 1, "incident", "name one incident ID")
				if !ok {
					return 2
				}
				p, err := factsPatch(fs, splitList(*clear))
				if err != nil {
					return a.usage("%v", err)
				}
				raw, err := a.cf.do(a.ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/facts", id), httpapi.FactsRequest{FactsPatch: p, Reason: *reason}, &detail)
				if err == nil && detail.Unchanged && !a.cf.json {
					fmt.Fprintf(a.stdout, "Incident %d: facts unchanged: they already say this; nothing was written.\n", id)
					return 0
				}
				return a.show(raw, err, detail)
			}
		}),
		complete(apiLeaf(s, parent, "clock ID aware_at|occurred_at TIME --reason R", "set a clock (RFC 3339); the deadlines run from it", func(a *api, fs *pflag.FlagSet) runner {
			reason := fs.String("reason", "", "why (required: the deadlines run from it)")
			return func(pos []string) int {
				id, ok := a.idArg(pos, 3, "incident", "name the incident ID, the clock (aware_at or occurred_at) and the time (RFC 3339)")
				if !ok || !a.choice(pos[1], "the clock", clocks...) {
					return 2
				}
				t, err := time.Parse(time.RFC3339, pos[2])
				if err != nil {
					return a.usage("%q is not an RFC 3339 time such as 2026-11-23T10:00:00Z", pos[2])
				}
				raw, err := a.cf.do(a.ctx, "PUT", fmt.Sprintf("/api/v1/incidents/%d/clocks/%s", id, url.PathEscape(pos[1])),
					httpapi.ClockRequest{At: t, Reason: *reason}, &detail)
				return a.show(raw, err, detail)
			}
		}), 1, clocks),
		removalCmd(s),
	)
}
