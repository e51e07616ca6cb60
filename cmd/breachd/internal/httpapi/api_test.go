package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/incidents/sqlstore"
)

func TestErrorsAndReadiness(t *testing.T) {
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ready := false
	srv := httptest.NewServer(New(Options{Store: store, Gatherer: prometheus.NewRegistry(), Ready: func() bool { return ready }}))
	defer srv.Close()
	tests := []struct {
		path  string
		code  int
		isErr bool
	}{
		{"/api/v1/incidents", 200, false},
		{"/api/v1/incidents?limit=0", 400, true},
		{"/api/v1/incidents?limit=x", 400, true},
		{"/api/v1/incidents/999", 404, true},
		{"/api/v1/incidents/abc", 400, true},
		{"/api/v1/incidents/-1", 400, true},
		{"/-/healthy", 200, false},
		{"/-/ready", 503, false},
		{"/metrics", 200, false},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.code {
			t.Errorf("GET %s: %d, want %d", tt.path, resp.StatusCode, tt.code)
		}
		if tt.isErr {
			var e Error
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error == "" {
				t.Errorf("GET %s: error body %+v, %v", tt.path, e, err)
			}
		}
		resp.Body.Close()
	}
	ready = true
	resp, err := http.Get(srv.URL + "/-/ready")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/-/ready when ready: %d", resp.StatusCode)
	}
	resp, err = http.Post(srv.URL+"/api/v1/incidents", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to the read-only API: %d, want 405", resp.StatusCode)
	}
}
