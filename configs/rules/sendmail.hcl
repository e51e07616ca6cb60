# Sendmail SMTP AUTH failures, per client address (`ip`), from the mail
# log. Written from sendmail 8.14-8.18 sendmail/srvrsmtp.c (smtp(),
# checksmtpattack(), the LOGAUTHFAIL macro); see docs/rules.md "The
# sendmail-auth rule".

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
