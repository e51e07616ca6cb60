package daemon_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// freePorts reserves a UDP and a TCP port on loopback for a config that
// names them (so a reload binds the same address, as in production).
func freePorts(t *testing.T) (udp, tcp string) {
	t.Helper()
	u, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return u.LocalAddr().String(), l.Addr().String()
}

// udpReceiveErrors is the kernel's count of UDP datagrams dropped for a
// full receive buffer, host-wide (/proc/net/snmp RcvbufErrors).
func udpReceiveErrors(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return 0
	}
	var header []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "Udp:" {
			continue
		}
		if header == nil {
			header = f
			continue
		}
		for i, name := range header {
			if name == "RcvbufErrors" && i < len(f) {
				n, _ := strconv.Atoi(f[i])
				return n
			}
		}
	}
	return 0
}

// TestReloadKeepsSyslogSockets: a UDP sender and a TCP sender each send a
// numbered stream while the config is reloaded five times; the syslog
// source's addresses do not change, so its sockets and the TCP connection
// stay open across the reloads, and every message is read exactly once.
func TestReloadKeepsSyslogSockets(t *testing.T) {
	udpAddr, tcpAddr := freePorts(t)
	config := func(title string) string {
		return fmt.Sprintf(`
source "syslog" "net" {
  listen_udp = %q
  listen_tcp = %q
  timezone   = "UTC"
}
rule "seq" {
  source = "net"
  match  = "seq=(?P<proto>[a-z]+)-(?P<n>\\d+)"
  threshold {
    count    = 100000
    within   = "1h"
    group_by = ["proto"]
  }
  incident { title = %q }
}
`, udpAddr, tcpAddr, title)
	}
	h := start(t, config("generation 0"))
	rcvbufBefore := udpReceiveErrors(t)
	udp, err := net.Dial("udp", udpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcp, err := net.Dial("tcp", tcpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()

	// 3 datagrams and 1 TCP message a millisecond: about 4,000 a second,
	// which this machine receives without filling the socket's buffer.
	const ticks, perTick = 2000, 3
	const total = ticks * (perTick + 1)
	// The ticks sent so far; a failed send is reported at the end, and
	// the other stream goes on.
	var sent atomic.Int64
	var udpErr, tcpErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := range ticks {
			<-tick.C
			for j := range perTick {
				if _, err := fmt.Fprintf(udp, "<13>Dec  3 09:00:00 web1 app: seq=udp-%d", i*perTick+j); err != nil && udpErr == nil {
					udpErr = fmt.Errorf("udp message %d: %w", i*perTick+j, err)
				}
			}
			if tcpErr == nil {
				if _, err := fmt.Fprintf(tcp, "<13>Dec  3 09:00:00 web1 app: seq=tcp-%d\n", i); err != nil {
					tcpErr = fmt.Errorf("tcp message %d: %w", i, err)
				}
			}
			sent.Store(int64(i + 1))
		}
	}()
	for k := 1; k <= 5; k++ {
		h.waitFor(fmt.Sprintf("%d of %d ticks sent", k*ticks/6, ticks), func() bool { return sent.Load() >= int64(k*ticks/6) })
		h.rewrite(config(fmt.Sprintf("generation %d", k)))
		if code, body := h.reload(harnessToken); code != http.StatusOK {
			t.Fatalf("reload %d: %d %s", k, code, body)
		}
	}
	<-done
	if udpErr != nil || tcpErr != nil {
		t.Errorf("sending across the reloads: %v", errors.Join(udpErr, tcpErr))
	}
	read := func() float64 { return h.metrics()[`breachd_detector_lines_read_total{source="net"}`] }
	deadline := time.Now().Add(20 * time.Second)
	for read() < total && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	m := h.metrics()
	if got := m[`breachd_detector_lines_read_total{source="net"}`]; got != total {
		t.Errorf("read %v of %d messages across 5 reloads, want each exactly once (kernel receive-buffer drops meanwhile, host-wide: %d)",
			got, total, udpReceiveErrors(t)-rcvbufBefore)
	}
	for _, reason := range []string{"queue_full", "connection_limit", "frame_error"} {
		if n := m[fmt.Sprintf(`breachd_detector_messages_dropped_total{reason=%q,source="net"}`, reason)]; n != 0 {
			t.Errorf("%v messages dropped for %s", n, reason)
		}
	}
	if m[`breachd_config_reloads_total{result="success"}`] != 5 || m[`breachd_detector_connections{source="net"}`] != 1 {
		t.Errorf("reloads %v (want 5), TCP connections %v (want the one, kept)", m[`breachd_config_reloads_total{result="success"}`], m[`breachd_detector_connections{source="net"}`])
	}
}

// TestReloadRebindsChangedSyslogAddress: a reload that moves a syslog
// source to another address closes the old socket (the port can be bound
// again) and receives on the new one; one that removes the source closes
// its socket.
func TestReloadRebindsChangedSyslogAddress(t *testing.T) {
	first, _ := freePorts(t)
	second, _ := freePorts(t)
	config := func(udp string) string {
		if udp == "" {
			return reloadConfig(5, "")
		}
		return reloadConfig(5, fmt.Sprintf(`
source "syslog" "net" {
  listen_udp = %q
}
`, udp))
	}
	h := start(t, config(first))
	bindable := func(addr string) bool {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
	if bindable(first) {
		t.Fatalf("%s is free while the source listens on it", first)
	}
	h.rewrite(config(second))
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload: %d %s", code, body)
	}
	if !bindable(first) {
		t.Errorf("the old address %s is still bound after the source moved to %s", first, second)
	}
	c, err := net.Dial("udp", second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "<13>Dec  3 09:00:00 web1 app: hello")
	h.waitFor("the message on the new address", func() bool {
		return h.metrics()[`breachd_detector_lines_read_total{source="net"}`] == 1
	})
	h.rewrite(config(""))
	if code, body := h.reload(harnessToken); code != http.StatusOK {
		t.Fatalf("reload: %d %s", code, body)
	}
	if !bindable(second) {
		t.Errorf("%s is still bound after its source was removed", second)
	}
}
