# NSD 3.2-4.x (NLnet Labs): zone transfers, notifies and queries refused
# by an ACL, per client address (`ip`). Replaces fail2ban's nsd jail
# (its ratelimit lines by an alert-only rule, see below). Written from
# NLnetLabs/nsd:
# xfrd-tcp.c / axfr.c "%s for %s from %s refused, %s" (axfr or ixfr, the
# zone, addr2str of the client: no port, IPv6 plain; "from client %s"
# before 4.x; "refused, no acl matches." with a dot before 4.x), query.c
# "notify for %s from %s refused, %s%s%s" and "query %s from %s refused,
# %s%s%s" (the reason is the server's: the ACL that matched, NOKEY,
# BLOCKED, ...), util.c log_vmsg for the log file's shapes.
#
# The zone name is the client's (the query's name) and comes before the
# address: the rules take it greedily, so the address is the last "from
# ADDR refused, " whose server-written reason ends the line.
#
# Not counted there: "ratelimit block NAME type T target NET query ADDR
# QTYPE" (rrl.c; fail2ban's jail counts it for ANY queries): response rate
# limiting exists for floods of UDP queries with forged sources, so ADDR is
# most often the victim of a reflection attack, not its author; blocking
# it would cut the victim off. nsd-ratelimit-any counts those lines apart,
# with the jail's threshold, to alert on, not to block on.

# NSD's own log file (nsd.conf "logfile"): util.c writes "[%Y-%m-%d
# %H:%M:%S.mmm] nsd[PID]: LEVEL: MSG" (local time, read as UTC), with
# log-time-iso "YYYY-MM-DDThh:mm:ss.mmm+hh:mm nsd[PID]: LEVEL: MSG", and
# "[UNIXTIME] nsd[PID]: LEVEL: MSG" where no time functions exist (the
# last two timed at reading). Through syslog NSD is program nsd, and the
# message has no level.
source "file" "nsd" {
  paths       = ["/var/log/nsd.log", "/var/log/nsd/nsd.log"]
  format      = "regex"
  pattern     = "^(?:\\[(?:(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)|\\d+)\\]|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:\\d\\d)) nsd\\[\\d+\\]: (?P<level>[a-z]+): (?P<message>.*)$"
  time_layout = "2006-01-02 15:04:05"
}

# 5 refusals within 10 minutes, the jail's default maxretry.
rule "nsd-refused" {
  source = "nsd"
  match = [
    "^(?P<request>axfr|ixfr) for (?P<zone>.*) from (?:client )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) refused, (?:no acl matches|blocked)\\.?$",
    "^(?P<request>notify|query) (?:for )?(?P<zone>.*) from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) refused, .*$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "DNS requests from ${ip} repeatedly refused by NSD's ACLs"
    category = "reconnaissance"
  }
  tags = ["T1590.002"]
}

# The same through syslog (NSD's default: facility daemon).
rule "nsd-refused-syslog" {
  source = "syslog"
  match = [
    "^(?P<request>axfr|ixfr) for (?P<zone>.*) from (?:client )?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) refused, (?:no acl matches|blocked)\\.?$",
    "^(?P<request>notify|query) (?:for )?(?P<zone>.*) from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) refused, .*$",
  ]
  where = "program == 'nsd' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "DNS requests from ${ip} repeatedly refused by NSD's ACLs"
    category = "reconnaissance"
  }
  tags = ["T1590.002"]
}

# Alert only, do not block on it. rrl.c rrl_msg() (NSD 3.2.16+, verbosity
# 1 or more): "ratelimit block NAME type T[(whitelisted)] target NET query
# ADDR QTYPE", written when a response-rate-limit bucket starts dropping.
# Like fail2ban's jail, only ANY queries count (QTYPE "TYPE255", the way
# NSD prints type 255; "ANY" too). NAME is the query's (the client's) and
# comes first; everything after it is NSD's own text without spaces, so
# the rule takes it greedily and the address is the one before the query
# type that ends the line. 5 within 10 minutes, the jail's maxretry and
# findtime. ADDR is the source the UDP packets claim: in a reflection
# attack that is the victim, so a block would serve the attacker.
rule "nsd-ratelimit-any" {
  source = "nsd"
  match = [
    "^ratelimit block (?P<name>.*) type (?P<rrl_type>[a-z]+)(?:\\(whitelisted\\))? target (?P<target>[0-9A-Fa-f:.]+/\\d+) query (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) (?P<qtype>TYPE255|ANY)$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "NSD rate-limits ANY queries naming ${ip} (alert only: usually a forged source, the victim)"
    category = "reconnaissance"
  }
  tags = ["T1498.002"]
}

# The same through syslog (program nsd), alert only.
rule "nsd-ratelimit-any-syslog" {
  source = "syslog"
  match = [
    "^ratelimit block (?P<name>.*) type (?P<rrl_type>[a-z]+)(?:\\(whitelisted\\))? target (?P<target>[0-9A-Fa-f:.]+/\\d+) query (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) (?P<qtype>TYPE255|ANY)$",
  ]
  where = "program == 'nsd' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "NSD rate-limits ANY queries naming ${ip} (alert only: usually a forged source, the victim)"
    category = "reconnaissance"
  }
  tags = ["T1498.002"]
}
