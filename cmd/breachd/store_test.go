package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// commitsBefore counts the transactions the -wal bytes b commit before
// byte end: frames whose header gives a database size.
func commitsBefore(t *testing.T, b []byte, end int) int {
	t.Helper()
	page := int(binary.BigEndian.Uint32(b[8:]))
	n := 0
	for off := 32; off+24+page <= end; off += 24 + page {
		if binary.BigEndian.Uint32(b[off+4:]) != 0 {
			n++
		}
	}
	return n
}

// TestTruncatedWAL: a store whose -wal file is cut (inside a frame, with
// and without the wal-index a killed process leaves, inside a frame's
// header, and inside the log's header) is refused by breachd run with what to do, and nothing more is
// lost; breachd store check names the first transaction lost and exits 1;
// breachd store recover keeps a copy of the originals, keeps every intact
// transaction (the incidents acknowledged before the cut) and the chains
// verify afterwards.
func TestTruncatedWAL(t *testing.T) {
	dir := t.TempDir()
	src := func(addr string) string {
		return fmt.Sprintf(`
server { listen = %q }
source "file" "auth" { paths = ["./var/auth.log"] }
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, addr, hashHex("rita-token"))
	}
	var config string
	run := func(ctx context.Context, args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append(args, "--config", config)
		if args[0] == "incidents" {
			args = append(args, "--token", "rita-token")
		}
		code := cli(ctx, args, &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	open := func(title string) int64 {
		t.Helper()
		out, errOut, code := run(context.Background(), "incidents", "open", "--title", title, "--reporter", "staff", "--json")
		var d httpapi.IncidentDetail
		if code != 0 || json.Unmarshal([]byte(out), &d) != nil {
			t.Fatalf("incidents open: exit %d\n%s%s", code, out, errOut)
		}
		return d.Incident.ID
	}
	// Two incidents reach the database file (a clean stop checkpoints),
	// three more are in the log when the copy is taken, as a kill -9
	// would leave it.
	config, stop := runDaemon(t, dir, src(freeAddr(t)))
	open("one")
	open("two")
	stop()
	config, stop = runDaemon(t, dir, src(freeAddr(t)))
	db := filepath.Join(dir, "var", "breachd.db")
	walAfter := map[int64]int{}
	for _, title := range []string{"three", "four", "five"} {
		id := open(title)
		st, err := os.Stat(db + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		walAfter[id] = int(st.Size())
	}
	snapshot := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil {
			t.Fatal(err)
		}
		snapshot[suffix] = b
	}
	stop()
	wal := snapshot["-wal"]

	for _, tt := range []struct {
		name     string
		cut      int
		index    bool
		kept     int // incidents acknowledged before the cut
		firstBad int // the first transaction of the log lost
	}{
		{"mid-frame", walAfter[4] + 100, true, 4, commitsBefore(t, wal, walAfter[4]) + 1},
		{"mid-frame without wal-index", walAfter[4] + 4000, false, 4, commitsBefore(t, wal, walAfter[4]) + 1},
		{"mid-frame-header", walAfter[4] + 10, true, 4, commitsBefore(t, wal, walAfter[4]) + 1},
		{"mid-header", 20, true, 2, 1},
		// A restore or a copy that missed the log: emptied, or gone.
		{"emptied", 0, true, 2, 1},
		{"missing", -1, true, 2, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vdir := t.TempDir()
			vdb := filepath.Join(vdir, "var", "breachd.db")
			if err := os.MkdirAll(filepath.Dir(vdb), 0o700); err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{"": snapshot[""]}
			if tt.cut >= 0 {
				files["-wal"] = wal[:tt.cut]
			}
			if tt.index {
				files["-shm"] = snapshot["-shm"]
			}
			for suffix, b := range files {
				if err := os.WriteFile(vdb+suffix, b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			config = filepath.Join(vdir, "breachd.hcl")
			if err := os.WriteFile(config, []byte(src(freeAddr(t))), 0o600); err != nil {
				t.Fatal(err)
			}

			// breachd run refuses, says what to do, and leaves the log.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_, errOut, code := run(ctx, "run")
			cancel()
			t.Logf("run:\n%s", errOut)
			if code != 1 || !strings.Contains(errOut, "the write-ahead log is damaged") || !strings.Contains(errOut, "breachd store recover") {
				t.Errorf("run: exit %d, want 1 with the damage and what to do\n%s", code, errOut)
			}
			if b, err := os.ReadFile(vdb + "-wal"); tt.cut < 0 && !os.IsNotExist(err) {
				t.Fatalf("after the refused start there is a log (%v)", err)
			} else if tt.cut >= 0 && (err != nil || !bytes.Equal(b, wal[:tt.cut])) {
				t.Fatalf("after the refused start the log is %d bytes (%v), want the %d it had", len(b), err, tt.cut)
			}

			out, errOut, code := run(context.Background(), "store", "check")
			t.Logf("store check:\n%s", out)
			want := fmt.Sprintf("first lost: transaction %d of the log (%d intact before it)", tt.firstBad, tt.firstBad-1)
			wantKept := fmt.Sprintf("recover would keep: %d incidents (last %d)", tt.kept, tt.kept)
			if code != 1 || !strings.Contains(out, "DAMAGED") || !strings.Contains(out, want) || !strings.Contains(out, wantKept) {
				t.Errorf("store check: exit %d, want 1 with %q and %q\n%s%s", code, want, wantKept, out, errOut)
			}

			keep := filepath.Join(vdir, "originals")
			out, errOut, code = run(context.Background(), "store", "recover", "--keep", keep)
			t.Logf("store recover:\n%s", out)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("kept: %d incidents (last %d)", tt.kept, tt.kept)) {
				t.Fatalf("store recover: exit %d\n%s%s", code, out, errOut)
			}
			for suffix, b := range files {
				if kept, err := os.ReadFile(filepath.Join(keep, "breachd.db"+suffix)); err != nil || !bytes.Equal(kept, b) {
					t.Errorf("the original breachd.db%s was not kept as it was (%v)", suffix, err)
				}
			}
			var incidents, last int64
			query(t, vdb, `SELECT count(*), max(id) FROM incidents`, &incidents, &last)
			if incidents != int64(tt.kept) || last != int64(tt.kept) {
				t.Errorf("after recover: %d incidents, last %d; want %d", incidents, last, tt.kept)
			}
			if out, _, code := run(context.Background(), "register", "verify"); code != 0 || !strings.Contains(out, fmt.Sprintf("timeline: ok, %d entries", tt.kept)) {
				t.Errorf("register verify after recover: exit %d\n%s", code, out)
			}
			if out, _, code := run(context.Background(), "store", "check"); code != 0 {
				t.Errorf("store check after recover: exit %d\n%s", code, out)
			}
		})
	}
}
