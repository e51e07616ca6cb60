// Package parse reads structure out of log lines without copying them: the
// header of syslog-style file lines (timestamp, host, program, pid) and
// where the message starts. Parsers return subslices of the line and
// allocate nothing, because every line read goes through them.
//
// The syslog network protocol (with <PRI> and RFC 5424 framing) is a
// different job, done where messages arrive over the network; this package
// handles the lines syslog daemons write to files, in the traditional
// "Mmm dd hh:mm:ss" form and the RFC 3339 form Debian 12 uses, with or
// without a leading <PRI>.
package parse
