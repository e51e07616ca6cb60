package authlog

import (
	"bytes"
	"crypto/sha256"
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
