package incidents_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
	"github.com/breachd/breachd/rules"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"card 4111 1111 1111 1111 used", "card **** **** **** 1111 used"},
		{"card 4111-1111-1111-1111", "card ****-****-****-1111"},
		{"pan=5500005555555559;", "pan=************5559;"},
		{"not luhn 4111111111111112", "not luhn 4111111111111112"},
		{"ssn 078-05-1120 here", "ssn ***-**-1120 here"},
		{"ip 203.0.113.7 port 22", "ip 203.0.113.7 port 22"},
		{"order 12345", "order 12345"},
		{"iban DE89 3704 0044 0532 0130 00 ok", "iban **** **** **** **** **30 00 ok"},
		{"iban=GB82WEST12345698765432", "iban=******************5432"},
		{"not an iban DE88 3704 0044 0532 0130 00", "not an iban DE88 3704 0044 0532 0130 00"},
	}
	for _, tt := range tests {
		if got := incidents.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestManagerRecordsAndCounts(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	reg := prometheus.NewRegistry()
	var handed [][]incidents.Handoff
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	m := incidents.NewManager(incidents.Options{
		Store: store, Now: func() time.Time { return now }, Registerer: reg,
		Rules: []string{"ssh", "quiet"}, OnQueued: func(h []incidents.Handoff) { handed = append(handed, h) },
	})
	f := rules.Finding{
		Rule: "ssh", Severity: configs.SeverityHigh, Category: "c", Title: "t", Fingerprint: "ssh/ip=1",
		Fields: map[string]string{"ip": "1.2.3.4", "note": "card 4111 1111 1111 1111"}, Actions: []string{"block"},
		Time: now, Count: 5, Evidence: "Failed password; card 4111 1111 1111 1111\xff",
	}
	if err := m.HandleFindings(ctx, []rules.Finding{f, f}, incidents.Progress{}); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.Opened().WithLabelValues("ssh")); got != 1 {
		t.Errorf("opened = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.Attached().WithLabelValues("ssh")); got != 1 {
		t.Errorf("attached = %v, want 1", got)
	}
	if len(handed) != 1 || len(handed[0]) != 1 || len(handed[0][0].Runs) != 1 {
		t.Fatalf("handed to the runner %+v, want once, one incident with one run", handed)
	}
	if n := testutil.CollectAndCount(reg, "breachd_incidents_opened_total"); n != 3 {
		t.Errorf("%d opened series, want 3 (manual and every configured rule from the start)", n)
	}
	inc, err := store.Incident(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Evidence != "Failed password; card **** **** **** 1111\uFFFD" || inc.Fields["note"] != "card **** **** **** 1111" || !inc.DetectedAt.Equal(now) {
		t.Errorf("stored incident = %+v; evidence must be masked and valid UTF-8", inc)
	}
	// What the runner gets in hand is what it would read back, as the
	// incident was opened: the second finding attached to it after that.
	opened := *inc
	opened.FindingCount = 1
	if h := handed[0][0]; !reflect.DeepEqual(h.Incident, opened) {
		t.Errorf("handed incident\n%#v\nstored\n%#v", h.Incident, opened)
	}
	pending, err := store.PendingActions(ctx)
	if err != nil || !reflect.DeepEqual(handed[0][0].Runs, pending) {
		t.Errorf("handed runs %+v, pending %+v (%v)", handed[0][0].Runs, pending, err)
	}
}
