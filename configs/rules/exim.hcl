# Exim 4 (Debian's exim4), from its main log: SMTP AUTH failures, and the
# rejections and protocol violations fail2ban's exim jail counts, per
# client address (`ip`). Written from exim's src/src/smtp_in.c, acl.c,
# route.c and host.c (host_and_ident) log calls, 4.80 to 4.99; see
# docs/rules.md "The exim pack".

# Exim's main log: Debian's exim4 writes /var/log/exim4/mainlog; exim's own
# default and Red Hat's is /var/log/exim/mainlog, Arch's and SUSE's
# /var/log/exim/main.log. log.c writes each line as "%Y-%m-%d %H:%M:%S"
# (".fff" with log_selector +millisec, " +zzzz" with log_timezone), then
# " [pid]" (+pid), then the message id for lines about a message: old ids
# "1ahr79-0006jK-G9", 4.97+ "10HmbB-000000005vi-0000". The time is local
# (the source's timezone). An rsyslog template that writes an ISO time and
# "host exim[pid]: " into such a file is read too (fail2ban's gh-2553).
source "file" "exim" {
  paths   = ["/var/log/exim4/mainlog", "/var/log/exim/mainlog", "/var/log/exim/main.log"]
  format  = "regex"
  pattern = "^(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{3})?(?: [+-]\\d{4})?) (?:[^\\s\\[\\]]+ exim4?\\[\\d+\\]: )?(?:\\[(?P<pid>\\d+)\\] )?(?:(?P<msgid>[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) )?(?P<message>.*)$"
}

# SMTP AUTH failures; replaces the authentication part of fail2ban's exim
# jail. smtp_in.c, AUTH command: log_write(0, LOG_MAIN|LOG_REJECT, "%s
# authenticator failed for %s: %s", the authenticator's name (the server's
# configuration), host_and_ident(FALSE) (4.99: TRUE, which adds "H="),
# errmsg). smtp_in_auth(): on FAIL, errmsg is "535 Incorrect authentication
# data" followed by " (set_id=%s)" when the authenticator's server_set_id
# expands (the client's user name). Not counted: "435 Unable to
# authenticate at present" (the server failing), "501 Invalid base64 data"
# and "501 Authentication cancelled".
# host_and_ident(): [NAME ][(HELO) ][ADDR][:PORT][ I=[IFACE]:PORT][ U=IDENT]
# [ Ci=ID]; NAME is a host name exim verified (check_dns_names_pattern: no
# space or bracket), the HELO is in parentheses (one without a space,
# parenthesis or quote is read; exim refuses others unless
# helo_accept_junk_hosts); the user name (set_id) comes after the address,
# so it can never move it. Exim writes an IPv4-mapped address as IPv4
# (host.c host_ntoa); "::ffff:a.b.c.d" would be reported as a.b.c.d.
rule "exim-auth-failures" {
  source = "exim"
  match  = "^(?P<authenticator>[A-Za-z0-9_.-]+) authenticator failed for (?:H=)?(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)?: 535 Incorrect authentication data(?: \\(set_id=(?P<user>.*)\\)|: \\d+ Time\\(s\\))?$"
  where  = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SMTP AUTH brute force on exim from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Rejections and protocol violations of an SMTP client; replaces the rest of
# fail2ban's exim jail (mode normal):
# - smtp_in.c "%s sender verify %s for <%s>%s" (host_and_ident(TRUE),
#   "fail", the sender, ": " and the router's message: "Unrouteable
#   address" (route.c), "Unknown user" (the default configuration's
#   cannot_route_message), "all relevant MX records point to non-existent
#   hosts" (routers/dnslookup.c)).
# - smtp_in.c smtp_handle_acl(): "%s%s%s %s%srejected %s%s" (host_and_ident
#   (TRUE), the TLS details, " F=<sender>", "temporarily " for a deferral,
#   "RCPT <recipient>", ": " and the ACL's message): counted for "relay not
#   permitted" (exim's and Debian's configuration), "Sender verify failed"
#   (acl.c), "Unknown user", "Unrouteable address"; not when temporary.
# - smtp_in.c "SMTP protocol synchronization error (input sent without
#   waiting for greeting): rejected connection from %s input=\"%s\"" and
#   "(next input sent too soon: pipelining was not advertised): rejected
#   \"%s\" %s next input=\"%s\"" (4.99+ %q: quotes in the client's text are
#   escaped; before, the command is raw, and a command holding a quote is
#   not read: the address would be ambiguous).
# - smtp_in.c "SMTP call from %s dropped: too many nonmail commands |
#   syntax or protocol errors | unrecognized commands (last ...)"
#   (host_and_ident(FALSE)).
# - synprot_error(): "SMTP protocol error in \"%s\" %s AUTH command used
#   when not advertised": the command is the client's and comes first; the
#   line must end with exim's fixed text right after the address, so the
#   address is the last H= on it.
# - smtp_log_no_mail(): "no MAIL in [TFO ]SMTP connection from %s D=%s..."
#   (a client that connected and left without trying to send: scanners,
#   AUTH guessers that never got in).
# - smtp_get_connection_info(): "SMTP connection from %s closed by DROP in
#   ACL".
# Safety: where the client's text (command, input) precedes the address, it
# must be a quoted string without an unescaped quote, or the line must end
# in exim's fixed text right after the address; elsewhere the address is
# the first bracket after exim's fixed prefix, and everything the client
# chose (sender, recipient, input) comes after it.
rule "exim-rejects" {
  source = "exim"
  match = [
    "^H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? sender verify fail for <.*>: (?P<reason>Unknown user|Unrouteable address|all relevant MX records point to non-existent hosts)$",
    "^H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)?(?P<details> .*?)? rejected RCPT .*: (?P<reason>relay not permitted|Sender verify failed|Unknown user|Unrouteable address)$",
    "^SMTP protocol synchronization error \\((?P<reason>input sent without waiting for greeting)\\): rejected connection from H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? input=.*$",
    "^SMTP protocol synchronization error \\((?P<reason>next input sent too soon: pipelining was(?: not)? advertised)\\): rejected \"(?:[^\"\\\\]|\\\\.)*\" H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? next input=\"(?:[^\"\\\\]|\\\\.)*\"(?:\\.\\.\\.)?$",
    "^SMTP call from (?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? dropped: (?P<reason>too many (?:nonmail commands|syntax or protocol errors|unrecognized commands)) \\(last .*$",
    "^SMTP protocol error in \".*\" H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? (?P<reason>AUTH command used when not advertised)$",
    "^no MAIL in (?:TFO\\*? )?SMTP connection from (?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? D=\\S+(?: .*)?$",
    "^SMTP connection (?:Ci=\\S+ )?from (?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)? (?P<reason>closed by DROP in ACL)$",
  ]
  where = "is_ip(ip) && !(details endsWith ' temporarily')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SMTP client ${ip} repeatedly rejected by exim"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1589"]
}

# Spam and malware rejections; replaces fail2ban's exim-spam jail:
# - receive.c, after local_scan() (sa-exim, Debian's SpamAssassin plugin)
#   refused the message: "%s %srejected by local_scan(): %.256s" with
#   "F=SENDER" and add_host_info_for_log() (" H=HOST[ I=...][ TFO][ U=...]
#   [ Ci=...][ P=proto][ L...]"), "temporarily " for a deferral (not
#   counted). The sender comes first and is the client's: one with a space
#   is read only as a quoted local part ("a b"@domain, RFC 5321), so the H=
#   after it is exim's.
# - smtp_in.c smtp_handle_acl() "rejected RCPT <r>: MESSAGE" where the
#   ACL's message names a DNS block list ("dnsbl": the wording is the
#   ACL's, as fail2ban's filter expects), and "rejected after DATA: This
#   message contains a virus" (configure.default's malware ACL message).
# - sa-exim 4.2.1 sa-exim.c: "SA: Action: silently tossed message: %s
#   (scanned in %d/%d secs | Message-Id: %s). %s" with "From <%s> (host=%s
#   [%s]) for RCPTS": the Message-Id (the client's, cleaned to
#   SAsafemesgidchars, which allow spaces and brackets) and the sender
#   precede the address and the recipients (", "-separated) follow it, so
#   the line is read only when the Message-Id, the sender and each
#   recipient hold no space (and no bracket or quote): then exim's
#   "(host=NAME [ADDR])" is the only split. "flagged as Spam but accepted" is not counted (the message
#   was delivered; fail2ban counts it only for a honeypot recipient).
rule "exim-spam" {
  source = "exim"
  match = [
    "^F=(?:<>|[^\\s\"]+|\"(?:[^\"\\\\]|\\\\.)*\"@[^\\s\"]+) H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)?(?P<details>(?: [^\\s\"]+)*?) rejected by local_scan\\(\\): .*$",
    "^H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)?(?P<details> .*?)? rejected RCPT .*: .*dnsbl.*$",
    "^H=(?:[^\\s()\\[\\]\"]+ )?(?:\\([^\\s()\"]*\\) )?\\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: I=\\[[0-9A-Fa-f:.]+\\](?::\\d+)?)?(?: U=[^\\s\"]+)?(?: Ci=[^\\s\"]+)?(?P<details> .*?)? rejected after DATA: This message contains a virus\\b.*$",
    "^SA: Action: silently tossed message: score=[0-9.-]+ required=[0-9.-]+(?: trigger=[0-9.-]+)? \\(scanned in \\d+/\\d+ secs \\| Message-Id: [^\\s()]*\\)\\. From <[^\\s<>()\"]*> \\(host=[^\\s()\\[\\]]+ \\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\]\\) for [^\\s\"]+(?:, [^\\s\"]+)*$",
  ]
  where = "is_ip(ip) && !(details endsWith ' temporarily')"
  threshold {
    count    = 5
    within   = "1h"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Spam or malware from ${ip} repeatedly rejected by exim"
    category = "abuse"
  }
  tags = ["T1566"]
}

# Alert only: do not block on it. sa-exim's "flagged as Spam but accepted"
# (sa-exim.c, SAaction "accepted" above SApermreject's score): spam the
# filter let through to the mailbox, per sending host. fail2ban's exim-spam
# filter counts it for its honeypot recipient (a placeholder the stock jail
# does not set); without a trap address of the site's own this rule says
# only that one host's spam keeps getting through: 10 in an hour.
rule "exim-spam-accepted" {
  source = "exim"
  match  = "^SA: Action: flagged as Spam but accepted: score=[0-9.-]+ required=[0-9.-]+(?: trigger=[0-9.-]+)? \\(scanned in \\d+/\\d+ secs \\| Message-Id: [^\\s()]*\\)\\. From <[^\\s<>()\"]*> \\(host=[^\\s()\\[\\]]+ \\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\]\\) for (?P<rcpt>[^\\s\"]+(?:, [^\\s\"]+)*)$"
  where  = "is_ip(ip)"
  threshold {
    count    = 10
    within   = "1h"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "Spam from ${ip} keeps getting through (exim, SpamAssassin)"
    category = "abuse"
  }
  tags = ["T1566"]
}
