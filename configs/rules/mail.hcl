# Mail servers: Postfix SMTP AUTH (SASL) failures and Dovecot IMAP/POP3
# login failures, per client address. The address is taken from the
# server-written part of each message, after the client-chosen user name.

rule "postfix-sasl-failures" {
  source = "mail"
  match  = "^warning: (?P<rdns>[^\\[\\s]*)\\[(?P<ip>[0-9A-Fa-f:.]+)\\]: SASL (?P<mechanism>[A-Z0-9-]+) authentication failed: .*$"
  where  = "program matches '^postfix(-[a-z0-9]+)?/(smtpd|submission/smtpd|smtps/smtpd|postscreen)$' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SMTP AUTH brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

rule "dovecot-auth-failures" {
  source = "mail"
  match  = "^(?P<service>imap|pop3|submission|managesieve|lmtp)-login: (Disconnected|Aborted login|Login aborted|Disconnected: Connection closed)( \\([^)]*\\))?.*auth failed, (?P<attempts>\\d+) attempts? in \\d+ secs.*: user=<(?P<user>.*)>, .*rip=(?P<ip>[0-9A-Fa-f:.]+), lip=[0-9A-Fa-f:.]+(, .*)?$"
  where  = "program == 'dovecot' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "${service} login brute force from ${ip} (last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
