# Sendmail SMTP AUTH failures and rejections, per client address (`ip`),
# from the mail log. Written from sendmail 8.14-8.18 sendmail/srvrsmtp.c
# (smtp(), checksmtpattack(), the LOGAUTHFAIL macro),
# sendmail/parseaddr.c (rscheck()), err.c (usrerr()) and headers.c
# (logsender()); see docs/rules.md "The sendmail rules".

# Replaces fail2ban's sendmail-auth jail.
# - srvrsmtp.c, a refused SASL exchange (LogLevel 9+; before 8.16 >9):
#   sm_syslog(LOG_WARNING, e->e_id, "AUTH failure (%s): %s (%d) %s, relay=
#   %.100s", the mechanism, sasl_errstring(), the SASL result,
#   sasl_errdetail(), CurSmtpClient); 8.16+ (LOGAUTHFAIL) adds ", user=%.*s"
#   (the client's user name) before ", relay=". Counted for SASL_BADAUTH
#   ("authentication failure", -13) and SASL_NOUSER ("user not found",
#   -20), not for the SASL library failing.
# - checksmtpattack(): "%s: possible SMTP attack: command=%.40s, count=%u"
#   (CurSmtpClient), logged once when a connection's AUTH commands reach
#   the limit: counted for command=AUTH.
# sm_syslog() writes the queue id (or NOQUEUE) first. CurSmtpClient is
# "[NAME ][ADDR][ (may be forged)]" with ADDR "[a.b.c.d]" or
# "[IPv6:...]"; NAME is a resolved host name (no space or bracket).
# Safety: in the AUTH failure line the user name and the SASL detail (which
# may echo it) are the client's and precede the address; the line must
# end with CurSmtpClient, so the address is the last "relay=" on it. The
# relay is cut at 100 bytes (%.100s): a line whose address was cut is not
# read.
rule "sendmail-auth-failures" {
  source = "mail"
  match = [
    "^[0-9A-Za-z]{6,20}: (?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?: possible SMTP attack: command=AUTH, count=\\d+$",
    "^[0-9A-Za-z]{6,20}: AUTH failure \\((?P<mechanism>[^()\\s]*)\\): (?P<reason>authentication failure|user not found) \\(-?\\d+\\) .*?(?:, user=(?P<user>.*))?, relay=(?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?$",
  ]
  where = "program in ['sendmail', 'sm-mta', 'sm-acceptingconnections'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Sendmail SMTP AUTH brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Rejections of an SMTP client; replaces fail2ban's sendmail-reject jail
# (mode normal).
# - parseaddr.c rscheck(): "ruleset=%s, arg1=%s%s, reject=%s" with ",
#   arg2=%s" and ", relay=%s" (the client: "[IDENT@]NAME [ADDR][ (may be
#   forged)]") and the ruleset's reply. Counted for check_rcpt and
#   check_mail with cf/m4/proto.m4's client rejections: 550 5.7.1 (relaying
#   denied, block lists "Rejected: ... listed at", access map), 550 5.1.1
#   (User unknown), 553 5.1.8 (Domain of sender address does not exist);
#   and check_relay's 421 4.3.2 from the ratecontrol and conncontrol
#   features (Connection rate limit exceeded., Too many open connections.).
#   arg1 (the client's address) must hold no space, so the first ",
#   relay=" after it is sendmail's.
# - srvrsmtp.c greet_pause: "rejecting commands from %s [%s] due to
#   pre-greeting traffic after %d seconds" (the peer's name, possibly
#   empty, and its address).
# - srvrsmtp.c VRFY/EXPN refused by PrivacyOptions: "%s: %s [rejected]"
#   (CurSmtpClient, the command as the client typed it, after the address).
# - "<user>... No such user here": a recipient refused by an error mailer
#   entry (virtusertable or access map "error:nouser 550 5.1.1 No such user
#   here", RFC 821's wording), logged by err.c usrerr() under the queue id
#   as "ADDR... TEXT". The line has no client address: it waits in its
#   connection (host, program, pid, queue id: one SMTP transaction) and
#   counts when headers.c logsender() writes the transaction's
#   "from=S, size=N, class=N, nrcpts=N[, msgid=M][, bodytype=B][, proto=P]
#   [, daemon=D]..., relay=CLIENT" (the "connection" note), relay always
#   last. The sender, msgid and bodytype are the client's and precede the
#   relay, so the line must end right after CLIENT: the address is the last
#   "relay=" on it. A from= line with no refused recipient counts nothing;
#   one of another queue id never completes the line.
rule "sendmail-rejects" {
  source = "mail"
  match = [
    "^(?P<qid>[0-9A-Za-z]{6,20}): ruleset=check_(?:rcpt|mail), arg1=<[^\\s<>]*>, relay=(?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?, reject=(?P<reply>(?:550 5\\.7\\.1|550 5\\.1\\.1|553 5\\.1\\.8) .*)$",
    "^ruleset=check_relay, arg1=[^\\s,]*, arg2=[0-9A-Fa-f:.]*, relay=(?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?, reject=(?P<reply>421 4\\.3\\.2 (?:Connection rate limit exceeded|Too many open connections)\\.)$",
    "^(?P<qid>[0-9A-Za-z]{6,20}): rejecting commands from (?:\\S* )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] due to pre-greeting traffic after \\d+ seconds$",
    "^(?P<qid>[0-9A-Za-z]{6,20}): (?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?: (?P<reply>(?i:expn|vrfy)) .* \\[rejected\\]$",
    "^(?P<qid>[0-9A-Za-z]{6,20}): <(?P<rcpt>[^\\s<>]*)>\\.\\.\\. (?P<reply>No such user here)$",
  ]
  where = "program in ['sendmail', 'sm-mta', 'sm-acceptingconnections'] && (ip == '' || is_ip(ip))"
  connection {
    by     = ["host", "program", "pid", "qid"]
    fill   = ["ip"]
    within = "10m"
    note   = ["^(?P<qid>[0-9A-Za-z]{6,20}): from=.*, relay=(?:[^\\s\\[\\]]+ )?\\[(?:IPv6:)?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?: \\(may be forged\\))?$"]
  }
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SMTP client ${ip} repeatedly rejected by sendmail"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1589"]
}
