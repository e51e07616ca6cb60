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
// went from 5 to 6 keeps its window too (TestAdoptRetunesWindows).
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
	if fmt.Sprint(kept) != "[compromised ssh ssh-changed]" {
		t.Errorf("kept the state of %v, want compromised, ssh and ssh-changed", kept)
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

// TestAdoptRetunesWindows: a reload that changes a threshold's count or
// within keeps the events its window holds. Lowered from 5 to 3 after two
// failures, the third fires; raised from 3 to 4 after two, the fourth
// does, not the third; narrowed to 10s, failures older than that no
// longer count.
func TestAdoptRetunesWindows(t *testing.T) {
	rule := func(count int, within string) string {
		return fmt.Sprintf(`
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
  threshold {
    count    = %d
    within   = %q
    group_by = ["ip"]
  }
}
`, count, within)
	}
	fail := func(s int) Event {
		return Event{Source: "auth", Line: []byte("Failed password for root from 203.0.113.7"), Time: t0.Add(time.Duration(s) * time.Second)}
	}
	feed := func(e *Engine, secs ...int) (fired []int) {
		for _, s := range secs {
			if len(e.Evaluate(fail(s), nil)) > 0 {
				fired = append(fired, s)
			}
		}
		return fired
	}
	for _, tc := range []struct {
		name           string
		before, after  string
		fedBefore      []int
		fedAfter       []int
		want           []int
		wantKeysBefore int
	}{
		{"lowered count", rule(5, "1m"), rule(3, "1m"), []int{0, 1}, []int{2}, []int{2}, 1},
		{"raised count", rule(3, "1m"), rule(4, "1m"), []int{0, 1}, []int{2, 3}, []int{3}, 1},
		{"narrowed within", rule(3, "1m"), rule(3, "10s"), []int{0, 1}, []int{20, 21, 22}, []int{22}, 1},
		{"count below the events kept", rule(5, "1m"), rule(2, "1m"), []int{0, 1, 2, 3}, []int{4}, []int{4}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := compile(t, tc.before, Options{})
			if got := feed(before, tc.fedBefore...); len(got) > 0 {
				t.Fatalf("fired before the reload at %v", got)
			}
			after := compile(t, tc.after, Options{})
			if kept := after.Adopt(before); fmt.Sprint(kept) != "[ssh]" {
				t.Fatalf("kept %v, want [ssh]", kept)
			}
			if keys := after.Stats()[0].Keys; keys != tc.wantKeysBefore {
				t.Errorf("window holds %d keys after the reload, want %d", keys, tc.wantKeysBefore)
			}
			if got := feed(after, tc.fedAfter...); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("after the reload fired at %v s, want %v", got, tc.want)
			}
		})
	}
}

// TestStateKeyEncodesEachElement: a rule matching either "Failed password"
// or "for root" and one matching "Failed password for root" detect
// different things, so a reload from one to the other keeps no state: four
// "Failed password for alice" lines counted by the first are not carried
// into the second's window, whose first line then does not fire.
func TestStateKeyEncodesEachElement(t *testing.T) {
	rule := func(match string) string {
		return `
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = ` + match + `
  threshold {
    count  = 5
    within = "1m"
  }
}
`
	}
	before := compile(t, rule(`["Failed password", "for root"]`), Options{})
	after := compile(t, rule(`"Failed password for root"`), Options{})
	if before.rules[0].stateKey == after.rules[0].stateKey {
		t.Fatalf("both rules have the state key %s", before.rules[0].stateKey)
	}
	for i := range 4 {
		ev := Event{Source: "auth", Line: []byte("Failed password for alice from 203.0.113.7 port 22"), Time: t0.Add(time.Duration(i) * time.Second)}
		if out := before.Evaluate(ev, nil); len(out) != 0 {
			t.Fatalf("fired before the reload: %v", out)
		}
	}
	if kept := after.Adopt(before); len(kept) != 0 {
		t.Fatalf("kept the state of %v across a change of match", kept)
	}
	ev := Event{Source: "auth", Line: []byte("Failed password for root from 203.0.113.7 port 22"), Time: t0.Add(4 * time.Second)}
	if out := after.Evaluate(ev, nil); len(out) != 0 {
		t.Fatalf("the new rule fired on its first line: %v", out)
	}
}

// TestAppendKeyPartIsUnambiguous: lists, strings and maps whose printed
// forms agree encode differently.
func TestAppendKeyPartIsUnambiguous(t *testing.T) {
	for _, p := range [][2]any{{[]string{"a b", "c"}, []string{"a", "b c"}}, {[]string{"x"}, "x"}, {map[string]string{"a": "b c:d"}, map[string]string{"a": "b", "c": "d"}}} {
		if string(appendKeyPart(nil, p[0])) == string(appendKeyPart(nil, p[1])) {
			t.Errorf("%#v and %#v encode alike", p[0], p[1])
		}
	}
}
