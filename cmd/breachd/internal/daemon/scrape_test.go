package daemon_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestScrapeSource scrapes a real exposition endpoint; a rule on the
// samples opens an incident for the interface that sent too much.
func TestScrapeSource(t *testing.T) {
	reg := prometheus.NewRegistry()
	sent := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "node_network_transmit_bytes_total", Help: "h"}, []string{"device"})
	reg.MustRegister(sent)
	sent.WithLabelValues("eth0").Add(5e9)
	sent.WithLabelValues("lo").Add(1e3)
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	h := start(t, fmt.Sprintf(`
source "scrape" "node" {
  targets  = [%q]
  interval = "1s"
  metrics  = ["node_network_transmit_bytes_total"]
  labels   = ["device"]
}
rule "exfiltration" {
  source = "node"
  match  = "^node_network_transmit_bytes_total\\{"
  where  = "float(value) > 1e9 && device != 'lo'"
  incident {
    title = "${device} sent ${value} bytes (${target})"
  }
}
`, srv.URL))
	h.waitFor("a scrape", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="node"}`] >= 3 // up and two series
	})
	var list httpapi.IncidentList
	h.get("/api/v1/incidents", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].Title != fmt.Sprintf("eth0 sent 5e+09 bytes (%s)", srv.URL) {
		t.Errorf("incidents = %+v", list.Incidents)
	}
	if m := h.metrics(); m[fmt.Sprintf(`breachd_scrape_up{source="node",target=%q}`, srv.URL)] != 1 {
		t.Errorf("scrape_up missing or 0: %v", m)
	}
}
