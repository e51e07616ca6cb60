package daemon

import (
	"context"

	"github.com/breachd/breachd/actions/nftables"
	"github.com/prometheus/client_golang/prometheus"
)

// hostAddrsGauge reports how many addresses of the host the never list
// holds, as last read.
func hostAddrsGauge(h *nftables.HostAddrs) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "breachd_nftables_host_addresses",
		Help: "Addresses of this host (never blocked), as last read; followed through netlink while breachd runs.",
	}, func() float64 { return float64(h.Len()) })
}

// followHostAddrs follows the host's addresses, so that one it gains
// after the start is never blocked, until stop is called. If the kernel's
// notifications fail, the addresses are read at every check instead.
func (d *Daemon) followHostAddrs(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.hostAddrs.Watch(ctx); err != nil {
			d.logger.Error("cannot follow the host's addresses; they are read at every block instead", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
