package detector

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchLines is how many lines each benchmark reads per operation.
const benchLines = 100_000

// writeBenchLog writes n lines made by line(i) to dir/app.log.
func writeBenchLog(b *testing.B, dir string, n int, line func(i int) string) int64 {
	b.Helper()
	f, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		w.WriteString(line(i))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// BenchmarkTailParse measures the whole path from the file to the rules:
// tailing (real files, the logtail reader), parsing in the source's format,
// evaluating an SSH brute-force rule (1 line in 10 is a failure), and the
// batch commits (to a sink that keeps nothing). It reports lines/s.
func BenchmarkTailParse(b *testing.B) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	formats := []struct {
		name, source string
		line         func(i int) string
	}{
		{"syslog", `format = "syslog"
  timezone = "UTC"`, func(i int) string {
			at := start.Add(time.Duration(i) * time.Millisecond).Format(time.Stamp)
			if i%10 == 0 {
				return fmt.Sprintf("%s web1 sshd[%d]: Failed password for root from 203.0.113.%d port %d ssh2", at, 1000+i%500, i%250, 40000+i%20000)
			}
			return fmt.Sprintf("%s web1 CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", at, 1000+i%500)
		}},
		{"json", `format = "json"
  fields = { ip = "source.ip", program = "process.name" }`, func(i int) string {
			at := start.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)
			msg, prog := "session opened for user root", "cron"
			if i%10 == 0 {
				msg, prog = "Failed password for root", "sshd"
			}
			return fmt.Sprintf(`{"@timestamp":%q,"host":{"name":"web1"},"process":{"name":%q,"pid":%d},"source":{"ip":"203.0.113.%d","port":%d},"message":%q}`,
				at, prog, 1000+i%500, i%250, 40000+i%20000, msg)
		}},
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			dir := b.TempDir()
			size := writeBenchLog(b, dir, benchLines, f.line)
			match := `^Failed password for \S+ from (?P<ip>\S+)`
			where := `program == 'sshd'`
			if f.name == "json" {
				match, where = `^Failed password for (?P<user>\S+)`, `program == 'sshd' && is_ip(ip)`
			}
			config := fmt.Sprintf(`
source "file" "app" {
  paths    = ["./app.log"]
  start_at = "beginning"
  %s
}
rule "ssh" {
  source = "app"
  match  = %q
  where  = %q
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }
}`, f.source, match, where)
			b.SetBytes(size)
			b.ReportAllocs()
			found := 0
			for b.Loop() {
				got, _ := readAll(b, dir, config)
				found = len(got)
			}
			if found == 0 {
				b.Fatal("no finding: the rule did not run")
			}
			b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkHugeLine reads a file holding a 10 MB line among 1,000 ordinary
// ones, against the same file without it: the line is cut at 256 KiB and
// the rest skipped without being buffered, so the difference in bytes
// allocated per operation is far below 10 MB.
func BenchmarkHugeLine(b *testing.B) {
	for _, size := range []int{0, 10 << 20} {
		b.Run(fmt.Sprintf("line=%dB", size), func(b *testing.B) { benchHugeLine(b, size) })
	}
}

func benchHugeLine(b *testing.B, size int) {
	dir := b.TempDir()
	huge := strings.Repeat("A", size)
	writeBenchLog(b, dir, 1001, func(i int) string {
		if i == 500 {
			return huge
		}
		return "Failed password for root from 203.0.113.7 port 22 ssh2"
	})
	config := `
source "file" "app" {
  paths    = ["./app.log"]
  start_at = "beginning"
}
rule "ssh" {
  source = "app"
  match  = "^Failed password for \\S+ from (?P<ip>\\S+)"
}`
	b.ReportAllocs()
	for b.Loop() {
		readAll(b, dir, config)
	}
}
