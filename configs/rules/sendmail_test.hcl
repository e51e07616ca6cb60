# Variants of every Sendmail message sendmail.hcl reads, one test each,
# as sendmail 8.14-8.18 srvrsmtp.c writes them (the log call cited per
# test) or as servers logged them in fail2ban's samples (Debian fail2ban
# 1.0.2, tests/files/logs/sendmail-auth, line cited; addresses replaced by
# documentation ones).
#
#   breachd test configs/rules/sendmail_test.hcl

config = ["sources.hcl", "sendmail.hcl"]
source = "mail"

# srvrsmtp.c LOGAUTHFAIL "AUTH failure (%s): %s (%d) %s%s%.*s, relay=%.100s"; fail2ban sendmail-auth line 22
test "8.16+: AUTH failure with user and a resolved, unverified name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 relay1 sendmail[16664]: 06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=user@example.com, relay=example.com [203.0.113.141] (may be forged)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sendmail-auth-failures"
    key    = { ip = "203.0.113.141" }
    fields = { user = "user@example.com", mechanism = "LOGIN", reason = "authentication failure" }
  }
}

# SASL_NOUSER (-20); fail2ban sendmail-auth line 27
test "8.16+: user not found, address only" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server sm-mta[65696]: 14NNwaRl065696: AUTH failure (DIGEST-MD5): user not found (-20) SASL(-13): user not found: unable to canonify user and get auxprops, user=scanner, relay=[203.0.113.142]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sendmail-auth-failures"
    key    = { ip = "203.0.113.142" }
    fields = { reason = "user not found" }
  }
}

# srvrsmtp.c 8.14 "AUTH failure (%s): %s (%d) %s, relay=%.100s"; CurSmtpClient "[IPv6:...]"
test "before 8.16: no user= part, IPv6 relay" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server sendmail[25411]: 26H8MRrS025411: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, relay=[IPv6:2001:db8::143]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-auth-failures"
    key  = { ip = "2001:db8::143" }
  }
}

# the user name is the client's; fail2ban sendmail-auth line 24
test "hostile user name holding ', relay=[ADDR]': the last relay= is sendmail's" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 relay1 sendmail[16665]: 06I02CNi016765: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=criminal, relay=[10.9.9.40], relay=[203.0.113.144] (may be forged)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-auth-failures"
    key  = { ip = "203.0.113.144" }
  }
  expect_none {
    rule = "sendmail-auth-failures"
    key  = { ip = "10.9.9.40" }
  }
}

# sasl_errdetail(); fail2ban sendmail-auth line 29
test "the SASL detail echoing the user, lower-case mechanism" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server sm-mta[65815]: 14NNx65Q065815: AUTH failure (cram-md5): user not found (-20) SASL(-13): user not found: user: scan@server.example.com property: userPassword not found in sasldb /usr/local/etc/sasldb2, user=scan, relay=[203.0.113.145]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-auth-failures"
    key  = { ip = "203.0.113.145" }
  }
}

# srvrsmtp.c checksmtpattack() "%s: possible SMTP attack: command=%.40s, count=%u"; fail2ban sendmail-auth line 3
test "possible SMTP attack: command=AUTH" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 smtp1 sm-mta[5133]: s1GNXHYB005133: [203.0.113.146]: possible SMTP attack: command=AUTH, count=5"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-auth-failures"
    key  = { ip = "203.0.113.146" }
  }
}

# fail2ban sendmail-auth line 12
test "possible SMTP attack, name (may be forged), sm-acceptingconnections" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 kismet sm-acceptingconnections[1499]: s1OHxxSn001499: dsl.example.net [203.0.113.147] (may be forged): possible SMTP attack: command=AUTH, count=6"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-auth-failures"
    key  = { ip = "203.0.113.147" }
  }
}

# checksmtpattack() for VRFY/EXPN/NOOP/...
test "possible SMTP attack with another command is not an AUTH failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 smtp1 sm-mta[5133]: s1GNXHYB005133: [203.0.113.148]: possible SMTP attack: command=NOOP, count=21"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-auth-failures" }
}

# sasl_errstring(SASL_FAIL) "generic failure"
test "a SASL library failure is not a client's failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server sendmail[25411]: 26H8MRrS025411: AUTH failure (PLAIN): generic failure (-1) SASL(-1): generic failure: unable to open Berkeley db, relay=[203.0.113.149]"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-auth-failures" }
}

# CurSmtpClient written with %.100s
test "a relay cut at 100 bytes is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server sendmail[25411]: 26H8MRrS025411: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, relay=a-very-long-reverse-name.of-a-host.in-a-provider-s-dynamic-range.example.net [203.0.11"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-auth-failures" }
}
