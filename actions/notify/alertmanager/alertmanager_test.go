package alertmanager

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
)

// startAlertmanager runs the real prometheus-alertmanager (Debian's
// package) on a free loopback port.
func startAlertmanager(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus-alertmanager")
	if err != nil {
		t.Skip("needs prometheus-alertmanager (Debian's package of that name)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "am.yml")
	if err := os.WriteFile(conf, []byte("route:\n  receiver: none\nreceivers:\n  - name: none\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config.file="+conf, "--storage.path="+dir, "--web.listen-address="+addr, "--cluster.listen-address=")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("alertmanager did not become ready")
		}
		time.Sleep(20 * time.Millisecond) // polling its readiness
	}
}

type gettable struct {
	Labels map[string]string `json:"labels"`
	EndsAt time.Time         `json:"endsAt"`
	Status struct {
		State string `json:"state"`
	} `json:"status"`
}

func alerts(t *testing.T, base string) []gettable {
	t.Helper()
	resp, err := http.Get(base + "/api/v2/alerts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []gettable
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRealAlertmanager posts an incident's alert to the real Alertmanager,
// reads it back from its API, then resolves it.
func TestRealAlertmanager(t *testing.T) {
	base := startAlertmanager(t)
	ch := New(&configs.Channel{URL: base, Timeout: 5 * time.Second})
	now := time.Now().UTC()
	inc := incidents.Incident{ID: 42, Title: "SSH brute force from 203.0.113.7", Rule: "ssh-brute-force", Severity: "high",
		Category: "unauthorized-access", Fingerprint: "ssh-brute-force/ip=203.0.113.7", DetectedAt: now.Add(-time.Minute), Status: incidents.StatusOpen}
	if _, err := ch.Send(context.Background(), notify.Message{Key: "k1", Event: "incident.opened", SentAt: now, Incident: inc}); err != nil {
		t.Fatal(err)
	}
	got := alerts(t, base)
	if len(got) != 1 || got[0].Labels["incident"] != "42" || got[0].Labels["alertname"] != "BreachdIncident" || got[0].Status.State != "active" {
		t.Fatalf("alerts = %+v", got)
	}
	for k, v := range got[0].Labels {
		if v == "203.0.113.7" || k == "ip" {
			t.Errorf("label %s=%s comes from a log", k, v)
		}
	}
	inc.Status = incidents.StatusClosed
	if _, err := ch.Send(context.Background(), notify.Message{Key: "k2", Event: "incident.resolved", SentAt: time.Now().UTC(), Incident: inc}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		active := 0
		for _, a := range alerts(t, base) {
			if a.Status.State == "active" && a.EndsAt.After(time.Now()) {
				active++
			}
		}
		if active == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the alert is still active after the resolve: %+v", alerts(t, base))
		}
		time.Sleep(20 * time.Millisecond) // polling its API
	}
}
