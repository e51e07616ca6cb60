# Variants of the proxy logs proxies.hcl reads, one test each: Squid's
# native access.log (src/log/FormatSquidNative.cc, Squid 2.7-6), HAProxy's
# HTTP log format (src/log.c, 1.5-3.x), Traefik's access log in CLF and
# JSON (pkg/middlewares/accesslog, 2.x-3.x) and Caddy's JSON access log
# (modules/caddyhttp, 2.7+), with the source or fail2ban sample line cited
# (Debian fail2ban 1.0.2; addresses replaced by documentation ones).
#
#   breachd test configs/rules/proxies_variants_test.hcl

config = ["sources.hcl", "proxies.hcl"]

# logformat squid (src/log/FormatSquidNative.cc); fail2ban squid line 4
test "squid: TCP_DENIED/403, an open-proxy probe" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.1 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.1 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.1 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.1 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428004.004      4 203.0.113.1 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
  ]
  expect {
    rule   = "squid-denied"
    key    = { ip = "203.0.113.1" }
    fields = { result = "TCP_DENIED", method = "GET", url = "http://www.example.net/azenv.php" }
  }
}

# fail2ban squid line 7
test "squid: NONE/405 CONNECT (Squid 3-4)" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.2 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.2 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.2 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.2 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428004.004      4 203.0.113.2 NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
  ]
  expect {
    rule   = "squid-denied"
    key    = { ip = "203.0.113.2" }
    fields = { result = "NONE" }
  }
}

# Squid 5 LogTags: NONE_NONE for a transaction without a cache lookup
test "squid 5+: NONE_NONE/405" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 2001:db8::3 NONE_NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428001.001      4 2001:db8::3 NONE_NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428002.002      4 2001:db8::3 NONE_NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428003.003      4 2001:db8::3 NONE_NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
    "1795428004.004      4 2001:db8::3 NONE_NONE/405 3364 CONNECT error:method-not-allowed - HIER_NONE/- text/html",
  ]
  expect {
    rule   = "squid-denied"
    key    = { ip = "2001:db8::3" }
    fields = { result = "NONE_NONE" }
  }
}

# LogTags TCP_DENIED_REPLY; %>a of a dual-stack listener
test "squid: TCP_DENIED_REPLY/403 (http_reply_access), IPv4-mapped client" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 ::ffff:203.0.113.4 TCP_DENIED_REPLY/403 3722 GET http://www.example.net/env.cgi - HIER_DIRECT/198.51.100.7 text/html",
    "1795428001.001      4 ::ffff:203.0.113.4 TCP_DENIED_REPLY/403 3722 GET http://www.example.net/env.cgi - HIER_DIRECT/198.51.100.7 text/html",
    "1795428002.002      4 ::ffff:203.0.113.4 TCP_DENIED_REPLY/403 3722 GET http://www.example.net/env.cgi - HIER_DIRECT/198.51.100.7 text/html",
    "1795428003.003      4 ::ffff:203.0.113.4 TCP_DENIED_REPLY/403 3722 GET http://www.example.net/env.cgi - HIER_DIRECT/198.51.100.7 text/html",
    "1795428004.004      4 ::ffff:203.0.113.4 TCP_DENIED_REPLY/403 3722 GET http://www.example.net/env.cgi - HIER_DIRECT/198.51.100.7 text/html",
  ]
  expect {
    rule = "squid-denied"
    key  = { ip = "203.0.113.4" }
  }
}

# %[un: the authenticated user name
test "squid: a CONNECT denied to a user, user name logged" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.5 TCP_DENIED/403 3745 CONNECT pkfsp.example:443 alice HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.5 TCP_DENIED/403 3745 CONNECT pkfsp.example:443 alice HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.5 TCP_DENIED/403 3745 CONNECT pkfsp.example:443 alice HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.5 TCP_DENIED/403 3745 CONNECT pkfsp.example:443 alice HIER_NONE/- text/html",
    "1795428004.004      4 203.0.113.5 TCP_DENIED/403 3745 CONNECT pkfsp.example:443 alice HIER_NONE/- text/html",
  ]
  expect {
    rule   = "squid-denied"
    key    = { ip = "203.0.113.5" }
    fields = { user = "alice" }
  }
}

# the client address is the third field, before the URL
test "squid: hostile URL holding an address is not the client" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.6 TCP_DENIED/403 3745 GET http://10.9.9.9/ 10.9.9.9 HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.6 TCP_DENIED/403 3745 GET http://10.9.9.9/ 10.9.9.9 HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.6 TCP_DENIED/403 3745 GET http://10.9.9.9/ 10.9.9.9 HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.6 TCP_DENIED/403 3745 GET http://10.9.9.9/ 10.9.9.9 HIER_NONE/- text/html",
    "1795428004.004      4 203.0.113.6 TCP_DENIED/403 3745 GET http://10.9.9.9/ 10.9.9.9 HIER_NONE/- text/html",
  ]
  expect {
    rule = "squid-denied"
    key  = { ip = "203.0.113.6" }
  }
  expect_none {
    rule = "squid-denied"
    key  = { ip = "10.9.9.9" }
  }
}

# every authenticating browser's first request
test "squid: 407 proxy authentication required is not counted" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428004.004      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428005.005      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428006.006      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
    "1795428007.007      4 203.0.113.7 TCP_DENIED/407 3901 GET http://www.example.com/ - HIER_NONE/- text/html",
  ]
  expect_none { rule = "squid-denied" }
}

# TCP_MISS/200, TCP_TUNNEL/200
test "squid: served requests are not counted" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428001.001      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428002.002      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428003.003      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428004.004      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428005.005      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428006.006      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
    "1795428007.007      4 203.0.113.8 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 - HIER_DIRECT/198.51.100.8 -",
  ]
  expect_none { rule = "squid-denied" }
}

# where: !is_private_ip(ip)
test "squid: an office client refused its blocked sites is not counted" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428001.001      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428002.002      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428003.003      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428004.004      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428005.005      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428006.006      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
    "1795428007.007      4 192.168.1.20 TCP_DENIED/403 3745 GET http://games.example/ - HIER_NONE/- text/html",
  ]
  expect_none { rule = "squid-denied" }
}

# threshold: 5 within 10m, the squid jail's default maxretry
test "squid: four denials in ten minutes do not fire" {
  source = "squid"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "1795428000.000      4 203.0.113.9 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428001.001      4 203.0.113.9 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428002.002      4 203.0.113.9 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
    "1795428003.003      4 203.0.113.9 TCP_DENIED/403 4099 GET http://www.example.net/azenv.php - HIER_NONE/- text/html",
  ]
  expect_none { rule = "squid-denied" }
}

# src/log.c default HTTP format, Tq/Tw/Tc/Tr/Tt; fail2ban haproxy-http-auth line 4
test "haproxy 1.5-1.8: 401 from http-request auth, Tq -1" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.20:58430 [23/Nov/2026:10:00:00.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "haproxy-auth-failures"
    key    = { ip = "203.0.113.20" }
    fields = { frontend = "main", backend = "main" }
  }
}

# src/log.c 1.9+ "%TR/%Tw/%Tc/%Tr/%Ta"
test "haproxy 1.9+: TR measured, Ta" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.21:41000 [23/Nov/2026:10:00:00.001] fe_https~ be_admin/<NOSRV> 0/-1/-1/-1/0 401 193 - - PR-- 1/1/0/0/0 0/0 \"GET /admin HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "haproxy-auth-failures"
    key    = { ip = "203.0.113.21" }
    fields = { frontend = "fe_https~", backend = "be_admin" }
  }
}

# %ci:%cp with an IPv6 %ci; fail2ban haproxy-http-auth line 6
test "haproxy: IPv6 client, port after the last colon" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 2001:db8::1234:58430 [23/Nov/2026:10:00:00.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "haproxy-auth-failures"
    key  = { ip = "2001:db8::1234" }
  }
}

# fail2ban haproxy-http-auth line 8
test "haproxy: IPv4-mapped client reported as IPv4" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: ::ffff:203.0.113.22:58430 [23/Nov/2026:10:00:00.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "haproxy-auth-failures"
    key  = { ip = "203.0.113.22" }
  }
}

# src/log.c: "+" before the total time with option logasap
test "haproxy: option logasap (+Tt)" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.23:1234 [23/Nov/2026:10:00:00.608] main main/<NOSRV> -1/-1/-1/-1/+0 401 248 - - PR-- 0/0/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "haproxy-auth-failures"
    key  = { ip = "203.0.113.23" }
  }
}

# the request (the client's) is last on the line
test "haproxy: a hostile request line is after the address" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.24:1234 [23/Nov/2026:10:00:00.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 \"GET /10.9.9.9:1 [x] main main/<NOSRV> -1/-1/-1/-1/0 401 HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "haproxy-auth-failures"
    key  = { ip = "203.0.113.24" }
  }
  expect_none {
    rule = "haproxy-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# fail2ban haproxy-http-auth line 2
test "haproxy: a 403 (http-request deny) is not an authentication failure" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.25:58444 [23/Nov/2026:10:00:00.439] main app/app1 1939/0/1/0/1940 403 5168 - - ---- 3/3/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "haproxy-auth-failures" }
}

# a server name instead of <NOSRV>
test "haproxy: a 401 from a server behind HAProxy is the server's" {
  source = "haproxy"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 lb1 haproxy[760]: 203.0.113.26:58444 [23/Nov/2026:10:00:00.439] main app/app1 0/0/1/2/3 401 512 - - ---- 3/3/0/0/0 0/0 \"GET / HTTP/1.1\""
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "haproxy-auth-failures" }
}

# accesslog CommonLogFormatter; fail2ban traefik-auth line 17
test "traefik CLF: 401 with the user name sent" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.30 - username [23/Nov/2026:10:00:00 +0000] \"GET /dashboard/ HTTP/2.0\" 401 17 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:57.0) Gecko/20100101 Firefox/57.0\" 72 \"Auth for frontend-Host-traefik-0\" \"/dashboard/\" 0ms"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "traefik-auth-failures"
    key    = { ip = "203.0.113.30" }
    fields = { user = "username", method = "GET" }
  }
}

# fail2ban traefik-auth line 19 (TRACE)
test "traefik CLF: other methods, IPv6 client" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2001:db8::31 - admin [23/Nov/2026:10:00:00 +0000] \"TRACE /dashboard/ HTTP/2.0\" 401 17 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:57.0) Gecko/20100101 Firefox/57.0\" 72 \"Auth for frontend-Host-traefik-0\" \"/dashboard/\" 0ms"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "traefik-auth-failures"
    key    = { ip = "2001:db8::31" }
    fields = { method = "TRACE" }
  }
}

# fail2ban traefik-auth line 5 (mode normal: not a failure)
test "traefik CLF: a 401 without a user name is a browser's first request" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.32 - - [23/Nov/2026:10:00:00 +0000] \"GET /dashboard/ HTTP/2.0\" 401 17 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:57.0) Gecko/20100101 Firefox/57.0\" 72 \"Auth for frontend-Host-traefik-0\" \"/dashboard/\" 0ms"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "traefik-auth-failures" }
}

# fail2ban traefik-auth line 21
test "traefik CLF: a 200 is not counted" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.33 - username [23/Nov/2026:10:00:00 +0000] \"GET /dashboard/ HTTP/2.0\" 200 716 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:57.0) Gecko/20100101 Firefox/57.0\" 72 \"Auth for frontend-Host-traefik-0\" \"/dashboard/\" 0ms"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "traefik-auth-failures" }
}

# the client address is the first field
test "traefik CLF: a hostile user agent holding a 401 line is not the address" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.34 - bob [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 401 17 \"-\" \"10.9.9.8 - x [23/Nov/2026:10:00:00 +0000] \\\"GET / HTTP/1.1\\\" 401 17\" 1 \"r\" \"/\" 0ms"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "traefik-auth-failures"
    key  = { ip = "203.0.113.34" }
  }
  expect_none {
    rule = "traefik-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# pkg/middlewares/auth/basic_auth.go: the user name is logged unquoted, spaces included
test "traefik CLF: a user name with spaces and a fake 200 tail still counts" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.38 - a b [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" 1 \"r\" \"/\" 0ms [23/Nov/2026:10:00:00 +0000] \"GET /dashboard/ HTTP/2.0\" 401 17 \"-\" \"curl/8.5.0\" 72 \"Auth for dashboard\" \"/dashboard/\" 0ms"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "traefik-auth-failures"
    key    = { ip = "203.0.113.38" }
    fields = { user = "a b [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" 1 \"r\" \"/\" 0ms", path = "/dashboard/" }
  }
}

# Traefik 3 generic CLF (logger_formatters.go): no count, router, URL or duration
test "traefik 3 generic CLF" {
  source = "traefik"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.39 - carol [23/Nov/2026:10:00:00 +0000] \"POST /login HTTP/1.1\" 401 17 \"-\" \"curl/8.5.0\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "traefik-auth-failures"
    key    = { ip = "203.0.113.39" }
    fields = { user = "carol", method = "POST" }
  }
}

# accesslog JSON format: ClientHost, ClientUsername, DownstreamStatus (a number)
test "traefik JSON: 401 with a user name" {
  source = "traefik-json"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"ClientAddr\":\"203.0.113.35:4242\",\"ClientHost\":\"203.0.113.35\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "traefik-auth-failures-json"
    key    = { ip = "203.0.113.35" }
    fields = { user = "admin", router = "dashboard@docker" }
  }
}

# ClientUsername "-" without credentials
test "traefik JSON: no user name, or a 200" {
  source = "traefik-json"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.36:4242\",\"ClientHost\":\"203.0.113.36\",\"ClientPort\":\"4242\",\"ClientUsername\":\"-\",\"DownstreamContentSize\":17,\"DownstreamStatus\":401,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
    "{\"ClientAddr\":\"203.0.113.37:4242\",\"ClientHost\":\"203.0.113.37\",\"ClientPort\":\"4242\",\"ClientUsername\":\"admin\",\"DownstreamContentSize\":17,\"DownstreamStatus\":200,\"Duration\":102345,\"RequestHost\":\"example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/dashboard/\",\"RequestProtocol\":\"HTTP/2.0\",\"RouterName\":\"dashboard@docker\",\"StartUTC\":\"2026-11-23T10:00:00.1Z\",\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-11-23T10:00:00Z\"}",
  ]
  expect_none { rule = "traefik-auth-failures-json" }
}

# caddyhttp/logging.go: "handled request", request.client_ip, status, user_id
test "caddy 2.7+: twenty 401s in a minute" {
  source = "caddy"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "{\"level\":\"info\",\"ts\":1795428000.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428001.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428002.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428003.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428004.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428005.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428006.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428007.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428008.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428009.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428010.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428011.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428012.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428013.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428014.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428015.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428016.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428017.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428018.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428019.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.40\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.40\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"bob\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
  ]
  expect {
    rule   = "caddy-auth-failures"
    key    = { ip = "203.0.113.40" }
    fields = { user = "bob", status = "401", uri = "/admin" }
  }
}

# status 403 (a respond or an authorization denial)
test "caddy: 403s, IPv6" {
  source = "caddy"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "{\"level\":\"info\",\"ts\":1795428000.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428001.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428002.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428003.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428004.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428005.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428006.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428007.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428008.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428009.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428010.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428011.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428012.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428013.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428014.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428015.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428016.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428017.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428018.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428019.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"2001:db8::41\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::41\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":403,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
  ]
  expect {
    rule   = "caddy-auth-failures"
    key    = { ip = "2001:db8::41" }
    fields = { status = "403" }
  }
}

# threshold: 20 within 1m, as web-auth-failures
test "caddy: nineteen in a minute, or 404s, do not fire" {
  source = "caddy"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "{\"level\":\"info\",\"ts\":1795428000.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428001.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428002.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428003.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428004.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428005.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428006.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428007.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428008.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428009.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428010.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428011.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428012.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428013.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428014.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428015.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428016.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428017.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428018.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.42\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.42\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":401,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428000.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428001.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428002.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428003.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428004.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428005.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428006.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428007.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428008.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428009.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428010.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428011.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428012.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428013.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428014.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428015.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428016.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428017.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428018.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428019.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428020.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428021.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428022.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428023.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
    "{\"level\":\"info\",\"ts\":1795428024.52,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.43\",\"remote_port\":\"41342\",\"client_ip\":\"203.0.113.43\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/admin\",\"headers\":{\"User-Agent\":[\"curl/8.5.0\"]}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":12,\"status\":404,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
  ]
  expect_none { rule = "caddy-auth-failures" }
}
