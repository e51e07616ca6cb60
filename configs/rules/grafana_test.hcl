# Variants of every Grafana line grafana.hcl reads, one test each, as
# Grafana 6.x-11.x write them to /var/log/grafana/grafana.log (the log call
# cited per test) or as fail2ban's sample shows them (Debian fail2ban
# 1.0.2, tests/files/logs/grafana; addresses replaced by documentation
# ones).
#
#   breachd test configs/rules/grafana_test.hcl

config = ["sources.hcl", "grafana.hcl"]
source = "grafana"

# fail2ban sample line 3: Grafana 6-7, log15 (t= with a +hhmm zone, lvl=eror),
# pkg/api/login.go Error(401, "Invalid username or password", err) logged
# by pkg/api/response.go WriteTo with remote_addr last.
test "6.x-7.x: Invalid username or password, log15, IPv4" {
  start = "2020-10-19T15:44:33Z"
  lines = [
    "t=2020-10-19T17:44:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.21",
    "t=2020-10-19T17:44:34+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"User not found\" remote_addr=203.0.113.21",
    "t=2020-10-19T17:44:35+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.21",
    "t=2020-10-19T17:44:36+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.21",
    "t=2020-10-19T17:44:37+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.21",
  ]
  expect {
    rule   = "grafana-auth-failures"
    key    = { ip = "203.0.113.21" }
    fields = { user = "", msg = "Invalid username or password" }
  }
}

# The window is measured by the line's own t= (with its +hhmm zone), not
# by when the lines are read: five failures written over 20 minutes, read
# within 5 seconds, are not five within ten minutes.
test "6.x-7.x: five failures spread over 20 minutes do not fire" {
  start = "2020-10-19T16:04:40Z"
  lines = [
    "t=2020-10-19T17:44:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.22",
    "t=2020-10-19T17:49:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.22",
    "t=2020-10-19T17:54:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.22",
    "t=2020-10-19T17:59:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.22",
    "t=2020-10-19T18:04:33+0200 lvl=eror msg=\"Invalid username or password\" logger=context userId=0 orgId=0 uname= error=\"Invalid Username or Password\" remote_addr=203.0.113.22",
  ]
  expect_none {
    rule = "grafana-auth-failures"
  }
}

# pkg/api/response/response.go (8.0-10.x): go-kit logfmt, the context
# logger's keys first, remote_addr followed by traceID (fail2ban's filter
# wants remote_addr last, so it misses these).
test "8.x-10.x: go-kit logfmt with traceID after remote_addr" {
  start = "2023-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:00.123456789Z level=error msg=\"Invalid username or password\" error=\"invalid username or password\" remote_addr=203.0.113.23 traceID="
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.23" }
  }
}

# web.RemoteAddr: without X-Real-IP/X-Forwarded-For, the socket address
# without its port; an IPv6 one keeps its brackets ("[2001:db8::24]").
test "IPv6 client connected directly: remote_addr in brackets" {
  start = "2023-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:00Z level=error msg=\"Invalid username or password\" error=\"user not found\" remote_addr=[2001:db8::24] traceID="
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "2001:db8::24" }
  }
}

# The same behind a proxy that sets X-Real-IP to an IPv6 address: no
# brackets. And an IPv4-mapped socket address.
test "IPv6 without brackets, IPv4-mapped" {
  start = "2023-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:00Z level=error msg=\"Invalid username or password\" error=\"user not found\" remote_addr=2001:db8::25 traceID="
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:10Z level=error msg=\"Invalid username or password\" error=\"user not found\" remote_addr=[::ffff:203.0.113.26] traceID="
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "2001:db8::25" }
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.26" }
  }
}

# pkg/services/authn (10.x-11.x): the failure is logged at debug; the
# request logger (pkg/middleware/loggermw/logger.go) writes "Request
# Completed" with status 400 for password-auth.failed.
test "10.x authn: Request Completed, POST /login, status 400" {
  start = "2024-05-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:00.5Z level=info msg=\"Request Completed\" method=POST path=/login status=400 remote_addr=203.0.113.27 time_ms=85 duration=85.1ms size=52 referer=https://grafana.example.com/login handler=/login"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.27" }
  }
}

# loggermw errorLogParams (10.2+): errorReason, errorMessageID and error
# after the request's keys; login-attempt.blocked is a 401; a sub path
# (serve_from_sub_path) is part of path.
test "11.x authn: errorMessageID, a blocked user's 401, a sub path" {
  start = "2024-05-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:00Z level=info msg=\"Request Completed\" method=POST path=/grafana/login status=401 remote_addr=203.0.113.28 time_ms=3 duration=3.2ms size=52 referer= handler=/login status_source=server errorReason=Unauthorized errorMessageID=login-attempt.blocked error=\"too many consecutive incorrect login attempts for user - login for user temporarily blocked\""
    repeat = 3
    every  = "1s"
  }
  input {
    at     = "5s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:05Z level=info msg=\"Request Completed\" method=POST path=/grafana/login status=400 remote_addr=203.0.113.28 time_ms=3 duration=3.2ms size=52 referer= handler=/login status_source=server errorReason=BadRequest errorMessageID=password-auth.failed error=\"failed to authenticate identity: [password-auth.invalid] invalid password\""
    repeat = 2
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.28" }
  }
}

# Not failures: a successful login (200), the login page (GET), another
# endpoint's 401 (an expired session on the API), and the pre-authn
# path's 401 Request Completed (its "Invalid username or password" line
# is the one that counts; this one would count it twice).
test "not counted: success, GET /login, API 401, 401 without a message id" {
  start = "2024-05-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=1 orgId=1 uname=admin t=2024-05-01T10:00:00Z level=info msg=\"Request Completed\" method=POST path=/login status=200 remote_addr=203.0.113.29 time_ms=90 duration=90ms size=40 referer= handler=/login"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:10Z level=info msg=\"Request Completed\" method=GET path=/login status=400 remote_addr=203.0.113.29 time_ms=1 duration=1ms size=40 referer= handler=/login"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "20s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:20Z level=info msg=\"Request Completed\" method=POST path=/api/ds/query status=401 remote_addr=203.0.113.29 time_ms=1 duration=1ms size=40 referer= handler=/api/ds/query"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "30s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:30Z level=info msg=\"Request Completed\" method=POST path=/login status=401 remote_addr=203.0.113.29 time_ms=1 duration=1ms size=40 referer= handler=/login"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "40s"
    line   = "logger=context userId=1 orgId=1 uname=admin t=2024-05-01T10:00:40Z level=info msg=\"Successful Login\" User=admin@example.com"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "grafana-auth-failures"
  }
}

# Hostile values: the error text, the user agent or a referer holding
# "remote_addr=10.9.9.9" are quoted logfmt values, never a key of their
# own; the address is the remote_addr key Grafana wrote.
test "hostile values holding remote_addr= do not become the source" {
  start = "2023-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:00Z level=error msg=\"Invalid username or password\" error=\"user not found remote_addr=10.9.9.9\" remote_addr=203.0.113.30 traceID="
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "logger=context userId=0 orgId=0 uname= t=2024-05-01T10:00:10Z level=info msg=\"Request Completed\" method=POST path=/login status=400 remote_addr=203.0.113.32 time_ms=1 duration=1ms size=40 referer=\"https://x/ remote_addr=10.9.9.8 \" handler=/login"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.30" }
  }
  expect {
    rule = "grafana-auth-failures"
    key  = { ip = "203.0.113.32" }
  }
  expect_none {
    rule = "grafana-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "grafana-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# X-Forwarded-For with several addresses ("a, b") is one quoted value,
# not an address: not counted rather than guessed.
test "an X-Forwarded-For list is not taken as an address" {
  start = "2023-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "logger=context userId=0 orgId=0 uname= t=2023-03-01T10:00:00Z level=error msg=\"Invalid username or password\" error=\"user not found\" remote_addr=\"203.0.113.31, 10.0.0.1\" traceID="
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "grafana-auth-failures"
  }
}
