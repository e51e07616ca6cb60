package configs

import (
	"fmt"
	"testing"
	"time"
)

func TestHTTPLimits(t *testing.T) {
	cfg, diags := Parse("t.hcl", []byte(`server {}`), "/")
	if diags.HasErrors() || cfg.Server.HTTP != DefaultHTTPLimits() {
		t.Fatalf("defaults: %v %+v", diags, cfg.Server.HTTP)
	}
	cfg, diags = Parse("t.hcl", []byte(`server {
  read_header_timeout = "2s"
  read_timeout        = "3s"
  write_timeout       = "4s"
  idle_timeout        = "5s"
  max_connections     = 6
}`), "/")
	want := HTTPLimits{ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 3 * time.Second, WriteTimeout: 4 * time.Second, IdleTimeout: 5 * time.Second, MaxConnections: 6}
	if diags.HasErrors() || cfg.Server.HTTP != want {
		t.Fatalf("set: %v %+v", diags, cfg.Server.HTTP)
	}
	// A short read_timeout bounds the headers too.
	cfg, _ = Parse("t.hcl", []byte(`server { read_timeout = "1s" }`), "/")
	if cfg.Server.HTTP.ReadHeaderTimeout != time.Second {
		t.Errorf("read_header_timeout = %v under read_timeout 1s", cfg.Server.HTTP.ReadHeaderTimeout)
	}
	for _, tt := range []struct{ src, summary, at string }{
		{`server { idle_timeout = "forever" }`, "Invalid idle_timeout duration", "t.hcl:1:25"},
		{`server { write_timeout = "-1s" }`, "Invalid write_timeout duration", "t.hcl:1:26"},
		{`server { max_connections = 0 }`, "Invalid max_connections", "t.hcl:1:28"},
		{`server { max_connections = 100000 }`, "Invalid max_connections", "t.hcl:1:28"},
		{`server { read_header_timeout = "1m" }`, "read_header_timeout longer than read_timeout", "t.hcl:1:32"},
	} {
		_, diags := Parse("t.hcl", []byte(tt.src), "/")
		if len(diags) != 1 || diags[0].Summary != tt.summary || fmt.Sprintf("%s:%d:%d", diags[0].Subject.Filename, diags[0].Subject.Start.Line, diags[0].Subject.Start.Column) != tt.at {
			t.Errorf("%s: %v, want %q at %s", tt.src, diags, tt.summary, tt.at)
		}
	}
}
