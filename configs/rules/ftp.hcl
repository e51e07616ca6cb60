# FTP servers: failed logins of ProFTPD, vsftpd and Pure-FTPd, per client
# address (`ip`). The address is taken from the part of each line the
# server writes before or after the client's text, never from the text
# the client chose (the USER argument, an anonymous password). The PAM
# lines these servers cause (pam_unix(vsftpd:auth), ...) are counted by
# pam-auth-failures in accounts.hcl, from the auth log.

# ProFTPD's SystemLog, where Debian's proftpd.conf sends it. Each line
# carries its own time ("2013-11-16 21:59:30,121 host proftpd[N] ..." since
# 1.3.5, "Nov 16 21:59:30 host proftpd[N] ..." before): auto reads it as a
# timestamped file.
source "file" "proftpd" {
  paths = ["/var/log/proftpd/proftpd.log"]
}

# vsftpd's own log (vsftpd_log_file, with xferlog_std_format=NO or
# dual_log_enable=YES and syslog_enable=NO): "Fri Jan 19 12:20:33 2007
# [pid 27202] MESSAGE" (logging.c vsf_log_do_log_vsftpd_format, the date of
# sysutil.c vsf_sysutil_get_current_date, "%a %b %e %H:%M:%S %Y").
source "file" "vsftpd" {
  paths       = ["/var/log/vsftpd.log"]
  format      = "regex"
  pattern     = "^(?P<time>[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}) \\[pid \\d+\\] (?P<message>.*)$"
  time_layout = "Mon Jan _2 15:04:05 2006"
}

# ProFTPD 1.2.x-1.3.9 (mod_auth.c, mod_sftp/auth.c), in its SystemLog file;
# replaces fail2ban's proftpd jail. src/log.c log_write() writes "[TIME ]
# [HOST ]LABEL[PID] [VHOST ](NAME[ADDR]): MESSAGE" (TIME "%Y-%m-%d
# %H:%M:%S,mmm" since 1.3.5, "%b %d %H:%M:%S" before; LABEL proftpd, or
# daemon/session with role-based process labels). NAME is the client's
# reverse DNS name or its address; ADDR pr_netaddr_get_ipstr(), which is
# ::ffff:a.b.c.d for IPv4 on an IPv6 socket (reported as a.b.c.d). The
# messages (pr_log_auth):
# - "USER %s: no such user found from %s [%s] to %s:%i"
# - "USER %s (Login failed): Incorrect password|No such user found|Password
#   expired|Account disabled|Invalid shell: '%s'|User in /etc/ftpusers|Limit
#   access denies login|Not a UserAlias|maximum USER length exceeded" (a
#   final "." before 1.3.5)
# - "USER %s: Limit access|configuration denies login", "USER %s: user is
#   not a UserAlias from %s [%s] to %s:%i"
# - "SECURITY VIOLATION: root login attempted." (before 1.3.5), "Root login
#   attempted" (1.3.5+, and mod_sftp)
# - "Maximum login attempts (%u) exceeded[, connection refused]"
# Not counted (as fail2ban): ANON denials, and the PAM/credential service
# errors ("Unavailable authentication service", ...), the server failing.
# Safety: the address is the first "(NAME[ADDR])" after the fixed prefix;
# the user name (the client's text, any characters) comes after it, so a
# user name holding "(x[10.0.0.1]): " never becomes the source.
rule "proftpd-auth-failures" {
  source = "proftpd"
  match = [
    "^(?:(?:(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}|[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d) )?(?:\\S+ )?(?:proftpd|session|daemon)\\[\\d+\\] )?(?:\\S+ )?\\((?P<rdns>[^\\[\\]()\\s]*)\\[(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\]\\)(?::| -) (?:USER (?P<user>.*?)(?: \\(Login failed\\))?: (?:(?:no such user found|user is not a UserAlias) from \\S* \\[[0-9A-Fa-f:.]+\\] to [0-9A-Fa-f:.]+:\\d+|No such user found|Incorrect password|Password expired|Account disabled|Invalid shell: '.*'|User in \\S+|Limit (?:access|configuration) denies login|Not a UserAlias|maximum USER length exceeded)\\.?|SECURITY VIOLATION: (?P<target>[Rr]oot) login attempted\\.?|Maximum login attempts \\(\\d+\\) exceeded(?:, connection refused)?)\\s*$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on ProFTPD from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# ProFTPD without a SystemLog (or with SyslogFacility) logs through syslog
# (ident proftpd, facility ftp: /var/log/syslog on Debian): src/log.c
# log_write() writes "[VHOST ](NAME[ADDR]) - MESSAGE", the messages of
# proftpd-auth-failures.
rule "proftpd-syslog-auth-failures" {
  source = "syslog"
  match = [
    "^(?:\\S+ )?\\((?P<rdns>[^\\[\\]()\\s]*)\\[(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\]\\) - (?:USER (?P<user>.*?)(?: \\(Login failed\\))?: (?:(?:no such user found|user is not a UserAlias) from \\S* \\[[0-9A-Fa-f:.]+\\] to [0-9A-Fa-f:.]+:\\d+|No such user found|Incorrect password|Password expired|Account disabled|Invalid shell: '.*'|User in \\S+|Limit (?:access|configuration) denies login|Not a UserAlias|maximum USER length exceeded)\\.?|SECURITY VIOLATION: (?P<target>[Rr]oot) login attempted\\.?|Maximum login attempts \\(\\d+\\) exceeded(?:, connection refused)?)\\s*$",
  ]
  where = "program == 'proftpd' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on ProFTPD from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# vsftpd 1.1-3.0 failed logins, in its own log; replaces fail2ban's vsftpd
# jail. logging.c vsf_log_do_log_vsftpd_format(): "[USER] FAIL LOGIN:
# Client "ADDR"[, anon password "PASS"][, "MESSAGE"]" after the date and
# "[pid N]" (the source's pattern); USER is the name the client typed
# (brackets omitted when empty), ADDR the connection's address
# (::ffff:a.b.c.d on Debian's listen_ipv6=YES, reported as a.b.c.d),
# MESSAGE a server text (Red Hat's "User is not in the allow user list.").
# Safety: the user name comes first and may hold anything, so it is taken
# lazily and the rest must be exactly the server's: the closing quote of
# the address, then only quoted texts without quotes. A user name holding
# 'FAIL LOGIN: Client "10.0.0.1"' leaves a second, real 'Client "ADDR"' that
# no quoted text can swallow, so the real address is the one taken.
rule "vsftpd-auth-failures" {
  source = "vsftpd"
  match  = "^(?:\\[(?P<user>.*?)\\] )?FAIL LOGIN: Client \"(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\"(?:, anon password \"[^\"]*\")?(?:, \"[^\"]*\")?\\s*$"
  where  = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on vsftpd from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# vsftpd with syslog_enable=YES: the same message without the date and pid
# (logging.c), through syslog (ident vsftpd, facility ftp or daemon:
# /var/log/syslog on Debian).
rule "vsftpd-syslog-auth-failures" {
  source = "syslog"
  match  = "^(?:\\[(?P<user>.*?)\\] )?FAIL LOGIN: Client \"(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\"(?:, anon password \"[^\"]*\")?(?:, \"[^\"]*\")?\\s*$"
  where  = "program == 'vsftpd' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on vsftpd from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Pure-FTPd 1.0.x failed logins; replaces fail2ban's pure-ftpd jail.
# ftpd.c logfile() writes through syslog (ident pure-ftpd, facility ftp:
# /var/log/syslog on Debian) "(%s@%s) [WARNING] " and the message: the
# account ("?" before a login) and the client's host (its address, or its
# reverse DNS name unless -H), then MSG_AUTH_FAILED_LOG, "Authentication
# failed for user [%s]" (messages_en.h; ftpd.c dopass()). Other languages
# (--with-language) are not read. Safety: the host is written before the
# user name, so a user name holding "(?@10.0.0.1)" never becomes the source.
rule "pure-ftpd-auth-failures" {
  source = "syslog"
  match  = "^\\([^@()\\s]*@(?:::ffff:)?(?P<ip>[0-9A-Za-z:._-]+)\\) \\[WARNING\\] Authentication failed for user \\[(?P<user>.*)\\]\\s*$"
  where  = "program == 'pure-ftpd'"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on Pure-FTPd from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# WU-FTPD failed logins; replaces fail2ban's wuftpd jail. 2.8.0-CC5's
# src/ftpd.c (LOG_FAILED): "failed login from %s, %s" (the user when the
# account exists, else "[unknown]"); older releases wrote "failed login
# from %s" (real lines in fail2ban's sample). Both with
# remoteident "[IDENT @ ]HOST [ADDR]" (IDENT from RFC 931, when enabled),
# through syslog (ident ftpd; Debian's build wu-ftpd; facility ftp:
# /var/log/syslog on Debian). The PAM line it causes is counted by
# pam-auth-failures. Safety: ADDR is the bracket after the host name the
# server resolved (no spaces) and before the user, which is an existing
# account (no spaces or commas) or "[unknown]"; an ident answer with spaces
# does not match.
rule "wuftpd-auth-failures" {
  source = "syslog"
  match  = "^failed login from (?:\\S+ @ )?(?P<rdns>[^\\s\\[\\]]+) \\[(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?:, (?P<user>[^\\s,]+))?\\s*$"
  where  = "program in ['wu-ftpd', 'ftpd', 'wu.ftpd', 'in.ftpd'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on WU-FTPD from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# MIT Kerberos' gssftpd (ftpd.c pass(), krb5-appl appl/gssftp/ftpd): after
# 3 failed passwords on one connection, "repeated login failures from %s
# (%s)", the address (rhost_addra) and the host name, then the connection
# is closed; through syslog (ident ftpd, facility daemon: /var/log/syslog on
# Debian 12). Replaces fail2ban's gssftpd jail. One line stands for 3
# failures, so 2 lines (6 failures, 2 connections) make a finding.
rule "gssftpd-auth-failures" {
  source = "syslog"
  match  = "^repeated login failures from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) \\((?P<rdns>[^()\\s]*)\\)\\s*$"
  where  = "program == 'ftpd' && is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "FTP login brute force on gssftpd from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
