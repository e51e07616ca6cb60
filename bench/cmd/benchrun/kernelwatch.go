package main

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	gnft "github.com/google/nftables"
)

// kernelWatch follows the kernel's nftables events in a network namespace
// and notes when each address was first added to a set: the time the
// block came into force, as the kernel announces it (after its commit),
// without polling the set (a dump of a growing set on every poll would
// both delay the reading and compete with the daemon for the cores).
type kernelWatch struct {
	mon *gnft.Monitor

	mu    sync.Mutex
	added map[netip.Addr]time.Time
	err   error
}

func watchKernel(nsFd int) (*kernelWatch, error) {
	c, err := gnft.New(gnft.WithNetNSFd(nsFd))
	if err != nil {
		return nil, fmt.Errorf("nftables: %w", err)
	}
	w := &kernelWatch{
		// Every object: the library hands a batch over on its generation
		// message, which a narrower filter drops.
		mon:   gnft.NewMonitor(gnft.WithMonitorEventBuffer(4096)),
		added: map[netip.Addr]time.Time{},
	}
	events, err := c.AddGenerationalMonitor(w.mon)
	if err != nil {
		return nil, fmt.Errorf("nftables monitor: %w", err)
	}
	go func() {
		for batch := range events {
			at := time.Now()
			w.mu.Lock()
			for _, ev := range batch.Changes {
				if ev.Error != nil && w.err == nil {
					w.err = ev.Error
				}
				if ev.Type != gnft.MonitorEventTypeNewSetElem {
					continue
				}
				elems, _ := ev.Data.([]gnft.SetElement)
				for _, e := range elems {
					addr, ok := netip.AddrFromSlice(e.Key)
					if !ok || e.IntervalEnd {
						continue
					}
					if _, seen := w.added[addr]; !seen {
						w.added[addr] = at
					}
				}
			}
			w.mu.Unlock()
		}
	}()
	return w, nil
}

// at says when addr was added, if it was.
func (w *kernelWatch) at(addr netip.Addr) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.added[addr]
	return t, ok
}

func (w *kernelWatch) Close() error { return w.mon.Close() }
