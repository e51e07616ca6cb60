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

# node_exporter on this host, for the metric packs.
source "scrape" "node" {
  targets  = ["http://127.0.0.1:9100/metrics"]
  interval = "15s"
  metrics  = ["node_network_transmit_bytes_total", "node_network_receive_bytes_total"]
  labels   = ["device"]
}

# Web server access logs in the combined format (nginx's default; Apache's
# "combined"), or Apache's "vhost_combined" (Debian's other_vhosts_access.log:
# "HOST:PORT " first, as `vhost`). The client address is the first field
# after it: nothing in the request can move it. The user name of basic
# auth is logged unescaped and may hold spaces: it runs to the first
# " [DATE] \"" (quotes inside it, the request or the user agent are
# escaped by the servers: \x22 by nginx, \" by Apache, and an escaped
# quote is read as part of its field, never as its end). An IPv4-mapped
# client is reported as IPv4, as every pack does.
source "file" "web" {
  paths       = ["/var/log/nginx/access.log", "/var/log/nginx/*access.log", "/var/log/apache2/access.log", "/var/log/apache2/*access.log"]
  format      = "regex"
  pattern     = "^(?:(?P<vhost>[^ \"]+:\\d+) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) \\S+ (?P<remote_user>.*?) \\[(?P<time>\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4})\\] \"(?P<message>(?P<method>[A-Z]+) (?P<path>(?:[^\\s\"\\\\]|\\\\.)+)(?: (?:[^\"\\\\]|\\\\.)*)?|(?:[^\"\\\\]|\\\\.)*)\" (?P<status>\\d{3}) (?P<bytes>\\d+|-)(?: \"(?P<referer>(?:[^\"\\\\]|\\\\.)*)\" \"(?P<agent>(?:[^\"\\\\]|\\\\.)*)\")?"
  time_layout = "02/Jan/2006:15:04:05 -0700"
}

# Application logs, for the sensitive-data pack: every file under
# /var/log/app/ (point it at your applications' logs). Raw, so the rules
# see the whole line: a card number in any JSON key, not only the message.
source "file" "app" {
  paths  = ["/var/log/app/*.log"]
  format = "raw"
}

# Mail: Postfix and Dovecot write to the mail log through syslog.
source "file" "mail" {
  paths  = ["/var/log/mail.log"]
  format = "syslog"
}

# Everything else syslog writes: daemons that log to the daemon, ftp,
# local0-7 facilities (named, pure-ftpd, openvpn, ...). /var/log/syslog on
# Debian, /var/log/messages on Red Hat and SUSE.
source "file" "syslog" {
  paths  = ["/var/log/syslog", "/var/log/messages"]
  format = "syslog"
}

# MySQL and MariaDB error logs; MySQL 8 starts each line with an RFC 3339
# time, which becomes the event's time.
source "file" "mysql" {
  paths   = ["/var/log/mysql/error.log"]
  format  = "regex"
  pattern = "^(?:(?P<time>\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:\\d\\d))|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d|\\d{6} {1,2}\\d{1,2}:\\d\\d:\\d\\d)?\\s*(?P<message>.*)$"
}

# PostgreSQL logs with Debian's log_line_prefix ('%m [%p] %q%u@%d ').
source "file" "postgresql" {
  paths = ["/var/log/postgresql/postgresql-*-main.log"]
}
