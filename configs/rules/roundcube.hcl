# Roundcube webmail login failures, per client address (`ip`). Written from
# roundcube/roundcubemail 0.5 to 1.6 and master: rcube_imap.php connect()
# and rcmail.php log_login(), written by rcube::log_bug()/write_log(); see
# docs/rules.md "The roundcube pack".

# Roundcube's own logs (log_driver "file", the default): Debian's
# roundcube package writes /var/log/roundcube/errors.log and, with
# log_logins, userlogins.log (no ".log" before 1.4: errors, userlogins;
# Red Hat's /var/log/roundcubemail/). rcube::write_log() writes
# "[%s]: %s" with log_date_format's default "d-M-Y H:i:s O", then, with
# log_session_id (default 8, since 1.1), "<8 characters of the session id> ".
source "file" "roundcube" {
  paths       = ["/var/log/roundcube/errors.log", "/var/log/roundcube/userlogins.log", "/var/log/roundcube/errors", "/var/log/roundcube/userlogins", "/var/log/roundcubemail/errors.log", "/var/log/roundcubemail/userlogins.log", "/var/log/roundcubemail/errors", "/var/log/roundcubemail/userlogins"]
  format      = "regex"
  pattern     = "^\\[(?P<time>\\d{2}-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4})\\]: (?:<(?P<session>[0-9A-Za-z]+)> )?(?P<message>.*)$"
  time_layout = "02-Jan-2006 15:04:05 -0700"
}

# Replaces fail2ban's roundcube-auth jail.
# - rcube_imap.php connect(): when the IMAP server refuses the login (and
#   log_logins is off), rcube::raise_error() of "Login failed for %s from
#   %s. %s" (0.5-1.3.1) or "Login failed for %s against %s from %s. %s"
#   (1.3.2+: the IMAP host), the user name, rcube_utils::remote_ip() and
#   the IMAP server's error, which log_bug() writes as "IMAP Error: MESSAGE
#   in FILE on line N (METHOD URI)".
# - rcmail.php log_login() to userlogins (log_logins = true, 1.0+): "Failed
#   login for %s from %s in session %s (error: %d)".
# remote_ip() is REMOTE_ADDR, then " (X-Real-IP: …,X-Forwarded-For: …)"
# when the request had those headers (without the space before 1.x): the
# headers are the client's, in parentheses after the address. Behind a
# reverse proxy on the same host REMOTE_ADDR is the proxy: a loopback
# address is not counted (blocking it would cut the proxy off), so such a
# setup needs the proxy's own log.
# - The fail2ban plugin for Roundcube 0.3+ (mattrude/rc-plugin-fail2ban
#   fail2ban.php, its login_failed hook): 1.0-1.1 (2011) "FAILED login for %s from %s", 1.2+ (2014)
#   "[roundcube] FAILED login for %s from %s", the user name and
#   getenv('REMOTE_ADDR'), appended to LOG_DIR/userlogins as
#   "[d-M-Y H:i:s O]: MESSAGE", or with log_driver "syslog" sent by
#   syslog(LOG_WARNING) under Roundcube's syslog_id. The address ends the
#   line, so it is the last " from " on it.
# Safety: the user name is the client's and precedes the address; in the
# IMAP line the server's error after it may echo the user name too. The
# address is the first " from ADDR. " (or " from ADDR (") after the fixed
# prefix that is not followed by "from " (the error Roundcube writes after
# the address never starts so: "AUTHENTICATE MECH: …", "LOGIN: …" from
# rcube_imap_generic.php, or its own or the server's texts written before
# any credential is sent), and the line is counted only when the rest
# holds no other such address: a user name holding " from 10.9.9.9. " is
# either before the real one (which then follows, in the rest) or echoed
# after it, and the line is not read; one ending in " from 10.9.9.9." is
# followed by " from " and the real address, which is taken. The real
# address is always followed by a non-empty error, so a candidate right
# before log_bug()'s " in FILE on line N (METHOD URI)" at the end of the
# line (the server echoing such a user name) is not the real one and is
# left out of the rest; a line without that tail ending in " from ADDR"
# (cut by the syslog daemon) is not read. The userlogins line ends in the server's session id
# and error code, so its address is the last " from ADDR" before them.
rule "roundcube-auth-failures" {
  source = "roundcube"
  match = [
    "^IMAP Error: Login failed for (?P<user>.*?)(?: against (?P<server>\\S+))? from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))?(?P<error>\\. (?:[^f]|f[^r]|fr[^o]|fro[^m]|from[^ ]).*?)(?:(?: from (?i:::ffff:)?[0-9A-Fa-f:.]+\\.)? in \\S+ on line \\d+ \\([^()]*\\))?$",
    "^Failed login for (?P<user>.*) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))? in session [0-9A-Za-z-]+ \\(error: (?P<code>-?\\d+)\\)$",
    "^(?:\\[roundcube\\] )?FAILED login for (?P<user>.*) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  where = "is_ip(ip) && !is_loopback_ip(ip) && !(error matches ' from (?i:::ffff:)?[0-9A-Fa-f:.]+(?: ?\\\\(|\\\\. )') && !(error != '' && line matches ' from (?i:::ffff:)?[0-9A-Fa-f:.]+\\\\.?$')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Roundcube webmail login brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same with log_driver "syslog": rcube::write_log() calls syslog() with
# the message alone (syslog_id "roundcube", syslog_facility LOG_USER: on
# Debian in /var/log/syslog), the session id first when set.
rule "roundcube-syslog-auth-failures" {
  source = "syslog"
  match = [
    "^IMAP Error: Login failed for (?P<user>.*?)(?: against (?P<server>\\S+))? from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))?(?P<error>\\. (?:[^f]|f[^r]|fr[^o]|fro[^m]|from[^ ]).*?)(?:(?: from (?i:::ffff:)?[0-9A-Fa-f:.]+\\.)? in \\S+ on line \\d+ \\([^()]*\\))?$",
    "^<[0-9A-Za-z]+> IMAP Error: Login failed for (?P<user>.*?)(?: against (?P<server>\\S+))? from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))?(?P<error>\\. (?:[^f]|f[^r]|fr[^o]|fro[^m]|from[^ ]).*?)(?:(?: from (?i:::ffff:)?[0-9A-Fa-f:.]+\\.)? in \\S+ on line \\d+ \\([^()]*\\))?$",
    "^Failed login for (?P<user>.*) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))? in session [0-9A-Za-z-]+ \\(error: (?P<code>-?\\d+)\\)$",
    "^<[0-9A-Za-z]+> Failed login for (?P<user>.*) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: ?\\((?P<forwarded>[^()]*)\\))? in session [0-9A-Za-z-]+ \\(error: (?P<code>-?\\d+)\\)$",
    "^(?:\\[roundcube\\] )?FAILED login for (?P<user>.*) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  where = "program == 'roundcube' && is_ip(ip) && !is_loopback_ip(ip) && !(error matches ' from (?i:::ffff:)?[0-9A-Fa-f:.]+(?: ?\\\\(|\\\\. )') && !(error != '' && line matches ' from (?i:::ffff:)?[0-9A-Fa-f:.]+\\\\.?$')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Roundcube webmail login brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
