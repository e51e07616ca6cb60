# Variants of every Courier message courier.hcl reads, one test each, as
# courier-imap (svarshavchik/courier-libs imap/) and courieresmtpd
# (svarshavchik/courier) write them through courierlogger (the code cited
# per test) or as servers logged them in fail2ban's samples (Debian
# fail2ban 1.0.2, tests/files/logs/courier-auth and courier-smtp, line
# cited; addresses replaced by documentation ones).
#
#   breachd test configs/rules/courier_test.hcl

config = ["sources.hcl", "courier.hcl"]
source = "mail"

# imaplogin.C courier_safe_printf("INFO: LOGIN FAILED, user=%s, ip=[%s], port=[%s]"); logger.c drops "INFO: "; fail2ban courier-auth line 12
test "imapd: LOGIN FAILED, user, IPv4-mapped address, port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail imapd: LOGIN FAILED, user=tester, ip=[::ffff:203.0.113.121], port=[255]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-auth-failures"
    key    = { ip = "203.0.113.121" }
    fields = { user = "tester" }
  }
}

# pop3login.c before d71f458; fail2ban courier-auth line 4
test "pop3d, before 2014: no port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 dns2 pop3d: LOGIN FAILED, user=info@example.com, ip=[::ffff:203.0.113.122]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-auth-failures"
    key    = { ip = "203.0.113.122" }
    fields = { user = "info@example.com" }
  }
}

# imaplogin.C "INFO: LOGIN FAILED, method=%s, ip=[%s], port=[%s]"; fail2ban courier-auth line 10
test "imapd-ssl: AUTHENTICATE refused (method)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server imapd-ssl: LOGIN FAILED, method=PLAIN, ip=[::ffff:203.0.113.123], port=[40000]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-auth-failures"
    key    = { ip = "203.0.113.123" }
    fields = { method = "PLAIN" }
  }
}

# pop3login.C; couriertcpd TCPREMOTEIP of an IPv6 client
test "courierpop3login, IPv6 client" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server courierpop3login: LOGIN FAILED, user=USER@EXAMPLE.org, ip=[2001:db8::124], port=[50000]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "courier-auth-failures"
    key  = { ip = "2001:db8::124" }
  }
}

# the user name is the client's and precedes the address
test "hostile user name holding ', ip=[ADDR], port=[N]': the last ip= is couriertcpd's" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail imapd: LOGIN FAILED, user=x, ip=[10.9.9.30], port=[1], ip=[::ffff:203.0.113.125], port=[255]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-auth-failures"
    key    = { ip = "203.0.113.125" }
    fields = { user = "x, ip=[10.9.9.30], port=[1]" }
  }
  expect_none {
    rule = "courier-auth-failures"
    key  = { ip = "10.9.9.30" }
  }
}

# the where clause: the daemons' names
test "another program writing Courier's message opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail dovecot: LOGIN FAILED, user=x, ip=[203.0.113.126], port=[1]"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "courier-auth-failures" }
  expect_none { rule = "courier-smtp-failures" }
}

# courieresmtpd.C iov_logerror() "error,relay=%s,port=%s,msg=\"%s\",cmd: %s"; fail2ban courier-smtp line 16
test "courieresmtpd: 535 Authentication failed, AUTH PLAIN, with port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail.server courieresmtpd[425070]: error,relay=::ffff:203.0.113.127,port=43632,msg=\"535 Authentication failed.\",cmd: AUTH LOGIN PlcmSpIp@example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-smtp-failures"
    key    = { ip = "203.0.113.127" }
    fields = { method = "LOGIN", user = "PlcmSpIp@example.com" }
  }
}

# fail2ban courier-smtp line 4
test "courieresmtpd: 535 without a port (older Courier), the base64 argument only" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 szerver courieresmtpd: error,relay=::ffff:203.0.113.128,msg=\"535 Authentication failed.\",cmd: YWRvYmVhZG9iZQ=="
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "courier-smtp-failures"
    key  = { ip = "203.0.113.128" }
  }
}

# courieresmtpd.C print_submit_log_fix() "error,relay=%s,port=%s,ident=%s,from=<%s>,to=<%s>"; cdmsgq2.C "550 User unknown."; fail2ban courier-smtp line 2
test "courieresmtpd: 550 User unknown, ident" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web courieresmtpd: error,relay=::ffff:203.0.113.129,port=25000,ident=tmf,from=<tmf@example.com>,to=<mailman-subscribe@example.com>: 550 User unknown."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "courier-smtp-failures"
    key    = { ip = "203.0.113.129" }
    fields = { reason = "550 User unknown" }
  }
}

# module.local; fail2ban courier-smtp line 6
test "courieresmtpd: 550 User <name> unknown, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail courieresmtpd: error,relay=2001:db8::130,from=<p@example.com>,to=<user@example.net>: 550 User <benny> unknown"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "courier-smtp-failures"
    key  = { ip = "2001:db8::130" }
  }
}

# the sender and recipient are the client's and follow the address
test "courieresmtpd, hostile sender holding 'error,relay=ADDR'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail courieresmtpd: error,relay=::ffff:203.0.113.131,port=25000,from=<a,error,relay=10.9.9.31,x>,to=<b@example.com>: 550 User unknown."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "courier-smtp-failures"
    key  = { ip = "203.0.113.131" }
  }
  expect_none {
    rule = "courier-smtp-failures"
    key  = { ip = "10.9.9.31" }
  }
}

# iov_logerror() for any error reply
test "courieresmtpd: another error reply is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail courieresmtpd: error,relay=::ffff:203.0.113.132,port=25000,msg=\"502 ESMTP command error\",cmd: VRFY root"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "courier-auth-failures" }
  expect_none { rule = "courier-smtp-failures" }
}
