package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// BenchmarkRecordOpen commits one finding that opens an incident with an
// action, per transaction: the work between a 5th failure and its
// containment action.
func BenchmarkRecordOpen(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := range b.N {
		it := item(fmt.Sprintf("ssh/ip=%d", i), t0, "block")
		if _, err := s.Record(ctx, []incidents.NewIncident{it}, incidents.Progress{}, t0.Add(time.Duration(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordAttach commits one finding that attaches to an active
// incident, per transaction: what a continuing attack costs.
func BenchmarkRecordAttach(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	it := item("ssh/ip=1", t0, "block")
	if _, err := s.Record(ctx, []incidents.NewIncident{it}, incidents.Progress{}, t0); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := s.Record(ctx, []incidents.NewIncident{it}, incidents.Progress{}, t0); err != nil {
			b.Fatal(err)
		}
	}
}
