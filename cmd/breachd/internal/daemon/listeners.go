package daemon

import (
	"errors"
	"fmt"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector/syslognet"
)

// syslogSockets holds the syslog sources' sockets across reloads. They
// belong to the process, not to a generation (as Alertmanager keeps its
// long-lived parts outside the swapped config): a source whose name,
// listen addresses and caps are unchanged keeps its sockets, its queue and
// its TCP connections, and the new generation's detector takes over
// reading them, so a datagram that arrives during a reload waits in the
// queue or the kernel's buffer instead of being refused. Only sockets
// that a new config changes or removes close. It is used by New and by
// Run's goroutine only.
type syslogSockets struct {
	open map[syslogKey]*syslognet.Server
}

// syslogKey is what must not change for a source to keep its sockets.
type syslogKey struct {
	source, udp, tcp               string
	maxMessageBytes, maxConnection int
}

func newSyslogSockets() *syslogSockets {
	return &syslogSockets{open: map[syslogKey]*syslognet.Server{}}
}

// listen returns the open sockets of source with these addresses and
// caps, or binds new ones. It is the detector's Options.Listen.
func (p *syslogSockets) listen(source string, opts syslognet.Options) (*syslognet.Server, error) {
	key := syslogKey{source: source, udp: opts.UDP, tcp: opts.TCP, maxMessageBytes: opts.MaxMessageBytes, maxConnection: opts.MaxConnections}
	if s := p.open[key]; s != nil {
		return s, nil
	}
	s, err := syslognet.Listen(opts)
	if err != nil {
		return nil, err
	}
	p.open[key] = s
	return s, nil
}

// keepOnly closes the sockets cfg's syslog sources do not use as they
// are, so that a changed address can be bound again. The detector reading
// them must have stopped.
func (p *syslogSockets) keepOnly(cfg *configs.Config) error {
	keep := map[syslogKey]bool{}
	for _, s := range cfg.Sources {
		if s.Syslog != nil {
			keep[syslogKey{source: s.Name, udp: s.Syslog.UDP, tcp: s.Syslog.TCP, maxMessageBytes: s.Syslog.MaxMessageBytes, maxConnection: s.Syslog.MaxConnections}] = true
		}
	}
	var errs []error
	for key, s := range p.open {
		if keep[key] {
			continue
		}
		if err := s.Close(); err != nil {
			errs = append(errs, fmt.Errorf("source %q: %w", key.source, err))
		}
		delete(p.open, key)
	}
	return errors.Join(errs...)
}

// closeAll closes every socket; the detector must have stopped.
func (p *syslogSockets) closeAll() error {
	return p.keepOnly(&configs.Config{})
}
