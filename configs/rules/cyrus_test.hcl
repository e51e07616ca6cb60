# Variants of every Cyrus message cyrus.hcl reads, one test each, as
# cyrus-imapd 2.4-3.12 (imap/imapd.c, imap/pop3d.c) writes them (the log
# call cited per test) or as servers logged them in fail2ban's samples
# (Debian fail2ban 1.0.2, tests/files/logs/cyrus-imap, line cited;
# addresses replaced by documentation ones).
#
#   breachd test configs/rules/cyrus_test.hcl

config = ["sources.hcl", "cyrus.hcl"]
source = "mail"

# imapd.c 3.8 "badlogin: %s plaintext (%s) [%s]"; global.c get_clienthost() "%s " "[%s]"
test "3.x plaintext: NAME [ADDR] plaintext (user) [SASL detail]" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx cyrus/imap[5355]: badlogin: host.example.net [203.0.113.161] plaintext (cyrus@example.com) [SASL(-13): authentication failure: checkpass failed]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "cyrus-imap-auth-failures"
    key    = { ip = "203.0.113.161" }
    fields = { rdns = "host.example.net" }
  }
}

# imapd.c 2.5 "badlogin: %s plaintext %s %s"; fail2ban cyrus-imap line 4
test "2.x plaintext without brackets, imaps" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 hostname cyrus/imaps[5355]: badlogin: localhost.localdomain [203.0.113.162] plaintext cyrus@localdomain SASL(-13): authentication failure: checkpass failed"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "203.0.113.162" }
  }
}

# pop3d.c/imapd.c "badlogin: %s %s [%s]"; fail2ban cyrus-imap line 10
test "AUTHENTICATE: mechanism [detail], pop3" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lampserver imap[4480]: badlogin: example.com [203.0.113.163] DIGEST-MD5 [SASL(-13): authentication failure: client response doesn't match what we generated]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "203.0.113.163" }
  }
}

# imapd.c 3.8 "badlogin: %s %s (%s) [%s]"
test "3.x AUTHENTICATE with the user, IPv6, user not found" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx pop3s[27449]: badlogin: [2001:db8::164] PLAIN (scanner) [SASL(-13): user not found: Password verification failed]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "2001:db8::164" }
  }
}

# fail2ban cyrus-imap line 14 (2004)
test "2.x NAME[ADDR] without a space (imapd)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 somehost imapd[2517]: badlogin: local-somehost[203.0.113.165] OTP [SASL(-13): authentication failure: External SSF not good enough]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "203.0.113.165" }
  }
}

# imapd.c/pop3d.c "badlogin: %s plaintext (%s) invalid user"
test "invalid user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx cyrus/pop3[18635]: badlogin: [203.0.113.166] plaintext (administrator) invalid user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "203.0.113.166" }
  }
}

# the user name is the client's and follows the address
test "hostile user name holding a bracketed address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx cyrus/imap[5355]: badlogin: [203.0.113.167] plaintext (x [10.9.9.50] y) [SASL(-13): authentication failure: checkpass failed]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "203.0.113.167" }
  }
  expect_none {
    rule = "cyrus-imap-auth-failures"
    key  = { ip = "10.9.9.50" }
  }
}

# imapd.c "badlogin: %s anonymous login refused"
test "anonymous login refused is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx cyrus/imap[5355]: badlogin: [203.0.113.168] anonymous login refused"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "cyrus-imap-auth-failures" }
}

# sasl_errdetail() SASL(-1) generic failure
test "another SASL error is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx cyrus/imap[5355]: badlogin: [203.0.113.169] plaintext (u) [SASL(-1): generic failure: unable to open Berkeley db]"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "cyrus-imap-auth-failures" }
}

# the where clause
test "another program writing Cyrus's message opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx dovecot: badlogin: [203.0.113.170] plaintext (u) [SASL(-13): authentication failure: x]"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "cyrus-imap-auth-failures" }
}
