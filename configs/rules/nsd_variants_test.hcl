# Variants of every NSD message nsd.hcl reads, one test each, as NSD 3.2-4.x
# writes them (NLnetLabs/nsd; the log call cited per test) or as fail2ban's
# nsd sample holds them (Debian fail2ban 1.0.2; addresses replaced by
# documentation ones).
#
#   breachd test configs/rules/nsd_variants_test.hcl

config = ["sources.hcl", "nsd.hcl"]

# xfrd-tcp.c "%s for %s from %s refused, %s"; fail2ban nsd line 6
test "log file: axfr refused, 4.x (no 'client', no dot)" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.562] nsd[160800]: info: axfr for example.com. from 203.0.113.1 refused, no acl matches"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-refused"
    key    = { ip = "203.0.113.1" }
    fields = { request = "axfr", zone = "example.com.", level = "info" }
  }
}

# NSD 3.2 "from client %s refused, no acl matches."; fail2ban nsd line 4
test "log file: 3.x 'from client', a dot, Unix time" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[1795428000] nsd[23600]: info: axfr for zone domain.example. from client 203.0.113.2 refused, no acl matches."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-refused"
    key    = { ip = "203.0.113.2" }
    fields = { zone = "zone domain.example." }
  }
}

# "ixfr" when qtype is IXFR; "blocked" when an ACL says BLOCKED
test "log file: ixfr blocked, IPv6" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[1]: info: ixfr for example.org. from 2001:db8::3 refused, blocked"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-refused"
    key    = { ip = "2001:db8::3" }
    fields = { request = "ixfr" }
  }
}

# util.c log_vmsg with log-time-iso
test "log file with log-time-iso" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23T10:00:00.001+00:00 nsd[1]: info: axfr for example.com. from 203.0.113.4 refused, no acl matches"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-refused"
    key  = { ip = "203.0.113.4" }
  }
}

# query.c answer_notify "notify for %s from %s refused, %s%s%s"
test "notify refused" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[1]: info: notify for example.com. from 203.0.113.5 refused, no acl matches"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-refused"
    key    = { ip = "203.0.113.5" }
    fields = { request = "notify" }
  }
}

# query.c "query %s from %s refused, %s%s%s"
test "query refused by an ACL" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[1]: info: query example.com. from 203.0.113.6 refused, BLOCKED 203.0.113.0/24"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-refused"
    key    = { ip = "203.0.113.6" }
    fields = { request = "query" }
  }
}

# the zone (the query's name) is the client's and comes before the address
test "hostile zone name holding 'from ADDR refused'" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[1]: info: axfr for x\\032from\\03210.9.9.9\\032refused,\\032no\\032acl\\032matches from 10.9.9.8 refused, no acl matches from 203.0.113.7 refused, no acl matches"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-refused"
    key  = { ip = "203.0.113.7" }
  }
  expect_none {
    rule = "nsd-refused"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "nsd-refused"
    key  = { ip = "10.9.9.8" }
  }
}

# rrl.c rrl_msg() "ratelimit %s %s type %s%s target %s query %s %s" (3.2.16+); fail2ban nsd line 2
test "ratelimit blocks are not refusals; ANY ones alert (forged sources)" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[7745]: info: ratelimit block example.com. type any target 203.0.113.0/24 query 203.0.113.8 TYPE255"
    repeat = 8
    every  = "1s"
  }
  expect_none { rule = "nsd-refused" }
  expect {
    rule   = "nsd-ratelimit-any"
    key    = { ip = "203.0.113.8" }
    fields = { name = "example.com.", rrl_type = "any", target = "203.0.113.0/24", qtype = "TYPE255" }
  }
}

# fail2ban's sample line 2 as it is: the epoch prefix (timed at reading)
test "ratelimit: fail2ban's line, epoch prefix" {
  source = "nsd"
  start  = "2013-12-17T14:58:14Z"
  input {
    at     = "0s"
    line   = "[1387288694] nsd[7745]: info: ratelimit block example.com. type any target 192.0.2.0/24 query 192.0.2.105 TYPE255"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-ratelimit-any"
    key  = { ip = "192.0.2.105" }
  }
}

# rrlsource2str: IPv6 sources are /56 nets (rrl-ipv6-prefix-length); whitelisted types say so
test "ratelimit: IPv6 source, whitelisted type" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[7745]: info: ratelimit block example.org. type any(whitelisted) target 2001:db8:0:100::/56 query 2001:db8:0:1a0::1 TYPE255"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nsd-ratelimit-any"
    key    = { ip = "2001:db8:0:1a0::1" }
    fields = { target = "2001:db8:0:100::/56" }
  }
}

# the name is the query's (the client's); NSD's own text follows it to the end of the line
test "ratelimit: a query name holding 'query 10.9.9.9 TYPE255' does not become ip" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[7745]: info: ratelimit block a type any target 10.9.9.0/24 query 10.9.9.9 TYPE255.example.com. type any target 203.0.113.0/24 query 203.0.113.12 TYPE255"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-ratelimit-any"
    key  = { ip = "203.0.113.12" }
  }
  expect_none {
    rule = "nsd-ratelimit-any"
    key  = { ip = "10.9.9.9" }
  }
}

# like fail2ban's jail: only ANY (type 255) queries; an A query's block, an unblock, are not counted
test "ratelimit: other query types and unblocks do not alert" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "[2026-11-23 10:00:00.001] nsd[7745]: info: ratelimit block example.com. type positive target 203.0.113.0/24 query 203.0.113.13 A",
    "[2026-11-23 10:00:01.001] nsd[7745]: info: ratelimit block example.com. type positive target 203.0.113.0/24 query 203.0.113.13 A",
    "[2026-11-23 10:00:02.001] nsd[7745]: info: ratelimit block example.com. type positive target 203.0.113.0/24 query 203.0.113.13 A",
    "[2026-11-23 10:00:03.001] nsd[7745]: info: ratelimit block example.com. type positive target 203.0.113.0/24 query 203.0.113.13 A",
    "[2026-11-23 10:00:04.001] nsd[7745]: info: ratelimit block example.com. type positive target 203.0.113.0/24 query 203.0.113.13 A",
    "[2026-11-23 10:00:05.001] nsd[7745]: info: ratelimit unblock example.com. type any target 203.0.113.0/24 query 203.0.113.13 TYPE255",
    "[2026-11-23 10:00:06.001] nsd[7745]: info: ratelimit unblock example.com. type any target 203.0.113.0/24 query 203.0.113.13 TYPE255",
    "[2026-11-23 10:00:07.001] nsd[7745]: info: ratelimit unblock example.com. type any target 203.0.113.0/24 query 203.0.113.13 TYPE255",
    "[2026-11-23 10:00:08.001] nsd[7745]: info: ratelimit unblock example.com. type any target 203.0.113.0/24 query 203.0.113.13 TYPE255",
    "[2026-11-23 10:00:09.001] nsd[7745]: info: ratelimit unblock example.com. type any target 203.0.113.0/24 query 203.0.113.13 TYPE255",
  ]
  expect_none { rule = "nsd-ratelimit-any" }
}

# the jail's maxretry 5 within findtime 10m
test "ratelimit: four ANY blocks in ten minutes do not alert" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.001] nsd[7745]: info: ratelimit block example.com. type any target 203.0.113.0/24 query 203.0.113.14 TYPE255"
    repeat = 4
    every  = "2m"
  }
  expect_none { rule = "nsd-ratelimit-any" }
}

# through syslog: program nsd, no level
test "syslog: ratelimit block of ANY queries" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns2 nsd[812]: ratelimit block example.com. type any target 198.51.100.0/24 query 198.51.100.15 TYPE255"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-ratelimit-any-syslog"
    key  = { ip = "198.51.100.15" }
  }
}

# threshold 5 within 10m
test "four refusals do not fire" {
  source = "nsd"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00.562] nsd[1]: info: axfr for example.com. from 203.0.113.9 refused, no acl matches"
    repeat = 4
    every  = "1s"
  }
  expect_none { rule = "nsd-refused" }
}

# NSD through syslog (program nsd, no level)
test "syslog: axfr refused" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns2 nsd[812]: axfr for example.com. from 203.0.113.10 refused, no acl matches"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nsd-refused-syslog"
    key  = { ip = "203.0.113.10" }
  }
}

# where: program == 'nsd'
test "syslog: another program is not NSD" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns2 logger[1]: axfr for example.com. from 203.0.113.11 refused, no acl matches"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "nsd-refused-syslog" }
}
