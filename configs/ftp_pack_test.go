package configs

import (
	"slices"
	"strings"
	"testing"
)

// TestFTPRulesShareTheirMessages: the ftp pack reads ProFTPD's and vsftpd's
// messages twice, from the server's own log and through syslog, with
// copied expressions; a message added to one and not the other would make
// them disagree silently.
func TestFTPRulesShareTheirMessages(t *testing.T) {
	cfg, diags := LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rule := func(name string) *Rule {
		for _, r := range cfg.Rules {
			if r.Name == name {
				return r
			}
		}
		t.Fatalf("the ftp pack lacks %s", name)
		return nil
	}
	file, sys := rule("vsftpd-auth-failures"), rule("vsftpd-syslog-auth-failures")
	if !slices.Equal(file.Matches, sys.Matches) {
		t.Errorf("vsftpd's rules differ:\n%q\n%q", file.Matches, sys.Matches)
	}
	// ProFTPD's file lines have a prefix of their own; the messages, from
	// "USER " on, are the same.
	file, sys = rule("proftpd-auth-failures"), rule("proftpd-syslog-auth-failures")
	messages := func(r *Rule) []string {
		var out []string
		for _, m := range r.Matches {
			i := strings.Index(m, "(?:USER ")
			if i < 0 {
				t.Fatalf("%s: %q has no USER message", r.Name, m)
			}
			out = append(out, m[i:])
		}
		return out
	}
	if a, b := messages(file), messages(sys); len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("ProFTPD's rules read different messages:\n%q\n%q", a, b)
	}
}
