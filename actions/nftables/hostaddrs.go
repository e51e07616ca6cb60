package nftables

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// HostAddrs are the addresses of the host (of the network namespace the
// blocks are made in), which are never blocked. Load reads them; Watch
// follows the kernel's address notifications (RTM_NEWADDR, RTM_DELADDR)
// and reads them again at each. While no Watch follows them, Inside reads
// them itself at every check. It is safe for concurrent use.
type HostAddrs struct {
	netnsFd int

	mu    sync.Mutex
	addrs []netip.Addr // sorted, unmapped, without zones
	// following is set while a Watch is subscribed and its last reading
	// succeeded.
	following bool
}

// NewHostAddrs returns the host's addresses of the network namespace
// netnsFd (0: the daemon's). It reads nothing until called.
func NewHostAddrs(netnsFd int) *HostAddrs {
	return &HostAddrs{netnsFd: netnsFd}
}

// Load reads the addresses now.
func (h *HostAddrs) Load() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.load()
}

func (h *HostAddrs) load() error {
	addrs, err := dumpAddrs(h.netnsFd)
	if err != nil {
		return fmt.Errorf("list the host's addresses: %w", err)
	}
	h.addrs = addrs
	return nil
}

// Len is how many addresses the host has, as last read.
func (h *HostAddrs) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.addrs)
}

// Inside returns an address of the host inside p, if any. Unless a Watch
// follows the addresses, they are read first; an error means they could
// not be.
func (h *HostAddrs) Inside(p netip.Prefix) (netip.Addr, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.following {
		if err := h.load(); err != nil {
			return netip.Addr{}, false, err
		}
	}
	for _, a := range h.addrs {
		if p.Contains(a) {
			return a, true, nil
		}
	}
	return netip.Addr{}, false, nil
}

// Watch follows the host's addresses until ctx ends (then it returns nil)
// or the kernel's notifications fail (then Inside reads them at each check
// again). It subscribes first and then reads them all, and reads them all
// again at every notification, so no change between the two is missed.
func (h *HostAddrs) Watch(ctx context.Context) (err error) {
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{
		Groups: unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR,
		NetNS:  h.netnsFd,
	})
	if err != nil {
		return fmt.Errorf("follow the host's addresses: %w", err)
	}
	closeConn := sync.OnceValue(c.Close)
	done := make(chan struct{})
	defer func() {
		close(done)
		_ = closeConn() // the socket is done with either way
		h.mu.Lock()
		h.following = false
		h.mu.Unlock()
		if ctx.Err() != nil {
			err = nil
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			// Closing the socket ends the Receive below.
			_ = closeConn()
		case <-done:
		}
	}()
	for {
		h.mu.Lock()
		err := h.load()
		h.following = err == nil
		h.mu.Unlock()
		if err != nil {
			return err
		}
		// Every message is a change of some address: what it says is
		// read again whole above. ENOBUFS (notifications lost to an
		// overrun) is no different.
		if _, err := c.Receive(); err != nil && !errors.Is(err, unix.ENOBUFS) {
			return fmt.Errorf("follow the host's addresses: %w", err)
		}
	}
}

// ifaddrmsg is the fixed header of an RTM_*ADDR message (struct ifaddrmsg).
const ifaddrmsgLen = 8

// dumpAddrs lists every address of every interface of the namespace.
func dumpAddrs(netnsFd int) ([]netip.Addr, error) {
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: netnsFd})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	req := netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETADDR, Flags: netlink.Request | netlink.Dump},
		Data:   make([]byte, ifaddrmsgLen), // family AF_UNSPEC: both
	}
	msgs, err := c.Execute(req)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWADDR || len(m.Data) < ifaddrmsgLen {
			continue
		}
		a, ok, err := parseAddr(m.Data)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return slices.Compact(out), nil
}

// parseAddr reads the host's own address of an ifaddrmsg: IFA_LOCAL when
// present (on a point-to-point link IFA_ADDRESS is the other end), else
// IFA_ADDRESS.
func parseAddr(b []byte) (netip.Addr, bool, error) {
	ad, err := netlink.NewAttributeDecoder(b[ifaddrmsgLen:])
	if err != nil {
		return netip.Addr{}, false, err
	}
	var local, address netip.Addr
	for ad.Next() {
		switch ad.Type() {
		case unix.IFA_LOCAL:
			local, _ = netip.AddrFromSlice(ad.Bytes())
		case unix.IFA_ADDRESS:
			address, _ = netip.AddrFromSlice(ad.Bytes())
		}
	}
	if err := ad.Err(); err != nil {
		return netip.Addr{}, false, err
	}
	a := local
	if !a.IsValid() {
		a = address
	}
	return a.Unmap(), a.IsValid(), nil
}
