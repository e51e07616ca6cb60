package netnstest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Addresses of the pair. They exist only inside the namespaces the test
// makes.
const (
	HostV4  = "10.213.0.1"
	PeerV4  = "10.213.0.2"
	Peer2V4 = "10.213.0.3" // a second peer address, inside PeerNet
	PeerNet = "10.213.0.2/31"
	HostV6  = "fd00:bd::1"
	PeerV6  = "fd00:bd::2"
)

// Pair is two namespaces joined by veth.
type Pair struct {
	t          testing.TB
	Host, Peer string
	// HostFd is an open file of the host namespace, for nftables.
	HostFd int
}

// Require skips the test unless it runs as root with ip(8).
func Require(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) from iproute2 (apt-get install iproute2)")
	}
}

// New creates the pair and removes it when the test ends.
func New(t testing.TB) *Pair {
	t.Helper()
	Require(t)
	b := make([]byte, 3)
	rand.Read(b)
	id := hex.EncodeToString(b)
	p := &Pair{t: t, Host: "bdh-" + id, Peer: "bdp-" + id}
	t.Cleanup(func() {
		exec.Command("ip", "netns", "del", p.Host).Run()
		exec.Command("ip", "netns", "del", p.Peer).Run()
	})
	vh, vp := "vh"+id, "vp"+id
	for _, args := range [][]string{
		{"netns", "add", p.Host},
		{"netns", "add", p.Peer},
		{"link", "add", vh, "type", "veth", "peer", "name", vp},
		{"link", "set", vh, "netns", p.Host},
		{"link", "set", vp, "netns", p.Peer},
		{"-n", p.Host, "addr", "add", HostV4 + "/24", "dev", vh},
		{"-n", p.Host, "addr", "add", HostV6 + "/64", "dev", vh, "nodad"},
		{"-n", p.Peer, "addr", "add", PeerV4 + "/24", "dev", vp},
		{"-n", p.Peer, "addr", "add", Peer2V4 + "/24", "dev", vp},
		{"-n", p.Peer, "addr", "add", PeerV6 + "/64", "dev", vp, "nodad"},
		{"-n", p.Host, "link", "set", "lo", "up"},
		{"-n", p.Peer, "link", "set", "lo", "up"},
		{"-n", p.Host, "link", "set", vh, "up"},
		{"-n", p.Peer, "link", "set", vp, "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	f, err := os.Open("/run/netns/" + p.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	p.HostFd = int(f.Fd())
	return p
}

// in runs fn on an OS thread inside namespace ns; sockets made there stay
// in it.
func in(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// The thread is left locked and so discarded by the runtime
		// when this goroutine ends: it never goes back to the pool in
		// the wrong namespace.
		runtime.LockOSThread()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// Serve listens on TCP port 0 on every address of the host namespace and
// answers each connection with "ok\n"; it returns the port.
func (p *Pair) Serve() int {
	p.t.Helper()
	var ln net.Listener
	err := in(p.Host, func() error {
		var err error
		ln, err = net.Listen("tcp", "[::]:0")
		return err
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("ok\n"))
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// Dial connects from the peer namespace, from source address src, to the
// host's dst:port and reads the answer; an error means no answer within
// timeout (a drop shows as a timeout).
func (p *Pair) Dial(src, dst string, port int, timeout time.Duration) error {
	return in(p.Peer, func() error {
		d := net.Dialer{Timeout: timeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(dst, fmt.Sprint(port)))
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(timeout))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return err
		}
		if line != "ok\n" {
			return fmt.Errorf("answer %q", line)
		}
		return nil
	})
}

// HostCommand runs a command inside the host namespace (e.g. nft flush
// ruleset) and returns its output.
func (p *Pair) HostCommand(name string, args ...string) (string, error) {
	out, err := exec.Command("ip", append([]string{"netns", "exec", p.Host, name}, args...)...).CombinedOutput()
	return string(out), err
}

// DialHost connects to addr from inside the host namespace, for talking
// to a daemon run there (ip netns exec) on its loopback; the socket stays
// in the namespace. It fits http.Transport's DialContext.
func (p *Pair) DialHost(ctx context.Context, network, addr string) (net.Conn, error) {
	var c net.Conn
	err := in(p.Host, func() error {
		var d net.Dialer
		var err error
		c, err = d.DialContext(ctx, network, addr)
		return err
	})
	return c, err
}
