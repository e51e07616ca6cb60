package daemon_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// nonLoopbackAddr is an address of this host that is not loopback, which
// a request from another host would be sent to.
func nonLoopbackAddr(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsGlobalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this host has no non-loopback IPv4 address")
	return ""
}

// TestReloadRefusesAnonymousOffTheBoundSocket: a daemon bound to the
// wildcard address, reloaded with a loopback listen and anonymous_role,
// refuses the reload (listen only changes at a restart, so the socket in
// use would serve other hosts without a token); a request without a token
// sent to a non-loopback address of the host is still refused.
func TestReloadRefusesAnonymousOffTheBoundSocket(t *testing.T) {
	ip := nonLoopbackAddr(t)
	h := startWith(t, t.TempDir(), reloadConfig(5, ""), daemon.Options{Listen: "0.0.0.0:0"})
	_, port, err := net.SplitHostPort(h.addr)
	if err != nil {
		t.Fatal(err)
	}
	remote := "http://" + net.JoinHostPort(ip, port) + "/api/v1/incidents"
	anonymous := func() int {
		t.Helper()
		resp, err := http.Get(remote)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := anonymous(); code != http.StatusUnauthorized {
		t.Fatalf("before the reload: GET without a token = %d, want 401", code)
	}
	h.rewrite(strings.Replace(reloadConfig(5, ""), `data_dir = "./var"`, `data_dir = "./var"
  listen         = "127.0.0.1:9731"
  anonymous_role = "viewer"`, 1))
	code, body := h.reload(harnessToken)
	if code != http.StatusInternalServerError || !strings.Contains(body, "reload_failed") ||
		!strings.Contains(body, "breachd.hcl:5:20: anonymous_role") || !strings.Contains(body, "bound to [::]:"+port) {
		t.Errorf("reload = %d %s, want 500 reload_failed naming anonymous_role and the bound socket", code, body)
	}
	if code := anonymous(); code != http.StatusUnauthorized {
		t.Errorf("after the refused reload: GET %s without a token = %d, want 401", remote, code)
	}
	m := h.metrics()
	if m[`breachd_config_last_reload_successful{}`] != 0 || m[`breachd_config_reloads_total{result="failure"}`] != 1 || m[`breachd_config_reloads_total{result="success"}`] != 0 {
		t.Errorf("reload metrics: successful %v, failures %v, successes %v; want 0, 1, 0", m[`breachd_config_last_reload_successful{}`],
			m[`breachd_config_reloads_total{result="failure"}`], m[`breachd_config_reloads_total{result="success"}`])
	}
}

// TestStartRefusesAnonymousOffTheBoundSocket: the -listen override (here
// the wildcard) is the socket in use, so a config with anonymous_role and a
// loopback listen does not start on it.
func TestStartRefusesAnonymousOffTheBoundSocket(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/breachd.hcl"
	config := strings.Replace(reloadConfig(5, ""), `data_dir = "./var"`, `data_dir = "./var"
  anonymous_role = "viewer"`, 1)
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := daemon.New(t.Context(), daemon.Options{ConfigFile: path, Listen: "0.0.0.0:0", Now: time.Now})
	if err == nil || !strings.Contains(err.Error(), "breachd.hcl:4:20: anonymous_role") {
		t.Errorf("daemon.New = %v, want the refusal of anonymous_role at breachd.hcl:4:20", err)
	}
}

// TestReloadRefusesDeepNesting: POST /-/reload with a config nested 60,000
// deep (which would overflow the parser's stack, a fatal error) is refused
// with the place it passes the bound; the daemon keeps running its config
// and detecting.
func TestReloadRefusesDeepNesting(t *testing.T) {
	h := start(t, reloadConfig(2, ""))
	const depth = 60000
	h.rewrite(reloadConfig(2, "locals_x = "+strings.Repeat("[", depth)+strings.Repeat("]", depth)+"\n"))
	code, body := h.reload(harnessToken)
	if code != http.StatusInternalServerError || !strings.Contains(body, "breachd.hcl:17:140: error: Nesting too deep") {
		t.Errorf("reload = %d %.600s, want 500 with the place the nesting passes the bound", code, body)
	}
	h.appendLines(failuresNow("198.51.100.4", 2)...)
	h.waitFor("the running config's incident", func() bool { return h.incidentsFor("198.51.100.4") == 1 })
	m := h.metrics()
	if m[`breachd_config_last_reload_successful{}`] != 0 || m[`breachd_config_reloads_total{result="failure"}`] != 1 {
		t.Errorf("reload metrics: successful %v, failures %v; want 0, 1", m[`breachd_config_last_reload_successful{}`], m[`breachd_config_reloads_total{result="failure"}`])
	}
}

// slowClients opens n connections of each kind a client can hold a server
// with: headers never finished (slowloris), a body that stalls after its
// headers (no token, so the answer is 401 before the body arrives), and an
// idle keep-alive after one request. It returns them all.
func slowClients(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var conns []net.Conn
	dial := func(send string) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := c.Write([]byte(send)); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		return c
	}
	for range n {
		dial("GET /api/v1/incidents HTTP/1.1\r\nHost: breachd\r\nX-Slow: ")
		dial("POST /api/v1/incidents HTTP/1.1\r\nHost: breachd\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"title\": ")
		c := dial("GET /-/healthy HTTP/1.1\r\nHost: breachd\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("keep-alive request: %v", err)
		}
		resp.Body.Close()
	}
	return conns
}

// closedByServer waits for the server to close every connection (each
// read ends in EOF or a reset, never in the test's own deadline) and
// returns how many it closed.
func closedByServer(conns []net.Conn, within time.Duration) int {
	var closed atomic.Int64
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(within))
			_, err := io.Copy(io.Discard, c)
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				closed.Add(1)
			}
		})
	}
	wg.Wait()
	return int(closed.Load())
}

// TestStalledConnectionsAreClosed: 150 connections held open without a
// request (unfinished headers, a stalled body, idle keep-alives) are all
// closed by the server within its configured timeouts; the API answers
// throughout, and the daemon stops cleanly.
func TestStalledConnectionsAreClosed(t *testing.T) {
	h := start(t, `
server {
  read_header_timeout = "300ms"
  read_timeout        = "500ms"
  write_timeout       = "5s"
  idle_timeout        = "400ms"
  max_connections     = 200
}
`)
	conns := slowClients(t, h.addr, 50)
	// The API answers while they are held (a fresh connection each time).
	for range 3 {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
	}
	if n := closedByServer(conns, 15*time.Second); n != 150 {
		t.Errorf("the server closed %d of 150 stalled connections within 15s, want 150", n)
	}
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	h.shutdown() // fails the test unless Run returns nil
}

// TestConnectionCap: connections past max_connections wait in the
// kernel's accept queue, unanswered, until one of the held ones closes.
func TestConnectionCap(t *testing.T) {
	h := start(t, `
server {
  idle_timeout    = "1h"
  max_connections = 4
}
`)
	// The harness's own keep-alive connections go; four are held, each
	// answered once, so each holds a slot.
	http.DefaultClient.CloseIdleConnections()
	held := make([]net.Conn, 0, 4)
	for range 4 {
		c, err := net.Dial("tcp", h.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET /-/healthy HTTP/1.1\r\nHost: breachd\r\n\r\n"))
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("held connection %d: %v", len(held), err)
		}
		resp.Body.Close()
		held = append(held, c)
	}
	// The server accepts a connection once it has a free slot; a request
	// sent on a fifth one is answered only after a held one closes.
	fifth, err := net.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer fifth.Close()
	fifth.Write([]byte("GET /-/healthy HTTP/1.1\r\nHost: breachd\r\n\r\n"))
	fifth.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := fifth.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("the fifth connection was answered with 4 held (max_connections = 4): %d bytes, %v", n, err)
	}
	held[0].Close()
	fifth.SetReadDeadline(time.Now().Add(15 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(fifth), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the fifth connection after a slot freed: %v", err)
	}
	resp.Body.Close()
}
