# Variants of every FreeSWITCH message freeswitch.hcl reads, one test each,
# as FreeSWITCH 1.6-1.10 writes them (signalwire/freeswitch: mod_sofia
# sofia_reg.c, switch_log.c; the log call cited per test) or as fail2ban's
# freeswitch sample holds them (Debian fail2ban 1.0.2; addresses replaced
# by documentation ones).
#
#   breachd test configs/rules/freeswitch_variants_test.hcl

config = ["sources.hcl", "freeswitch.hcl"]

# sofia_reg.c "SIP auth %s (%s) on sofia profile '%s' for [%s@%s] from ip %s"; fail2ban freeswitch line 7
test "1.6-1.10.6: SIP auth failure (INVITE)" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:1478 SIP auth failure (INVITE) on sofia profile 'internal' for [000972543480510@192.168.2.51] from ip 203.0.113.1"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures"
    key    = { ip = "203.0.113.1" }
    fields = { method = "INVITE", profile = "internal", user = "000972543480510@192.168.2.51" }
  }
}

# switch_log.c (2021): "%0.2f%%" of switch_core_idle_cpu() after the date
test "1.10.7+: idle CPU after the date, REGISTER, IPv6" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 97.50% [WARNING] sofia_reg.c:1787 SIP auth failure (REGISTER) on sofia profile 'external' for [1001@example.com] from ip 2001:db8::2"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures"
    key    = { ip = "2001:db8::2" }
    fields = { method = "REGISTER" }
  }
}

# sofia_reg.c sofia_reg_parse_auth "Can't find user [%s@%s] from %s"; fail2ban freeswitch line 11
test "Can't find user" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:2531 Can't find user [1001@192.168.2.51] from 203.0.113.3"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures"
    key    = { ip = "203.0.113.3" }
    fields = { user = "1001@192.168.2.51" }
  }
}

# switch_log.c extra_fmt "%s [%s] %s:%d %s()%c%s"
test "SWITCH_FUNC_IN_LOG builds: FUNC() after FILE:LINE" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:3210 sofia_reg_parse_auth() Can't find user [100@example.com] from 203.0.113.4"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "freeswitch-auth-failures"
    key  = { ip = "203.0.113.4" }
  }
}

# network_ip of a dual-stack profile
test "IPv4-mapped address reported as IPv4" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:3210 Can't find user [100@example.com] from ::ffff:203.0.113.5"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "freeswitch-auth-failures"
    key  = { ip = "203.0.113.5" }
  }
}

# the To/From user and domain are the client's; the address ends the line
test "hostile user holding '] from 10.9.9.9'" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:3210 Can't find user [x] from 10.9.9.9@example.com] from 203.0.113.6"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "freeswitch-auth-failures"
    key  = { ip = "203.0.113.6" }
  }
  expect_none {
    rule = "freeswitch-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# sofia_reg.c "SIP auth challenge (%s) …"; fail2ban freeswitch line 3 (counted in its mode extra)
test "a challenge is every client's first request, not a failure" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:1533 SIP auth challenge (INVITE) on sofia profile 'internal' for [011448708752617@192.168.2.51] from ip 203.0.113.7"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures" }
  expect {
    rule   = "freeswitch-auth-challenges"
    key    = { ip = "203.0.113.7" }
    fields = { method = "INVITE", profile = "internal", user = "011448708752617@192.168.2.51" }
  }
}

# freeswitch-auth-challenges: the jail's maxretry 10 within its findtime 10m
test "nine challenges in ten minutes do not alert" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:1792 SIP auth challenge (REGISTER) on sofia profile 'internal' for [1001@example.com] from ip 203.0.113.20"
    repeat = 9
    every  = "1m"
  }
  expect_none { rule = "freeswitch-auth-challenges" }
}

# sofia_reg.c: the REGISTER challenge from an IPv4-mapped address, 1.10.7+ idle CPU
test "challenges: REGISTER, IPv4-mapped address, idle CPU" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.759675 98.00% [WARNING] sofia_reg.c:1792 SIP auth challenge (REGISTER) on sofia profile 'external' for [100@pbx.example.com] from ip ::ffff:203.0.113.21"
    repeat = 10
    every  = "30s"
  }
  expect {
    rule   = "freeswitch-auth-challenges"
    key    = { ip = "203.0.113.21" }
    fields = { method = "REGISTER" }
  }
}

# the To user and host are the client's: an address written into them is not taken
test "challenges: a To user holding 'from ip 10.9.9.9' does not become ip" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.759675 [WARNING] sofia_reg.c:1792 SIP auth challenge (INVITE) on sofia profile 'internal' for [x] from ip 10.9.9.9@192.168.2.51] from ip 2001:db8::22"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-challenges"
    key    = { ip = "2001:db8::22" }
    fields = { user = "x] from ip 10.9.9.9@192.168.2.51" }
  }
  expect_none {
    rule = "freeswitch-auth-challenges"
    key  = { ip = "10.9.9.9" }
  }
}

# fail2ban gh-2193 (fail2ban freeswitch line 19): a vendor build's
# /var/log/apollo/freeswitch/fslog/freeswitch.log, "MM-DD" date, [WARN] [SOFIA]
test "gh-2193 vendor build: Can't find user" {
  source = "freeswitch"
  start  = "2026-08-03T07:56:53Z"
  input {
    at     = "0s"
    line   = "08-03 07:56:53.026292 [WARN] [SOFIA] [sofia_reg.c:4130] Can't find user [101@148.251.134.154] from 192.0.2.3"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures"
    key    = { ip = "192.0.2.3" }
    fields = { user = "101@148.251.134.154" }
  }
}

# fail2ban gh-2193 (fail2ban freeswitch line 21)
test "gh-2193 vendor build: SIP auth failure" {
  source = "freeswitch"
  start  = "2026-08-03T08:10:21Z"
  input {
    at     = "0s"
    line   = "08-03 08:10:21.026299 [WARN] [SOFIA] [sofia_reg.c:2248] SIP auth failure (INVITE) on sofia profile 'external' for [41801148436701961@148.251.134.154] from ip 192.0.2.4"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures"
    key    = { ip = "192.0.2.4" }
    fields = { method = "INVITE", profile = "external", user = "41801148436701961@148.251.134.154" }
  }
}

# gh-2193's shape with the same call's challenge: the alert-only rule, not the blocking one
test "gh-2193 vendor build: a challenge" {
  source = "freeswitch"
  start  = "2026-08-03T08:10:21Z"
  input {
    at     = "0s"
    line   = "08-03 08:10:21.026299 [WARN] [SOFIA] [sofia_reg.c:2248] SIP auth challenge (INVITE) on sofia profile 'external' for [41801148436701961@148.251.134.154] from ip 192.0.2.5"
    repeat = 10
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures" }
  expect {
    rule = "freeswitch-auth-challenges"
    key  = { ip = "192.0.2.5" }
  }
}

# gh-2193's shape: a user holding "from 10.9.9.9" is not taken, the address ends the line
test "gh-2193 vendor build: an injected address in the user is not ip" {
  source = "freeswitch"
  start  = "2026-08-03T08:10:21Z"
  input {
    at     = "0s"
    line   = "08-03 08:10:21.026299 [WARN] [SOFIA] [sofia_reg.c:4130] Can't find user [a] from 10.9.9.9@example.com] from 2001:db8::23"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "freeswitch-auth-failures"
    key  = { ip = "2001:db8::23" }
  }
  expect_none {
    rule = "freeswitch-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# not a sofia_reg.c message: another subsystem's [WARN] line is not counted
test "gh-2193 vendor build: other [WARN] lines are not counted" {
  source = "freeswitch"
  start  = "2026-08-03T08:10:21Z"
  input {
    at     = "0s"
    line   = "08-03 08:10:21.026299 [WARN] [SOFIA] [sofia.c:7954] IP 192.0.2.6 Rejected by acl \"domains\". Falling back to Digest auth."
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures" }
  expect_none { rule = "freeswitch-auth-challenges" }
}

# sofia.c "IP %s Rejected by acl \"%s\". Falling back to Digest auth."; fail2ban freeswitch line 9
test "ACL fallback (DEBUG) is not counted" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [DEBUG] sofia.c:7954 IP 203.0.113.8 Rejected by acl \"domains\". Falling back to Digest auth."
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures" }
}

# threshold 10 within 10m, the jail's maxretry
test "nine failures in ten minutes do not fire" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.767815 [WARNING] sofia_reg.c:1478 SIP auth failure (INVITE) on sofia profile 'internal' for [1@example.com] from ip 203.0.113.9"
    repeat = 9
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures" }
}

# fail2ban freeswitch line 15 (dual time)
test "journald's header before FreeSWITCH's date in the log file" {
  source = "freeswitch"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23T10:00:00.150982 www.srv.tld freeswitch[122921]: 2026-11-23 10:00:00.150982 [WARNING] sofia_reg.c:2889 Can't find user [201@::1] from 203.0.113.10"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "freeswitch-auth-failures"
    key  = { ip = "203.0.113.10" }
  }
}

# program freeswitch; the message starts with switch_log.c's date
test "syslog: FreeSWITCH's console output with its date" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx freeswitch[122921]: 2026-11-23 10:00:00.150982 [WARNING] sofia_reg.c:1720 SIP auth failure (INVITE) on sofia profile 'sipinterface_1' for [9810972597751739@::1] from ip 203.0.113.11"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "freeswitch-auth-failures-syslog"
    key    = { ip = "203.0.113.11" }
    fields = { profile = "sipinterface_1" }
  }
}

# where: program == 'freeswitch'
test "syslog: another program is not FreeSWITCH" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx logger[1]: 2026-11-23 10:00:00.150982 [WARNING] sofia_reg.c:2889 Can't find user [201@::1] from 203.0.113.12"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "freeswitch-auth-failures-syslog" }
}
