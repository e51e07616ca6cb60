package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestChangesImportRoundTrip: the changes an engine reports, imported into
// a fresh compilation of the same rules, give the same findings on the
// events that follow as the first engine gives: windows, distinct counts
// (hashed with the seed stored along) and sequence attempts. Keys that
// expired are reported deleted.
func TestChangesImportRoundTrip(t *testing.T) {
	src := sshRules + sequenceRules[strings.Index(sequenceRules, `source "file" "vpn"`):] + `
rule "spray" {
  source = "auth"
  match  = "Invalid user (?P<user>\\S+) from (?P<ip>\\S+) port"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
    distinct = "user"
  }
}
`
	a := compile(t, src, Options{})
	a.TrackChanges()
	at := func(line string, s int) Event {
		src := "auth"
		if strings.HasPrefix(line, "vpn") {
			src = "vpn"
		}
		return Event{Source: src, Line: []byte(line), Time: t0.Add(time.Duration(s) * time.Second)}
	}
	before := []Event{
		at("Failed password for root from 192.0.2.1 port 22 ssh2", -40), // expires at 21s
		at("Invalid user alice from 198.51.100.4 port 1", 1),
		at("Invalid user bob from 198.51.100.4 port 2", 2),
	}
	for i := range 4 {
		before = append(before, at("Failed password for root from 203.0.113.7 port 22 ssh2", 3+i))
	}
	var states []KeyState
	for _, ev := range before {
		if out := a.Evaluate(ev, nil); len(out) != 0 {
			t.Fatalf("fired before the restart: %v", out)
		}
	}
	states = a.Changes("auth", states)
	if again := a.Changes("auth", nil); len(again) != 0 {
		t.Fatalf("changes reported twice: %v", again)
	}
	b := compile(t, src, Options{})
	b.TrackChanges()
	if n, err := b.Import(states); err != nil || n != len(states) {
		t.Fatalf("imported %d of %d: %v", n, len(states), err)
	}
	after := []Event{
		at("Invalid user bob from 198.51.100.4 port 3", 30),
		at("Failed password for root from 192.0.2.1 port 22 ssh2", 30),
		at("Failed password for root from 203.0.113.7 port 22 ssh2", 30),
		at("Invalid user carol from 198.51.100.4 port 4", 30),
		at("Accepted password for alice from 203.0.113.7 port 22 ssh2", 31),
		at("vpn login user=al ip=203.0.113.7", 32),
	}
	for _, e := range []*Engine{a, b} {
		var fired []string
		for _, ev := range after {
			for _, f := range e.Evaluate(ev, nil) {
				fired = append(fired, f.Rule+" "+f.GroupKey)
			}
		}
		if got := fmt.Sprint(fired); got != "[ssh ip=203.0.113.7 spray ip=198.51.100.4 compromised ip=203.0.113.7]" {
			t.Errorf("findings %s", got)
		}
	}
	// The completed sequence's attempt is reported deleted, by both
	// sources whose events changed it (the state as it is at the call);
	// 192.0.2.1's window expired and was made anew: its last change is an
	// addition.
	var deleted []string
	for _, st := range b.Changes("vpn", b.Changes("auth", nil)) {
		if st.State == nil {
			deleted = append(deleted, st.Key)
		}
	}
	if fmt.Sprint(deleted) != "[ip=203.0.113.7 ip=203.0.113.7]" {
		t.Errorf("deleted keys %v, want the completed sequence's ip=203.0.113.7 from auth and vpn", deleted)
	}
}

// TestImportKeepsTheKeyCap: a rule capped at 10 keys sprayed with 25
// addresses reports 25 keys added and 15 deleted (evicted); imported,
// the 10 newest are there, in the same order (the next eviction drops the
// oldest of them).
func TestImportKeepsTheKeyCap(t *testing.T) {
	a := compile(t, sshRules, Options{MaxKeysPerRule: 10})
	a.TrackChanges()
	for i := range 25 {
		a.Evaluate(Event{Source: "auth", Line: failure(fmt.Sprintf("198.51.100.%d", i)), Time: t0}, nil)
	}
	states := a.Changes("auth", nil)
	live := map[string]KeyState{}
	for _, st := range states {
		if st.State == nil {
			delete(live, st.Key)
		} else {
			live[st.Key] = st
		}
	}
	if len(live) != 10 {
		t.Fatalf("%d keys live after the changes, want 10", len(live))
	}
	var stored []KeyState
	for _, st := range states {
		if live[st.Key].Used == st.Used && st.State != nil {
			stored = append(stored, st)
		}
	}
	b := compile(t, sshRules, Options{MaxKeysPerRule: 10})
	if n, err := b.Import(stored); n != 10 || err != nil {
		t.Fatalf("imported %d: %v", n, err)
	}
	if k := b.Stats()[0].Keys; k != 10 {
		t.Fatalf("%d keys after import, want 10", k)
	}
	b.Evaluate(Event{Source: "auth", Line: failure("203.0.113.9"), Time: t0}, nil)
	if b.rules[0].windows.keys.get("ip=198.51.100.15") != nil || b.rules[0].windows.keys.get("ip=198.51.100.16") == nil {
		t.Error("the next key did not evict the oldest imported one (198.51.100.15)")
	}
}

// TestImportSkipsMalformedState: a state that does not decode is skipped
// and counted, the others are imported.
func TestImportSkipsMalformedState(t *testing.T) {
	a := compile(t, sshRules, Options{})
	a.TrackChanges()
	a.Evaluate(Event{Source: "auth", Line: failure("198.51.100.1"), Time: t0}, nil)
	states := a.Changes("auth", nil)
	rule := states[0].Rule
	states = append(states, KeyState{Rule: rule, Key: "ip=x", Used: 9, State: []byte{stateWindow, 0x80}},
		KeyState{Rule: rule, Key: "ip=y", Used: 10, State: []byte{stateAttempt, 0}})
	b := compile(t, sshRules, Options{})
	n, err := b.Import(states)
	if n != 1 || err == nil || !strings.Contains(err.Error(), "2 stored rule states") {
		t.Errorf("imported %d, err %v; want 1 and 2 skipped", n, err)
	}
}
