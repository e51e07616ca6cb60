package promtest

import (
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Server is a running prometheus.
type Server struct {
	// Addr is its host:port.
	Addr string
	mu   sync.Mutex
	logs strings.Builder
}

// Write collects prometheus's output, for failure messages.
func (s *Server) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.Write(p)
}

// Logs is what prometheus printed so far.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// Start runs prometheus with the config file config (its rule files are
// found next to it) and its storage in a temporary folder, on a free
// loopback port; it is killed when the test ends. It skips the test when
// prometheus is not installed.
func Start(t *testing.T, config string) *Server {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus is not installed (Debian package prometheus; .ci/run installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String()}
	ln.Close()
	cmd := exec.Command(bin, "--config.file="+config,
		"--storage.tsdb.path="+filepath.Join(t.TempDir(), "data"), "--web.listen-address="+s.Addr)
	cmd.Stdout, cmd.Stderr = s, s
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return s
}
