# Variants of every nginx error-log message nginx.hcl reads, one test
# each, as nginx 0.7-1.27 writes them (src/http/ngx_http_request.c
# ngx_http_log_error and ngx_http_log_error_handler for what follows the
# message; the module cited per test) or as real servers logged them in
# fail2ban's samples (Debian fail2ban 1.0.2, tests/files/logs/nginx-*, line
# cited; addresses replaced by documentation ones).
#
#   breachd test configs/rules/nginx_variants_test.hcl

config = ["sources.hcl", "nginx.hcl"]
source = "nginx-error"

# ngx_http_auth_basic_module.c "user \"%V\" was not found in \"%V\""; fail2ban nginx-http-auth line 4
test "user was not found in htpasswd, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"xyz\" was not found in \"/var/www/.htpasswd\", client: 203.0.113.1, server: www.example.com, request: \"GET / HTTP/1.1\", host: \"www.example.com\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-auth-failures"
    key    = { ip = "203.0.113.1" }
    fields = { user = "xyz", level = "error" }
  }
}

# ngx_http_auth_basic_module.c "user \"%V\": password mismatch"; ngx_http_log_error_handler ", referrer: \"%V\""
test "password mismatch, IPv6, referrer" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 6563#6563: *1861 user \"scribendio\": password mismatch, client: 2001:db8::2, server: example.com, request: \"GET /admin HTTP/2.0\", host: \"example.com\", referrer: \"https://example.com/admin\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-auth-failures"
    key    = { ip = "2001:db8::2" }
    fields = { user = "scribendio" }
  }
}

# ngx_http_log_error_handler ", server: %V" (an empty server_name); addr_text of an IPv4-mapped peer
test "password mismatch, empty server name, IPv4-mapped" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"bob\": password mismatch, client: ::ffff:203.0.113.3, server: , request: \"GET / HTTP/1.1\", host: \"localhost:8443\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-auth-failures"
    key    = { ip = "203.0.113.3" }
    fields = { user = "bob" }
  }
}

# fail2ban nginx-http-auth line 12
test "user name with a space" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"scriben dio\": password mismatch, client: 203.0.113.4, server: , request: \"GET / HTTP/1.1\", host: \"localhost:8443\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-auth-failures"
    key    = { ip = "203.0.113.4" }
    fields = { user = "scriben dio" }
  }
}

# ngx_http_log_error_handler ", upstream: \"%V%V%s%V\""
test "through a proxy: upstream before host" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"carol\": password mismatch, client: 203.0.113.5, server: app, request: \"POST /login HTTP/1.1\", upstream: \"http://127.0.0.1:8080/login\", host: \"app.example.com\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nginx-auth-failures"
    key  = { ip = "203.0.113.5" }
  }
}

# the user name is the client's (Authorization header); nginx writes it unescaped; fail2ban nginx-http-auth line 14 has this shape (with a colon before "was not found", read too)
test "hostile user name forging the structure: the real address, after the whole name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"a\" was not found in \"/x\", client: 10.9.9.9, server: s, request: \"GET / HTTP/1.1\", host: \"h\"\" was not found in \"/etc/nginx/.htpasswd\", client: 203.0.113.6, server: , request: \"GET / HTTP/1.1\", host: \"localhost\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nginx-auth-failures"
    key  = { ip = "203.0.113.6" }
  }
  expect_none {
    rule = "nginx-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# ngx_http_log_error_handler: the request line and host are the client's
test "request line and host holding 'client: ADDR' without quotes" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"dave\": password mismatch, client: 203.0.113.7, server: s, request: \"GET /?, client: 10.9.9.8, server: x HTTP/1.1\", host: \"h, client: 10.9.9.8\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "nginx-auth-failures"
    key  = { ip = "203.0.113.7" }
  }
  expect_none {
    rule = "nginx-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# ngx_http_log_error_handler ", referrer: \"%V\"" (the client's, unescaped, last)
test "referrer forging a whole message after the real one: no finding" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2865#0: *66647 user \"erin\" was not found in \"/etc/nginx/.htpasswd\", client: 203.0.113.8, server: s, request: \"GET / HTTP/1.1\", host: \"h\", referrer: \"x\" was not found in \"/f\", client: 10.9.9.7, server: s, request: \"GET / HTTP/1.1\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "nginx-auth-failures"
    key  = { ip = "10.9.9.7" }
  }
  expect_none {
    rule = "nginx-auth-failures"
  }
}

# ngx_http_auth_basic_module.c NGX_LOG_INFO "no user/password was provided for basic authentication"
test "no user/password provided is no failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [info] 2865#0: *1 no user/password was provided for basic authentication, client: 203.0.113.9, server: s, request: \"GET / HTTP/1.1\", host: \"h\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "nginx-auth-failures"
  }
}

# ngx_http_limit_req_module.c "limiting requests, excess: %ui.%03ui by zone \"%V\""; fail2ban nginx-limit-req line 3
test "limiting requests, IPv4" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 256554#0: *99927 limiting requests, excess: 1.852 by zone \"one\", client: 203.0.113.20, server: example.com, request: \"POST /index.htm HTTP/1.0\", host: \"example.com\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-limit-req"
    key    = { ip = "203.0.113.20" }
    fields = { zone = "one" }
  }
}

# the same; fail2ban nginx-limit-req line 12
test "limiting requests, IPv6, referrer" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [warn] 22923#22923: *4758725916 limiting requests, excess: 15.243 by zone \"login\", client: 2001:db8::21, server: example.com, request: \"GET / HTTP/1.1\", host: \"example.com\", referrer: \"https://example.com\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nginx-limit-req"
    key    = { ip = "2001:db8::21" }
    fields = { zone = "login", level = "warn" }
  }
}

# ngx_http_limit_req_module.c 1.17.1+: "limiting requests, dry run, excess: …"
test "dry run is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 1#1: *1 limiting requests, dry run, excess: 1.000 by zone \"one\", client: 203.0.113.22, server: s, request: \"GET / HTTP/1.1\", host: \"h\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "nginx-limit-req"
  }
}

# ngx_http_limit_req_module.c "delaying request, excess: …" (limit_req_log_level minus one)
test "delaying is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [warn] 1#1: *1 delaying request, excess: 0.500, by zone \"one\", client: 203.0.113.23, server: s, request: \"GET / HTTP/1.1\", host: \"h\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "nginx-limit-req"
  }
}

# ngx_http_static_module.c "%s \"%s\" failed" with ENOENT; fail2ban nginx-botsearch line 26
test "open() failed (2) for cgi-bin" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2833#0: *16336 open() \"/var/www/site/cgi-bin/php4\" failed (2: No such file or directory), client: 203.0.113.30, server: localhost, request: \"GET /cgi-bin/php4 HTTP/1.1\", host: \"192.0.2.1\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "nginx-botsearch"
    key    = { ip = "203.0.113.30" }
    fields = { path = "/cgi-bin/php4", method = "GET" }
  }
}

# ngx_http_index_module.c "\"%s\" is not found"; fail2ban nginx-botsearch line 35
test "index is not found (2) for roundcube, IPv6" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 2833#0: *16813 \"/var/www/site/roundcube/index.html\" is not found (2: No such file or directory), client: 2001:db8::31, server: localhost, request: \"POST /roundcube/ HTTP/1.1\", host: \"example.com\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule   = "nginx-botsearch"
    key    = { ip = "2001:db8::31" }
    fields = { path = "/roundcube/" }
  }
}

# ngx_http_static_module.c ENOENT for an ordinary path
test "a missing file elsewhere is no bot search" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 1#0: *1 open() \"/var/www/site/favicon.ico\" failed (2: No such file or directory), client: 203.0.113.32, server: localhost, request: \"GET /favicon.ico HTTP/1.1\", host: \"h\""
    repeat = 2
    every  = "1s"
  }
  expect_none {
    rule = "nginx-botsearch"
  }
}

# ngx_http_static_module.c: the file name is the URI's, quoted, before nginx's fixed text
test "a file name holding 'client: ADDR'" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026/11/23 10:00:00 [error] 1#0: *1 open() \"/var/www/site/wp-login.php, client: 10.9.9.5, server: x\" failed (2: No such file or directory), client: 203.0.113.33, server: localhost, request: \"GET /wp-login.php, client: 10.9.9.5, server: x HTTP/1.1\", host: \"h\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "nginx-botsearch"
    key  = { ip = "203.0.113.33" }
  }
  expect_none {
    rule = "nginx-botsearch"
    key  = { ip = "10.9.9.5" }
  }
}
