package configs

import (
	"fmt"
	"net"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// SyslogSource is a syslog receiver: where it listens and its caps.
type SyslogSource struct {
	// UDP and TCP are listen addresses; at least one is set.
	UDP, TCP string
	// MaxMessageBytes caps a message; longer ones are cut and counted.
	MaxMessageBytes int
	// MaxConnections caps concurrent TCP connections.
	MaxConnections int
}

// Defaults of a syslog source.
const (
	DefaultSyslogMaxMessageBytes = 64 << 10
	DefaultSyslogMaxConnections  = 256
	maxSyslogMessageBytes        = 1 << 20
)

type syslogBody struct {
	UDP           *string   `hcl:"listen_udp,optional"`
	UDPRange      hcl.Range `hcl:"listen_udp,attr_value_range"`
	TCP           *string   `hcl:"listen_tcp,optional"`
	TCPRange      hcl.Range `hcl:"listen_tcp,attr_value_range"`
	MaxMessage    *int      `hcl:"max_message_bytes,optional"`
	MaxMsgRange   hcl.Range `hcl:"max_message_bytes,attr_value_range"`
	MaxConns      *int      `hcl:"max_connections,optional"`
	MaxConnsRange hcl.Range `hcl:"max_connections,attr_value_range"`
	Timezone      *string   `hcl:"timezone,optional"`
	TimezoneRange hcl.Range `hcl:"timezone,attr_value_range"`
}

func (c *Config) decodeSyslog(b *sourceBlock) (*Source, hcl.Diagnostics) {
	var body syslogBody
	if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
		return nil, d
	}
	var diags hcl.Diagnostics
	sy := &SyslogSource{MaxMessageBytes: DefaultSyslogMaxMessageBytes, MaxConnections: DefaultSyslogMaxConnections}
	s := &Source{Kind: KindSyslog, Name: b.Name, Syslog: sy, Location: time.Local, StartAt: StartAtEnd, DeclRange: b.DefRange}
	addr := func(v *string, rng hcl.Range, proto string) string {
		if v == nil {
			return ""
		}
		if _, port, err := net.SplitHostPort(*v); err != nil || port == "" {
			diags = append(diags, errorAt(rng.Ptr(), "Invalid listen address", fmt.Sprintf("listen_%s is %q; write host:port, e.g. \"0.0.0.0:514\" or \"[::]:514\".", proto, *v)))
		}
		return *v
	}
	sy.UDP = addr(body.UDP, body.UDPRange, "udp")
	sy.TCP = addr(body.TCP, body.TCPRange, "tcp")
	if body.UDP == nil && body.TCP == nil {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "Syslog source listens nowhere", "Set listen_udp, listen_tcp or both, e.g. listen_udp = \"0.0.0.0:514\"."))
	}
	if body.MaxMessage != nil {
		if *body.MaxMessage < 480 || *body.MaxMessage > maxSyslogMessageBytes {
			diags = append(diags, errorAt(body.MaxMsgRange.Ptr(), "Invalid max_message_bytes", fmt.Sprintf("max_message_bytes is %d; use 480 (the least RFC 5424 allows) to %d.", *body.MaxMessage, maxSyslogMessageBytes)))
		}
		sy.MaxMessageBytes = *body.MaxMessage
	}
	if body.MaxConns != nil {
		if *body.MaxConns < 1 {
			diags = append(diags, errorAt(body.MaxConnsRange.Ptr(), "Invalid max_connections", fmt.Sprintf("max_connections is %d; it must be at least 1.", *body.MaxConns)))
		}
		sy.MaxConnections = *body.MaxConns
	}
	if loc, d := decodeTimezone(body.Timezone, body.TimezoneRange); d != nil {
		diags = append(diags, d)
	} else if loc != nil {
		s.Location = loc
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}
