# Courier mail server: IMAP/POP3 login failures (courier-imap) and SMTP
# AUTH failures and unknown recipients (courieresmtpd), per client
# address (`ip`), from the mail log (courierlogger's facility "mail").
# Written from svarshavchik/courier-libs imap/imaplogin.C, imap/pop3login.C
# and liblog/logger.c, and svarshavchik/courier
# courier/module.esmtp/courieresmtpd.C; see docs/rules.md "The courier
# pack".

# Replaces fail2ban's courier-auth jail. imaplogin.C and pop3login.C:
# courier_safe_printf("INFO: LOGIN FAILED, user=%s, ip=[%s], port=[%s]",
# the user name, TCPREMOTEIP, TCPREMOTEPORT) after a refused LOGIN/USER+PASS,
# and "INFO: LOGIN FAILED, method=%s, ip=[%s], port=[%s]" after a refused
# AUTHENTICATE/AUTH (", port=[%s]" since 2014; before, the line ends at
# the address). courierlogger (liblog/logger.c) drops the "INFO: " and
# writes the rest to syslog under the daemon's name (imapd, imapd-ssl,
# pop3d, pop3d-ssl, courierpop3login, ...). couriertcpd writes an IPv4
# client of an IPv6 socket as ::ffff:a.b.c.d: reported as a.b.c.d.
# Safety: the user name (and the SASL method) is the client's and comes
# before the address; the line must end right after the address and the
# port, which are couriertcpd's, so the address is the last "ip=[...]" on
# it and a user name holding ", ip=[10.9.9.9]" never becomes the source.
rule "courier-auth-failures" {
  source = "mail"
  match = [
    "^LOGIN FAILED, user=(?P<user>.*), ip=\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?:, port=\\[\\d*\\])?$",
    "^LOGIN FAILED, method=(?P<method>.*), ip=\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?:, port=\\[\\d*\\])?$",
  ]
  where = "program matches '^(courier)?(imapd?|pop3d?)(login)?(-ssl)?$' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Courier IMAP/POP3 login brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Replaces fail2ban's courier-smtp jail. courieresmtpd.C iov_logerror():
# "error,relay=%s,port=%s[,ident=\"%s\"],msg=\"%s\",cmd: %s" (TCPREMOTEIP,
# the reply, the client's command) for an SMTP error reply; the AUTH
# failure is the reply "535 Authentication failed." with the AUTH command
# as cmd (its base64 argument, or the user name a client sent in clear).
# print_submit_log_fix(): "error,relay=%s,port=%s[,ident=%s],from=<%s>,
# to=<%s>: REPLY" for a refused recipient; counted for "550 User unknown."
# (cdmsgq2.C, module.local) and "550 User <name> unknown". Courier before
# the port was logged writes "error,relay=%s," directly.
# Safety: the address is the first field after the fixed "error,relay=",
# written by courieresmtpd; everything the client chose (ident, sender,
# recipient, command) comes after it.
rule "courier-smtp-failures" {
  source = "mail"
  match = [
    "^error,relay=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?:,port=\\d+)?,(?:.*): (?P<reason>550 User (?:<[^<>]*> )?unknown)\\.?$",
    "^error,relay=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?:,port=\\d+)?(?:,ident=.*)?,msg=\"(?P<reason>535 Authentication failed\\.)\",cmd:(?: AUTH (?P<method>\\S+))?(?: (?P<user>.*))?$",
  ]
  where = "program == 'courieresmtpd' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Courier SMTP AUTH failures or unknown recipients from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1589"]
}
