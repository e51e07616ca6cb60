// Package journal follows the systemd journal by running journalctl
// --follow --output=json as a child process (never through a shell) and
// decoding its entries: MESSAGE (text or binary), _HOSTNAME,
// SYSLOG_IDENTIFIER (or _COMM), _PID, the realtime timestamp and the
// cursor. It resumes after a cursor, restarts journalctl with backoff if it
// exits, and lets back-pressure work: when the handler is slow, journalctl
// blocks on the pipe and the journal itself is the buffer.
//
// A Reader runs in the goroutine that calls Run and calls its callbacks
// from there.
package journal
