package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// rawBody is a request body sent as it is, with its content type (a CSV
// list), instead of as JSON.
type rawBody struct {
	ctype string
	data  []byte
}

// proofCmd records the proof of a notice given outside breachd:
// "call" a phone call (who called, whom, when, what was said), "posted" a
// data subject's notice posted (who, when, to which address), "published"
// a public communication's publication (who, where, when).
func proofCmd(s *streams, sub string) *cobra.Command {
	use := map[string][2]string{
		"call":      {"call ID --caller WHO --callee WHOM [--number N] --at TIME --said TEXT", "record a notice given by telephone"},
		"posted":    {"posted ID --by WHO --address ADDRESS --at TIME", "record a data subject's notice posted to the address on the list"},
		"published": {"published ID --by WHO --where WHERE --at TIME", "record a public communication published"},
	}[sub]
	return apiLeaf(s, "obligations", use[0], use[1], func(a *api, fs *pflag.FlagSet) runner {
		var body any
		var path string
		var at *string
		var build func() bool
		switch sub {
		case "call":
			caller := fs.String("caller", "", "the person who made the call (required)")
			callee := fs.String("callee", "", "whom they reached (required)")
			number := fs.String("number", "", "the number dialled")
			said := fs.String("said", "", "what was said (required)")
			at = fs.String("at", "", "when the call was made, RFC 3339 (required)")
			path = "/api/v1/obligations/%d/call"
			build = func() bool {
				t, ok := parseAt(*at, sub, a.stderr)
				body = incidents.PhoneCall{Caller: *caller, Callee: *callee, Number: *number, Said: *said, At: t}
				return ok
			}
		case "posted":
			by := fs.String("by", "", "who posted the notice (required)")
			address := fs.String("address", "", "the postal address it was sent to: the one on the list (required)")
			at = fs.String("at", "", "when it was posted, RFC 3339 (required)")
			path = "/api/v1/obligations/%d/posting"
			build = func() bool {
				t, ok := parseAt(*at, sub, a.stderr)
				body = incidents.Posting{PostedBy: *by, Address: *address, At: t}
				return ok
			}
		default: // published
			by := fs.String("by", "", "who published it (required)")
			where := fs.String("where", "", "where it was published: the page, the newspaper (required)")
			at = fs.String("at", "", "when it was published, RFC 3339 (required)")
			path = "/api/v1/obligations/%d/publication"
			build = func() bool {
				t, ok := parseAt(*at, sub, a.stderr)
				body = incidents.Publication{PublishedBy: *by, Where: *where, At: t}
				return ok
			}
		}
		return func(pos []string) int {
			ctx, cf, stdout := a.ctx, &a.cf, a.stdout
			id, ok := a.idArg(pos, 1, "obligation", "name one obligation ID (breachd obligations list)")
			if !ok || !build() {
				return 2
			}
			var o incidents.Obligation
			raw, err := cf.do(ctx, "POST", fmt.Sprintf(path, id), body, &o)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(stdout, "Obligation %d (%s → %s) of incident %d: %s: %s\n", o.ID, printable(o.Policy), printable(o.Recipient), o.IncidentID, o.State, printable(o.Proof))
			return 0
		}
	})
}

func parseAt(s, sub string, stderr io.Writer) (time.Time, bool) {
	if s == "" {
		fmt.Fprintf(stderr, "breachd obligations %s: say when with --at (RFC 3339, e.g. 2026-11-23T10:00:00Z)\n", sub)
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		fmt.Fprintf(stderr, "breachd obligations %s: --at %q is not an RFC 3339 time such as 2026-11-23T10:00:00Z\n", sub, s)
		return time.Time{}, false
	}
	return t, true
}

// subjectsCmd uploads an incident's list of data subjects (the
// DPO's token): a CSV file with a header name,email,address.
func subjectsCmd(s *streams) *cobra.Command {
	return apiLeaf(s, "incidents", "subjects ID --file LIST.csv --reason R", "the DPO uploads the data subjects (name,email,address)", func(a *api, fs *pflag.FlagSet) runner {
		file := fs.String("file", "", "the CSV `file` (header name,email,address; - reads standard input) (required)")
		reason := fs.String("reason", "", "where the list comes from (required)")
		return func(pos []string) int {
			ctx, cf, stdout, stderr := a.ctx, &a.cf, a.stdout, a.stderr
			id, ok := a.idArg(pos, 1, "incident", "name one incident ID and the list with --file")
			if !ok {
				return 2
			}
			var data []byte
			var err error
			if *file == "-" {
				data, err = io.ReadAll(a.stdin)
			} else {
				data, err = os.ReadFile(*file)
			}
			if err != nil {
				fmt.Fprintln(stderr, "breachd incidents subjects:", err)
				return 1
			}
			var out httpapi.SubjectsUploaded
			raw, err := cf.do(ctx, "POST", fmt.Sprintf("/api/v1/incidents/%d/subjects?reason=%s", id, url.QueryEscape(*reason)), rawBody{ctype: "text/csv", data: data}, &out)
			if err != nil {
				return a.failed(err)
			}
			if a.printJSON(raw) {
				return 0
			}
			fmt.Fprintf(stdout, "Incident %d: list of %d data subjects stored; one notice each (or a public communication above the policy's threshold)\n", out.IncidentID, out.Subjects)
			return 0
		}
	})
}
