// Package parse reads structure out of log lines without copying them: the
// header of syslog-style file lines (timestamp, host, program, pid) and
// where the message starts, and the keys of JSON and logfmt lines. Parsers
// return subslices of the line and allocate nothing, because every line
// read goes through them.
//
// The syslog header shapes are those real daemons and programs write to
// files: "Mmm dd hh:mm:ss" with the day padded or not, ISO 8601 and RFC
// 3339 stamps (Debian 12), with or without a leading <PRI>, with or without
// a host (busybox syslogd -S, dovecot's own log file), Solaris message IDs,
// BSD syslogd -v and busybox facility.level words, and RFC 5424 lines
// ("<PRI>1 ..."). docs/sources.md lists them with where each comes from.
// The syslog network protocol (framing, and RFC 5424 through go-syslog) is
// handled where messages arrive over the network.
package parse
