# BIND 9 (named): queries, zone transfers and dynamic updates refused by
# an ACL, per client address (`ip`). Replaces fail2ban's named-refused
# jail. Written from BIND 9.9-9.21's ns_client_logv() (bin/named/client.c
# before 9.11's move to lib/ns/client.c):
#
#   "client [@%p ]ADDR#PORT[/key SIGNER][ (QNAME)][: view VIEW]: MSG"
#
# (the "@0x…" client pointer since 9.11; ADDR#PORT is isc_sockaddr_format,
# IPv6 unbracketed). The address is the first token after the fixed
# "client " prefix; everything the client chose (the query name, in the
# parentheses and in MSG) comes after it, and dns_name_format escapes a
# name's spaces (\032) and parentheses, so no query can move the source.
# An IPv4-mapped address (::ffff:a.b.c.d) is reported as a.b.c.d, the
# address the packets came from (the nftables action's IPv4 set).

# named's own log file: a logging channel "file" with print-time yes
# (BIND's "dd-Mon-YYYY hh:mm:ss.mmm", local time, read as UTC), optionally
# print-category ("security: ") and print-severity ("info: "), both part
# of the message the rules see. Lines without a time (print-time no) are
# read whole, timed at reading, and so are lines rsyslog wrote there in its
# own format (a syslog header and "named[PID]: ").
source "file" "named" {
  paths       = ["/var/log/named/security.log", "/var/log/bind/security.log"]
  format      = "regex"
  pattern     = "^(?:(?P<time>\\d\\d-[A-Z][a-z]{2}-\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) |[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d (?:[^\\s:\\[]+ )?(?:named(?:-[\\w-]+)?(?:\\[\\d+\\])?: )?)?(?P<message>.*)$"
  time_layout = "02-Jan-2006 15:04:05.000"
}

# named's security log file (the source above). Each message may start
# with print-category ("security: ") and print-severity ("info: ")
# prefixes (lib/isc/log.c isc_log_doit).
# Counted (each an ACL refusing the client, logged at info or error):
# - query.c: "query 'NAME/TYPE/CLASS' denied" (allow-query), "query
#   (cache) 'NAME/TYPE/CLASS' denied" (allow-query-cache; 9.20 adds
#   " (allow-query-cache did not match)" or "(allow-query-cache-on did not
#   match)"), category security;
# - xfrout.c: "zone transfer 'ZONE/CLASS' denied" (allow-transfer; category
#   security, 9.18+ via ns_client_checkacl) and "bad zone transfer request:
#   'ZONE/CLASS': non-authoritative zone (NOTAUTH)" (xfer-out), an AXFR for a
#   zone this server does not serve;
# - update.c: "update 'ZONE/CLASS' denied", "update 'ZONE/CLASS' denied due
#   to allow-query", "update forwarding 'ZONE/CLASS' denied"
#   (update-security).
# Not counted: "approved" lines (debug 3), "query-on denied" (the server's
# own listen address ACL), "signer \"KEY\" denied" (a TSIG-signed update,
# whose address line follows), and other "bad zone transfer request"
# reasons (a zone not loaded, a wrong type: the server's state).
rule "named-refused" {
  source = "named"
  where  = "is_ip(ip)"
  match = [
    "^(?:[a-z][a-z-]*: )?(?:(?:critical|error|warning|notice|info|debug \\d+|level \\d+): )?client (?:@(?:0x)?[0-9A-Fa-f]+ )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)#\\d+(?:/key \\S+)?(?: \\((?P<qname>\\S*)\\))?(?:: view (?P<view>[^:]+))?: (?P<request>query(?: \\(cache\\))?|zone transfer|update(?: forwarding)?) '(?P<target>.*)' denied(?: due to allow-query| \\([a-z -]+\\))?$",
    "^(?:[a-z][a-z-]*: )?(?:(?:critical|error|warning|notice|info|debug \\d+|level \\d+): )?client (?:@(?:0x)?[0-9A-Fa-f]+ )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)#\\d+(?:/key \\S+)?(?: \\((?P<qname>\\S*)\\))?(?:: view (?P<view>[^:]+))?: bad zone transfer request: '(?P<zone>.*)': non-authoritative zone \\(NOTAUTH\\)$",
  ]
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "DNS requests from ${ip} repeatedly refused by ACLs"
    category = "reconnaissance"
  }
  tags = ["T1590.002"]
}

# The same through syslog (BIND's default logging: facility daemon, so
# /var/log/syslog on Debian, /var/log/messages on Red Hat), program named
# (or named-pkcs11, named-sdb: Red Hat's builds), with the same expressions.
rule "named-refused-syslog" {
  source = "syslog"
  match = [
    "^(?:[a-z][a-z-]*: )?(?:(?:critical|error|warning|notice|info|debug \\d+|level \\d+): )?client (?:@(?:0x)?[0-9A-Fa-f]+ )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)#\\d+(?:/key \\S+)?(?: \\((?P<qname>\\S*)\\))?(?:: view (?P<view>[^:]+))?: (?P<request>query(?: \\(cache\\))?|zone transfer|update(?: forwarding)?) '(?P<target>.*)' denied(?: due to allow-query| \\([a-z -]+\\))?$",
    "^(?:[a-z][a-z-]*: )?(?:(?:critical|error|warning|notice|info|debug \\d+|level \\d+): )?client (?:@(?:0x)?[0-9A-Fa-f]+ )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)#\\d+(?:/key \\S+)?(?: \\((?P<qname>\\S*)\\))?(?:: view (?P<view>[^:]+))?: bad zone transfer request: '(?P<zone>.*)': non-authoritative zone \\(NOTAUTH\\)$",
  ]
  where = "program in ['named', 'named-pkcs11', 'named-sdb'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "DNS requests from ${ip} repeatedly refused by ACLs"
    category = "reconnaissance"
  }
  tags = ["T1590.002"]
}
