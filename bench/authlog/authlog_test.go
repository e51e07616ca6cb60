package authlog

import (
	"bytes"
	"crypto/sha256"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestDeterministicAndConsistent(t *testing.T) {
	gen := func(seed uint64) ([]byte, *Truth) {
		var b bytes.Buffer
		tr, err := Generate(&b, Options{Lines: 20_000, Seed: seed, Duration: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), tr
	}
	a, ta := gen(7)
	b, _ := gen(7)
	c, _ := gen(8)
	if sha256.Sum256(a) != sha256.Sum256(b) {
		t.Error("the same seed gave different logs")
	}
	if bytes.Equal(a, c) {
		t.Error("another seed gave the same log")
	}
	lines := strings.Split(strings.TrimSuffix(string(a), "\n"), "\n")
	if len(lines) != 20_000 || ta.Lines != 20_000 {
		t.Fatalf("%d lines, truth says %d", len(lines), ta.Lines)
	}
	prev := ""
	failures := 0
	for _, l := range lines {
		if stamp := l[:15]; stamp < prev {
			t.Fatalf("time goes back at %q", l)
		} else {
			prev = stamp
		}
		if _, ok := failureAddr(l[strings.Index(l, "bastion ")+len("bastion "):]); ok {
			failures++
		}
	}
	if failures != ta.Failures || failures < 1500 || failures > 2500 {
		t.Errorf("%d failure lines, truth says %d (about 10%% wanted)", failures, ta.Failures)
	}
	for _, ip := range ta.Banned {
		if c := ta.Category[ip]; c != Brute && c != Threshold5 {
			t.Errorf("%s of category %s is to be caught", ip, c)
		}
	}
	if ta.PerCategory[Brute].Banned == 0 || ta.PerCategory[NearMiss4].Addresses == 0 || ta.PerCategory[Botnet].Addresses == 0 || ta.IPv6 == 0 {
		t.Errorf("a category is missing: %+v, %d IPv6", ta.PerCategory, ta.IPv6)
	}
}

// TestSpray: every line of a spray is a failure from an address no other
// line has, and the times stay within the span.
func TestSpray(t *testing.T) {
	var buf strings.Builder
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := Spray(&buf, 70000, start, 5*time.Minute, "bastion"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 70000 {
		t.Fatalf("%d lines, want 70000", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		ip := f[len(f)-4]
		if _, err := netip.ParseAddr(ip); err != nil || seen[ip] || !strings.Contains(l, "sshd[") {
			t.Fatalf("line %q: address %q repeated or invalid", l, ip)
		}
		seen[ip] = true
	}
	if first, last := lines[0][:15], lines[len(lines)-1][:15]; first != "Nov 20 10:00:00" || last != "Nov 20 10:04:59" {
		t.Errorf("spans %s to %s, want 10:00:00 to 10:04:59", first, last)
	}
}
