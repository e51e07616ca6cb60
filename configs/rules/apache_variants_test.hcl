# Variants of every Apache httpd error-log message apache.hcl reads, one
# test each, as httpd 2.2.x and 2.4.x write them (server/log.c for the line's
# prefix; the module and log call cited per test) or as real servers logged
# them in fail2ban's samples (Debian fail2ban 1.0.2, tests/files/logs/
# apache-*, line cited; addresses replaced by documentation ones).
#
#   breachd test configs/rules/apache_variants_test.hcl

config = ["sources.hcl", "apache.hcl"]
source = "apache-error"

# mod_auth_basic.c 2.2 "user %s not found: %s"; log.c 2.2 "[client %s] "; the shape of fail2ban apache-auth line 43
test "2.2 basic: user not found, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.1] user alice not found: /private/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.1" }
    fields = { user = "alice" }
  }
}

# mod_auth_basic.c AH01618; log.c do_errorlog_default "[client %s:%d] "
test "2.4 basic: AH01618 user not found, IPv4 with port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 17512:tid 140123079128832] [client 203.0.113.2:51386] AH01618: user bob not found: /basic/file"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.2" }
    fields = { user = "bob", module = "auth_basic" }
  }
}

# log.c "[client %s:%d] " with useragent_ip unbracketed
test "2.4 basic: IPv6 with port (the port is after the last colon)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 17512:tid 140123079128832] [client 2001:db8::7:51548] AH01618: user carol not found: /basic/file"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "2001:db8::7" }
    fields = { user = "carol" }
  }
}

# a bracketed IPv6 client, as a real server logged it (fail2ban apache-auth line 62)
test "2.4 basic: bracketed IPv6 with port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_owner:error] [pid 17540:tid 140122922129152] [client [2001:db8::8]:51548] AH01637: Authorization of user test-ipv6 to access /basic/x.html failed, reason: file owner dan does not match"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "2001:db8::8" }
    fields = { user = "test-ipv6" }
  }
}

# log.c "[client %s:%d] " on a dual-stack listener: the IPv4-mapped address is reported as IPv4, as every pack does
test "2.4 basic: IPv4-mapped IPv6 with port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 17512] [client ::ffff:203.0.113.3:40022] AH01618: user dave not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.3" }
  }
}

# log.c 2.2 "[client %s] " (no port, so an address ending in decimal digits stays whole); fail2ban apache-auth line 12
test "2.2: IPv6 without port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 2001:db8::25] user test-ipv6 not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "2001:db8::25" }
    fields = { user = "test-ipv6" }
  }
}

# mod_auth_basic.c 2.2 "user %s: authentication failure for \"%s\": Password Mismatch"
test "2.2 basic: Password Mismatch" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.4] user username: authentication failure for \"/basic/file\": Password Mismatch"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.4" }
    fields = { user = "username" }
  }
}

# mod_auth_basic.c AH01617; log.c appends ", referer: %s"
test "2.4 basic: AH01617 Password Mismatch, referer" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 17512:tid 140123053950720] [client 203.0.113.5:51390] AH01617: user username: authentication failure for \"/basic/file\": Password Mismatch, referer: https://example.com/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.5" }
    fields = { user = "username" }
  }
}

# log.c "[remote %s:%d] " when the connection has no scoreboard handle (h2_c2.c)
test "2.4 HTTP/2 stream: [remote ADDR:PORT]" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 4242:tid 140123053950720] [remote 203.0.113.6:443] AH01618: user erin not found: /admin"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.6" }
    fields = { user = "erin" }
  }
}

# mod_auth_basic.c AH01618 (the user name is the client's, any text)
test "2.4 basic: user name with spaces" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 1] [client 203.0.113.7:1] AH01618: user admin istrator not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.7" }
    fields = { user = "admin istrator" }
  }
}

# mod_auth_basic.c AH01614 "client used wrong authentication scheme: %s"
test "2.4: client wrong scheme AH01614" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 17512:tid 140122964092672] [client 203.0.113.8:51396] AH01614: client used wrong authentication scheme: /basic/file"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.8" }
  }
}

# mod_auth_digest.c 2.2 "Digest: user `%s' in realm `%s' not found: %s"
test "2.2 digest: user not found in realm" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.9] Digest: user `username' in realm `digest private area' not found: /digest/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.9" }
    fields = { user = "username" }
  }
}

# mod_auth_digest.c AH01791 "user `%s' in realm `%s' denied by provider: %s"
test "2.4 digest: AH01791 denied by provider" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 1:tid 2] [client 203.0.113.10:57000] AH01791: user `frank' in realm `private' denied by provider: /digest/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.10" }
    fields = { user = "frank" }
  }
}

# mod_auth_digest.c AH01792 "user %s: password mismatch: %s"; fail2ban apache-auth line 73
test "2.4 digest: AH01792 password mismatch" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 17540:tid 140123070736128] [client 203.0.113.11:51406] AH01792: user username: password mismatch: /digest/cant_get_me.html"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.11" }
    fields = { user = "username" }
  }
}

# mod_auth_digest.c AH01775 "invalid nonce '%s' received - length is not %d or time encoding is incorrect"
test "2.4 digest: invalid nonce, length (2.4 wording)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 1] [client 203.0.113.12:1] AH01775: invalid nonce 'abc' received - length is not 52 or time encoding is incorrect"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.12" }
  }
}

# mod_auth_digest.c 2.2 "Digest: invalid nonce %s received - user attempted time travel"
test "2.2 digest: invalid nonce, time travel" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.13] Digest: invalid nonce LWEDr5TiBAA=ceddd011628c30e3646f7acda4f1a0ab6b7c5ae6 received - user attempted time travel"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.13" }
  }
}

# mod_auth_digest.c AH01788 "realm mismatch - got `%s' but expected `%s'"
test "2.4 digest: realm mismatch AH01788" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 24835:tid 139895297222400] [client 203.0.113.14:57052] AH01788: realm mismatch - got `so far away' but expected `digest private area'"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.14" }
  }
}

# mod_auth_digest.c AH01789 "unknown algorithm `%s' received: %s"
test "2.4 digest: unknown algorithm AH01789" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 24835] [client 203.0.113.15:57115] AH01789: unknown algorithm `super funky chicken' received: /digest/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.15" }
  }
}

# mod_auth_digest.c AH01793 "invalid qop `%s' received: %s"
test "2.4 digest: invalid qop AH01793" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 24224:tid 139895539455744] [client 203.0.113.16:56906] AH01793: invalid qop `auth' received: /digest/qop_none/"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.16" }
  }
}

# mod_auth_digest.c AH01776 "invalid nonce %s received - hash is not %s" (fail2ban apache-auth line 98: match false)
test "digest: hash is not (a stale nonce) does not count" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_digest:error] [pid 24752:tid 139895505884928] [client 203.0.113.17:56964] AH01776: invalid nonce b9YAiJDiBAZZZ1b1abe02d20063ea3b16b544ea1b0d981c1bafe received - hash is not d42d824dee7aaf50c3ba0a7c6290bd453e3dd35b"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "apache-auth-failures"
  }
}

# mod_authz_core.c AH01630 "client denied by server configuration: %s%s"
test "2.4 authz_core: client denied by server configuration AH01630" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_core:error] [pid 10691] [client 203.0.113.18:44271] AH01630: client denied by server configuration: /var/www/html/.git/config"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.18" }
  }
}

# mod_access_compat.c AH01797; mod_authz_host.c 2.2
test "2.4 access_compat: AH01797, and the 2.2 form" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [access_compat:error] [pid 17512:tid 140123104306944] [client 203.0.113.19:51380] AH01797: client denied by server configuration: /var/www/html/noentry/"
    repeat = 3
    every  = "1s"
  }
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.19] client denied by server configuration: /var/www/html/noentry/"
    repeat = 3
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.19" }
  }
}

# mod_evasive (module evasive20) reuses the message; fail2ban apache-auth line 138 (normal mode: match false)
test "mod_evasive's denial does not count" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [evasive20:error] [pid 22589] [client 203.0.113.20:56175] client denied by server configuration: /path/index.php, referer: https://example.com/path/"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "apache-auth-failures"
  }
}

# mod_authz_core.c AH01631 "user %s: authorization failure for \"%s\": "
test "2.4 authz_core: user authorization failure AH01631" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_core:error] [pid 17484:tid 140123095914240] [client 203.0.113.21:51397] AH01631: user username: authorization failure for \"/basic/authz_owner/cant_get_me.html\": "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.21" }
    fields = { user = "username" }
  }
}

# mod_authz_owner.c AH01637 "Authorization of user %s to access %s failed, reason: %s"
test "2.4 authz_owner: Authorization of user … failed AH01637" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_owner:error] [pid 17540:tid 140122922129152] [client 2001:db8::22:51548] AH01637: Authorization of user test-ipv6 to access /basic/authz_owner/cant_get_me.html failed, reason: file owner dan does not match"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "2001:db8::22" }
    fields = { user = "test-ipv6" }
  }
}

# mod_authz_groupfile.c 2.2 "Authorization of user %s to access %s failed, reason: user is not part of the 'require'ed group(s)."
test "2.2 authz_groupfile: Authorization of user … failed" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.23] Authorization of user gina to access /staff/ failed, reason: user is not part of the 'require'ed group(s)."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.23" }
    fields = { user = "gina" }
  }
}

# mod_authz_user.c AH01663 "access to %s failed, reason: user '%s' does not meet 'require'ments for user to be allowed access"
test "2.4 authz_user: does not meet 'require'ments AH01663" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_user:error] [pid 1] [client 203.0.113.24:2] AH01663: access to /admin failed, reason: user 'henry' does not meet 'require'ments for user to be allowed access"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.24" }
    fields = { user = "henry" }
  }
}

# ssl_engine_kernel.c AH02032 "Hostname %s provided via SNI and hostname %s provided via HTTP have no compatible SSL setup"
test "2.4 ssl: SNI and Host differ AH02032" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [ssl:error] [pid 6586] [client 203.0.113.25:58028] AH02032: Hostname www.example.com provided via SNI and hostname dummy.example provided via HTTP have no compatible SSL setup"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.25" }
  }
}

# log.c do_errorlog_default: "(%d)%pm: " (info->status) is written before "[client …] "
test "2.4 with an errno before the client bracket" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 1:tid 2] (13)Permission denied: [client 203.0.113.26:3] AH01618: user ivan not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-auth-failures"
    key    = { ip = "203.0.113.26" }
    fields = { user = "ivan" }
  }
}

# mod_auth_basic.c: the user name is the client's; log.c writes the real bracket first
test "hostile user name holding [client ADDR] (2.2)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.27] user x] [client 10.9.9.9] user y not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.27" }
  }
  expect_none {
    rule = "apache-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# mod_auth_basic.c AH01618: the user name is the client's
test "hostile user name holding [client ADDR:PORT] AH01618 (2.4)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 1] [client 203.0.113.28:4444] AH01618: user a [client 10.9.9.8:1] AH01618: user b not found: /"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-auth-failures"
    key  = { ip = "203.0.113.28" }
  }
  expect_none {
    rule = "apache-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# core.c "File does not exist: %s" with the client's path; fail2ban apache-auth line 3 (a DoS vector against fail2ban 0.8.9)
test "a URI holding '[client ADDR] user root not found' is no failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.29] File does not exist: /srv/http/site/[client 10.9.9.7] user root not found"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "apache-auth-failures"
  }
}

# the threshold: 5 within 10m
test "four failures are not five" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [auth_basic:error] [pid 1] [client 203.0.113.30:1] AH01618: user j not found: /"
    repeat = 4
    every  = "1s"
  }
  expect_none {
    rule = "apache-auth-failures"
  }
}

# mod_authz_core.c AH01626 "authorization result of %s: %s" (debug)
test "authorization granted is no failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [authz_core:debug] [pid 1] mod_authz_core.c(818): [client 203.0.113.31:1] AH01626: authorization result of Require all granted: granted"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "apache-auth-failures"
  }
}

# mod_cgi.c log_scripterror AH02811; fail2ban apache-noscript line 24
test "2.4 mod_cgi: AH02811 script not found" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 27550:tid 140110750279424] [client 203.0.113.40:18071] AH02811: script not found or unable to stat: /usr/lib/cgi-bin/kerbynet"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-script-probes"
    key    = { ip = "203.0.113.40" }
    fields = { script = "/usr/lib/cgi-bin/kerbynet" }
  }
}

# cgi_common.h log_scripterror (2.4.60+) "%sstderr from %s: %s" with AH02811
test "2.4.60+ mod_cgi: stderr from FILE: script not found" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 27550:tid 140110750279424] [client 203.0.113.46:18071] AH02811: stderr from /usr/lib/cgi-bin/kerbynet: script not found or unable to stat"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-script-probes"
    key    = { ip = "203.0.113.46" }
    fields = { cgi_file = "/usr/lib/cgi-bin/kerbynet" }
  }
}

# mod_cgi.c 2.2 log_scripterror "%s: %s"
test "2.2 mod_cgi: script not found" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.41] script not found or unable to stat: /usr/lib/cgi-bin/php5"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "apache-script-probes"
    key  = { ip = "203.0.113.41" }
  }
}

# PHP apache2handler; fail2ban apache-noscript line 18
test "2.4 PHP: script '…' not found or unable to stat" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [php7:error] [pid 3790] [client 203.0.113.42:46301] script '/var/www/html/timthumb.php' not found or unable to stat"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-script-probes"
    key    = { ip = "203.0.113.42" }
    fields = { php_script = "/var/www/html/timthumb.php" }
  }
}

# mod_proxy_fcgi.c AH01071 "Got error '%.*s'" (the newline escaped by log.c); fail2ban apache-noscript line 20
test "2.4 proxy_fcgi: Primary script unknown from PHP-FPM" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [proxy_fcgi:error] [pid 742:tid 140142593419008] [client 2001:db8::43:50900] AH01071: Got error 'Primary script unknown\\n'"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-script-probes"
    key    = { ip = "2001:db8::43" }
    fields = { fpm = "Primary script unknown" }
  }
}

# core.c 2.2 "File does not exist: %s"
test "2.2 core: File does not exist for a .php path" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.44] File does not exist: /var/www/azenv.php"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "apache-script-probes"
    key    = { ip = "203.0.113.44" }
    fields = { path = "/var/www/azenv.php" }
  }
}

# core.c AH00128 (info) for a path without a script extension
test "2.4 core: File does not exist for an image is no probe" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 4101:tid 2992634688] [client 203.0.113.45:46652] AH00128: File does not exist: /var/www/html/favicon.ico"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "apache-script-probes"
  }
}

# core.c AH00128 "File does not exist: %s" (info); fail2ban apache-nohome line 6
test "2.4 core: AH00128 for /~user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 4101:tid 2992634688] [client 203.0.113.50:46652] AH00128: File does not exist: /var/www/html/~alice"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-home-probes"
    key    = { ip = "203.0.113.50" }
    fields = { path = "/var/www/html/~alice" }
  }
}

# core.c 2.2 "File does not exist: %s" (the shape of fail2ban apache-nohome line 3)
test "2.2 core: File does not exist for /~ under public_html" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.51] File does not exist: /home/bob/public_html/~x"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-home-probes"
    key  = { ip = "203.0.113.51" }
  }
}

# core.c AH00128
test "a path without /~ is no home probe" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 1] [client 203.0.113.52:1] AH00128: File does not exist: /var/www/html/robots.txt"
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "apache-home-probes"
  }
}

# core.c AH00128
test "2.4 core: phpMyAdmin under Debian's /var/www/html/" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 1] [client 203.0.113.60:1] AH00128: File does not exist: /var/www/html/phpmyadmin"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-botsearch"
    key    = { ip = "203.0.113.60" }
    fields = { path = "/var/www/html/phpmyadmin" }
  }
}

# core.c 2.2; fail2ban apache-botsearch line 29
test "2.2 core: webmail under /var/www/, referer" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.61] File does not exist: /var/www/extmail, referer: http://www.baidu.com"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-botsearch"
    key    = { ip = "203.0.113.61" }
    fields = { path = "/var/www/extmail" }
  }
}

# PHP apache2handler "script '%s' not found or unable to stat"; fail2ban apache-botsearch line 14
test "2.2 PHP: wp-login.php" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.62] script '/var/www/wp-login.php' not found or unable to stat"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-botsearch"
    key    = { ip = "203.0.113.62" }
    fields = { path = "/var/www/wp-login.php" }
  }
}

# cgi_common.h log_scripterror (2.4.60+) with AH02811
test "2.4.60+ mod_cgi: stderr from cgi-bin under the document root" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 1] [client 203.0.113.64:1] AH02811: stderr from /var/www/html/cgi-bin/php5: script not found or unable to stat"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-botsearch"
    key    = { ip = "203.0.113.64" }
    fields = { path = "/var/www/html/cgi-bin/php5" }
  }
}

# fail2ban apache-botsearch line 40 (match false)
test "a name deeper than the document root is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.63] script '/var/www/forum/mail.php' not found or unable to stat"
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "apache-botsearch"
  }
}

# protocol.c read_request_line AH00565
test "2.4.25+: request-line exceeds LimitRequestLine AH00565" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 1:tid 2] [client 203.0.113.70:1] AH00565: request failed: client's request-line exceeds LimitRequestLine (longer than 8190)"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-request-overflows"
    key    = { ip = "203.0.113.70" }
    fields = { reason = "request failed: client's request-line exceeds LimitRequestLine" }
  }
}

# protocol.c 2.0-2.4.24 "request failed: URI too long (longer than %d)"; fail2ban apache-overflows line 11
test "2.2: URI too long" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.71] request failed: URI too long (longer than 8190)"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-request-overflows"
    key  = { ip = "203.0.113.71" }
  }
}

# core.c AH00126 "Invalid URI in request '%s' '%s'"
test "2.4: Invalid URI in request AH00126, a URI holding [client ADDR]" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:error] [pid 17408] [client 203.0.113.72:55280] AH00126: Invalid URI in request '[client 10.9.9.6:1]' 'GET /[client 10.9.9.6:1] HTTP/1.1'"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-request-overflows"
    key  = { ip = "203.0.113.72" }
  }
  expect_none {
    rule = "apache-request-overflows"
    key  = { ip = "10.9.9.6" }
  }
}

# core.c AH00134 "Invalid method in request %s - possible attempt to establish SSL connection on non-SSL port"
test "2.4: Invalid method, TLS on the plain port AH00134" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:error] [pid 1] [client 2001:db8::73:1] AH00134: Invalid method in request \\x16\\x03\\x01 - possible attempt to establish SSL connection on non-SSL port"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-request-overflows"
    key  = { ip = "2001:db8::73" }
  }
}

# protocol.c AH00566 "request failed: malformed request line" (debug)
test "2.4.25+: malformed request line AH00566" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:debug] [pid 1] protocol.c(1450): [client 203.0.113.74:1] AH00566: request failed: malformed request line"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-request-overflows"
    key  = { ip = "203.0.113.74" }
  }
}

# protocol.c AH00561 "Request header exceeds LimitRequestFieldSize%s%.*s"
test "2.4: request header too large AH00561" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [core:info] [pid 1] [client 203.0.113.75:1] AH00561: Request header exceeds LimitRequestFieldSize: Cookie"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-request-overflows"
    key  = { ip = "203.0.113.75" }
  }
}

# ModSecurity 2.x apache2_util.c "[client %s] ModSecurity: %s%s [uri \"%s\"]%s" via ap_log_error
test "2.4, ModSecurity's own [client ADDR] only (ap_log_error)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [:error] [pid 1] [client 203.0.113.80] ModSecurity: Access denied with code 403 (phase 2). Pattern match \"x\" at ARGS. [file \"/etc/modsecurity/x.conf\"] [line \"1\"] [id \"1\"] [hostname \"example.com\"] [uri \"/\"] [unique_id \"abc\"]"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "apache-modsecurity-denials"
    key    = { ip = "203.0.113.80" }
    fields = { status = "403" }
  }
}

# ModSecurity 2.9 logging with the request; fail2ban apache-modsecurity line 11
test "2.4, Apache's and ModSecurity's brackets, IPv6 (the one before ModSecurity: is taken)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [:error] [pid 22406:tid 139985298601728] [client 2001:db8::81:47762] [client 2001:db8::81] ModSecurity: Access denied with code 401 (phase 2). Operator EQ matched 1 at IP:blocked. [id \"500000\"] [uri \"/wp-login.php\"], referer: https://example.com/wp-login.php"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-modsecurity-denials"
    key  = { ip = "2001:db8::81" }
  }
}

# ModSecurity 2.5-2.7; fail2ban apache-modsecurity line 2
test "2.2, metadata before the action, two spaces" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.82] ModSecurity:  [file \"/etc/httpd/modsecurity.d/x.conf\"] [line \"47\"] [id \"960015\"] [msg \"Request Missing an Accept Header\"][tag \"OWASP_TOP_10/A7\"] Access denied with code 403 (phase 2). Operator EQ matched 0 at REQUEST_HEADERS. [hostname \"www.example.com\"] [uri \"/\"]"
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "apache-modsecurity-denials"
    key  = { ip = "203.0.113.82" }
  }
}

# ModSecurity 2.x, a rule without deny: "Warning. …"
test "a warning (detection only) is no denial" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Mon Nov 23 10:00:00.123456 2026] [:error] [pid 1] [client 203.0.113.83] ModSecurity: Warning. Pattern match \"x\" at ARGS. [id \"942100\"] [msg \"SQL Injection Attack Detected\"] [uri \"/\"]"
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "apache-modsecurity-denials"
  }
}

# mod_cgi.c log_script_err AH01215 + bash variables.c; fail2ban apache-shellshock line 2
test "2.4 mod_cgi AH01215: ignoring function definition attempt" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 16860] [client 203.0.113.90:59635] AH01215: /bin/bash: warning: HTTP_TEST: ignoring function definition attempt"
  }
  expect {
    rule   = "apache-shellshock"
    key    = { ip = "203.0.113.90" }
    fields = { variable = "HTTP_TEST" }
  }
}

# bash variables.c "error importing function definition for `%s'"; fail2ban apache-shellshock line 4
test "2.4 mod_cgi AH01215: error importing function definition, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 16864] [client 2001:db8::91:41273] AH01215: /bin/bash: error importing function definition for `HTTP_USER_AGENT'"
  }
  expect {
    rule   = "apache-shellshock"
    key    = { ip = "2001:db8::91" }
    fields = { variable = "HTTP_USER_AGENT" }
  }
}

# cgi_common.h log_scripterror (2.4.60+) "%sstderr from %s: %s" with AH01215
test "2.4.60+ mod_cgi AH01215: stderr from SCRIPT: …" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 16860] [client 203.0.113.94:59635] AH01215: stderr from /usr/lib/cgi-bin/status.cgi: /bin/bash: warning: HTTP_COOKIE: ignoring function definition attempt"
  }
  expect {
    rule   = "apache-shellshock"
    key    = { ip = "203.0.113.94" }
    fields = { variable = "HTTP_COOKIE" }
  }
}

# mod_cgi.c 2.2 log_script_err
test "2.2 mod_cgi: the script's stderr as is" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "[Mon Nov 23 10:00:00 2026] [error] [client 203.0.113.92] /bin/sh: warning: HTTP_X: ignoring function definition attempt"
  }
  expect {
    rule = "apache-shellshock"
    key  = { ip = "203.0.113.92" }
  }
}

# mod_cgi.c AH01215 with a script's own error
test "other CGI stderr is no Shellshock" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "[Mon Nov 23 10:00:00.123456 2026] [cgi:error] [pid 1] [client 203.0.113.93:1] AH01215: /bin/bash: line 1: foo: command not found"
  }
  expect_none {
    rule = "apache-shellshock"
  }
}
