# Cyrus IMAP/POP3 login failures, per client address (`ip`), from the mail
# log. Written from cyrusimap/cyrus-imapd 2.4-3.12 imap/imapd.c and
# imap/pop3d.c "badlogin:" log calls and imap/global.c get_clienthost();
# see docs/rules.md "The cyrus-imap rule".

# Replaces fail2ban's cyrus-imap jail.
# - imapd.c/pop3d.c: syslog(LOG_NOTICE, "badlogin: %s plaintext %s %s"
#   (2.x-3.0) or "badlogin: %s plaintext (%s) [%s]" (3.2+), clienthost,
#   the user name, sasl_errdetail(); AUTHENTICATE: "badlogin: %s %s [%s]"
#   or "badlogin: %s %s (%s) [%s]" (the mechanism, the user); POP3 APOP
#   "badlogin: %s APOP (%s) %s"; a user that does not exist: "badlogin: %s
#   plaintext %s invalid user" / "plaintext (%s) invalid user". Counted when
#   the SASL detail is SASL(-13) "authentication failure" or "user not
#   found" (as fail2ban), or the user is invalid; not "anonymous login
#   refused" or Kerberos kpop lines.
# - global.c get_clienthost(): "NAME [ADDR]" with the name getnameinfo()
#   resolved (NI_NAMEREQD), else "[ADDR]"; 2.x wrote "NAME[ADDR]".
# Safety: the client's address is the first bracket after the fixed
# "badlogin: " and the resolved name; the user name and mechanism (the
# client's) come after it. Cyrus 3.13 logs "login.bad" key=value lines
# instead (imap/loginlog.c): not read yet.
rule "cyrus-imap-auth-failures" {
  source = "mail"
  match = [
    "^badlogin: (?:(?P<rdns>[^\\s\\[\\]]+) ?)?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?P<detail>.*(?:SASL\\(-13\\): (?:authentication failure|user not found)\\b.*| invalid user))$",
  ]
  where = "program matches '^(cyrus/)?(imap|pop3)[ds]?$' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Cyrus IMAP/POP3 login brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
