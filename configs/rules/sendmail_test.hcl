# Variants of every Sendmail message sendmail.hcl reads, one test each,
# as sendmail 8.14-8.18 srvrsmtp.c and parseaddr.c write them (the log call cited per
# test) or as servers logged them in fail2ban's samples (Debian fail2ban
# 1.0.2, tests/files/logs/sendmail-auth and sendmail-reject, line cited; addresses replaced by
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

# parseaddr.c rscheck() "ruleset=%s, arg1=%s%s, reject=%s"; fail2ban sendmail-reject line 4
test "check_rcpt: relaying denied, name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 kismet sm-acceptingconnections[27713]: s1P819mk027713: ruleset=check_rcpt, arg1=<a@example.ru>, relay=broadband.example.ru [203.0.113.181], reject=550 5.7.1 <a@example.ru>... Relaying denied. Proper authentication required."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sendmail-rejects"
    key    = { ip = "203.0.113.181" }
    fields = { reply = "550 5.7.1 <a@example.ru>... Relaying denied. Proper authentication required." }
  }
}

# proto.m4 553 5.1.8; fail2ban sendmail-reject line 19
test "check_rcpt: sender domain does not exist, (may be forged)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 petermurray sm-mta[716]: s1O57c6H000716: ruleset=check_rcpt, arg1=<c@example.pt>, relay=host.example.com [203.0.113.182] (may be forged), reject=553 5.1.8 <c@example.pt>... Domain of sender address root@example.net does not exist"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.182" }
  }
}

# proto.m4 dnsbl "Rejected: ... listed at"; fail2ban sendmail-reject line 22
test "check_rcpt: block list, address only" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 petermurray sm-mta[3992]: s1N706jo003992: ruleset=check_rcpt, arg1=<j@example.pt>, relay=[203.0.113.183], reject=550 5.7.1 <j@example.pt>... Rejected: 203.0.113.183 listed at sbl-xbl.spamhaus.org"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.183" }
  }
}

# proto.m4 550 5.1.1; CurSmtpClient "[IPv6:...]"
test "check_rcpt: User unknown, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 batman sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<nobody@example.com>, relay=[IPv6:2001:db8::184], reject=550 5.1.1 <nobody@example.com>... User unknown"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "2001:db8::184" }
  }
}

# ratecontrol feature, 421 4.3.2; fail2ban sendmail-reject line 34
test "check_relay: connection rate limit (no queue id)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 petermurray sm-mta[24422]: ruleset=check_relay, arg1=leased.example.by, arg2=203.0.113.185, relay=leased.example.by [203.0.113.185], reject=421 4.3.2 Connection rate limit exceeded."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.185" }
  }
}

# conncontrol feature; fail2ban sendmail-reject line 38
test "check_relay: too many open connections" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 batman sm-mta[88390]: ruleset=check_relay, arg1=[203.0.113.186], arg2=203.0.113.186, relay=[203.0.113.186], reject=421 4.3.2 Too many open connections."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.186" }
  }
}

# srvrsmtp.c "rejecting commands from %s [%s] due to pre-greeting traffic after %d seconds"; fail2ban sendmail-reject line 47
test "greet_pause: pre-greeting traffic, empty peer name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 batman sm-mta[44307]: s1R9r60D044307: rejecting commands from  [203.0.113.187] due to pre-greeting traffic after 0 seconds"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.187" }
  }
}

# fail2ban sendmail-reject line 49
test "greet_pause with a peer name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 strange sm-mta[18001]: u9A0GtpL018001: rejecting commands from example.com [203.0.113.188] due to pre-greeting traffic after 6 seconds"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.188" }
  }
}

# srvrsmtp.c "%s: %s [rejected]"; fail2ban sendmail-reject line 61
test "EXPN refused" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 batman sm-mta[93301]: s1NKIkZa093301: [203.0.113.189]: EXPN root [rejected]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sendmail-rejects"
    key    = { ip = "203.0.113.189" }
    fields = { reply = "EXPN" }
  }
}

# fail2ban sendmail-reject line 73; the argument is the client's, after the address
test "vrfy refused, lower case, name, hostile argument holding an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 batman sm-mta[4030]: s1MD2hsd004030: rrcs.example.com [203.0.113.190]: vrfy x [10.9.9.60]: y [rejected]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.190" }
  }
  expect_none {
    rule = "sendmail-rejects"
    key  = { ip = "10.9.9.60" }
  }
}

# arg1 is the client's address; a quoted local part may hold ', relay=[…]'
test "check_rcpt with a recipient holding a space is not read (the relay would be ambiguous)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx sm-mta[1]: s1P819mk027713: ruleset=check_rcpt, arg1=<\"x, relay=[10.9.9.61], y\"@example.com>, relay=[203.0.113.191], reject=550 5.7.1 <x>... Relaying denied"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-rejects" }
}

# rscheck() with a 4xx reply
test "a temporary reject (greylisting, 451) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx sm-mta[1]: s1P819mk027713: ruleset=check_rcpt, arg1=<a@example.com>, relay=[203.0.113.192], reject=451 4.3.0 <a@example.com>... Greylisted"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-rejects" }
}

# fail2ban sendmail-reject line 79 (matched there through the queue id)
test "No such user here is not read alone (the address is on another line)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 Microsoft sendmail[26254]: rA37ZTSC026250: <a@example.com>... No such user here"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-rejects" }
  expect_none { rule = "sendmail-auth-failures" }
}

# err.c usrerr() "ADDR... TEXT" for an error mailer entry ("error:nouser ... No such user here"),
# then headers.c logsender() "from=..., relay=CLIENT" for the same queue id; fail2ban
# sendmail-reject lines 88 and 90 (queue ids changed per transaction)
test "No such user here counts with the address of its queue id's from= line" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 Microsoft sendmail[26254]: rA37ZTSC026250: <a1@example.com>... No such user here",
    "Nov 23 10:00:01 Microsoft sendmail[26254]: rA37ZTSC026250: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=163.113.0.203.dsl-dynamic.example.net [203.0.113.193]",
    "Nov 23 10:00:02 Microsoft sendmail[26254]: rA37ZTSC026251: <a2@example.com>... No such user here",
    "Nov 23 10:00:03 Microsoft sendmail[26254]: rA37ZTSC026251: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=163.113.0.203.dsl-dynamic.example.net [203.0.113.193]",
    "Nov 23 10:00:04 Microsoft sendmail[26254]: rA37ZTSC026252: <a3@example.com>... No such user here",
    "Nov 23 10:00:05 Microsoft sendmail[26254]: rA37ZTSC026252: <a4@example.com>... No such user here",
    "Nov 23 10:00:06 Microsoft sendmail[26254]: rA37ZTSC026252: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=163.113.0.203.dsl-dynamic.example.net [203.0.113.193]",
    "Nov 23 10:00:07 Microsoft sendmail[26254]: rA37ZTSC026253: <a5@example.com>... No such user here",
    "Nov 23 10:00:08 Microsoft sendmail[26254]: rA37ZTSC026253: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=163.113.0.203.dsl-dynamic.example.net [203.0.113.193]",
  ]
  expect {
    rule   = "sendmail-rejects"
    key    = { ip = "203.0.113.193" }
    fields = { reply = "No such user here", qid = "rA37ZTSC026253", rcpt = "a5@example.com" }
  }
}

# the same, the from= line first (sendmail logs it when the envelope is dropped, but a
# transaction's later recipients still take its address)
test "No such user here after its queue id's from= line" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: from=<b@example.com>, size=0, class=0, nrcpts=0, proto=SMTP, daemon=MTA, relay=[203.0.113.194]",
    "Nov 23 10:00:01 mx sm-mta[4242]: 6ANA0001004242: <a1@example.com>... No such user here",
    "Nov 23 10:00:02 mx sm-mta[4242]: 6ANA0001004242: <a2@example.com>... No such user here",
    "Nov 23 10:00:03 mx sm-mta[4242]: 6ANA0001004242: <a3@example.com>... No such user here",
    "Nov 23 10:00:04 mx sm-mta[4242]: 6ANA0001004242: <a4@example.com>... No such user here",
    "Nov 23 10:00:05 mx sm-mta[4242]: 6ANA0001004242: <a5@example.com>... No such user here",
  ]
  expect {
    rule   = "sendmail-rejects"
    key    = { ip = "203.0.113.194" }
    fields = { rcpt = "a5@example.com" }
  }
}

# fail2ban sendmail-reject lines 93 and 95 ("Different mail ID shouldn't match")
test "a from= line of another queue id does not complete No such user here" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 Microsoft sendmail[26254]: rA37ZTSC026252: <a1@example.com>... No such user here",
    "Nov 23 10:00:01 Microsoft sendmail[26254]: rA37ZTSC026255: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=h.example.net [203.0.113.195]",
    "Nov 23 10:00:02 Microsoft sendmail[26254]: rA37ZTSC026252: <a2@example.com>... No such user here",
    "Nov 23 10:00:03 Microsoft sendmail[26254]: rA37ZTSC026255: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=h.example.net [203.0.113.195]",
    "Nov 23 10:00:04 Microsoft sendmail[26254]: rA37ZTSC026252: <a3@example.com>... No such user here",
    "Nov 23 10:00:05 Microsoft sendmail[26254]: rA37ZTSC026252: <a4@example.com>... No such user here",
    "Nov 23 10:00:06 Microsoft sendmail[26254]: rA37ZTSC026252: <a5@example.com>... No such user here",
    "Nov 23 10:00:07 Microsoft sendmail[26254]: rA37ZTSC026255: from=<b@example.com>, size=0, class=0, nrcpts=0, bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=h.example.net [203.0.113.195]",
  ]
  expect_none { rule = "sendmail-rejects" }
}

# logsender(): a message's from= line with no refused recipient
test "from= lines alone count nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: from=<b@example.com>, size=1042, class=0, nrcpts=1, msgid=<x@example.com>, bodytype=8BITMIME, proto=ESMTPS, daemon=MTA, relay=mail.example.net [203.0.113.196]"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "sendmail-rejects" }
}

# logsender(): the sender, msgid and bodytype are the client's and precede the relay,
# which ends the line; IPv6 as CurSmtpClient writes it ("[IPv6:...]")
test "a sender and msgid holding a relay: the address is the last relay=" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a1@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a2@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a3@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a4@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a5@example.com>... No such user here",
    "Nov 23 10:00:01 mx sm-mta[4242]: 6ANA0001004242: from=<\"x, relay=[10.9.9.62]\"@example.com>, size=0, class=0, nrcpts=0, msgid=<y, relay=h [10.9.9.63]>, proto=ESMTP, daemon=MTA, relay=h.example.net [IPv6:2001:db8::196] (may be forged)",
  ]
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "2001:db8::196" }
  }
  expect_none {
    rule = "sendmail-rejects"
    key  = { ip = "10.9.9.62" }
  }
  expect_none {
    rule = "sendmail-rejects"
    key  = { ip = "10.9.9.63" }
  }
}

# a from= line whose relay is not last (a forged one in the client's msgid, the real one cut) is not read
test "a from= line not ending in the client gives no address" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a1@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a2@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a3@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a4@example.com>... No such user here",
    "Nov 23 10:00:00 mx sm-mta[4242]: 6ANA0001004242: <a5@example.com>... No such user here",
    "Nov 23 10:00:01 mx sm-mta[4242]: 6ANA0001004242: from=<b@example.com>, size=0, class=0, nrcpts=0, msgid=<y, relay=h [10.9.9.64]>, proto=ESMTP, daemon=MTA, relay=h.example.net [IPv6:2001:db8::197] x",
  ]
  expect_none { rule = "sendmail-rejects" }
}

# srvrsmtp.c: peerhostname is "[ADDR]" when the client has no PTR record (fresh-eyes report)
test "greet_pause: a client without reverse DNS, IPv4 and IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 sm-mta[4242]: wB3A01a1240: rejecting commands from [203.0.113.15] [203.0.113.15] due to pre-greeting traffic after 0 seconds"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mx1 sm-mta[4243]: wB3A01a1241: rejecting commands from [IPv6:2001:db8::12] [IPv6:2001:db8::12] due to pre-greeting traffic after 0 seconds"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "203.0.113.15" }
  }
  expect {
    rule = "sendmail-rejects"
    key  = { ip = "2001:db8::12" }
  }
}
