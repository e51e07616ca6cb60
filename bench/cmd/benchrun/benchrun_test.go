package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/breachd/breachd/bench/authlog"
	"github.com/breachd/breachd/configs"
)

func TestScore(t *testing.T) {
	truth := &authlog.Truth{Banned: []string{"203.0.113.1", "203.0.113.2", "2001:db8::1"}}
	for _, tc := range []struct {
		caught []string
		want   string
	}{
		{[]string{"203.0.113.1", "203.0.113.2", "2001:db8::1"}, "exactly the 3 of the ground truth"},
		{[]string{"203.0.113.1", "198.51.100.9"}, "1 of 3 caught (2 missed), 1 not in the truth"},
		{nil, "0 of 3 caught (3 missed), 0 not in the truth"},
	} {
		caught := map[string]bool{}
		for _, a := range tc.caught {
			caught[a] = true
		}
		if got := score(truth, caught); got != tc.want {
			t.Errorf("score(%v) = %q, want %q", tc.caught, got, tc.want)
		}
	}
}

func TestFindingIPs(t *testing.T) {
	out := []byte(`{"rule":"r","time":"2026-11-20T00:01:22Z","key":{"ip":"46.92.206.147"}}
{"rule":"r","time":"2026-11-20T00:01:59Z","key":{"ip":"2001:db8::7"}}
{"rule":"r","time":"2026-11-20T00:02:00Z","key":{"user":"root"}}
not json
`)
	got := findingIPs(out)
	if len(got) != 2 || !got["46.92.206.147"] || !got["2001:db8::7"] {
		t.Errorf("findingIPs = %v", got)
	}
}

func TestQuantiles(t *testing.T) {
	var l latencies
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(101-i)*time.Millisecond)
	}
	if l.q(0.5) != 50*time.Millisecond || l.q(0.99) != 99*time.Millisecond || l.q(1) != 100*time.Millisecond {
		t.Errorf("median %v, p99 %v, max %v; want 50ms, 99ms, 100ms", l.q(0.5), l.q(0.99), l.q(1))
	}
	r := row{lines: 1000, runs: []measurement{{elapsed: 3 * time.Second, rssKB: 30}, {elapsed: time.Second, rssKB: 10}, {elapsed: 2 * time.Second, rssKB: 20}}}
	if r.median() != 2*time.Second || r.rss() != 20 || r.rate() != 500 {
		t.Errorf("median %v, rss %d, rate %v; want 2s, 20, 500", r.median(), r.rss(), r.rate())
	}
}

// TestLiveConfig: the live run's config (the bench's SSH rule with a
// block) is one breachd accepts, and the rule blocks.
func TestLiveConfig(t *testing.T) {
	dir := t.TempDir()
	cfg, err := liveConfig("../../..", filepath.Join(dir, "auth.log"), filepath.Join(dir, "var"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c, diags := configs.LoadFile(path)
	if diags.HasErrors() {
		t.Fatalf("%s\n%s", diags.Error(), cfg)
	}
	if len(c.Rules) != 1 || fmt.Sprint(c.Rules[0].Actions) != "[block-ip]" || c.ActionByName("block-ip") == nil || c.Sources[0].StartAt != configs.StartAtBeginning {
		t.Errorf("config = rules %v, start_at %v:\n%s", c.Rules[0].Actions, c.Sources[0].StartAt, cfg)
	}
}
