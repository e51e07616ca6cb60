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

// BenchmarkRecordOpenLinked is BenchmarkRecordOpen for incidents that all
// share a user (every brute force tries root): each links to the 50 most
// recent others.
func BenchmarkRecordOpenLinked(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mk := func(i int) incidents.NewIncident {
		it := item(fmt.Sprintf("ssh/ip=%d", i), t0, "block")
		it.Entities = map[string]string{"ip": fmt.Sprintf("198.18.%d.%d", i>>8&255, i&255), "user": "root"}
		return it
	}
	for i := range maxLinks {
		if _, err := s.Record(ctx, []incidents.NewIncident{mk(-1 - i)}, incidents.Progress{}, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Record(ctx, []incidents.NewIncident{mk(i)}, incidents.Progress{}, t0.Add(time.Duration(i))); err != nil {
			b.Fatal(err)
		}
	}
}
