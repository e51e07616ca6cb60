package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/breachd/breachd/incidents"
)

// TestWALUnfinishedTransaction: a process killed while writing a
// transaction leaves frames past the last commit, and a wal-index that
// counts only the committed ones: that log is whole (the daemon starts
// and keeps all three incidents). Without the index the same tail may be
// a cut, and Open refuses with a *WALError.
func TestWALUnfinishedTransaction(t *testing.T) {
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "b.db")
	s := open(t, live)
	for i := range 3 {
		if _, err := s.Record(ctx, []incidents.NewIncident{item(fmt.Sprint("fp", i), t0)}, incidents.Progress{}, t0); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		files[suffix] = b
	}
	s.Close()
	whole, err := CheckWAL(live)
	if err != nil || whole.Size != 0 {
		t.Fatalf("after a clean close: %+v, %v; want no log", whole, err)
	}
	// The unfinished transaction: a frame header with the log's salts,
	// cut before its page.
	wal := files["-wal"]
	torn := append(append([]byte{}, wal...), make([]byte, walFrameHeaderSize)...)
	copy(torn[len(wal)+8:], wal[16:24])
	for _, tt := range []struct {
		name    string
		index   bool
		damaged bool
	}{{"with the wal-index", true, false}, {"without it", false, true}} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "b.db")
			os.WriteFile(db, files[""], 0o600)
			os.WriteFile(db+"-wal", torn, 0o600)
			if tt.index {
				os.WriteFile(db+"-shm", files["-shm"], 0o600)
			}
			rep, err := CheckWAL(db)
			committed := (len(wal) - walHeaderSize) / (walFrameHeaderSize + rep.PageSize)
			if err != nil || rep.Damaged != tt.damaged || rep.KeptEnd != int64(len(wal)) || rep.Frames != committed {
				t.Fatalf("CheckWAL = %+v, %v; want damaged %v, every one of the %d frames kept", rep, err, tt.damaged, committed)
			}
			s, err := Open(ctx, db)
			var walErr *WALError
			if tt.damaged {
				if !errors.As(err, &walErr) {
					t.Fatalf("Open = %v, want a *WALError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			list, err := s.List(ctx, incidents.ListOptions{})
			if err != nil || len(list) != 3 {
				t.Errorf("after the restart: %d incidents, %v; want 3", len(list), err)
			}
		})
	}
}
