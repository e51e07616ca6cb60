# Variants of every exim message exim.hcl reads, one test each, as exim
# 4.80-4.99 (Exim/exim src/src/smtp_in.c, acl.c, route.c, host.c) writes
# them to its main log (the log call cited per test, with exim's own
# test/log lines where it has one) or as servers logged them in
# fail2ban's samples (Debian fail2ban 1.0.2, tests/files/logs/exim; line
# cited; addresses replaced by documentation ones).
#
#   breachd test configs/rules/exim_test.hcl

config = ["exim.hcl"]
source = "exim"

# smtp_in.c AUTH: "%s authenticator failed for %s: %s", host_and_ident(FALSE); smtp_in_auth() FAIL "535 Incorrect authentication data%s" with " (set_id=%s)"
test "auth, before 4.99: (HELO) [ADDR], set_id" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for (ylmf-pc) [203.0.113.21]: 535 Incorrect authentication data (set_id=alice)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-auth-failures"
    key    = { ip = "203.0.113.21" }
    fields = { user = "alice", authenticator = "login" }
  }
}

# real servers' suffix (fail2ban exim lines 6, 36, 38: "From IRC", fail2ban #251): a patched build or log rewriter
test "auth: ': 1 Time(s)' after the code, (USER) ident" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for static-ip.example.net (USER) [203.0.113.29]: 535 Incorrect authentication data: 1 Time(s)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-auth-failures"
    key  = { ip = "203.0.113.29" }
  }
}

# exim test/log/3400 after 7c88517 (Bug 2574: host_and_ident(TRUE))
test "auth, 4.99: H= and U=, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.250 plain authenticator failed for H=(test.host) [2001:db8::22] U=CALLER: 535 Incorrect authentication data"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-auth-failures"
    key    = { ip = "2001:db8::22" }
    fields = { user = "" }
  }
}

# fail2ban exim line 81; host_and_ident() " I=[%s]" and log_portnum()
test "auth, verified name, incoming_port and incoming_interface, [pid]" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [4242] fixed_login authenticator failed for bad.host.example.com [203.0.113.23]:54412 I=[192.0.2.25]:587: 535 Incorrect authentication data (set_id=user@example.com)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-auth-failures"
    key    = { ip = "203.0.113.23" }
    fields = { user = "user@example.com" }
  }
}

# fail2ban exim line 3; host.c host_build_sender_fullhost "%s (%s) %s"
test "auth, name and HELO (an address literal) before the address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for rrcs.example.net ([10.9.9.1]) [203.0.113.24]: 535 Incorrect authentication data (set_id=brian)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-auth-failures"
    key  = { ip = "203.0.113.24" }
  }
  expect_none {
    rule = "exim-auth-failures"
    key  = { ip = "10.9.9.1" }
  }
}

# smtp_in_auth(): set_id is the client's user name, after the address
test "auth, hostile set_id repeating exim's text with another address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for (x) [203.0.113.25]: 535 Incorrect authentication data (set_id=x) [10.9.9.2]: 535 Incorrect authentication data (set_id=y)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-auth-failures"
    key  = { ip = "203.0.113.25" }
  }
  expect_none {
    rule = "exim-auth-failures"
    key  = { ip = "10.9.9.2" }
  }
}

# host.c host_ntoa strips ::ffff: itself; a log written otherwise
test "auth, IPv4-mapped written as IPv6 is reported as IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for (x) [::ffff:203.0.113.26]:5000: 535 Incorrect authentication data"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-auth-failures"
    key  = { ip = "203.0.113.26" }
  }
}

# fail2ban exim line 47 (gh-2553)
test "auth, rsyslog 'host exim[pid]:' prefix in the file" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 mx1 exim[29786]: dovecot_login authenticator failed for (User) [203.0.113.27]: 535 Incorrect authentication data (set_id=test@example.com)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-auth-failures"
    key  = { ip = "203.0.113.27" }
  }
}

# helo_accept_junk_hosts lets a HELO hold any printing text
test "auth, junk HELO holding ') [ADDR' is not read (the address would be ambiguous)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for (x) [10.9.9.3) [203.0.113.28]: 535 Incorrect authentication data"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_in_auth() DEFER: "435 Unable to authenticate at present%s: %s"
test "auth, the server failing (435) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 defer authenticator failed for (test.host) [203.0.113.29]: 435 Unable to authenticate at present (set_id=userx): account suspended"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_in_auth() CANCELLED "501 Authentication cancelled"
test "auth, a client cancelling (501) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 login authenticator failed for (x) [203.0.113.30]: 501 Authentication cancelled"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# exim test/log/3400 (<= line with A=)
test "a successful AUTH is not a failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 10HmbB-000000005vi-0000 <= userx@example.com H=(testclient.ex) [203.0.113.31] P=esmtpa A=mylogin S=330 for userx@example.com"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_in.c "%s sender verify %s for <%s>%s"; route.c "Unrouteable address"; fail2ban exim line 10
test "sender verify fail: Unrouteable address, name and HELO" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=mail.example.net (srv.example.net) [203.0.113.41] sender verify fail for <user@example.com>: Unrouteable address"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-rejects"
    key    = { ip = "203.0.113.41" }
    fields = { reason = "Unrouteable address" }
  }
}

# routers/dnslookup.c; fail2ban exim line 28
test "sender verify fail: all relevant MX records point to non-existent hosts" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=mail.example.net [203.0.113.42]:25000 I=[192.0.2.25]:25 sender verify fail for <mailer@example.net>: all relevant MX records point to non-existent hosts"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.42" }
  }
}

# the sender is the client's and comes after the address
test "sender verify fail, hostile sender holding an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=(x) [203.0.113.43] U=CALLER sender verify fail for <a>: x H=[10.9.9.4] sender verify fail for <b@example.com>: Unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.43" }
  }
  expect_none {
    rule = "exim-rejects"
    key  = { ip = "10.9.9.4" }
  }
}

# smtp_in.c smtp_handle_acl "%s%s%s %s%srejected %s%s"; exim test/log (configure.default 'relay not permitted')
test "rejected RCPT: relay not permitted, with U= and F=" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=(me) [203.0.113.44] U=root F=<ok@example.com> rejected RCPT <z@remote.example>: relay not permitted"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-rejects"
    key    = { ip = "203.0.113.44" }
    fields = { reason = "relay not permitted" }
  }
}

# exim test/log: X=TLS... before F=
test "rejected RCPT with TLS details, IPv6, port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [123] H=host.example.net (helo.example.net) [2001:db8::45]:40000 I=[2001:db8::25]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<> rejected RCPT <x@example.com>: Unknown user"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "2001:db8::45" }
  }
}

# acl.c "Sender verify failed"; fail2ban exim line 30
test "rejected RCPT: Sender verify failed (old unbracketed F=)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=mx.example.net [203.0.113.46] F=<buh@example.net> rejected RCPT <r@example.com>: Sender verify failed"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.46" }
  }
}

# the recipient is the client's and comes after the address
test "rejected RCPT, hostile recipient holding exim's text and another address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=(x) [203.0.113.47] F=<a@example.com> rejected RCPT <b>: relay not permitted H=[10.9.9.5] F=<c> rejected RCPT <d@example.com>: relay not permitted"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.47" }
  }
  expect_none {
    rule = "exim-rejects"
    key  = { ip = "10.9.9.5" }
  }
}

# smtp_handle_acl: "temporarily " when the ACL deferred
test "a temporary rejection (greylisting, a deferred check) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=(x) [203.0.113.48] F=<a@example.com> temporarily rejected RCPT <b@example.com>: Unrouteable address"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# only the reasons fail2ban's exim jail counts
test "rejected RCPT for another reason (content of a local ACL) is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=(x) [203.0.113.49] F=<a@example.com> rejected RCPT <b@example.com>: greylisted"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_in.c "SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from %s input=\"%s\""; fail2ban exim line 18
test "synchronization error: input before the greeting" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [13314] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[203.0.113.50]:25936 I=[192.0.2.25]:25 input=\"GET / HTTP/1.1\\r\\n\\r\\n\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-rejects"
    key    = { ip = "203.0.113.50" }
    fields = { reason = "input sent without waiting for greeting" }
  }
}

# smtp_in.c "(next input sent too soon: pipelining was not advertised): rejected \"%s\" %s next input=\"%s\""; fail2ban exim line 20
test "synchronization error: pipelining not advertised" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [18505] SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"RSET\" H=ba77.example.fr [203.0.113.51]:58302 I=[192.0.2.25]:25 next input=\"QUIT\\r\\n\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.51" }
  }
}

# smtp_in.c HEAD "rejected %q %s next input=%q%s" (string_printing3 SP_DQUOTES)
test "synchronization error, 4.99+ %q: the client's command holds an escaped quote and an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"RSET\\\" H=[10.9.9.6] next input=\\\"x\" H=(x) [203.0.113.52] next input=\"QUIT\\r\\n\"..."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.52" }
  }
  expect_none {
    rule = "exim-rejects"
    key  = { ip = "10.9.9.6" }
  }
}

# smtp_in.c 4.91 "rejected \"%s\"" with smtp_cmd_buffer unescaped
test "synchronization error, before 4.99: a raw command holding a quote is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"RSET\" H=[10.9.9.7] next input=\"x\" H=(x) [203.0.113.53] next input=\"QUIT\\r\\n\""
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_in.c "SMTP call from %s dropped: too many nonmail commands (last was \"%.*s\")"; fail2ban exim line 22
test "SMTP call dropped: too many nonmail commands" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [19591] SMTP call from pc012.example.tw [203.0.113.54]:3767 I=[192.0.2.25]:25 dropped: too many nonmail commands (last was \"RSET\")"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.54" }
  }
}

# synprot_error() "(last command was \"%s\", %Y)"; exim test/log
test "SMTP call dropped: too many syntax or protocol errors, 4.9x connection history" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP call from (tester) [203.0.113.55] dropped: too many syntax or protocol errors (last command was \"x [10.9.9.8] \",  C=EHLO,MAIL,RCPT,BDAT)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.55" }
  }
}

# smtp_in.c "too many unrecognized commands (last was \"%s\")"
test "SMTP call dropped: too many unrecognized commands (an HTTP client on port 25)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP call from [2001:db8::56]:50000 dropped: too many unrecognized commands (last was \"Host: x\")"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "2001:db8::56" }
  }
}

# smtp_in.c synprot_error("AUTH command used when not advertised"): "SMTP %s error in \"%s\" %s %s"; fail2ban exim line 53
test "AUTH command used when not advertised" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [7513] SMTP protocol error in \"AUTH LOGIN\" H=(ylmf-pc) [203.0.113.57]:60723 I=[192.0.2.25]:587 AUTH command used when not advertised"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-rejects"
    key    = { ip = "203.0.113.57" }
    fields = { reason = "AUTH command used when not advertised" }
  }
}

# fail2ban exim line 90; the command is the client's, written raw before 4.99
test "AUTH not advertised, hostile command holding a quote and an address: the last H= is exim's" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP protocol error in \"aUtH lOgIn\" H=(test) [10.9.9.9]\" H=(roxzgj) [203.0.113.58] AUTH command used when not advertised"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.58" }
  }
  expect_none {
    rule = "exim-rejects"
    key  = { ip = "10.9.9.9" }
  }
}

# smtp_in.c smtp_log_no_mail() "no MAIL in %sSMTP connection from %s D=%s%s"; fail2ban exim line 72
test "no MAIL in SMTP connection, name, HELO, port, history" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [18643] no MAIL in SMTP connection from host.example.com (SERVER) [203.0.113.59]:1418 I=[192.0.2.25]:25 D=34s C=EHLO,AUTH"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.59" }
  }
}

# smtp_in.c 4.91+ "TFO " for a TCP Fast Open connection
test "no MAIL in TFO SMTP connection, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 no MAIL in TFO SMTP connection from [2001:db8::60] D=0s"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "2001:db8::60" }
  }
}

# smtp_in.c "%s closed by DROP in ACL", smtp_get_connection_info(); fail2ban exim line 65
test "SMTP connection closed by DROP in ACL, with a message id" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [25874] 1ahr79-0006jK-G9 SMTP connection from (voyeur.example.com) [203.0.113.61]:44884 I=[192.0.2.25]:25 closed by DROP in ACL"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "exim-rejects"
    key    = { ip = "203.0.113.61" }
    fields = { reason = "closed by DROP in ACL" }
  }
}

# exim 4.97+ message ids (10HmbB-000000005vi-0000)
test "SMTP connection closed by DROP in ACL, 4.97 message id" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 10HmbB-000000005vi-0000 SMTP connection from mx.example.net [203.0.113.62] closed by DROP in ACL"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-rejects"
    key  = { ip = "203.0.113.62" }
  }
}

# smtp_in.c "%s closed by QUIT"
test "a connection closed by QUIT is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 SMTP connection from (x) [203.0.113.63] closed by QUIT"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# fail2ban exim line 95 (mode aggressive only)
test "aggressive mode only: no host name found is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 no host name found for IP address 203.0.113.64"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# receive.c "%s %srejected by local_scan(): %.256s" with F= and add_host_info_for_log(); fail2ban exim-spam line 7
test "local_scan (sa-exim) rejection: F= then H=, message id" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1Ai79e-0000Dq-8i F=uzwltcmwto24@example.biz H=dsl.example.net [203.0.113.71] P=smtp rejected by local_scan(): Rejected: hits=7.5 required=5.0 trigger=5.0"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.71" }
  }
}

# fail2ban exim-spam line 12 (shape)
test "local_scan rejection: HELO, port, I=, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [14127] 1UlasQ-0003fr-45 F=m@example.com H=(mail38.example.ru) [2001:db8::72]:43671 I=[2001:db8::25]:25 P=esmtp rejected by local_scan(): Rejected"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "2001:db8::72" }
  }
}

# RFC 5321 quoted local part: the only sender with a space
test "local_scan rejection, hostile quoted sender holding an H= and an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1Ai79e-0000Dq-8i F=\"a H=[10.9.9.10] P=smtp rejected by local_scan(): x\"@example.com H=(x) [203.0.113.73] P=esmtp rejected by local_scan(): Rejected"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.73" }
  }
  expect_none {
    rule = "exim-spam"
    key  = { ip = "10.9.9.10" }
  }
}

# receive.c istemp "temporarily "
test "local_scan temporary rejection is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1PLKOW-00046U-EW F=w@example.com H=dsl.example.net (example.com) [203.0.113.74] I=[192.0.2.25]:25 P=esmtp temporarily rejected by local_scan(): Temporary local problem"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# smtp_handle_acl "rejected RCPT <r>: MESSAGE", the ACL's dnslists message; fail2ban exim-spam line 10
test "rejected RCPT by a DNS block list" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [2249] H=([203.0.113.75]) [203.0.113.75]:52391 I=[192.0.2.25]:25 F=f@example.com rejected RCPT some@example.com: rejected found in dnsbl zen.spamhaus.org"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.75" }
  }
}

# fail2ban exim-spam line 16
test "rejected RCPT by a block list, the list's text after a newline" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 H=dbs.example.com [203.0.113.76] F=<t@example.ru> rejected RCPT <info@example.ua>: rejected because 203.0.113.76 is in a black list at dnsbl.sorbs.net\\nCurrently Sending Spam See: http://www.sorbs.net/lookup.shtml?203.0.113.76"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.76" }
  }
}

# configure.default malware ACL "This message contains a virus ($malware_name)."; fail2ban exim-spam line 14
test "rejected after DATA: a virus" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 [2516] 1Unmew-0000ea-SE H=mx.example.gr [203.0.113.77]:32706 I=[192.0.2.25]:25 F=a@example.com rejected after DATA: This message contains a virus (Sanesecurity.Junk.39934.UNOFFICIAL)."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.77" }
  }
}

# sa-exim 4.2.1 sa-exim.c "SA: Action: silently tossed message: %s (scanned in %d/%d secs | Message-Id: %s). %s"; fail2ban exim-spam line 22
test "sa-exim: silently tossed message" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1VxHRO-000NiI-Ly SA: Action: silently tossed message: score=31.0 required=5.0 trigger=30.0 (scanned in 6/6 secs | Message-Id: etPan.09bd0c40.c3d5f675.fdf7@server.local). From <F@example.es> (host=dyn.example.es [203.0.113.78]) for me@example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.78" }
  }
}

# sa-exim.c "(host=%s [%s])" with sender_host_name NULL; fail2ban exim-spam line 25
test "sa-exim: no host name (NULL)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1VxHWD-000NuW-83 SA: Action: silently tossed message: score=35.8 required=5.0 trigger=30.0 (scanned in 6/6 secs | Message-Id: 1VxHWD-000NuW-83). From <> (host=NULL [203.0.113.79]) for me@example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "exim-spam"
    key  = { ip = "203.0.113.79" }
  }
}

# sa-exim.c cleanmsgid(): SAsafemesgidchars allow spaces and brackets
test "sa-exim: a Message-Id holding a space and an address is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1VxHWD-000NuW-83 SA: Action: silently tossed message: score=35.8 required=5.0 trigger=30.0 (scanned in 6/6 secs | Message-Id: x). From <> (host=NULL [10.9.9.11]) for x). From <> (host=NULL [203.0.113.80]) for me@example.com"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# sa-exim.c "SA: Action: flagged as Spam but accepted: ..." (delivered)
test "sa-exim: flagged as Spam but accepted is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1VxPit-000MMd-U4 SA: Action: flagged as Spam but accepted: score=8.2 required=5.0 (scanned in 6/6 secs | Message-Id: 0087@example.com). From <spammer@example.com> (host=ip.example.com [203.0.113.81]) for trap@example.com"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "exim-auth-failures" }
  expect_none { rule = "exim-rejects" }
  expect_none { rule = "exim-spam" }
}

# sa-exim.c SAaction "accepted": fail2ban exim-spam line 19 (the honeypot placeholder recipient); alert only
test "exim-spam-accepted: spam let through, 10 in an hour from one host" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 1VxPit-000MMd-U4 SA: Action: flagged as Spam but accepted: score=8.2 required=5.0 (scanned in 6/6 secs | Message-Id: 008701cf04ed_24497d70_6cdc7850_@example.net). From <spammer@example.net> (host=ip-4.example.net [203.0.113.31]) for bob@example.com"
    repeat = 10
    every  = "1m"
  }
  expect {
    rule = "exim-spam-accepted"
    key  = { ip = "203.0.113.31" }
  }
}
