// Package journaltest writes real systemd journal files for tests, through
// systemd-journal-remote reading the journal export format, so tests follow
// the journal with the real journalctl rather than a fake.
package journaltest
