package parse

import (
	"time"

	"github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/rfc5424"
)

// NetworkSyslogParser parses messages received over the network: RFC 5424
// (recognised by its "<PRI>1 " start) through go-syslog, and everything else
// as RFC 3164, which is the file header with a leading <PRI>.
type NetworkSyslogParser struct {
	// RFC3164 parses messages that are not RFC 5424.
	RFC3164 SyslogParser
	m5424   syslog.Machine
}

// NewNetworkSyslogParser returns a parser whose RFC 3164 timestamps without
// a zone are in loc.
func NewNetworkSyslogParser(loc *time.Location) *NetworkSyslogParser {
	return &NetworkSyslogParser{
		RFC3164: SyslogParser{Location: loc},
		m5424:   rfc5424.NewParser(rfc5424.WithBestEffort()),
	}
}

// IsRFC5424 reports whether msg starts like an RFC 5424 message: "<PRI>1 ".
func IsRFC5424(msg []byte) bool {
	if len(msg) < 4 || msg[0] != '<' {
		return false
	}
	i := 1
	for i < len(msg) && i <= 4 && isDigit(msg[i]) {
		i++
	}
	return i > 1 && i+2 < len(msg) && msg[i] == '>' && msg[i+1] == '1' && msg[i+2] == ' '
}

// Parse parses one message. ref is the time it was received. Unlike
// SyslogParser.Parse, the byte slices of an RFC 5424 result are copies.
func (p *NetworkSyslogParser) Parse(msg []byte, ref time.Time) (h Syslog, ok bool) {
	if !IsRFC5424(msg) {
		return p.RFC3164.Parse(msg, ref)
	}
	m, err := p.m5424.Parse(msg)
	sm, _ := m.(*rfc5424.SyslogMessage)
	if sm == nil || (err != nil && sm.Message == nil) {
		return h, false
	}
	str := func(s *string) []byte {
		if s == nil || *s == "-" {
			return nil
		}
		return []byte(*s)
	}
	h.Host, h.Program, h.PID, h.Message = str(sm.Hostname), str(sm.Appname), str(sm.ProcID), str(sm.Message)
	if h.Message == nil {
		h.Message = []byte{}
	}
	if sm.Timestamp != nil {
		h.Time = *sm.Timestamp
	} else {
		h.Time = ref
	}
	return h, true
}
