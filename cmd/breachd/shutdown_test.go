package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMWithConnectionsOpen: breachd run, stopped by SIGTERM while
// clients hold connections open (unfinished headers, a stalled body, idle
// keep-alives, under the default timeouts), closes them after its bounded
// wait and exits 0.
func TestSIGTERMWithConnectionsOpen(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	config := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`
server {
  listen   = %q
  data_dir = "./var"
}
source "file" "auth" {
  paths = ["./var/auth.log"]
}
rule "ssh" {
  source = "auth"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
}
`, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := breachd(t, "run", "--config", config)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("breachd did not become ready: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := range 30 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		switch i % 3 {
		case 0:
			c.Write([]byte("GET /api/v1/incidents HTTP/1.1\r\nHost: breachd\r\nX-Slow: "))
		case 1:
			c.Write([]byte("POST /api/v1/incidents HTTP/1.1\r\nHost: breachd\r\nContent-Length: 100000\r\n\r\n{"))
		case 2:
			c.Write([]byte("GET /-/healthy HTTP/1.1\r\nHost: breachd\r\n\r\n"))
		}
	}
	// The last request is answered, so every connection before it is
	// accepted and held.
	resp, err := http.Get("http://" + addr + "/-/healthy")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("breachd did not exit within 30s of SIGTERM:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 || strings.Contains(stderr.String(), "breachd failed") {
		t.Errorf("breachd run exited %d after SIGTERM, want 0:\n%s", code, stderr.String())
	}
}
