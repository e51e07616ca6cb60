# FreeSWITCH 1.6-1.10 (mod_sofia): SIP registrations and calls whose
# credentials were refused, and unknown users, per client address (`ip`).
# Replaces fail2ban's freeswitch jail (its challenges by an alert-only
# rule, see below). Written from signalwire/freeswitch:
# src/mod/endpoints/mod_sofia/sofia_reg.c sofia_reg_handle_register_token
# ("SIP auth %s (%s) on sofia profile '%s' for [%s@%s] from ip %s", failure
# when the password was wrong, challenge otherwise; logged only with the
# profile's log-auth-failures = true, "Log line added to support
# Fail2Ban") and sofia_reg_parse_auth ("Can't find user [%s@%s] from %s",
# followed by two lines of advice without a date, which nothing matches),
# and src/switch_log.c for the line: "DATE [LEVEL] FILE:LINE[ FUNC()] MSG",
# DATE "%Y-%m-%d %H:%M:%S.%06d" and, since 1.10.7, the core's idle CPU
# (" 97.50%").
#
# The user and domain in brackets are the client's (the To or From
# header) and come before the address: the rules take them greedily and
# the address must end the line, so it is the one FreeSWITCH wrote.
# The blocking rule does not count "SIP auth challenge", written for every
# REGISTER or INVITE that arrives without credentials, which every phone's
# first request does (fail2ban's default mode "extra" counts it, so a
# phone placing ten calls in ten minutes is banned): freeswitch-auth-
# challenges counts it apart, with the jail's threshold, to alert on, not
# to block on.
#
# Both also read a vendor build's log (fail2ban gh-2193: a production
# /var/log/apollo/freeswitch/fslog/freeswitch.log whose date template hit
# 4557 times): "MM-DD HH:MM:SS.ffffff [WARN] [SOFIA] [sofia_reg.c:N] MSG",
# the same sofia_reg.c messages under a logger that writes no year, a
# short level and the subsystem; switch_log.c never writes it. Such lines
# are timed at reading.

# FreeSWITCH's log file (mod_logfile): /var/log/freeswitch/freeswitch.log
# in SignalWire's Debian packages, /var/log/freeswitch.log in fail2ban's
# jail. The line's time is local, read as UTC. Lines journald or rsyslog
# wrote there around FreeSWITCH's own (a syslog header and
# "freeswitch[PID]: " before its date) are read too, and the vendor
# build's "MM-DD HH:MM:SS.ffffff" date (no year: timed at reading).
source "file" "freeswitch" {
  paths       = ["/var/log/freeswitch/freeswitch.log", "/var/log/freeswitch.log"]
  format      = "regex"
  pattern     = "^(?:(?:\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:?\\d\\d)?|[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d) \\S+ freeswitch(?:\\[\\d+\\])?: )?(?:(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+)|\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+)(?: \\d+\\.\\d\\d%)? (?P<message>\\[[A-Z]+\\] .*)$"
  time_layout = "2006-01-02 15:04:05"
}

# 10 within 10 minutes, the freeswitch jail's maxretry.
rule "freeswitch-auth-failures" {
  source = "freeswitch"
  match = [
    "^\\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? SIP auth failure \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? Can't find user \\[(?P<user>.*)\\] from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[WARN\\] \\[SOFIA\\] \\[sofia_reg\\.c:\\d+\\] SIP auth failure \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[WARN\\] \\[SOFIA\\] \\[sofia_reg\\.c:\\d+\\] Can't find user \\[(?P<user>.*)\\] from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SIP brute force or user scan against FreeSWITCH from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same where FreeSWITCH's console output reaches syslog or the journal
# (program freeswitch; the message starts with FreeSWITCH's own date).
rule "freeswitch-auth-failures-syslog" {
  source = "syslog"
  match = [
    "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+(?: \\d+\\.\\d\\d%)? \\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? SIP auth failure \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+(?: \\d+\\.\\d\\d%)? \\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? Can't find user \\[(?P<user>.*)\\] from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  where = "program == 'freeswitch' && is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SIP brute force or user scan against FreeSWITCH from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Alert only, do not block on it: "SIP auth challenge (METHOD) on sofia
# profile 'P' for [USER@DOMAIN] from ip ADDR" (sofia_reg.c, the same call
# as the failure; only with log-auth-failures) is FreeSWITCH asking for
# credentials, which every phone's first REGISTER or INVITE gets. Many
# from one address in a short time is a scanner that never answers the
# challenge (or a busy phone, or a PBX behind NAT): fail2ban's jail counts
# it in its default mode "extra" with maxretry 10 and findtime 10m, and so
# does this rule, at low severity, for a person to look at.
rule "freeswitch-auth-challenges" {
  source = "freeswitch"
  match = [
    "^\\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? SIP auth challenge \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[WARN\\] \\[SOFIA\\] \\[sofia_reg\\.c:\\d+\\] SIP auth challenge \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "Many SIP auth challenges from ${ip} at FreeSWITCH (alert only: phones get them too)"
    category = "reconnaissance"
  }
  tags = ["T1110"]
}
