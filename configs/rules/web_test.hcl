# Tests of web.hcl, with lines as nginx and Apache write them.
#
#   breachd test configs/rules/web_test.hcl

config = ["sources.hcl", "web.hcl"]
source = "web"

test "a burst of 401s from one client" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:02 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "4s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:04 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "6s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:06 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "8s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:08 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "10s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:10 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "12s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:12 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "14s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:14 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "16s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:16 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "18s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:18 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "20s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:20 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "22s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:22 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "24s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:24 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "26s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:26 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "28s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:28 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "30s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:30 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "32s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:32 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "34s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:34 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "36s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:36 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "38s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:38 +0000] \"POST /wp-login.php HTTP/1.1\" 401 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect {
    rule = "web-auth-failures"
    key  = { ip = "203.0.113.9" }
  }
}

test "nineteen 403s are not a burst" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:02 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "4s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:04 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "6s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:06 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "8s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:08 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "10s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:10 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "12s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:12 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "14s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:14 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "16s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:16 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "18s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:18 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "20s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:20 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "22s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:22 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "24s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:24 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "26s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:26 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "28s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:28 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "30s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:30 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "32s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:32 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "34s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:34 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "36s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:36 +0000] \"GET /admin HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect_none {
    rule = "web-auth-failures"
  }
}

test "path traversal, plain and encoded, IPv6 client" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "2001:db8::9 - - [23/Nov/2026:10:00:00 +0000] \"GET /download?file=../../../../etc/passwd HTTP/1.1\" 400 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "1s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:01 +0000] \"GET /static/%2e%2e/%2e%2e/%2e%2e/etc/shadow HTTP/1.1\" 404 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "198.51.100.20 - - [23/Nov/2026:10:00:02 +0000] \"GET /cgi-bin/.%2e/.%2e/.%2e/bin/sh HTTP/1.1\" 400 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect {
    rule   = "web-path-traversal"
    key    = { ip = "2001:db8::9" }
    fields = { path = "/download?file=../../../../etc/passwd" }
  }
  expect {
    rule = "web-path-traversal"
    key  = { ip = "203.0.113.9" }
  }
  expect {
    rule = "web-path-traversal"
    key  = { ip = "198.51.100.20" }
  }
}

test "SQL injection probes" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /item.php?id=1%27%20OR%201=1--%20 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "1s"
    line = "198.51.100.21 - - [23/Nov/2026:10:00:01 +0000] \"GET /search?q=1+UNION+ALL+SELECT+NULL,NULL,concat(user())-- HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "198.51.100.22 - - [23/Nov/2026:10:00:02 +0000] \"GET /p?id=1;WAITFOR%20DELAY%20'0:0:5'-- HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "3s"
    line = "198.51.100.23 - - [23/Nov/2026:10:00:03 +0000] \"GET /p?id=sleep(5) HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect {
    rule = "web-sqli-probe"
    key  = { ip = "203.0.113.9" }
  }
  expect {
    rule = "web-sqli-probe"
    key  = { ip = "198.51.100.21" }
  }
  expect {
    rule = "web-sqli-probe"
    key  = { ip = "198.51.100.22" }
  }
  expect {
    rule = "web-sqli-probe"
    key  = { ip = "198.51.100.23" }
  }
}

test "XSS probes" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "1s"
    line = "198.51.100.24 - - [23/Nov/2026:10:00:01 +0000] \"GET /p?x=%22%3E%3Csvg/onload=alert(document.domain)%3E HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect {
    rule = "web-xss-probe"
    key  = { ip = "203.0.113.9" }
  }
  expect {
    rule = "web-xss-probe"
    key  = { ip = "198.51.100.24" }
  }
}

test "scanners by user agent" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"sqlmap/1.7.2#stable (https://sqlmap.org)\""
  }
  input {
    at   = "1s"
    line = "198.51.100.25 - - [23/Nov/2026:10:00:01 +0000] \"GET /robots.txt HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)\""
  }
  input {
    at   = "2s"
    line = "198.51.100.26 - - [23/Nov/2026:10:00:02 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 zgrab/0.x\""
  }
  input {
    at   = "3s"
    line = "198.51.100.27 - - [23/Nov/2026:10:00:03 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))\""
  }
  expect {
    rule = "web-scanner-agent"
    key  = { ip = "203.0.113.9" }
  }
  expect {
    rule = "web-scanner-agent"
    key  = { ip = "198.51.100.25" }
  }
  expect {
    rule = "web-scanner-agent"
    key  = { ip = "198.51.100.26" }
  }
  expect {
    rule = "web-scanner-agent"
    key  = { ip = "198.51.100.27" }
  }
}

test "probes for secrets and backups" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "1s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:01 +0000] \"GET /.git/config HTTP/1.1\" 404 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:02 +0000] \"GET /backup.sql HTTP/1.1\" 404 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "3s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:03 +0000] \"GET /wp-config.php.bak HTTP/1.1\" 404 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect {
    rule = "web-secret-file-probe"
    key  = { ip = "203.0.113.9" }
  }
}

test "ordinary traffic opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "1s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:01 +0000] \"GET /css/site.css?v=3 HTTP/2.0\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "2s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:02 +0000] \"GET /blog/union-select-is-a-band HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "3s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:03 +0000] \"GET /environment.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "4s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:04 +0000] \"POST /api/login HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "5s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:05 +0000] \"GET /docs/selecting-from-information-tables HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  input {
    at   = "6s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:06 +0000] \"GET /backups-explained.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\""
  }
  expect_none {
    rule = "web-sqli-probe"
  }
  expect_none {
    rule = "web-secret-file-probe"
  }
  expect_none {
    rule = "web-path-traversal"
  }
  expect_none {
    rule = "web-xss-probe"
  }
}

test "hostile values cannot move the client address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /?x=198.51.100.99 - - [x] \\\"GET /../../etc/passwd HTTP/1.1\\\" 200 1 HTTP/1.1\" 400 512 \"-\" \"x\\\" 198.51.100.98 sqlmap\""
  }
  expect {
    rule = "web-path-traversal"
    key  = { ip = "203.0.113.9" }
  }
  expect {
    rule = "web-scanner-agent"
    key  = { ip = "203.0.113.9" }
  }
  expect_none {
    rule = "web-path-traversal"
    key  = { ip = "198.51.100.99" }
  }
}

test "a request that is not HTTP is still attributed" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\" 400 166 \"-\" \"-\""
  }
  input {
    at   = "1s"
    line = "203.0.113.9 - - [23/Nov/2026:10:00:01 +0000] \"-\" 400 0 \"-\" \"-\""
  }
  expect_none {
    rule = "web-auth-failures"
  }
}

# fail2ban nginx-botsearch line 2 (the access-log half of the jail)
test "web-botsearch: two 404s for phpMyAdmin setup (nginx, double slash)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.100 - - [23/Nov/2026:10:00:00 +0000] \"GET //pma/scripts/setup.php HTTP/1.1\" 404 162 \"-\" \"-\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "web-botsearch"
    key  = { ip = "203.0.113.100" }
  }
}

# fail2ban botsearch-common names
test "web-botsearch: wp-login.php, IPv6, HEAD" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2001:db8::101 - - [23/Nov/2026:10:00:00 +0000] \"HEAD /wp-login.php HTTP/1.1\" 404 162 \"-\" \"-\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "web-botsearch"
    key  = { ip = "2001:db8::101" }
  }
}

# status must be 404
test "web-botsearch: a site that has phpMyAdmin (200) is not probed" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.102 - - [23/Nov/2026:10:00:00 +0000] \"GET /phpmyadmin/ HTTP/1.1\" 200 162 \"-\" \"-\""
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "web-botsearch"
  }
}

# status 404 on an ordinary path
test "web-botsearch: a 404 elsewhere is no bot search" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.103 - - [23/Nov/2026:10:00:00 +0000] \"GET /blog/mail-us.html HTTP/1.1\" 404 162 \"-\" \"-\""
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "web-botsearch"
  }
}

# fail2ban nginx-bad-request line 2
test "web-bad-requests: empty requests answered 400" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.110 - - [23/Nov/2026:10:00:00 +0000] \"\" 400 162 \"-\" \"-\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "web-bad-requests"
    key  = { ip = "203.0.113.110" }
  }
}

# fail2ban nginx-bad-request line 8 (nginx escapes the bytes as \xHH)
test "web-bad-requests: RDP cookie sent to the HTTP port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.111 - - [23/Nov/2026:10:00:00 +0000] \"\\x03\\x00\\x00/*\\xE0\\x00\\x00\\x00\\x00\\x00Cookie: mstshash=Administr\" 400 162 \"-\" \"-\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "web-bad-requests"
    key  = { ip = "203.0.113.111" }
  }
}

# the threshold: 5 within 10m
test "web-bad-requests: four are not five" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.112 - - [23/Nov/2026:10:00:00 +0000] \"HELP\" 400 162 \"-\" \"-\""
    repeat = 4
    every  = "1s"
  }
  expect_none {
    rule = "web-bad-requests"
  }
}

# status must be 400
test "web-bad-requests: a 404 is no bad request" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "203.0.113.113 - - [23/Nov/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" 404 162 \"-\" \"-\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "web-bad-requests"
  }
}

# fail2ban apache-badbots line 2
test "web-bad-bots: TrackBack/1.02" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.120 - - [23/Nov/2026:10:00:00 +0000] \"POST /123.html/trackback/ HTTP/1.0\" 301 162 \"http://www.example.com/123.html/trackback\" \"TrackBack/1.02\""
  }
  expect {
    rule = "web-bad-bots"
    key  = { ip = "203.0.113.120" }
  }
}

# fail2ban apache-badbots.conf badbots list
test "web-bad-bots: EmailSiphon" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "2001:db8::121 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 162 \"-\" \"EmailSiphon\""
  }
  expect {
    rule = "web-bad-bots"
    key  = { ip = "2001:db8::121" }
  }
}

# fail2ban apache-badbots.conf failregex ends with '"(?:badbots)"$'
test "web-bad-bots: the name inside a longer agent does not count (whole field, as fail2ban)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.122 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 162 \"-\" \"Mozilla/5.0 (compatible; EmailSiphon-like; +https://example.com)\""
  }
  expect_none {
    rule = "web-bad-bots"
  }
}
