package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/configs"
)

// connRules is a rule with a connection block in the shape of the sshd
// pack's: failures with and without the address, a note, a hold, a
// success and an end, and a user switch.
const connRules = `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "fail" {
  source = "auth"
  match = [
    "^Failed password for (?P<user>\\S+) from (?P<ip>[0-9.]+) port \\d+$",
    "^Too many failures for (?P<user>\\S+)$",
  ]
  where = "program == 'sshd'"
  connection {
    by       = ["host", "program", "pid"]
    fill     = ["ip"]
    within   = "1m"
    max_keys = 3
    switch   = "user"
    note     = ["^Connection from (?P<ip>[0-9.]+)$", "^pam: failure user=(?P<user>\\S+) rhost=(?P<ip>[0-9.]+)$"]
    hold     = ["^Failed publickey for (?P<user>\\S+) from (?P<ip>[0-9.]+)$"]
    success  = ["^Accepted \\S+ for (?P<user>\\S+) from (?P<ip>[0-9.]+)$"]
    end      = "^Connection closed by (?P<ip>[0-9.]+)$"
  }
  incident { title = "${ip} ${user}" }
}
`

// connLine is one sshd line of process pid at t0+sec.
type connLine struct {
	sec int
	pid string
	msg string
}

// runConn feeds the lines to a fresh engine and returns, per line index,
// the findings' "ip user" titles.
func runConn(t *testing.T, src string, lines []connLine) (map[int][]string, *Engine) {
	t.Helper()
	e := compile(t, src, Options{})
	got := map[int][]string{}
	for i, l := range lines {
		line := fmt.Sprintf("Nov 23 10:00:00 h sshd[%s]: %s", l.pid, l.msg)
		ev := Event{Source: "auth", Line: []byte(line), Message: []byte(l.msg),
			Fields: [][]byte{[]byte("h"), []byte("sshd"), []byte(l.pid)}, Time: t0.Add(time.Duration(l.sec) * time.Second)}
		for _, f := range e.Evaluate(ev, nil) {
			got[i] = append(got[i], f.Title)
		}
	}
	return got, e
}

func TestConnection(t *testing.T) {
	tests := []struct {
		name  string
		lines []connLine
		want  map[int][]string
	}{
		{"a failure without the address takes the one an earlier line of its connection logged", []connLine{
			{0, "1", "Connection from 192.0.2.1"},
			{1, "1", "Too many failures for root"},
		}, map[int][]string{1: {"192.0.2.1 root"}}},
		{"without an earlier one, it waits for the connection's next line with the address and counts there", []connLine{
			{0, "2", "Too many failures for root"},
			{5, "2", "Connection closed by 192.0.2.2"},
		}, map[int][]string{1: {"192.0.2.2 root"}}},
		{"another process's address is not taken: the pids don't match", []connLine{
			{0, "3", "Too many failures for root"},
			{5, "4", "Connection closed by 192.0.2.4"},
		}, map[int][]string{}},
		{"a failure that carries its address counts at once", []connLine{
			{0, "5", "Failed password for root from 192.0.2.5 port 22"},
		}, map[int][]string{0: {"192.0.2.5 root"}}},
		{"a connection known by its failures alone gives later lines its address", []connLine{
			{0, "6", "Failed password for root from 192.0.2.6 port 22"},
			{1, "6", "Too many failures for root"},
		}, map[int][]string{0: {"192.0.2.6 root"}, 1: {"192.0.2.6 root"}}},
		{"held failures are forgotten by a success", []connLine{
			{0, "7", "Failed publickey for git from 192.0.2.7"},
			{0, "7", "Failed publickey for git from 192.0.2.7"},
			{1, "7", "Accepted publickey for git from 192.0.2.7"},
			{2, "7", "Connection closed by 192.0.2.7"},
		}, map[int][]string{}},
		{"held failures count when the connection fails", []connLine{
			{0, "8", "Failed publickey for git from 192.0.2.8"},
			{0, "8", "Failed publickey for git from 192.0.2.8"},
			{1, "8", "Too many failures for git"},
			{2, "8", "Connection closed by 192.0.2.8"},
		}, map[int][]string{2: {"192.0.2.8 git", "192.0.2.8 git", "192.0.2.8 git"}}},
		{"held failures count when the connection ends without a success", []connLine{
			{0, "9", "Failed publickey for git from 192.0.2.9"},
			{2, "9", "Connection closed by 192.0.2.9"},
		}, map[int][]string{1: {"192.0.2.9 git"}}},
		{"a second user in one connection counts, and so does a success for a third", []connLine{
			{0, "10", "pam: failure user=root rhost=192.0.2.10"},
			{1, "10", "pam: failure user=root rhost=192.0.2.10"},
			{2, "10", "pam: failure user=sudoer rhost=192.0.2.10"},
			{3, "10", "Accepted password for known from 192.0.2.10"},
		}, map[int][]string{2: {"192.0.2.10 sudoer"}, 3: {"192.0.2.10 known"}}},
		{"one user throughout is no switch", []connLine{
			{0, "11", "pam: failure user=rda rhost=192.0.2.11"},
			{1, "11", "Accepted password for rda from 192.0.2.11"},
		}, map[int][]string{}},
		{"a connection silent for longer than within is forgotten", []connLine{
			{0, "12", "Too many failures for root"},
			{61, "12", "Connection closed by 192.0.2.12"},
		}, map[int][]string{}},
		{"lines of a connection never seen start nothing", []connLine{
			{0, "13", "Accepted password for root from 192.0.2.13"},
			{1, "13", "Connection closed by 192.0.2.13"},
		}, map[int][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := runConn(t, connRules, tt.lines)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("findings per line %v, want %v", got, tt.want)
			}
		})
	}
}

// TestConnectionBounds: at max_keys the least recently seen connection is
// evicted, and the lines it was waiting to complete are counted as lost.
func TestConnectionBounds(t *testing.T) {
	lines := []connLine{{0, "1", "Too many failures for a"}}
	for i := 2; i <= 4; i++ {
		lines = append(lines, connLine{1, fmt.Sprint(i), "Connection from 192.0.2.1"})
	}
	lines = append(lines, connLine{2, "1", "Connection closed by 192.0.2.99"})
	got, e := runConn(t, connRules, lines)
	if len(got) != 0 {
		t.Errorf("findings %v, want none: connection 1 was evicted", got)
	}
	s := e.Stats()[0]
	if !s.Connection || s.Connections != 3 || s.ConnectionEvictions != 1 || s.ConnectionLinesDropped != 1 {
		t.Errorf("stats %+v, want 3 connections, 1 evicted, 1 line dropped", s)
	}
}

// TestConnectionShared: two rules with the same match, where and block
// share one state, each counting the same events.
func TestConnectionShared(t *testing.T) {
	src := connRules + strings.Replace(connRules[strings.Index(connRules, "rule \"fail\""):], `rule "fail"`, `rule "fail2"`, 1)
	got, e := runConn(t, src, []connLine{
		{0, "1", "Too many failures for root"},
		{1, "1", "Connection closed by 192.0.2.1"},
	})
	if fmt.Sprint(got) != fmt.Sprint(map[int][]string{1: {"192.0.2.1 root", "192.0.2.1 root"}}) {
		t.Errorf("findings %v, want one per rule on line 1", got)
	}
	if e.rules[0].conn != e.rules[1].conn {
		t.Error("the two rules keep two states")
	}
}

func TestConnectionErrors(t *testing.T) {
	base := `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "r" {
  source = "auth"
  match  = "^Failed for (?P<user>\\S+) from (?P<ip>\\S+)$"
  connection {
%s
  }
}
`
	tests := []struct {
		name, block, want string
	}{
		{"no fill", `    by = ["pid"]
    fill = []
    within = "1m"
    note = "^x (?P<ip>\\S+)$"`, "test.hcl:10:12: Connection without fill"},
		{"fill not captured", `    by = ["pid"]
    fill = ["addr"]
    within = "1m"
    note = "^x (?P<ip>\\S+)$"`, "test.hcl:10:12: Unknown fill field"},
		{"a list without the by field", `    by = ["port"]
    fill = ["ip"]
    within = "1m"
    note = "^x (?P<ip>\\S+)$"`, "test.hcl:12:12: Connection line without a by field"},
		{"no lines", `    by = ["pid"]
    fill = ["ip"]
    within = "1m"`, "test.hcl:8:3: Connection without lines"},
		{"bad max_keys", `    by = ["pid"]
    fill = ["ip"]
    within = "1m"
    max_keys = 0
    note = "^x (?P<ip>\\S+)$"`, "test.hcl:12:16: Invalid max_keys"},
		{"switch in fill", `    by = ["pid"]
    fill = ["ip"]
    within = "1m"
    switch = "ip"
    note = "^x (?P<ip>\\S+)$"`, "test.hcl:12:14: switch field in by or fill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := configs.Parse("test.hcl", []byte(fmt.Sprintf(base, tt.block)), "/etc/breachd")
			if !diags.HasErrors() {
				_, diags = Compile(cfg, Options{})
			}
			var got []string
			for _, d := range diags {
				if d.Subject != nil {
					got = append(got, fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
				}
			}
			if !strings.Contains(strings.Join(got, "\n"), tt.want) {
				t.Errorf("diagnostics %q, want %q", got, tt.want)
			}
		})
	}
}

// TestConnectionReload: a reload that leaves the rule's match, where and
// connection unchanged keeps its connections: a failure waiting for its
// address before the reload counts on the connection's line after it; a
// changed block starts afresh.
func TestConnectionReload(t *testing.T) {
	ev := func(pid, msg string, sec int) Event {
		line := "Nov 23 10:00:00 h sshd[" + pid + "]: " + msg
		return Event{Source: "auth", Line: []byte(line), Message: []byte(msg),
			Fields: [][]byte{[]byte("h"), []byte("sshd"), []byte(pid)}, Time: t0.Add(time.Duration(sec) * time.Second)}
	}
	for _, tt := range []struct {
		name, after string
		want        int
	}{
		{"unchanged title", strings.Replace(connRules, `title = "${ip} ${user}"`, `title = "from ${ip}"`, 1), 1},
		{"changed within", strings.Replace(connRules, `within   = "1m"`, `within   = "2m"`, 1), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := compile(t, connRules, Options{})
			before.Evaluate(ev("1", "Too many failures for root", 0), nil)
			after := compile(t, tt.after, Options{})
			after.Adopt(before)
			out := after.Evaluate(ev("1", "Connection closed by 192.0.2.1", 1), nil)
			if len(out) != tt.want || tt.want == 1 && out[0].Fields["ip"] != "192.0.2.1" {
				t.Errorf("findings after the reload %v, want %d for 192.0.2.1", out, tt.want)
			}
		})
	}
}
