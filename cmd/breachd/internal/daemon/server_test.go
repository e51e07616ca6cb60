package daemon_test

import (
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
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
