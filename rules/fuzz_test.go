package rules

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/breachd/breachd/configs"
)

// FuzzCompile loads arbitrary HCL through the config loader and the rule
// compiler, as breachd validate does, and runs a line through whatever
// compiled: nothing may panic or hang, and every error has a summary.
// Seeded with the shipped example configs and rule packs.
func FuzzCompile(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../configs/examples/*.hcl", "../configs/rules/*.hcl"} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(sshRules))
	f.Add([]byte(sequenceRules))
	f.Add([]byte(`source "file" "a" { paths = ["/x"] }
rule "r" {
  source = "a"
  match  = ["(?P<u>\\w+)", "x"]
  where  = "luhn(u) || ip_version(u) == 4 || time.Hour() > 3"
  threshold {
    count    = 2
    within   = "1s"
    distinct = "u"
    cooldown = "1s"
  }
}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			cfg, diags := configs.Parse("fuzz.hcl", src, "/")
			if cfg == nil {
				t.Error("nil config")
				return
			}
			e, d := Compile(cfg, Options{MaxKeysPerRule: 10})
			diags = append(diags, d...)
			for _, d := range diags {
				if d.Severity == hcl.DiagError && d.Summary == "" {
					t.Errorf("error without summary: %+v", d)
				}
			}
			for _, s := range cfg.Sources {
				for range 3 {
					e.Evaluate(Event{Source: s.Name, Line: []byte("Failed password for root from 203.0.113.7 port 22 ssh2 4111111111111111"), Time: t0}, nil)
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("load and compile did not return within 5s on %q", src)
		}
	})
}
