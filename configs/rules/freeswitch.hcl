# FreeSWITCH 1.6-1.10 (mod_sofia): SIP registrations and calls whose
# credentials were refused, and unknown users, per client address (`ip`).
# Replaces fail2ban's freeswitch jail for failures (see below for its
# challenges). Written from signalwire/freeswitch:
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
# Not counted: "SIP auth challenge", written for every REGISTER or INVITE
# that arrives without credentials, which every phone's first request
# does (fail2ban's default mode "extra" counts it, so a phone placing ten
# calls in ten minutes is banned); "[WARN] [SOFIA] [sofia_reg.c:N]" lines
# (fail2ban's sample, gh-2193), a shape switch_log.c does not write.

# FreeSWITCH's log file (mod_logfile): /var/log/freeswitch/freeswitch.log
# in SignalWire's Debian packages, /var/log/freeswitch.log in fail2ban's
# jail. The line's time is local, read as UTC. Lines journald or rsyslog
# wrote there around FreeSWITCH's own (a syslog header and
# "freeswitch[PID]: " before its date) are read too.
source "file" "freeswitch" {
  paths       = ["/var/log/freeswitch/freeswitch.log", "/var/log/freeswitch.log"]
  format      = "regex"
  pattern     = "^(?:(?:\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:?\\d\\d)?|[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d) \\S+ freeswitch(?:\\[\\d+\\])?: )?(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+)(?: \\d+\\.\\d\\d%)? (?P<message>\\[[A-Z]+\\] .*)$"
  time_layout = "2006-01-02 15:04:05"
}

# 10 within 10 minutes, the freeswitch jail's maxretry.
rule "freeswitch-auth-failures" {
  source = "freeswitch"
  match = [
    "^\\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? SIP auth failure \\((?P<method>REGISTER|INVITE)\\) on sofia profile '(?P<profile>[^']*)' for \\[(?P<user>.*)\\] from ip (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[WARNING\\] sofia_reg\\.c:\\d+(?: [A-Za-z0-9_]+\\(\\))? Can't find user \\[(?P<user>.*)\\] from (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)$",
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
