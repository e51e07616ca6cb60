# Tests of mail.hcl, with lines as Postfix 3 and Dovecot 2.3 log them.

config = ["sources.hcl", "mail.hcl"]
source = "mail"

test "SMTP AUTH failures from one client" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 mx1 postfix/smtpd[1201]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
    "Nov 23 10:00:01 mx1 postfix/submission/smtpd[1202]: warning: unknown[203.0.113.7]: SASL PLAIN authentication failed: authentication failure",
    "Nov 23 10:00:02 mx1 postfix/smtpd[1201]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
    "Nov 23 10:00:03 mx1 postfix/smtps/smtpd[1203]: warning: host.example.net[203.0.113.7]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin@example.com",
    "Nov 23 10:00:04 mx1 postfix/smtpd[1201]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
    "Nov 23 10:00:05 mx1 postfix/smtpd[1201]: warning: unknown[2001:db8::25]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
  ]
  expect {
    rule = "postfix-sasl-failures"
    key  = { ip = "203.0.113.7" }
  }
}

test "IMAP and POP3 login failures from one client" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=203.0.113.8, lip=192.0.2.25, TLS, session=<abcd1234>",
    "Nov 23 10:00:02 mx1 dovecot: imap-login: Aborted login (auth failed, 2 attempts in 4 secs): user=<bob>, method=LOGIN, rip=203.0.113.8, lip=192.0.2.25, TLS, session=<abcd1235>",
    "Nov 23 10:00:04 mx1 dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<carol>, method=PLAIN, rip=203.0.113.8, lip=192.0.2.25, session=<abcd1236>",
    "Nov 23 10:00:06 mx1 dovecot: imap-login: Login aborted: Connection closed (auth failed, 3 attempts in 6 secs) (auth_failed): user=<dave>, method=PLAIN, rip=203.0.113.8, lip=192.0.2.25, TLS, session=<abcd1237>",
    "Nov 23 10:00:08 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, method=PLAIN, rip=10.9.9.9, lip=1.1.1.1, y>, method=PLAIN, rip=203.0.113.8, lip=192.0.2.25, TLS, session=<abcd1238>",
  ]
  expect {
    rule   = "dovecot-auth-failures"
    key    = { ip = "203.0.113.8" }
    fields = { service = "imap" }
  }
  expect_none {
    rule = "dovecot-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

test "successful logins and other programs open nothing" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 mx1 dovecot: imap-login: Login: user=<alice>, method=PLAIN, rip=203.0.113.8, lip=192.0.2.25, mpid=4242, TLS, session=<abcd>",
    "Nov 23 10:00:01 mx1 postfix/smtpd[1201]: connect from unknown[203.0.113.7]",
    "Nov 23 10:00:02 mx1 evil[1]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
    "Nov 23 10:00:03 mx1 evil[1]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
    "Nov 23 10:00:04 mx1 evil[1]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
    "Nov 23 10:00:05 mx1 evil[1]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
    "Nov 23 10:00:06 mx1 evil[1]: warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: x",
  ]
  expect_none { rule = "postfix-sasl-failures" }
  expect_none { rule = "dovecot-auth-failures" }
}
