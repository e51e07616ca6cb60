package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAdoptKeepsStateOfUnchangedRules: four failures before a reload and
// one after fire a 5-failure threshold whose detection did not change (its
// title did), and a sequence half-way through finishes; a rule whose count
// changed starts afresh.
func TestAdoptKeepsStateOfUnchangedRules(t *testing.T) {
	withCount := func(title string, count int) string {
		return sshRules + sequenceRules[strings.Index(sequenceRules, `rule "`):] + fmt.Sprintf(`
rule "ssh-changed" {
  source = "auth"
  match  = "Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port"
  threshold {
    count    = %d
    within   = "1m"
    group_by = ["ip"]
  }
  incident {
    title = "%s"
  }
}
`, count, title)
	}
	vpnSource := func(src string) string {
		return strings.Replace(src, `source "file" "auth"`, "source \"file\" \"vpn\" {\n  paths = [\"/var/log/vpn.log\"]\n}\nsource \"file\" \"auth\"", 1)
	}
	before := compile(t, vpnSource(withCount("t", 5)), Options{})
	// The ssh rule's title changes, ssh-changed's count changes.
	after := compile(t, vpnSource(strings.Replace(withCount("t", 6), "SSH brute force from", "Brute force from", 1)), Options{})
	fail := Event{Source: "auth", Line: []byte("Failed password for root from 203.0.113.7 port 22 ssh2")}
	ok := Event{Source: "auth", Line: []byte("Accepted password for alice from 203.0.113.7 port 22 ssh2")}
	vpn := Event{Source: "vpn", Line: []byte("vpn login user=al ip=203.0.113.7")}
	at := func(ev Event, s int) Event { ev.Time = t0.Add(time.Duration(s) * time.Second); return ev }
	for i := range 4 {
		if out := before.Evaluate(at(fail, i), nil); len(out) > 0 {
			t.Fatalf("fired before the reload: %v", out)
		}
	}
	before.Evaluate(at(ok, 4), nil)

	kept := after.Adopt(before)
	slices.Sort(kept)
	if fmt.Sprint(kept) != "[compromised ssh]" {
		t.Errorf("kept the state of %v, want compromised and ssh", kept)
	}
	var fired []string
	for _, ev := range []Event{at(fail, 5), at(vpn, 6)} {
		for _, f := range after.Evaluate(ev, nil) {
			fired = append(fired, f.Rule+": "+f.Title)
		}
	}
	want := "[ssh: Brute force from 203.0.113.7 (root) compromised: alice compromised from 203.0.113.7, then VPN as al]"
	if fmt.Sprint(fired) != want {
		t.Errorf("after the reload fired %v, want %v", fired, want)
	}
	for _, st := range after.Stats() {
		if st.Rule == "ssh" && st.Matches != 5 {
			t.Errorf("ssh counts %d matches across the reload, want 5", st.Matches)
		}
	}
}
