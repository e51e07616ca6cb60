package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// BenchmarkPages times the console's pages, server side, with 10,000
// incidents in a real SQLite store behind the real API (the queue shows
// the 200 active ones with the nearest deadlines). Verifying the chains
// walks every entry: it is asked for, not part of the register page.
//
//	go test ./cmd/breachd/internal/console -run '^$' -bench Pages
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	const n = 10000
	batch := make([]incidents.NewIncident, 0, 500)
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Second)
		batch = append(batch, incidents.NewIncident{Incident: incidents.Incident{
			Fingerprint: fmt.Sprintf("ssh/ip=%d", i), Rule: "ssh", GroupKey: "ip", Title: fmt.Sprintf("SSH brute force from 192.0.%d.%d", i/256%256, i%256),
			Category: "unauthorized-access", Severity: "high", Status: incidents.StatusOpen, Fields: map[string]string{"ip": "192.0.2.1"},
			Evidence: "Failed password for root from 192.0.2.1 port 22 ssh2", FindingCount: 1, FirstSeen: at, LastSeen: at,
		}})
		if len(batch) == cap(batch) {
			if _, err := store.Record(ctx, batch, incidents.Progress{}, at); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	// Every incident owes two notices, the first due 72 hours from its
	// opening, as the GDPR pack makes them: the queue orders by them.
	for id := int64(1); id <= n; id++ {
		due := t0.Add(time.Duration(id)*time.Second + 72*time.Hour)
		if err := store.SyncObligations(ctx, id, []incidents.ObligationSpec{
			{Policy: "gdpr", Recipient: "supervisory_authority", Family: "supervisory_authority", Applies: true, DueAt: &due, Deadline: "72h from aware_at"},
			{Policy: "company", Recipient: "insurer", Family: "insurer", Applies: true},
		}, t0); err != nil {
			b.Fatal(err)
		}
	}
	now := func() time.Time { return t0.Add(n * time.Second) }
	mgr := incidents.NewManager(incidents.Options{Store: store, Now: now})
	api := httpapi.New(httpapi.Options{Manager: mgr, Gatherer: prometheus.NewRegistry(), AnonymousRole: "viewer"})
	c, err := New(Options{API: api, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	for _, page := range []string{"/", "/console/incidents/5000", "/console/obligations", "/console/containment", "/console/register", "/console/register?verify=1"} {
		b.Run(page, func(b *testing.B) {
			var size int
			for b.Loop() {
				w := httptest.NewRecorder()
				c.ServeHTTP(w, httptest.NewRequest("GET", page, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", page, w.Code, w.Body.String())
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
