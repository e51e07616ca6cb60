# Variants of every message ftp.hcl reads, one test each, as ProFTPD
# 1.2-1.3.9 (modules/mod_auth.c, src/log.c), vsftpd 1.1-3.0 (logging.c,
# sysutil.c), Pure-FTPd 1.0 (src/ftpd.c, messages_en.h), WU-FTPD 2.8.0
# (src/ftpd.c) and krb5-appl's gssftpd (appl/gssftp/ftpd/ftpd.c) write
# them (the log call cited per test) or as real servers logged them in
# fail2ban's samples (Debian fail2ban 1.0.2, tests/files/logs/proftpd,
# vsftpd, pure-ftpd, wuftpd, gssftpd, line cited; addresses replaced by
# documentation ones, injected ones by 10.9.9.x).
#
#   breachd test configs/rules/ftp_variants_test.hcl

config = ["sources.hcl", "ftp.hcl"]

# mod_auth.c auth_user() "USER %s: no such user found from %s [%s] to %s:%i"; log.c log_write() with the 1.3.5+ time (fail2ban proftpd line 20)
test "1.3.5+: no such user found, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (client.example.net[203.0.113.50]): USER kjsad: no such user found from client.example.net [203.0.113.50] to 192.0.2.21:21"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.50" }
    fields = { user = "kjsad", rdns = "client.example.net" }
  }
}

# mod_auth.c "USER %s (Login failed): Incorrect password" (1.3.5+), IPv6 client
test "1.3.5+: Incorrect password, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (2001:db8::51[2001:db8::51]): USER bob (Login failed): Incorrect password"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "2001:db8::51" }
    fields = { user = "bob" }
  }
}

# before 1.3.5: "%b %d %H:%M:%S" time and a final "."; IPv4 on an IPv6 socket (fail2ban proftpd line 6)
test "before 1.3.5: Incorrect password., IPv4-mapped" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[12345] ftp1.example.com (mail.example.org[::ffff:203.0.113.52]): USER username (Login failed): Incorrect password."
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.52" }
    fields = { user = "username", rdns = "mail.example.org" }
  }
}

# mod_auth.c "USER %s (Login failed): User in " PR_FTPUSERS_PATH (fail2ban proftpd line 2)
test "User in /etc/ftpusers" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[12345] ftp1.example.com (203.0.113.53[203.0.113.53]): USER username (Login failed): User in /etc/ftpusers"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.53" }
    fields = { user = "username" }
  }
}

# mod_auth.c "USER %s (Login failed): Invalid shell: '%s'"
test "Invalid shell" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.54[203.0.113.54]): USER daemon (Login failed): Invalid shell: '/usr/sbin/nologin'"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.54" }
    fields = { user = "daemon" }
  }
}

# mod_auth.c "USER %s (Login failed): Limit access denies login"
test "Limit access denies login" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.55[203.0.113.55]): USER guest (Login failed): Limit access denies login"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.55" }
    fields = { user = "guest" }
  }
}

# mod_auth.c "SECURITY VIOLATION: root login attempted." before 1.3.5 (fail2ban proftpd line 10)
test "before 1.3.5: SECURITY VIOLATION: root login attempted." {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[12345] ftp1.example.com (::ffff:203.0.113.56[::ffff:203.0.113.56]): SECURITY VIOLATION: root login attempted."
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.56" }
    fields = { target = "root" }
  }
}

# mod_auth.c and mod_sftp auth.c "SECURITY VIOLATION: Root login attempted" 1.3.5+
test "1.3.5+: SECURITY VIOLATION: Root login attempted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.57[203.0.113.57]): SECURITY VIOLATION: Root login attempted"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.57" }
    fields = { target = "Root" }
  }
}

# mod_auth.c "Maximum login attempts (%u) exceeded, connection refused"
test "Maximum login attempts exceeded" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.58[203.0.113.58]): Maximum login attempts (3) exceeded, connection refused"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule = "proftpd-auth-failures"
    key  = { ip = "203.0.113.58" }
  }
}

# log.c with LogOptions -VirtualHost -Hostname +RoleBasedProcessLabels (1.3.7+): no vhost, label session
test "role-based label, no vhost, no host" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 session[25891] (203.0.113.59[203.0.113.59]): USER eve: no such user found from 203.0.113.59 [203.0.113.59] to 192.0.2.21:21"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.59" }
    fields = { user = "eve" }
  }
}

# fail2ban proftpd line 12: a user name holding a second "(NAME[ADDR]): "; the address is the first, written by log_write()
test "hostile user name holding (NAME[ADDR]): is not the source" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[12345] ftp1.example.com (::ffff:203.0.113.60[::ffff:203.0.113.60]): USER ftp1 proftpd[17424] ftp1 (x[10.9.9.5]): no such user found from ::ffff:203.0.113.60 [::ffff:203.0.113.60] to ::ffff:192.0.2.21:21"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule = "proftpd-auth-failures"
    key  = { ip = "203.0.113.60" }
  }
}

# a user name holding the whole tail of the message, with another address
test "hostile user name holding 'no such user found from ADDR'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.61[203.0.113.61]): USER a: no such user found from 10.9.9.6 [10.9.9.6] to 10.9.9.6:21: no such user found from 203.0.113.61 [203.0.113.61] to 192.0.2.21:21"
    repeat = 5
    every  = "1s"
    source = "proftpd"
  }
  expect {
    rule   = "proftpd-auth-failures"
    key    = { ip = "203.0.113.61" }
    fields = { user = "a: no such user found from 10.9.9.6 [10.9.9.6] to 10.9.9.6:21" }
  }
}

# mod_auth.c: a login, and the PAM/credential service failing (the server's trouble, not counted, as fail2ban)
test "logins and service errors are not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.62[203.0.113.62]): USER alice: Login successful."
    repeat = 6
    every  = "1s"
    source = "proftpd"
  }
  expect_none { rule = "proftpd-auth-failures" }
}

# mod_auth.c "USER %s (Login failed): Unavailable authentication service"
test "Unavailable authentication service is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.63[203.0.113.63]): USER alice (Login failed): Unavailable authentication service"
    repeat = 6
    every  = "1s"
    source = "proftpd"
  }
  expect_none { rule = "proftpd-auth-failures" }
}

# mod_auth.c "ANON %s (Login failed): Limit access denies login" (anonymous access closed by configuration; fail2ban does not count it either)
test "ANON limit denial is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00,121 ftp1 proftpd[25891] ftp1.example.com (203.0.113.64[203.0.113.64]): ANON anonymous (Login failed): Limit access denies login"
    repeat = 6
    every  = "1s"
    source = "proftpd"
  }
  expect_none { rule = "proftpd-auth-failures" }
}

# log.c log_write() through syslog: "%s - %s" (fail2ban proftpd line 16)
test "syslog: Incorrect password" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[15302]: ftp1.example.com (client.example.net[::ffff:203.0.113.65]) - USER bob (Login failed): Incorrect password"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "proftpd-syslog-auth-failures"
    key    = { ip = "203.0.113.65" }
    fields = { user = "bob" }
  }
}

# fail2ban proftpd line 14 (vhost "xxxxxxxxxx")
test "syslog: Maximum login attempts (N) exceeded" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail proftpd[15302]: xxxxxxxxxx (::ffff:203.0.113.66[::ffff:203.0.113.66]) - Maximum login attempts (3) exceeded "
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule = "proftpd-syslog-auth-failures"
    key  = { ip = "203.0.113.66" }
  }
}

# another program's line of the same shape is not ProFTPD's
test "syslog: another program is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 other[1]: ftp1 (x[203.0.113.67]) - USER bob (Login failed): Incorrect password"
    repeat = 6
    every  = "1s"
    source = "syslog"
  }
  expect_none { rule = "proftpd-syslog-auth-failures" }
}

# logging.c vsf_log_do_log_vsftpd_format(): date, [pid N], [USER] FAIL LOGIN: Client "ADDR" (fail2ban vsftpd line 11)
test "vsftpd.log: FAIL LOGIN, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 27202] [anonymous] FAIL LOGIN: Client \"203.0.113.70\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "203.0.113.70" }
    fields = { user = "anonymous" }
  }
}

# listen_ipv6=YES (Debian's default): ::ffff:a.b.c.d; Red Hat's userlist message (fail2ban vsftpd line 17)
test "vsftpd.log: IPv4-mapped, with a server message" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15019] [guest] FAIL LOGIN: Client \"::ffff:203.0.113.71\", \"User is not in the allow user list.\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "203.0.113.71" }
    fields = { user = "guest" }
  }
}

# vsftpd over IPv6
test "vsftpd.log: IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15020] [carol] FAIL LOGIN: Client \"2001:db8::72\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "2001:db8::72" }
    fields = { user = "carol" }
  }
}

# sysutil.c vsf_sysutil_get_current_date(): the day padded with a space
test "vsftpd.log: a day padded with a space" {
  start = "2026-11-02T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov  2 10:00:00 2026 [pid 15021] [dave] FAIL LOGIN: Client \"203.0.113.73\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "203.0.113.73" }
    fields = { user = "dave" }
  }
}

# logging.c: an anonymous login refused with its password (deny_email_enable); the password is the client's
test "vsftpd.log: anon password" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15022] [ftp] FAIL LOGIN: Client \"203.0.113.74\", anon password \"a@b\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "203.0.113.74" }
    fields = { user = "ftp" }
  }
}

# the user name comes first: one holding a whole FAIL LOGIN with another address leaves the real one last
test "vsftpd.log: hostile user name holding FAIL LOGIN: Client" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15023] [x] FAIL LOGIN: Client \"10.9.9.7\", \"y] FAIL LOGIN: Client \"203.0.113.75\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule   = "vsftpd-auth-failures"
    key    = { ip = "203.0.113.75" }
    fields = { user = "x] FAIL LOGIN: Client \"10.9.9.7\", \"y" }
  }
}

# an anonymous password cannot swallow the real address: it has no quotes
test "vsftpd.log: hostile user name with an anon password tail" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15024] [x] FAIL LOGIN: Client \"10.9.9.8\", anon password \"z] FAIL LOGIN: Client \"203.0.113.76\", anon password \"q\""
    repeat = 5
    every  = "1s"
    source = "vsftpd"
  }
  expect {
    rule = "vsftpd-auth-failures"
    key  = { ip = "203.0.113.76" }
  }
}

# logging.c: successful logins and connections are not failures
test "vsftpd.log: OK LOGIN and CONNECT are not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 [pid 15025] [alice] OK LOGIN: Client \"203.0.113.77\""
    repeat = 6
    every  = "1s"
    source = "vsftpd"
  }
  expect_none { rule = "vsftpd-auth-failures" }
}

# logging.c with syslog_enable=YES: no date nor pid in the message (ident vsftpd)
test "syslog: vsftpd FAIL LOGIN" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[811]: [bob] FAIL LOGIN: Client \"::ffff:203.0.113.78\""
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "vsftpd-syslog-auth-failures"
    key    = { ip = "203.0.113.78" }
    fields = { user = "bob" }
  }
}

# ftpd.c logfile() "(%s@%s) [WARNING] " and MSG_AUTH_FAILED_LOG (fail2ban pure-ftpd line 1)
test "pure-ftpd: Authentication failed, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 desktop pure-ftpd: (?@203.0.113.80) [WARNING] Authentication failed for user [Administrator]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "pure-ftpd-auth-failures"
    key    = { ip = "203.0.113.80" }
    fields = { user = "Administrator" }
  }
}

# pure-ftpd over IPv6 (getnameinfo NI_NUMERICHOST), with its pid
test "pure-ftpd: IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 pure-ftpd[4242]: (?@2001:db8::81) [WARNING] Authentication failed for user [admin]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "pure-ftpd-auth-failures"
    key    = { ip = "2001:db8::81" }
    fields = { user = "admin" }
  }
}

# pure-ftpd resolves the client unless -H: the host is its name
test "pure-ftpd: host name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 pure-ftpd[4242]: (?@client.example.net) [WARNING] Authentication failed for user [admin]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule = "pure-ftpd-auth-failures"
    key  = { ip = "client.example.net" }
  }
}

# the account is written after the host: a name holding "(?@ADDR)" is not the source
test "pure-ftpd: hostile user name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 pure-ftpd[4242]: (?@203.0.113.82) [WARNING] Authentication failed for user [x] (?@10.9.9.9) [WARNING] Authentication failed for user [y]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule = "pure-ftpd-auth-failures"
    key  = { ip = "203.0.113.82" }
  }
}

# ftpd.c: connections and logins are not failures
test "pure-ftpd: a login is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 pure-ftpd[4242]: (alice@203.0.113.83) [INFO] alice is now logged in"
    repeat = 6
    every  = "1s"
    source = "syslog"
  }
  expect_none { rule = "pure-ftpd-auth-failures" }
}

# older WU-FTPD releases: "failed login from %s", remoteident "HOST [ADDR]" (fail2ban wuftpd line 3)
test "wu-ftpd: failed login from HOST [ADDR]" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 myserver wu-ftpd[18760]: failed login from client.example.net [203.0.113.90]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "wuftpd-auth-failures"
    key    = { ip = "203.0.113.90" }
    fields = { rdns = "client.example.net" }
  }
}

# ftpd.c 2.8.0 (LOG_FAILED): "failed login from %s, %s" with the existing user (upstream ident ftpd)
test "wu-ftpd 2.8: with the user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 ftpd[2360]: failed login from client.example.net [203.0.113.91], bob"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "wuftpd-auth-failures"
    key    = { ip = "203.0.113.91" }
    fields = { user = "bob" }
  }
}

# ftpd.c: "[unknown]" for a user that does not exist
test "wu-ftpd 2.8: an unknown user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 wu-ftpd[2361]: failed login from 203.0.113.92 [203.0.113.92], [unknown]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "wuftpd-auth-failures"
    key    = { ip = "203.0.113.92" }
    fields = { user = "[unknown]" }
  }
}

# ftpd.c remoteident with RFC 931: "IDENT @ HOST [ADDR]"; the ident answer is the client's, and holds an address here
test "wu-ftpd: hostile RFC 931 ident" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 wu-ftpd[2362]: failed login from [10.9.9.10] @ client.example.net [203.0.113.93], bob"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule = "wuftpd-auth-failures"
    key  = { ip = "203.0.113.93" }
  }
}

# wu-ftpd over IPv6
test "wu-ftpd: IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 wu-ftpd[2363]: failed login from client.example.net [2001:db8::94]"
    repeat = 5
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule = "wuftpd-auth-failures"
    key  = { ip = "2001:db8::94" }
  }
}

# krb5-appl gssftp/ftpd/ftpd.c pass(): "repeated login failures from %s (%s)" after 3 failures (fail2ban gssftpd line 1)
test "gssftpd: repeated login failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 host ftpd[132]: repeated login failures from 203.0.113.95 (client.example.net)"
    repeat = 2
    every  = "1s"
    source = "syslog"
  }
  expect {
    rule   = "gssftpd-auth-failures"
    key    = { ip = "203.0.113.95" }
    fields = { rdns = "client.example.net" }
  }
}

# wu-ftpd's own "repeated login failures from HOST [ADDR]" (after its failed login lines) and its connection line are not counted twice
test "wu-ftpd: connection and repeated-failures lines are not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 wu-ftpd[2364]: connection from client.example.net [203.0.113.96]"
    repeat = 6
    every  = "1s"
    source = "syslog"
  }
  expect_none { rule = "wuftpd-auth-failures" }
  expect_none { rule = "gssftpd-auth-failures" }
}

# gssftpd's line from another program is not read
test "gssftpd: another program is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 host other[132]: repeated login failures from 203.0.113.97 (client.example.net)"
    repeat = 6
    every  = "1s"
    source = "syslog"
  }
  expect_none { rule = "gssftpd-auth-failures" }
}
