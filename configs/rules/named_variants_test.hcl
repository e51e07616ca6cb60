# Variants of every BIND 9 message named.hcl reads, one test each, as BIND
# 9.9-9.21 writes them (isc-projects/bind9: bin/named/client.c before 9.11,
# lib/ns/client.c, query.c, xfrout.c and update.c after; lib/isc/log.c for
# the file channel's prefixes; the log call cited per test) or as real
# servers logged them in fail2ban's named-refused sample (Debian fail2ban
# 1.0.2, line cited; addresses replaced by documentation ones).
#
#   breachd test configs/rules/named_variants_test.hcl

config = ["sources.hcl", "named.hcl"]

# bin/named/client.c ns_client_logv 9.9 "client %s%s%s%s%s%s%s%s: %s"; query.c "%s denied" with ns_client_aclmsg "query '%s/%s/%s'"; fail2ban named-refused line 2
test "9.9-9.10 syslog: query denied (allow-query), no client pointer" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[3935]: client 203.0.113.1#4795: query 'example.com/NS/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.1" }
    fields = { request = "query", target = "example.com/NS/IN" }
  }
}

# ns_client_logv sep4 ": view "; fail2ban named-refused line 12
test "9.9-9.10 syslog: query (cache) denied in a view, no query name" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[3935]: client 203.0.113.2#9334: view external: query (cache) './NS/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.2" }
    fields = { request = "query (cache)", view = "external", target = "./NS/IN" }
  }
}

# lib/ns/client.c ns_client_logv "client @%p %s%s%s%s%s%s%s%s: %s" (9.11+)
test "9.11+ syslog: client pointer and query name" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.3#61977 (example.com): query (cache) 'example.com/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.3" }
    fields = { qname = "example.com" }
  }
}

# lib/ns/query.c query_checkcacheaccess "%s denied (%s)" acl_desc (9.20)
test "9.20: view after the query name, IPv6, reason of the cache ACL" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 2001:db8::5#53 (example.org): view internet: query (cache) 'example.org/ANY/IN' denied (allow-query-cache did not match)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "2001:db8::5" }
    fields = { view = "internet", request = "query (cache)" }
  }
}

# isc_sockaddr_format of an IPv4 client on a dual-stack socket
test "IPv4-mapped client address: reported as IPv4" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 ::ffff:203.0.113.6#5353 (example.com): query 'example.com/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused-syslog"
    key  = { ip = "203.0.113.6" }
  }
}

# lib/ns/xfrout.c "zone transfer '%s/%s' denied"; ns_client_logv sep1 "/key "
test "zone transfer denied, TSIG signer" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.7#40278/key xfer-key (example.com): zone transfer 'example.com/AXFR/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.7" }
    fields = { request = "zone transfer", target = "example.com/AXFR/IN" }
  }
}

# xfrout.c FAILQ "bad zone transfer request: '%s/%s': %s (%s)"; fail2ban named-refused line 28
test "NOTAUTH zone transfer request" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[28098]: client @0x7f6450002ef0 203.0.113.8#23332 (example.com): bad zone transfer request: 'test.example/IN': non-authoritative zone (NOTAUTH)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.8" }
    fields = { zone = "test.example/IN" }
  }
}

# lib/ns/update.c checkupdateacl "%s '%s/%s' %s" (update-security)
test "dynamic update denied" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.9#1234 (example.com): update 'example.com/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.9" }
    fields = { request = "update", target = "example.com/IN" }
  }
}

# lib/ns/update.c checkqueryacl "update '%s/%s' denied due to allow-query"
test "update denied due to allow-query" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.10#1234 (example.com): update 'example.com/IN' denied due to allow-query"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused-syslog"
    key  = { ip = "203.0.113.10" }
  }
}

# lib/ns/update.c send_forward_event "update forwarding '%s/%s' denied"
test "update forwarding denied" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.11#1234 (example.com): update forwarding 'example.com/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.11" }
    fields = { request = "update forwarding" }
  }
}

# Red Hat's named-pkcs11 binary, the same log calls
test "Red Hat's named-pkcs11" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named-pkcs11[77]: client @0x7f6450002ef0 203.0.113.12#53 (example.com): query 'example.com/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused-syslog"
    key  = { ip = "203.0.113.12" }
  }
}

# dns_name_format escapes spaces (\\032) and parentheses; the client's name comes after its address
test "hostile query name: an address in the name is not the source" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.13#53 (x\\032client\\03210.9.9.9#53\\).example): query 'x\\032client\\03210.9.9.9#53\\).example/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused-syslog"
    key  = { ip = "203.0.113.13" }
  }
  expect_none {
    rule = "named-refused-syslog"
    key  = { ip = "10.9.9.9" }
  }
}

# a label may hold ' (dns_name_totext does not escape it)
test "hostile query name holding a quote" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.14#53 (a'b.example): query 'a'b.example/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused-syslog"
    key    = { ip = "203.0.113.14" }
    fields = { target = "a'b.example/A/IN" }
  }
}

# query.c "%s approved" (debug 3)
test "approved queries are not refusals" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.15#53 (example.com): query (cache) 'example.com/A/IN' approved"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "named-refused-syslog" }
}

# query.c "query-on denied"
test "query-on denied (the server's own address) is not counted" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.16#53 (example.com): query-on denied"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "named-refused-syslog" }
}

# xfrout.c FAILQ(DNS_R_NOTAUTH, "non-authoritative zone") only; other reasons are the server's
test "a zone not loaded is not the client's fault" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[1806]: client @0x7f6450002ef0 203.0.113.17#53 (example.com): bad zone transfer request: 'example.com/IN': zone not loaded (SERVFAIL)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "named-refused-syslog" }
}

# where: program in named, named-pkcs11, named-sdb
test "another program writing the same text is not named" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 logger[1]: client 203.0.113.18#53: query 'example.com/A/IN' denied"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "named-refused-syslog" }
}

# threshold: 5 within 10m, as the named-refused jail's maxretry
test "four refusals in ten minutes do not fire" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[3935]: client 203.0.113.19#4795: query 'example.com/NS/IN' denied"
    repeat = 4
    every  = "1s"
  }
  expect_none { rule = "named-refused-syslog" }
}

# lib/isc/log.c isc_log_doit: time, category, module, level, message; fail2ban named-refused line 16
test "file channel, print-time and print-severity" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.372 error: client @0x7f6450002ef0 203.0.113.20#52115 (example.com): zone transfer 'example.com/AXFR/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused"
    key    = { ip = "203.0.113.20" }
    fields = { request = "zone transfer" }
  }
}

# fail2ban named-refused line 21 (BIND 9.9.3-P2 RedHat)
test "file channel, print-time only" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.621 client 203.0.113.21#40278 (example.com.ua): query (cache) 'example.com.ua/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused"
    key    = { ip = "203.0.113.21" }
    fields = { qname = "example.com.ua" }
  }
}

# isc_log_doit categories_description ("security: ") then level ("info: ")
test "file channel, print-category and print-severity" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.001 security: info: client @0x7f6450002ef0 2001:db8::22#53 (example.io): query (cache) 'example.io/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "named-refused"
    key    = { ip = "2001:db8::22" }
    fields = { request = "query (cache)" }
  }
}

# fail2ban named-refused line 34 (gh-3388), time as BIND writes it
test "file channel, update-security category with severity" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.001 update-security: error: client @0x7f6450002ef0 203.0.113.23#55956 (example.ca): update 'example.ca/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused"
    key  = { ip = "203.0.113.23" }
  }
}

# xfrout.c FAILQ at category xfer-out
test "file channel, xfer-out NOTAUTH with IPv6" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.001 xfer-out: info: client @0x7f6450002ef0 2001:db8::24#41000 (example.net): bad zone transfer request: 'example.net/IN': non-authoritative zone (NOTAUTH)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused"
    key  = { ip = "2001:db8::24" }
  }
}

# a syslog header in the file (an rsyslog rule by program name); read whole
test "rsyslog writing named's messages into the security log" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ns1 named[3935]: client 203.0.113.25#4795: query 'example.com/NS/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused"
    key  = { ip = "203.0.113.25" }
  }
}

# the query name is the client's and comes after the address
test "file channel, hostile view-looking query name" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.001 client @0x7f6450002ef0 203.0.113.26#53 (view\\032external:\\03210.9.9.8#53): query 'view\\032external:\\03210.9.9.8#53/A/IN' denied"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "named-refused"
    key  = { ip = "203.0.113.26" }
  }
  expect_none {
    rule = "named-refused"
    key  = { ip = "10.9.9.8" }
  }
}

# lib/dns/resolver.c lame server logging (category lame-servers)
test "file channel: lame-server and other lines are not refusals" {
  source = "named"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "23-Nov-2026 10:00:00.001 lame-servers: info: REFUSED unexpected RCODE resolving 'example.com/A/IN': 203.0.113.27#53"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "named-refused" }
}
