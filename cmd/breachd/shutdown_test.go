package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
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

// TestConnectionFloodAtLowFileLimit: breachd run under a 120-file limit,
// with 200 API connections held open (keep-alives that never send another
// request), still has descriptors for its own work: a log line opens an
// incident whose exec action runs. The API keeps at most half the limit.
// Then SIGTERM stops it with exit 0.
func TestConnectionFloodAtLowFileLimit(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit is not installed (Debian package util-linux)")
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	config := filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`
server {
  listen   = %q
  data_dir = "./var"
}
source "file" "auth" {
  paths    = ["./var/auth.log"]
  start_at = "beginning"
}
rule "ssh" {
  source  = "auth"
  match   = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
  actions = ["mark"]
}
action "exec" "mark" {
  argv = ["/usr/bin/touch", "./var/fired"]
}
containment {
  mode = "enforce"
}
`, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd := exec.Command(prlimit, "--nofile=120:120", "--", exe, "run", "--config", config)
	cmd.Env = append(os.Environ(), "BREACHD_TEST_MAIN=1")
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
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s:\n%s", what, stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitUntil("/-/ready", func() bool {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	http.DefaultClient.CloseIdleConnections()
	// Each connection sends one request and keeps quiet; the answered
	// ones are the connections the API took.
	var answered atomic.Int64
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET /-/healthy HTTP/1.1\r\nHost: breachd\r\n\r\n"))
		go func() {
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
				resp.Body.Close()
				answered.Add(1)
			}
		}()
	}
	waitUntil("the API to take 60 connections", func() bool { return answered.Load() >= 60 })
	line := time.Now().Format(time.Stamp) + " web1 sshd[7]: Failed password for root from 203.0.113.9 port 22 ssh2\n"
	if err := os.WriteFile(filepath.Join(dir, "var", "auth.log"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	waitUntil("the exec action to run", func() bool {
		_, err := os.Stat(filepath.Join(dir, "var", "fired"))
		return err == nil
	})
	// The idle connections stay for idle_timeout (1 minute): the API
	// took 60, half the limit, and the rest wait to be accepted.
	if n := answered.Load(); n != 60 || !strings.Contains(stderr.String(), "the API keeps at most half") {
		t.Errorf("the API answered %d of 200 connections, want 60 (half the 120-file limit)", n)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("breachd did not exit within 30s of SIGTERM:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("breachd run exited %d after SIGTERM, want 0:\n%s", code, stderr.String())
	}
}
