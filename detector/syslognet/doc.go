// Package syslognet receives syslog messages over the network: UDP
// datagrams, and TCP streams framed by octet counting or by newlines (RFC
// 6587, detected per frame). It caps message size and connections, and
// queues messages for one consumer; when the consumer falls behind, new
// messages are dropped and counted rather than buffered without bound.
// It parses nothing: the detector parses what it delivers. A Server's
// sockets, queue and connections live until Close, across any number of
// consecutive Runs, so a daemon can hand them from one config to the next.
package syslognet
