# Variants of every Nextcloud record nextcloud.hcl reads, one test each, as
# Nextcloud 9-30 (and ownCloud 8) write them to nextcloud.log (log_type =
# file, JSON), the log call cited per test. fail2ban has no Nextcloud
# sample; the records are built from the sources' messages and the JSON
# writer's keys (lib/private/Log/LogDetails.php).
#
#   breachd test configs/rules/nextcloud_test.hcl

config = ["sources.hcl", "nextcloud.hcl"]
source = "nextcloud"

# lib/private/Authentication/Login/LoggedInCheckCommand.php (17+), the login form:
# "Login failed: $username (Remote IP: $ip)", logged without an app ("no app in context").
test "17+: login form, Login failed: USER (Remote IP: IP), IPv4" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.41\",\"user\":\"--\",\"app\":\"no app in context\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.41)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"no app in context\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.41" }
    fields = { user = "admin" }
  }
}

# lib/private/User/Session.php handleLoginFailed() (WebDAV, apps, basic auth;
# 25+) and lib/private/User/Manager.php checkPassword(): the quoted shape.
test "Session.php / Manager.php: Login failed: 'USER' (Remote IP: 'IP'), WebDAV" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.42\",\"user\":\"--\",\"app\":\"core\",\"method\":\"PROPFIND\",\"url\":\"/remote.php/dav/files/alice/\",\"message\":\"Login failed: 'alice@example.com' (Remote IP: '203.0.113.42')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.42" }
    fields = { user = "alice@example.com", app = "core", method = "PROPFIND" }
  }
}

# core/Controller/LoginController.php (12-16): the quoted shape, with PHP's
# json_encode escaping "/" in the url (\/login) as those versions wrote it.
test "12-16: LoginController, quoted shape, escaped slashes" {
  start = "2017-05-20T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2017-05-20T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.43\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"\\/index.php\\/login\",\"message\":\"Login failed: 'root' (Remote IP: '203.0.113.43')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"12.0.0.29\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.43" }
    fields = { user = "root", url = "/index.php/login" }
  }
}

# A disabled account: UserDisabledCheckCommand.php (17+) "Login failed:
# $username disabled (Remote IP: $ip)" and LoginController (13-16) "Login
# failed: '$user' disabled (Remote IP: '$ip')"; the name without " disabled".
test "disabled accounts, both shapes" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.55\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: carol disabled (Remote IP: 203.0.113.55)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
  }
  input {
    at   = "1s"
    line = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:01+00:00\",\"remoteAddr\":\"203.0.113.55\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: carol disabled (Remote IP: 203.0.113.55)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
  }
  input {
    at   = "2s"
    line = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:02+00:00\",\"remoteAddr\":\"203.0.113.55\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: carol disabled (Remote IP: 203.0.113.55)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
  }
  input {
    at   = "3s"
    line = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:03+00:00\",\"remoteAddr\":\"203.0.113.55\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: 'carol' disabled (Remote IP: '203.0.113.55')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
  }
  input {
    at   = "4s"
    line = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:04+00:00\",\"remoteAddr\":\"203.0.113.55\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: 'carol' disabled (Remote IP: '203.0.113.55')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.55" }
    fields = { user = "carol", disabled = " disabled" }
  }
}

# ownCloud 8 / Nextcloud 9 lib/private/user/manager.php checkPassword():
# "Login failed: '$loginName' (Remote IP: '$remoteAddr', X-Forwarded-For: '$forwardedFor')".
test "ownCloud 8 / Nextcloud 9: with X-Forwarded-For" {
  start = "2016-03-01T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2016-03-01T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.44\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: 'admin' (Remote IP: '203.0.113.44', X-Forwarded-For: '')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"9.0.0.19\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.44" }
    fields = { user = "admin" }
  }
}

# IRequest::getRemoteAddress(): an IPv6 client, and an IPv4 client on a
# dual-stack socket (PHP's REMOTE_ADDR is then IPv4-mapped).
test "IPv6 and IPv4-mapped remoteAddr" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"2001:db8::45\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: bob (Remote IP: 2001:db8::45)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:10+00:00\",\"remoteAddr\":\"::ffff:203.0.113.46\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: 'bob' (Remote IP: '::ffff:203.0.113.46')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "2001:db8::45" }
    fields = { user = "bob" }
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.46" }
    fields = { user = "bob" }
  }
}

# lib/private/Security/Bruteforce/Throttler.php registerAttempt() (14+, notice):
# guesses at a public share's password count; the "login" action does not
# (its request writes a "Login failed" record too).
test "Bruteforce attempt for a share password counts, for login it does not" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":1,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.47\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/s/AbCdEf/authenticate/showShare\",\"message\":\"Bruteforce attempt from \\\"203.0.113.47\\\" detected for action \\\"publicLinkAuth\\\".\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":1,\"time\":\"2024-01-15T10:00:10+00:00\",\"remoteAddr\":\"203.0.113.48\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Bruteforce attempt from \\\"203.0.113.48\\\" detected for action \\\"login\\\".\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.47" }
    fields = { action = "publicLinkAuth", user = "" }
  }
  expect_none {
    rule = "nextcloud-auth-failures"
    key  = { ip = "203.0.113.48" }
  }
}

# The shape of a real Nextcloud 27.1 record (bruteforce, level 1, a +08:00
# time, user "--"): the "login" action alone is not counted.
test "27: a Bruteforce attempt for login alone does not fire" {
  start = "2025-09-04T07:43:46Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":1,\"time\":\"2025-09-04T15:43:46+08:00\",\"remoteAddr\":\"203.0.113.49\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Bruteforce attempt from \\\"203.0.113.49\\\" detected for action \\\"login\\\".\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"27.1.11.3\",\"data\":{\"app\":\"core\"}}"
    repeat = 6
    every  = "1s"
  }
  expect_none {
    rule = "nextcloud-auth-failures"
  }
}

# A user name holding "(Remote IP: 10.9.9.9)" in either shape: the address
# is the record's remoteAddr, the name stays whole in user.
test "hostile user names do not move the source" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.50\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: x (Remote IP: 10.9.9.9) (Remote IP: 203.0.113.50)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:10+00:00\",\"remoteAddr\":\"203.0.113.51\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: 'x' (Remote IP: '10.9.9.8')' (Remote IP: '203.0.113.51')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.50" }
    fields = { user = "x (Remote IP: 10.9.9.9)" }
  }
  expect {
    rule   = "nextcloud-auth-failures"
    key    = { ip = "203.0.113.51" }
    fields = { user = "x' (Remote IP: '10.9.9.8')" }
  }
  expect_none {
    rule = "nextcloud-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "nextcloud-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# Not failures: the trusted-domain error
# (a wrong Host header, no password), a remoteAddr that is not an address
# (a record written by occ or cron has "--").
test "not counted: other records, no address" {
  start = "2024-01-15T10:00:00Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.52\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/\",\"message\":\"Trusted domain error. \\\"203.0.113.52\\\" tried to access using \\\"evil.example\\\" as host.\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  input {
    at     = "10s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:10+00:00\",\"remoteAddr\":\"--\",\"user\":\"--\",\"app\":\"core\",\"method\":\"\",\"url\":\"--\",\"message\":\"Login failed: 'admin' (Remote IP: '')\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "nextcloud-auth-failures"
  }
}

# Five failures spread over 20 minutes (by the records' own time) do not fire.
test "five failures over 20 minutes do not fire" {
  start = "2024-01-15T10:20:10Z"
  input {
    at     = "0s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:00:00+00:00\",\"remoteAddr\":\"203.0.113.54\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.54)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "1s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:05:00+00:00\",\"remoteAddr\":\"203.0.113.54\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.54)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "2s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:10:00+00:00\",\"remoteAddr\":\"203.0.113.54\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.54)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "3s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:15:00+00:00\",\"remoteAddr\":\"203.0.113.54\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.54)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "4s"
    line   = "{\"reqId\":\"ZWxrWUaDLu3SwFiIQfR9\",\"level\":2,\"time\":\"2024-01-15T10:20:00+00:00\",\"remoteAddr\":\"203.0.113.54\",\"user\":\"--\",\"app\":\"core\",\"method\":\"POST\",\"url\":\"/login\",\"message\":\"Login failed: admin (Remote IP: 203.0.113.54)\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"version\":\"28.0.1.1\",\"data\":{\"app\":\"core\"}}"
    repeat = 1
    every  = "1s"
  }
  expect_none {
    rule = "nextcloud-auth-failures"
  }
}
