# Sources the shipped rule packs read, with Debian's default locations.
# Load them with your config, or declare sources with the same names:
#
#   breachd validate /etc/breachd/breachd.hcl /usr/share/breachd/rules/*.hcl
#
# On Debian 12 without rsyslog, sshd logs only to the journal: replace the
# "auth" file source with
#
#   source "journald" "auth" {
#     match = ["_SYSTEMD_UNIT=ssh.service", "+", "SYSLOG_FACILITY=10", "+", "SYSLOG_FACILITY=4"]
#   }

source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}
