package rules

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/configs"
)

// BenchmarkScaling evaluates an sshd line that no rule matches and one that
// one rule matches, with 10, 100 and 1000 rules on the source, each with
// its own literal: thanks to the literal scan the cost should stay nearly
// flat.
func BenchmarkScaling(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		var src bytes.Buffer
		src.WriteString("source \"file\" \"auth\" {\n  paths = [\"/x\"]\n}\n")
		for i := range n {
			fmt.Fprintf(&src, "rule \"r%d\" {\n  source = \"auth\"\n  match  = \"^app%d: denied access to (?P<path>\\\\S+) from (?P<ip>\\\\S+)$\"\n  threshold {\n    count    = 5\n    within   = \"1m\"\n    group_by = [\"ip\"]\n  }\n}\n", i, i)
		}
		e := compile(b, src.String(), Options{})
		miss := Event{Source: "auth", Line: []byte("pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"), Time: t0}
		hit := Event{Source: "auth", Line: []byte(fmt.Sprintf("app%d: denied access to /admin from 203.0.113.7", n/2)), Time: t0}
		b.Run(fmt.Sprintf("rules=%d/no-match", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Evaluate(miss, nil)
			}
		})
		b.Run(fmt.Sprintf("rules=%d/one-match", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Evaluate(hit, nil)
			}
		})
	}
}

// TestFilterChangesNothing: the shipped packs give the same findings with
// the literal scan as with every rule checked on every line.
func TestFilterChangesNothing(t *testing.T) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	// Every subset of rules goes through the literal scan, however small.
	filtered, _ := Compile(cfg, Options{minFilteredRules: 1})
	plain, _ := Compile(cfg, Options{})
	for _, sr := range plain.bySource {
		// Every rule of the source, for every line.
		all := make([]int32, len(sr.rules))
		for i := range all {
			all[i] = int32(i)
		}
		sr.filter, sr.field, sr.byValue = &sourceFilter{subset: all}, -1, nil
	}
	auth := filtered.bySource["auth"]
	if auth.field < 0 || auth.byValue.lookup([]byte("sshd")) == nil || auth.byValue.lookup([]byte("sshd")).pre == nil || auth.byValue.lookup([]byte("sudo")).scan == nil {
		t.Fatal("the auth source is not dispatched by program and filtered; the test checks nothing")
	}
	lines := []string{
		"Failed password for root from 203.0.113.7 port 22 ssh2",
		"Invalid user admin from 203.0.113.7 port 4242",
		"  alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash",
		"FAILED SU (to root) bob on pts/3",
		"new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=none",
		"add 'x' to group 'sudo'",
		"pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
		"Accepted password for deploy from 203.0.113.7 port 22 ssh2",
		"Connection closed by 203.0.113.7 port 4242 [preauth]",
		"pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice",
		"Failed password for root from 203.0.113.8 port 22 ssh2",
		"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
	}
	progs := []string{"sshd", "sshd", "sudo", "su", "useradd", "usermod", "CRON", "sshd", "sshd", "sudo", "sshd-session", "sshd"}
	total := 0
	for round := range 6 {
		for i, l := range lines {
			ev := Event{Source: "auth", Line: []byte(l), Message: []byte(l), Fields: [][]byte{[]byte("web1"), []byte(progs[i]), []byte("1")},
				Time: t0.Add(time.Duration(round*len(lines)+i) * time.Second)}
			a, b := filtered.Evaluate(ev, nil), plain.Evaluate(ev, nil)
			var an, bn []string
			for _, f := range a {
				an = append(an, f.Rule+"/"+f.GroupKey)
			}
			for _, f := range b {
				bn = append(bn, f.Rule+"/"+f.GroupKey)
			}
			if fmt.Sprint(an) != fmt.Sprint(bn) {
				t.Errorf("%q: filtered %v, plain %v", l, an, bn)
			}
			total += len(a)
		}
	}
	if total < 10 {
		t.Errorf("only %d findings: the lines exercise too little", total)
	}
}

// BenchmarkPackLines evaluates typical auth log lines against every
// shipped pack, one kind of line per sub-benchmark, each from a new
// address (the window, spraying and sequence state of all rules grow).
func BenchmarkPackLines(b *testing.B) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for _, c := range []struct{ name, prog, line string }{
		{"cron", "CRON", "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"},
		{"session", "sshd", "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)"},
		{"logind", "systemd-logind", "New session 1234 of user alice."},
		{"accepted", "sshd", "Accepted publickey for erin from %s port 39252 ssh2: ED25519 SHA256:xQ/zmebEtjhOS3mOsep3d2Dwo9UFH3yygWRA804+4HU"},
		{"disconnect", "sshd", "Received disconnect from %s port 4242:11: disconnected by user"},
		{"failed", "sshd", "Failed password for invalid user admin from %s port 4242 ssh2"},
		{"invalid", "sshd", "Invalid user admin from %s port 4242"},
		// mail.hcl, on the mail source: a line no rule takes, and failures.
		{"mail-connect", "postfix/smtpd", "connect from unknown[%s]"},
		{"mail-dovecot-failed", "dovecot", "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=%s, lip=192.0.2.25, TLS, session=<Lk3jZ9cY2tXAqGQ5>"},
		{"mail-dovecot-passdb", "dovecot", "auth-worker(304): pam(alice,%s): pam_authenticate() failed: Authentication failure (password mismatch?)"},
		{"mail-sasl-failed", "postfix/smtpd", "warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"},
		{"mail-reject", "postfix/smtpd", "NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <x@example.org>: Relay access denied; from=<a@example.com> to=<x@example.org> proto=ESMTP helo=<example.com>"},
	} {
		b.Run(c.name, func(b *testing.B) {
			e, _ := Compile(cfg, Options{})
			src := "auth"
			if strings.HasPrefix(c.name, "mail-") {
				src = "mail"
			}
			fields := [][]byte{[]byte("bastion"), []byte(c.prog), []byte("1000")}
			var lines [][]byte
			for i := range 4096 {
				l := c.line
				if strings.Contains(l, "%s") {
					l = fmt.Sprintf(l, fmt.Sprintf("198.%d.%d.%d", i>>16, (i>>8)&255, i&255))
				}
				lines = append(lines, []byte(l))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				l := lines[i%len(lines)]
				e.Evaluate(Event{Source: src, Line: l, Message: l, Fields: fields, Time: t0.Add(time.Duration(i) * time.Millisecond)}, nil)
				i++
			}
		})
	}
}

func TestWhereGuard(t *testing.T) {
	src := []string{"host", "program", "pid"}
	for where, want := range map[string]string{
		"program in ['sshd', 'sshd-session'] && is_ip(ip)": "1 [sshd sshd-session]",
		`is_ip(ip) and "su" == program`:                    "1 [su]",
		"host == 'web1' && program == 'sudo'":              "0 [web1]",
		"program == 'a' || is_ip(ip)":                      "none",
		"not (program == 'a')":                             "none",
		"program != 'a'":                                   "none",
		"user == 'root'":                                   "none", // a capture, not a source field
		"program in ['a', user]":                           "none",
		"program matches '^postfix/'":                      "none",
	} {
		got := "none"
		if g := whereGuard(where, src); g != nil {
			got = fmt.Sprint(g.field, " ", g.values)
		}
		if got != want {
			t.Errorf("whereGuard(%q) = %s, want %s", where, got, want)
		}
	}
}

// TestCrowdedPrefixes: when more rules than maxSharedPrefix share the
// dispatch prefix ("Accepted"), a line selects only the rule whose whole
// prefix it has, found by the literal scan, and the findings are those of
// checking every rule.
func TestCrowdedPrefixes(t *testing.T) {
	src := "source \"file\" \"auth\" {\n  paths = [\"/var/log/auth.log\"]\n}\n"
	for i := range 20 {
		src += fmt.Sprintf("rule \"svc%02d\" {\n  source = \"auth\"\n  match  = \"^Accepted publickey for svc%02d from (?P<ip>\\\\S+) port\"\n}\n", i, i)
	}
	src += "rule \"password\" {\n  source = \"auth\"\n  match  = \"^Accepted password for (?P<user>\\\\S+) from\"\n}\n"
	e := compile(t, src, Options{})
	sr := e.bySource["auth"]
	if sr.filter.scan == nil {
		t.Fatal("the crowded prefixes did not go to the literal scan")
	}
	for _, tc := range []struct {
		line string
		want string
	}{
		{"Accepted publickey for svc07 from 203.0.113.7 port 22 ssh2", "[svc07]"},
		{"Accepted publickey for svc19 from 203.0.113.7 port 22 ssh2", "[svc19]"},
		{"Accepted password for alice from 203.0.113.7 port 22 ssh2", "[password]"},
		{"Accepted publickey for alice from 203.0.113.7 port 22 ssh2", "[]"},
		{"x Accepted publickey for svc07 from 203.0.113.7 port 22", "[]"},
	} {
		e.gen++
		var cand []string
		for _, i := range sr.filter.candidates([]byte(tc.line), e.gen) {
			cand = append(cand, sr.rules[i].spec.Name)
		}
		var fired []string
		for _, f := range e.Evaluate(Event{Source: "auth", Line: []byte(tc.line), Time: t0}, nil) {
			fired = append(fired, f.Rule)
		}
		if tc.want != "[]" && fmt.Sprint(cand) != tc.want {
			t.Errorf("%q: candidates %v, want %s", tc.line, cand, tc.want)
		}
		if got := fmt.Sprint(fired); got != tc.want && !(tc.want == "[]" && fired == nil) {
			t.Errorf("%q: fired %v, want %s", tc.line, fired, tc.want)
		}
	}
}
