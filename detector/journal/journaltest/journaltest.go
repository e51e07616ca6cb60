package journaltest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Remote is where Debian's systemd-journal-remote package installs the
// program.
const Remote = "/lib/systemd/systemd-journal-remote"

// Require returns the path of journalctl, or skips the test, saying which
// Debian package is missing, when the journal tools are not installed.
func Require(t testing.TB) string {
	t.Helper()
	jc, err := exec.LookPath("journalctl")
	if err != nil {
		t.Skip("journalctl is not installed (Debian package systemd)")
	}
	if _, err := os.Stat(Remote); err != nil {
		t.Skip("systemd-journal-remote is not installed (Debian package systemd-journal-remote); it writes the journal files this test reads")
	}
	return jc
}

// Field is one field of an entry.
type Field struct{ Name, Value string }

// Journal is a journal file that a test appends entries to.
type Journal struct {
	Path string
	seq  int
}

// New returns a journal file in a temporary directory; it is created by the
// first Append.
func New(t testing.TB) *Journal {
	return &Journal{Path: filepath.Join(t.TempDir(), "remote.journal")}
}

// Append writes the entries to the journal file, stamped with the current
// time. Values may hold any bytes.
func (j *Journal) Append(t testing.TB, entries ...[]Field) {
	t.Helper()
	var b bytes.Buffer
	for _, e := range entries {
		j.seq++
		fmt.Fprintf(&b, "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n", time.Now().UnixMicro(), j.seq)
		for _, f := range e {
			if strings.ContainsAny(f.Value, "\n\x00") || !isText(f.Value) {
				// Binary-safe form: name, newline, little-endian length,
				// the bytes.
				b.WriteString(f.Name + "\n")
				binary.Write(&b, binary.LittleEndian, uint64(len(f.Value)))
				b.WriteString(f.Value + "\n")
				continue
			}
			fmt.Fprintf(&b, "%s=%s\n", f.Name, f.Value)
		}
		b.WriteString("\n")
	}
	export := filepath.Join(t.TempDir(), "entries.export")
	if err := os.WriteFile(export, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(Remote, "--output="+j.Path, export).CombinedOutput(); err != nil {
		t.Fatalf("systemd-journal-remote: %v: %s", err, out)
	}
}

func isText(s string) bool {
	for _, c := range []byte(s) {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// Entry returns the fields of an entry from name, value pairs.
func Entry(nameValues ...string) []Field {
	out := make([]Field, 0, len(nameValues)/2)
	for i := 0; i+1 < len(nameValues); i += 2 {
		out = append(out, Field{Name: nameValues[i], Value: nameValues[i+1]})
	}
	return out
}

// Syslog returns the fields of an entry logged by a syslog-style program.
func Syslog(host, ident, pid, unit, msg string) []Field {
	return Entry("_HOSTNAME", host, "SYSLOG_IDENTIFIER", ident, "_PID", pid, "_SYSTEMD_UNIT", unit, "MESSAGE", msg)
}
