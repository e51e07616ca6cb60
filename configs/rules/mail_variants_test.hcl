# Variants of every Dovecot and Postfix message mail.hcl reads, one test
# each, as dovecot 1.x-2.3 (dovecot/core src/login-common, src/auth) and
# Postfix 2.x-3.x (src/smtpd, src/postscreen) write them (the log call cited
# per test) or as real servers logged them in fail2ban's samples (Debian
# fail2ban 1.0.2, tests/files/logs/dovecot and postfix, line cited;
# addresses replaced by documentation ones).
#
#   breachd test configs/rules/mail_variants_test.hcl

config = ["sources.hcl", "mail.hcl"]
source = "mail"

# login-common/client-common.c client_get_log_str (user, method, rip, lip, mpid, TLS, session); client-common-auth.c
test "2.3: Disconnected (auth failed, N attempts in N secs), IPv4, TLS, session" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=203.0.113.11, lip=192.0.2.25, TLS, session=<Lk3jZ9cY2tXAqGQ5>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "203.0.113.11" }
    fields = { user = "alice", service = "imap" }
  }
}

# fail2ban tests/files/logs/dovecot line 19 ("in N secs" arrived in 2.2)
test "2.0-2.1: Disconnected (auth failed, N attempts) without 'in N secs'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 2 attempts): user=<username.bob>, method=PLAIN, rip=203.0.113.12, lip=192.0.2.25, TLS"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "203.0.113.12" }
    fields = { user = "username.bob" }
  }
}

# client-common-auth.c "Aborted login"; rip is net_ip2addr (IPv6 unbracketed)
test "Aborted login from IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<bob>, method=LOGIN, rip=2001:db8::13, lip=2001:db8::25, session=<abcd>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "2001:db8::13" }
    fields = { service = "pop3" }
  }
}

# fail2ban tests/files/logs/dovecot line 21
test "no user name (method only), trailing TLS reason" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts): method=PLAIN, rip=203.0.113.14, lip=192.0.2.25, TLS: Disconnected"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.14" }
  }
}

# client-common-auth.c client_get_extra_disconnect_reason; fail2ban dovecot line 23
test "Disconnected: Inactivity (auth failed ...)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: pop3-login: Disconnected: Inactivity (auth failed, 1 attempts): user=<info>, method=PLAIN, rip=203.0.113.15, lip=192.0.2.25"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.15" }
  }
}

# fail2ban dovecot line 116 (the I/O error is the server's text)
test "disconnect reason with parentheses (read(size=N) failed)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected: Connection closed: read(size=1003) failed: Connection reset by peer (auth failed, 1 attempts in 0 secs): user=<test@example.com>, rip=203.0.113.16, lip=192.0.2.25, TLS, session=<XY>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.16" }
  }
}

# 2.3 client-common.c client_get_log_str with the login_aborted reason code
test "2.3: Login aborted: Connection closed (...) (auth_failed)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Login aborted: Connection closed (auth failed, 3 attempts in 6 secs) (auth_failed): user=<dave>, method=PLAIN, rip=203.0.113.17, lip=192.0.2.25, TLS, session=<abcd1237>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.17" }
  }
}

# client-common-auth.c "tried to use disallowed plaintext auth"; fail2ban dovecot line 16
test "plaintext auth refused (disallowed), no user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: pop3-login: Aborted login (tried to use disallowed plaintext auth): rip=203.0.113.18, lip=192.0.2.25, session=<LgDINsQCkttVIMPg>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.18" }
  }
}

# fail2ban dovecot line 13
test "plaintext auth refused (disabled, 2.0)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: pop3-login: Aborted login (tried to use disabled plaintext auth): rip=203.0.113.19, lip=192.0.2.25"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.19" }
  }
}

# fail2ban dovecot line 109
test "Too many invalid commands (tried to use disallowed plaintext auth)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected: Too many invalid commands (tried to use disallowed plaintext auth): user=<test>, rip=203.0.113.20, lip=192.0.2.25, session=<S5dIdTFCDKUWWMbU>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.20" }
  }
}

# login-common/login-proxy.c "proxy dest auth failed"; fail2ban dovecot line 106
test "proxy: the backend refused the password" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (proxy dest auth failed): user=<rtomes@example.com>, method=PLAIN, rip=203.0.113.21, lip=192.0.2.25, session=<NTI4FiZxcQCSud4G>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.21" }
  }
}

# 2.3 submission-login; fail2ban dovecot line 130
test "submission-login: Client has quit the connection" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: submission-login: Client has quit the connection (auth failed, 1 attempts in 2 secs): user=<user1>, method=LOGIN, rip=203.0.113.22, lip=0.0.0.0"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "203.0.113.22" }
    fields = { service = "submission" }
  }
}

# fail2ban dovecot line 132
test "submission-login: Remote closed connection" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: submission-login: Remote closed connection (auth failed, 1 attempts in 2 secs): user=<user4>, method=PLAIN, rip=203.0.113.23, lip=0.0.0.0"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.23" }
  }
}

# log_path with log_timestamp "%b %d %H:%M:%S "; fail2ban dovecot line 82
test "dovecot's own log_path file: 'pop3-login: Info: ...', no lip" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pop3-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): user=<grace>, method=PLAIN, rip=203.0.113.24"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.24" }
  }
}

# client-common.c: the user name (the client's) precedes rip
test "log_path file, IPv6, hostile user name holding 'rip=' and 'lip='" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 imap-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<a, rip=10.9.9.9, lip=10.0.0.1, b>, method=PLAIN, rip=2001:db8::26, lip=2001:db8::25, TLS"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "2001:db8::26" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# client-common.c: the user name (the client's) precedes rip
test "syslog, hostile user name ending in 'rip=ADDR' before the real one" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, rip=10.9.9.8>, method=PLAIN, rip=203.0.113.27, lip=192.0.2.25, TLS, session=<abc>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.27" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# auth/passdb-pam.c "pam_authenticate() failed: %s", prefix from auth-request.c; fail2ban dovecot line 35
test "passdb pam via auth-worker(N): pam_authenticate() failed" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth-worker(304): pam(username,203.0.113.31): pam_authenticate() failed: Authentication failure (password mismatch?)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "203.0.113.31" }
    fields = { passdb = "pam", user = "username" }
  }
}

# auth/passdb-passwd-file.c via auth_request_log_unknown_user; fail2ban dovecot line 44
test "passdb passwd-file: unknown user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: passwd-file(username,203.0.113.32): unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.32" }
  }
}

# auth/passdb-sql.c, auth-request.c "%s(%s,%s,<%s>)"; fail2ban dovecot line 53
test "passdb sql with session id: Password mismatch" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: sql(admin@example.ru,203.0.113.33,<6rXunFtu493AqJDi>): Password mismatch"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.33" }
  }
}

# auth/passdb-ldap.c; fail2ban dovecot line 56
test "passdb ldap: Password mismatch (for LDAP bind) with the SHA1 note" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: ldap(user@server.org,203.0.113.34,<LZmGp6mZaMrAqLIZ>): Password mismatch (for LDAP bind) (SHA1 of given password: f638ff)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.34" }
  }
}

# fail2ban dovecot line 47
test "log_path file: 'auth-worker(N): Info: sql(...): unknown user'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 auth-worker(22401): Info: sql(admin@example.de,203.0.113.35,<n4JLdHNVngZGpV2j>): unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.35" }
  }
}

# 2.3 auth-worker-server.c "conn unix:auth-worker (pid=..,uid=..): auth-worker<N>: "; fail2ban dovecot line 64
test "2.3 auth-worker connection prefix" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth-worker(5787): conn unix:auth-worker (pid=27359,uid=97): auth-worker<55>: pam(webapps,203.0.113.36): unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.36" }
  }
}

# fail2ban dovecot line 103
test "log_path file: ldap with an empty session: invalid credentials" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 auth: Info: ldap(dog,203.0.113.37,): invalid credentials"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.37" }
  }
}

# fail2ban dovecot line 29
test "1.x: auth(default) in the message, 'N Time(s)'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot[442]: dovecot: auth(default): pam(account@example.com,203.0.113.38): pam_authenticate() failed: User not known to the underlying authentication module: 2 Time(s)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.38" }
  }
}

# auth-request.c: the remote IP as net_ip2addr
test "passdb from IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: passwd-file(bob,2001:db8::39,<abc>): unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "2001:db8::39" }
  }
}

# auth-request.c: the user name (the client's) precedes the address
test "passdb, hostile user name holding ',ADDR): unknown user'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: passwd-file(x,10.9.9.7): unknown user,203.0.113.40): unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.40" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.7" }
  }
}

# auth-request.c
test "passdb, hostile user name holding ',ADDR,<session>'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: auth: sql(x,10.9.9.6,<a>,203.0.113.41,<Yx7+W8+Io>): Password mismatch"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.41" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.6" }
  }
}

# Linux-PAM pam_unix/support.c _unix_verify_password; fail2ban dovecot line 72
test "pam_unix(dovecot:auth) from the auth process" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=informix rhost=203.0.113.42"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.42" }
  }
}

# Linux-PAM pam_unix; fail2ban dovecot line 10
test "pam_unix(dovecot:auth) with a user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=root rhost=203.0.113.43  user=root"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.43" }
  }
}

# Linux-PAM pam_unix/support.c _unix_verify_password: "... ruser=%s rhost=%s %s%s" with
# "" "" when there is no user: the line ends in a space after the address
test "pam_unix(dovecot:auth) without a user: the space PAM leaves after rhost" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=informix rhost=2001:db8::44 "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "2001:db8::44" }
    fields = { user = "" }
  }
}

# fail2ban dovecot line 8: a hostile ruser holding "rhost=" (no space): the address is the real rhost field
test "pam_unix(dovecot:auth), hostile ruser 'rhost=ADDR' before the real rhost" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot-auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=rhost=10.9.9.8 rhost=203.0.113.45 "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.45" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# fail2ban dovecot lines 2, 5: daemontools multilog's TAI64N label instead of a syslog stamp
# (0x6b040eab = 2026-11-23T10:00:01Z + 2^62 + 10 s), dovecot 1.x's own processes as the tag
test "multilog @TAI64N lines: login process and dovecot-auth's pam_unix" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "@400000006b040eab077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<martin>, method=CRAM-MD5, rip=203.0.113.46, lip=192.0.2.25, TLS"
    repeat = 3
    every  = "1s"
  }
  input {
    at     = "3s"
    line   = "@400000006b040eae00000000 dovecot-auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=web rhost=203.0.113.46"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.46" }
  }
}

# postfix smtpd_sasl_glue.c msg_warn("%s: SASL %s authentication failed: %s", namaddr, sasl_method, reply); fail2ban postfix line 112
test "SASL failure, mechanism in lower case (as the client typed it)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/submission/smtpd[1202]: warning: unknown[203.0.113.60]: SASL login authentication failed: UGFzc3dvcmQ6"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "postfix-sasl-failures"
    key    = { ip = "203.0.113.60" }
    fields = { mechanism = "login" }
  }
}

# smtpd.c namaddr "name[addr]:port" (2.5+); fail2ban postfix line 128
test "SASL failure with smtpd_client_port_logging (':port' after the bracket)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: warning: unknown[203.0.113.61]:55729: SASL LOGIN authentication failed: authentication failure"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-sasl-failures"
    key  = { ip = "203.0.113.61" }
  }
}

# smtpd_sasl_glue.c (empty sasl_reply); fail2ban postfix line 131
test "SASL failure with an empty reason, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: warning: unknown[2001:db8::62]: SASL PLAIN authentication failed: "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-sasl-failures"
    key  = { ip = "2001:db8::62" }
  }
}

# smtpd_sasl_glue.c 3.x
test "SASL failure, Postfix 3 with sasl_username, multi-instance" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix-out/smtps/smtpd[1203]: warning: host.example.net[203.0.113.63]: SASL Plain authentication failed: (reason unavailable), sasl_username=admin@example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-sasl-failures"
    key  = { ip = "203.0.113.63" }
  }
}

# smtpd_check.c log_whatsup "%s: %s: %s from %s: %s; from=<%s> to=<%s> proto=%s helo=<%s>"; fail2ban postfix line 8
test "reject: RCPT, Relay access denied, hostile HELO holding an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: NOQUEUE: reject: RCPT from unknown[203.0.113.64]: 554 5.7.1 <smtp@example.org>: Relay access denied; from=<a@example.com> to=<smtp@example.org> proto=SMTP helo=<[10.9.9.4]>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "postfix-rejects"
    key    = { ip = "203.0.113.64" }
    fields = { command = "RCPT" }
  }
  expect_none {
    rule = "postfix-rejects"
    key  = { ip = "10.9.9.4" }
  }
}

# smtpd_check.c; smtpd_client_port_logging; fail2ban postfix line 16
test "reject: RCPT, unknown recipient with a queue id, ':port', IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: 00ADB3C0899: reject: RCPT from mail.example.com[2001:db8::65]:41234: 550 5.1.1 <sales@example.org>: Recipient address rejected: User unknown in local recipient table; from=<x@example.com> to=<sales@example.org> proto=ESMTP helo=<mail.example.com>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "2001:db8::65" }
  }
}

# smtpd_check.c reject_non_fqdn_helo_hostname; fail2ban postfix line 39
test "reject: EHLO, need fully-qualified hostname" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix-incoming/smtpd[3462]: NOQUEUE: reject: EHLO from s1.example.ru[203.0.113.66]: 504 5.5.2 <User>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<User>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "postfix-rejects"
    key    = { ip = "203.0.113.66" }
    fields = { command = "EHLO" }
  }
}

# smtpd_check.c reject_rbl_client "Service unavailable; Client host [%s] blocked using %s"; fail2ban postfix line 86
test "reject: RBL block" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: NOQUEUE: reject: RCPT from badguy.example.com[203.0.113.67]: 454 4.7.1 Service unavailable; Client host [203.0.113.67] blocked using rbl.example.com; from=<s@example.com> to=<g@example.com> proto=ESMTP helo=<badguy.example.com>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.67" }
  }
}

# postscreen_dnsbl.c / postscreen_smtpd.c; fail2ban postfix line 67
test "postscreen: RBL reject, '[addr]:port'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [203.0.113.68]:60591: 550 5.7.1 Service unavailable; client [203.0.113.68] blocked using rbl.example.com; from=<s@example.com>, to=<g@example.com>, proto=ESMTP, helo=<badguy.example.com>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.68" }
  }
}

# milter reply via smtpd.c; fail2ban postfix line 42
test "milter-reject: DATA" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: 1D8CC1CA0A7F: milter-reject: DATA from mail.example.com[203.0.113.69]: 550 5.7.1 Command rejected; from=<a@example.com> to=<b@example.org> proto=ESMTP helo=<mail.example.com>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.69" }
  }
}

# smtpd.c "improper command pipelining after %s from %s: %s"; fail2ban postfix line 64
test "improper command pipelining, the client's input after the colon holds an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: improper command pipelining after AUTH from unknown[203.0.113.70]: QUIT from x[10.9.9.3]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.70" }
  }
  expect_none {
    rule = "postfix-rejects"
    key  = { ip = "10.9.9.3" }
  }
}

# smtpd.c 2.x; fail2ban postfix line 28
test "improper command pipelining without the rest (older Postfix)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: improper command pipelining after NOOP from unknown[203.0.113.71]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.71" }
  }
}

# smtpd.c "too many errors after %s from %s"; fail2ban postfix line 70
test "too many errors" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: too many errors after RCPT from example.com[203.0.113.72]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "postfix-rejects"
    key  = { ip = "203.0.113.72" }
  }
}

# client-common-auth.c "no auth attempts": fail2ban counts it only in aggressive mode
test "no auth attempts (a client that only connected) is not a failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=203.0.113.50, lip=192.0.2.25, TLS, session=<x>"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# client-common.c "Login: "
test "a successful login is not a failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=203.0.113.51, lip=192.0.2.25, mpid=4242, TLS, session=<abcd>"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# Linux-PAM pam_unix: ruser is the client's text
test "pam_unix with a client ruser holding a space is not read (the address would be ambiguous)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=x rhost=10.9.9.5 rhost=203.0.113.52"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# the where clause
test "another program writing dovecot's messages opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 evil[1]: auth: passwd-file(x,203.0.113.53): unknown user"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# smtpd_sasl_glue.c reply text from the SASL server (fail2ban: not in the default mode)
test "SASL failures of the SASL server, not of the client, are not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1]: warning: unknown[203.0.113.80]: SASL LOGIN authentication failed: Connection lost to authentication server"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# xsasl_cyrus_server.c "Invalid authentication mechanism"
test "SASL with a mechanism the server does not offer is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1]: warning: unknown[203.0.113.81]: SASL CRAM-MD5 authentication failed: Invalid authentication mechanism"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# smtpd_check.c with a policy service's DEFER
test "a greylisting deferral is not a reject fail2ban or breachd counts" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from mail.example.com[203.0.113.82]: 450 4.2.0 <b@example.org>: Recipient address rejected: Greylisted; from=<a@example.com> to=<b@example.org> proto=ESMTP helo=<mail.example.com>"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# the where clause
test "another program writing postfix's messages opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 evil[1]: NOQUEUE: reject: RCPT from unknown[203.0.113.83]: 554 5.7.1 <x@example.org>: Relay access denied; from=<> to=<x@example.org> proto=SMTP helo=<x>"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "dovecot-auth-failures" }
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "postfix-rejects" }
}

# postscreen_early.c "PREGREET %d after %s from [%s]:%s: %.100s"; fail2ban postfix line 168
test "postscreen PREGREET, the client's input holding an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/postscreen[21057]: PREGREET 14 after 0.08 from [203.0.113.201]:59415: EHLO [10.9.9.70]\\r\\n"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "postfix-connection-flood"
    key  = { ip = "203.0.113.201" }
  }
  expect_none {
    rule = "postfix-connection-flood"
    key  = { ip = "10.9.9.70" }
  }
}

# postscreen_misc.c "HANGUP after %s from [%s]:%s in %s"; fail2ban postfix line 170
test "postscreen HANGUP, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/postscreen[22515]: HANGUP after 16 from [2001:db8::202]:48119 in tests after SMTP handshake"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "postfix-connection-flood"
    key  = { ip = "2001:db8::202" }
  }
}

# postscreen_smtpd.c "COMMAND TIME LIMIT from [%s]:%s after %s"; fail2ban postfix line 173
test "postscreen COMMAND TIME LIMIT" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 proxy2 postfix/postscreen[473]: COMMAND TIME LIMIT from [203.0.113.203]:3608 after CONNECT"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "postfix-connection-flood"
    key  = { ip = "203.0.113.203" }
  }
}

# smtpd.c "%s after %s from %s" (before 3.10); fail2ban postfix line 159
test "smtpd lost connection after CONNECT" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: lost connection after CONNECT from spammer.example.com[203.0.113.204]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "postfix-connection-flood"
    key    = { ip = "203.0.113.204" }
    fields = { command = "CONNECT" }
  }
}

# smtpd.c 3.10 "%s: %s after %s from %s" (queue_id_or_noqueue)
test "smtpd 3.10+: NOQUEUE: lost connection after AUTH, port logged" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/submission/smtpd[42]: NOQUEUE: lost connection after AUTH from unknown[203.0.113.205]:50000"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "postfix-connection-flood"
    key    = { ip = "203.0.113.205" }
    fields = { command = "AUTH" }
  }
}

# smtpd.c "disconnect from %s%s", smtpd_format_cmd_stats()
test "smtpd disconnect with failed AUTH (auth=0/N)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: disconnect from unknown[203.0.113.206] ehlo=1 auth=0/1 quit=1 commands=2/3"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "postfix-connection-flood"
    key  = { ip = "203.0.113.206" }
  }
}

# smtpd.c before 2.5 (no byte count); fail2ban postfix line 180
test "lost connection after DATA without the byte count (Postfix before 2.5) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: lost connection after DATA from good-host.example.com[203.0.113.210]"
    repeat = 25
    every  = "1s"
  }
  expect_none { rule = "postfix-connection-flood" }
}

# smtpd.c 2.5+ "%s after %s (%lu bytes) from %s"
test "lost connection after DATA (a broken transfer) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: lost connection after DATA (0 bytes) from good-host.example.com[203.0.113.207]"
    repeat = 25
    every  = "1s"
  }
  expect_none { rule = "postfix-connection-flood" }
}

# smtpd_format_cmd_stats(): auth=1
test "a clean disconnect (auth succeeded or not tried) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: disconnect from mail.example.com[203.0.113.208] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6"
    repeat = 25
    every  = "1s"
  }
  expect_none { rule = "postfix-connection-flood" }
}

# threshold 20 in 10m
test "19 dropped connections in 10 minutes do not fire" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 postfix/smtpd[42]: lost connection after CONNECT from unknown[203.0.113.209]"
    repeat = 19
    every  = "1s"
  }
  expect_none { rule = "postfix-connection-flood" }
}

# login-common: rip is net_ip2addr of the client, IPv4-mapped on a dual-stack listener: reported as IPv4, as every pack does
test "rip IPv4-mapped is the IPv4 address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=::ffff:203.0.113.19, lip=::ffff:192.0.2.25, TLS, session=<Lk3jZ9cY2tXAqGQ5>"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "dovecot-auth-failures"
    key  = { ip = "203.0.113.19" }
  }
}
