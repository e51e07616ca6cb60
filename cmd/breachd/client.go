package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
)

type clientFlags struct {
	server, config string
	json           bool
}

func (c *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.server, "server", "", "breachd API `URL` (default: from the server block of -config)")
	fs.StringVar(&c.config, "config", "", "config `file` whose server block names the API (default "+configs.DefaultPath+")")
	fs.BoolVar(&c.json, "json", false, "print JSON")
}

// baseURL finds the API: --server, else the listen address of the config's
// server block (--config, else the default path), else the default address.
func (c *clientFlags) baseURL() (string, error) {
	if c.server != "" {
		u, err := url.Parse(c.server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("-server %q is not an http:// URL", c.server)
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
	return "http://" + net.JoinHostPort(host, port), nil
}

func cmdIncidents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "breachd incidents: use \"list\" or \"show ID\"")
		return 2
	}
	var cf clientFlags
	switch args[0] {
	case "list":
		fs := newFlags("incidents list", stderr)
		cf.register(fs)
		limit := fs.Int("limit", 50, "show at most `N` incidents")
		if pos, err := parseInterspersed(fs, args[1:]); err != nil || len(pos) > 0 {
			if err == nil {
				fmt.Fprintf(stderr, "breachd incidents list: unexpected argument %q\n", pos[0])
			}
			return 2
		}
		var list httpapi.IncidentList
		raw, err := cf.get(ctx, "/api/v1/incidents?limit="+strconv.Itoa(*limit), &list)
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
		fs := newFlags("incidents show", stderr)
		cf.register(fs)
		pos, err := parseInterspersed(fs, args[1:])
		if err != nil {
			return 2
		}
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "breachd incidents show: name one incident ID")
			return 2
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id < 1 {
			fmt.Fprintf(stderr, "breachd incidents show: %q is not an incident ID\n", pos[0])
			return 2
		}
		var detail httpapi.IncidentDetail
		raw, err := cf.get(ctx, "/api/v1/incidents/"+strconv.FormatInt(id, 10), &detail)
		if err != nil {
			fmt.Fprintln(stderr, "breachd incidents show:", err)
			return 1
		}
		if cf.json {
			stdout.Write(raw)
			return 0
		}
		printDetail(stdout, detail)
		return 0
	}
	fmt.Fprintf(stderr, "breachd incidents: unknown command %q; use \"list\" or \"show ID\"\n", args[0])
	return 2
}

func (c *clientFlags) get(ctx context.Context, path string, v any) ([]byte, error) {
	base, err := c.baseURL()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w (is breachd running? name its API with -server or -config)", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e httpapi.Error
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			return nil, errors.New(e.Error)
		}
		return nil, fmt.Errorf("%s: HTTP %d", base+path, resp.StatusCode)
	}
	return raw, json.Unmarshal(raw, v)
}

func printList(w io.Writer, list httpapi.IncidentList) {
	if len(list.Incidents) == 0 {
		fmt.Fprintln(w, "No incidents.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tRULE\tFINDINGS\tLAST SEEN\tTITLE")
	for _, inc := range list.Incidents {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", inc.ID, inc.Status, inc.Severity, inc.Rule,
			inc.FindingCount, inc.LastSeen.Local().Format(time.DateTime), printable(inc.Title))
	}
	tw.Flush()
}

func printDetail(w io.Writer, d httpapi.IncidentDetail) {
	inc := d.Incident
	fmt.Fprintf(w, "Incident %d: %s\n", inc.ID, printable(inc.Title))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  Status:\t%s\n", inc.Status)
	fmt.Fprintf(tw, "  Severity:\t%s\n", inc.Severity)
	fmt.Fprintf(tw, "  Category:\t%s\n", inc.Category)
	fmt.Fprintf(tw, "  Rule:\t%s\n", inc.Rule)
	fmt.Fprintf(tw, "  Group:\t%s\n", printable(inc.GroupKey))
	fmt.Fprintf(tw, "  Findings:\t%d (first %s, last %s)\n", inc.FindingCount,
		inc.FirstSeen.Local().Format(time.DateTime), inc.LastSeen.Local().Format(time.DateTime))
	fmt.Fprintf(tw, "  Detected:\t%s\n", inc.DetectedAt.Local().Format(time.DateTime))
	fmt.Fprintf(tw, "  Evidence:\t%s\n", printable(inc.Evidence))
	tw.Flush()
	fmt.Fprintln(w, "Timeline:")
	for _, e := range d.Timeline {
		fmt.Fprintf(w, "  %s  %-8s %-8s %s\n", e.At.Local().Format(time.DateTime), e.Actor, e.Kind, printable(e.Message))
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
