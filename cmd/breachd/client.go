package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

type clientFlags struct {
	server, config, token, cacert string
	json                          bool
}

func (c *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.server, "server", "", "breachd API `URL` (default: from the server block of -config)")
	fs.StringVar(&c.config, "config", "", "config `file` whose server block names the API (default "+configs.DefaultPath+")")
	fs.StringVar(&c.token, "token", "", "API bearer `token` (default $BREACHD_TOKEN)")
	fs.StringVar(&c.cacert, "cacert", "", "PEM `file` of the CA (or self-signed certificate) to trust for an https API")
	fs.BoolVar(&c.json, "json", false, "print JSON")
}

// baseURL finds the API: --server, else the listen address of the config's
// server block (--config, else the default path), else the default address.
func (c *clientFlags) baseURL() (string, error) {
	if c.server != "" {
		u, err := url.Parse(c.server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("-server %q is not an http:// or https:// URL", c.server)
		}
		return strings.TrimRight(c.server, "/"), nil
	}
	path := c.config
	if path == "" {
		path = configs.DefaultPath
		if _, err := os.Stat(path); err != nil {
			return "http://" + configs.DefaultListen, nil
		}
	}
	cfg, diags := configs.LoadFile(path)
	if diags.HasErrors() {
		return "", fmt.Errorf("cannot read the server address from %s: %s", path, diags.Error())
	}
	host, port, err := net.SplitHostPort(cfg.Server.Listen)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if cfg.Server.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port), nil
}

// do sends one request and decodes the answer into v; raw is the body.
func (c *clientFlags) do(ctx context.Context, method, path string, body, v any) ([]byte, error) {
	base, err := c.baseURL()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rd io.Reader
	ctype := "application/json"
	if rb, ok := body.(rawBody); ok {
		rd, ctype = bytes.NewReader(rb.data), rb.ctype
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	token := c.token
	if token == "" {
		token = os.Getenv("BREACHD_TOKEN")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := http.DefaultClient
	if c.cacert != "" {
		pem, err := os.ReadFile(c.cacert)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-cacert %s holds no PEM certificate", c.cacert)
		}
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w (is breachd running? name its API with -server or -config)", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		var e httpapi.Error
		if json.Unmarshal(raw, &e) == nil && e.Message != "" {
			// The message may already begin with its code (the store's
			// errors wrap "conflict", "forbidden", ...): said once.
			return nil, fmt.Errorf("%s: %s", e.Code, strings.TrimPrefix(e.Message, e.Code+": "))
		}
		return nil, fmt.Errorf("%s %s: HTTP %d", method, base+path, resp.StatusCode)
	}
	return raw, json.Unmarshal(raw, v)
}

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
		fmt.Fprintln(w, "Obligations:")
		for _, o := range d.Obligations {
			due := dueTime(o)
			if o.Overdue && !o.State.Decided() {
				due += " OVERDUE"
			}
			fmt.Fprintf(w, "  %-24s %-24s due %s  %s\n", printable(o.Policy), printable(o.Recipient), due, o.State)
			if o.Proof != "" {
				fmt.Fprintf(w, "  %-24s proof: %s\n", "", printable(o.Proof))
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

// cmdToken prints a new random API token and the config block holding its
// hash; the token itself is never stored.
func cmdToken(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(stderr, "breachd token: use \"token new PRINCIPAL --role ROLE\"")
		return 2
	}
	fs := newFlags("token new", stderr)
	role := fs.String("role", configs.RoleViewer, "the token's role: "+strings.Join(configs.TokenRoles(), ", "))
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "breachd token new: name the principal (the person or service the token is for)")
		return 2
	}
	if !slices.Contains(configs.TokenRoles(), *role) {
		fmt.Fprintf(stderr, "breachd token new: role %q; use one of %s\n", *role, strings.Join(configs.TokenRoles(), ", "))
		return 2
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		fmt.Fprintln(stderr, "breachd token new:", err)
		return 1
	}
	token := "bd_" + hex.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	fmt.Fprintf(stdout, "# Token for %s (give it to them; it is shown once): %s\ntoken %q {\n  role   = %q\n  sha256 = %q\n}\n",
		pos[0], token, pos[0], *role, hex.EncodeToString(sum[:]))
	return 0
}

const actionsUsage = `use one of:
  actions list                       the containments in force
  actions revert ID --reason R       lift one now
  actions approvals                  the runs waiting for approval
  actions approve ID --reason R      let a waiting run act now
  actions deny ID --reason R         refuse it; nothing runs
  actions settle ID ran|not-run --reason R [--run-again]
                                     answer for a run whose outcome is unknown
each with [--json] [--token T] [--server URL | --config FILE]`

func cmdActions(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "breachd actions:", actionsUsage)
		return 2
	}
	var cf clientFlags
	sub := args[0]
	fs := newFlags("actions "+sub, stderr)
	cf.register(fs)
	switch sub {
	case "list":
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd actions list: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		var list httpapi.ContainmentList
		raw, err := cf.do(ctx, "GET", "/api/v1/containments", nil, &list)
		if err != nil {
			fmt.Fprintln(stderr, "breachd actions list:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		if len(list.Containments) == 0 {
			fmt.Fprintln(stdout, "No containment in force.")
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tACTION\tTARGET\tINCIDENT\tOFFENCE\tSINCE\tUNTIL")
		for _, c := range list.Containments {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", c.ID, c.Action, printable(c.Target), c.IncidentID, c.Offense,
				localTime(c.AppliedAt), localTime(c.ExpiresAt))
		}
		tw.Flush()
		return 0
	case "revert":
		reason := fs.String("reason", "", "why the containment is lifted (required)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "breachd actions revert: name one containment ID (breachd actions list)")
			return 2
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			fmt.Fprintf(stderr, "breachd actions revert: %q is not a containment ID\n", pos[0])
			return 2
		}
		var c incidents.Containment
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/containments/%d/revert", id), httpapi.RevertRequest{Reason: *reason}, &c)
		if err != nil {
			fmt.Fprintln(stderr, "breachd actions revert:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Containment %d of %s reverted: %s\n", c.ID, printable(c.Target), printable(c.EndReason))
		return 0
	case "approvals":
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd actions approvals: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		var list httpapi.ApprovalList
		raw, err := cf.do(ctx, "GET", "/api/v1/approvals", nil, &list)
		if err != nil {
			fmt.Fprintln(stderr, "breachd actions approvals:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		if len(list.Runs) == 0 {
			fmt.Fprintln(stdout, "No action waits for approval.")
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RUN\tACTION\tINCIDENT\tEXPIRES\tWHY")
		for _, r := range list.Runs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", r.ID, r.Action, r.IncidentID, fmtTime(r.ApprovalExpiresAt), printable(r.ApprovalReason))
		}
		tw.Flush()
		return 0
	case "approve", "deny":
		reason := fs.String("reason", "", "why (required; it goes on the incident's timeline)")
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) != 1 {
			fmt.Fprintf(stderr, "breachd actions %s: name one run ID (breachd actions approvals)\n", sub)
			return 2
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			fmt.Fprintf(stderr, "breachd actions %s: %q is not a run ID\n", sub, pos[0])
			return 2
		}
		var run incidents.ActionRun
		raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/actions/%d/%s", id, sub), httpapi.DecisionRequest{Reason: *reason}, &run)
		if err != nil {
			fmt.Fprintf(stderr, "breachd actions %s: %v\n", sub, err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		fmt.Fprintf(stdout, "Run %d of %s (incident %d): %s\n", run.ID, run.Action, run.IncidentID, run.State)
		return 0
	case "settle":
		return cmdActionsSettle(ctx, &cf, fs, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "breachd actions: unknown command %q; %s\n", sub, actionsUsage)
	return 2
}

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
