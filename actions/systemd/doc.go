// Package systemd takes a service down through systemd's D-Bus API
// (go-systemd), never by running systemctl: stop the unit (and its socket,
// so socket activation cannot start it again), or also disable or mask it,
// waiting for each job's result. The revert restores what the unit was:
// unmasked, enabled again if it was, started again if it was running.
package systemd
