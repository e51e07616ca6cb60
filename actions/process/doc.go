// Package process ends processes by who or what owns them, never by a name
// taken from a log: every process of a local user, of a systemd unit (its
// cgroup), or of a cgroup the config names. It reads /proc and the cgroup
// files itself and signals with kill(2); no program and no shell run.
package process
