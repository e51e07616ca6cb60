# Tests of wordpress.hcl on access-log lines as nginx and Apache write them
# (combined format) for the requests WordPress 2.x-6.x answers: wp-login.php
# and xmlrpc.php, the status each outcome gets cited per test. fail2ban
# ships no WordPress sample (its WordPress filters read the WP fail2ban
# plugin's syslog lines, not WordPress's own behaviour).
#
#   breachd test configs/rules/wordpress_test.hcl

config = ["sources.hcl", "wordpress.hcl"]
source = "web"

# wp-login.php, case 'login': a WP_Error from wp_signon() redraws the form, 200.
# nginx's combined format, IPv4.
test "five failed form logins (POST wp-login.php, 200)" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.61 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "203.0.113.61 - - [15/Jan/2024:10:00:10 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "20s"
    line = "203.0.113.61 - - [15/Jan/2024:10:00:20 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "30s"
    line = "203.0.113.61 - - [15/Jan/2024:10:00:30 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "40s"
    line = "203.0.113.61 - - [15/Jan/2024:10:00:40 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect {
    rule   = "wordpress-login-failures"
    key    = { ip = "203.0.113.61" }
    fields = { path = "/wp-login.php", status = "200" }
  }
}

# A site in a subfolder, redirect_to in the query, HTTP/2.0, an IPv6 client
# (Apache's %h) and an IPv4-mapped one (nginx on a dual-stack socket).
test "subfolder, query, HTTP/2.0, IPv6, IPv4-mapped" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2001:db8::62 - - [15/Jan/2024:10:00:00 +0000] \"POST /blog/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1 HTTP/2.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "1s"
    line = "2001:db8::62 - - [15/Jan/2024:10:00:01 +0000] \"POST /blog/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1 HTTP/2.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "2s"
    line = "2001:db8::62 - - [15/Jan/2024:10:00:02 +0000] \"POST /blog/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1 HTTP/2.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "2001:db8::62 - - [15/Jan/2024:10:00:03 +0000] \"POST /blog/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1 HTTP/2.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "4s"
    line = "2001:db8::62 - - [15/Jan/2024:10:00:04 +0000] \"POST /blog/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1 HTTP/2.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "::ffff:203.0.113.63 - - [15/Jan/2024:10:00:10 +0000] \"POST /wp-login.php?action=login HTTP/1.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "::ffff:203.0.113.63 - - [15/Jan/2024:10:00:11 +0000] \"POST /wp-login.php?action=login HTTP/1.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "::ffff:203.0.113.63 - - [15/Jan/2024:10:00:12 +0000] \"POST /wp-login.php?action=login HTTP/1.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "::ffff:203.0.113.63 - - [15/Jan/2024:10:00:13 +0000] \"POST /wp-login.php?action=login HTTP/1.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "::ffff:203.0.113.63 - - [15/Jan/2024:10:00:14 +0000] \"POST /wp-login.php?action=login HTTP/1.0\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect {
    rule = "wordpress-login-failures"
    key  = { ip = "2001:db8::62" }
  }
  expect {
    rule = "wordpress-login-failures"
    key  = { ip = "203.0.113.63" }
  }
}

# A successful login is wp_safe_redirect(): 302. The login page itself is a GET.
test "not counted: successful logins (302), GET of the form" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "1s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:01 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "2s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:02 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:03 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "4s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:04 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:10 +0000] \"GET /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:11 +0000] \"GET /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:12 +0000] \"GET /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:13 +0000] \"GET /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "203.0.113.64 - - [15/Jan/2024:10:00:14 +0000] \"GET /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect_none {
    rule = "wordpress-login-failures"
  }
}

# Other actions of wp-login.php are not password checks: lost password,
# registration, the post-password form (always a 302), reset.
test "not counted: lostpassword, register, postpass, rp" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php?action=lostpassword HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "1s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:01 +0000] \"POST /wp-login.php?action=lostpassword HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "2s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:02 +0000] \"POST /wp-login.php?action=lostpassword HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:03 +0000] \"POST /wp-login.php?action=lostpassword HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "4s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:04 +0000] \"POST /wp-login.php?action=lostpassword HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:10 +0000] \"POST /wp-login.php?action=register HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:11 +0000] \"POST /wp-login.php?action=register HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:12 +0000] \"POST /wp-login.php?action=register HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:13 +0000] \"POST /wp-login.php?action=register HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:14 +0000] \"POST /wp-login.php?action=register HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "20s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:20 +0000] \"POST /wp-login.php?action=postpass HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "21s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:21 +0000] \"POST /wp-login.php?action=postpass HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "22s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:22 +0000] \"POST /wp-login.php?action=postpass HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "23s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:23 +0000] \"POST /wp-login.php?action=postpass HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "24s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:24 +0000] \"POST /wp-login.php?action=postpass HTTP/1.1\" 302 0 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "30s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:30 +0000] \"POST /wp-login.php?foo=1&action=rp&key=x HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "31s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:31 +0000] \"POST /wp-login.php?foo=1&action=rp&key=x HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "32s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:32 +0000] \"POST /wp-login.php?foo=1&action=rp&key=x HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "33s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:33 +0000] \"POST /wp-login.php?foo=1&action=rp&key=x HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "34s"
    line = "203.0.113.65 - - [15/Jan/2024:10:00:34 +0000] \"POST /wp-login.php?foo=1&action=rp&key=x HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect_none {
    rule = "wordpress-login-failures"
  }
}

# A lockout plugin answering 403 is not a form failure (web-auth-failures
# counts bursts of 403); a path that only contains wp-login.php is not it.
test "not counted: 403 lockouts, look-alike paths" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 403 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "1s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:01 +0000] \"POST /wp-login.php HTTP/1.1\" 403 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "2s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:02 +0000] \"POST /wp-login.php HTTP/1.1\" 403 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:03 +0000] \"POST /wp-login.php HTTP/1.1\" 403 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "4s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:04 +0000] \"POST /wp-login.php HTTP/1.1\" 403 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:10 +0000] \"POST /wp-login.php.bak HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:11 +0000] \"POST /wp-login.php.bak HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:12 +0000] \"POST /wp-login.php.bak HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:13 +0000] \"POST /wp-login.php.bak HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:14 +0000] \"POST /wp-login.php.bak HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "20s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:20 +0000] \"POST /x/wp-login.phpx HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "21s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:21 +0000] \"POST /x/wp-login.phpx HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "22s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:22 +0000] \"POST /x/wp-login.phpx HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "23s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:23 +0000] \"POST /x/wp-login.phpx HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "24s"
    line = "203.0.113.66 - - [15/Jan/2024:10:00:24 +0000] \"POST /x/wp-login.phpx HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect_none {
    rule = "wordpress-login-failures"
  }
}

# The address is the log's first field: a request or user agent holding
# another address, or a request line smuggling \"POST /wp-login.php\" into a GET's
# query, moves nothing.
test "hostile request lines and agents" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.67 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php?x=10.9.9.9 HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"10.9.9.9 - - [15/Jan/2024:10:00:00 +0000]\""
  }
  input {
    at   = "1s"
    line = "203.0.113.67 - - [15/Jan/2024:10:00:01 +0000] \"POST /wp-login.php?x=10.9.9.9 HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"10.9.9.9 - - [15/Jan/2024:10:00:00 +0000]\""
  }
  input {
    at   = "2s"
    line = "203.0.113.67 - - [15/Jan/2024:10:00:02 +0000] \"POST /wp-login.php?x=10.9.9.9 HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"10.9.9.9 - - [15/Jan/2024:10:00:00 +0000]\""
  }
  input {
    at   = "3s"
    line = "203.0.113.67 - - [15/Jan/2024:10:00:03 +0000] \"POST /wp-login.php?x=10.9.9.9 HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"10.9.9.9 - - [15/Jan/2024:10:00:00 +0000]\""
  }
  input {
    at   = "4s"
    line = "203.0.113.67 - - [15/Jan/2024:10:00:04 +0000] \"POST /wp-login.php?x=10.9.9.9 HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"10.9.9.9 - - [15/Jan/2024:10:00:00 +0000]\""
  }
  input {
    at   = "10s"
    line = "203.0.113.68 - - [15/Jan/2024:10:00:10 +0000] \"GET /?q=POST%20/wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "203.0.113.68 - - [15/Jan/2024:10:00:11 +0000] \"GET /?q=POST%20/wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.68 - - [15/Jan/2024:10:00:12 +0000] \"GET /?q=POST%20/wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "203.0.113.68 - - [15/Jan/2024:10:00:13 +0000] \"GET /?q=POST%20/wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "203.0.113.68 - - [15/Jan/2024:10:00:14 +0000] \"GET /?q=POST%20/wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect {
    rule = "wordpress-login-failures"
    key  = { ip = "203.0.113.67" }
  }
  expect_none {
    rule = "wordpress-login-failures"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "wordpress-login-failures"
    key  = { ip = "203.0.113.68" }
  }
}

# Five failures spread over 20 minutes (by the log's own times) do not fire.
test "five failures over 20 minutes do not fire" {
  start = "2024-01-15T10:20:10Z"
  input {
    at     = "0s"
    line   = "203.0.113.69 - - [15/Jan/2024:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "1s"
    line   = "203.0.113.69 - - [15/Jan/2024:10:05:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "2s"
    line   = "203.0.113.69 - - [15/Jan/2024:10:10:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "3s"
    line   = "203.0.113.69 - - [15/Jan/2024:10:15:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    repeat = 1
    every  = "1s"
  }
  input {
    at     = "4s"
    line   = "203.0.113.69 - - [15/Jan/2024:10:20:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
    repeat = 1
    every  = "1s"
  }
  expect_none {
    rule = "wordpress-login-failures"
  }
}

# xmlrpc.php answers every POST 200 (a failed login is a fault in the body):
# 20 POSTs in a minute from one address fire.
test "XML-RPC: 20 POSTs in a minute" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:00 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "2s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:02 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "4s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:04 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "6s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:06 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "8s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:08 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "10s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:10 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "12s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:12 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "14s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:14 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "16s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:16 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "18s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:18 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "20s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:20 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "22s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:22 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "24s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:24 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "26s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:26 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "28s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:28 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "30s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:30 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "32s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:32 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "34s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:34 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "36s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:36 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  input {
    at   = "38s"
    line = "203.0.113.70 - - [15/Jan/2024:10:00:38 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 403 \"-\" \"Mozilla/5.0\""
  }
  expect {
    rule   = "wordpress-xmlrpc-abuse"
    key    = { ip = "203.0.113.70" }
    fields = { path = "/xmlrpc.php" }
  }
}

# 19 in a minute, or 20 over two minutes (a mobile app, pingbacks), do not;
# GET is answered 405 and is not counted.
test "XML-RPC: below the rate, GET" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:00 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:03 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "6s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:06 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "9s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:09 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:12 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "15s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:15 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "18s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:18 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "21s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:21 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "24s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:24 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "27s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:27 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "30s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:30 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "33s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:33 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "36s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:36 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "39s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:39 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "42s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:42 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "45s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:45 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "48s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:48 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "51s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:51 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "54s"
    line = "203.0.113.71 - - [15/Jan/2024:10:00:54 +0000] \"POST /xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "0s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:00 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "6s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:06 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:12 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "18s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:18 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "24s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:24 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "30s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:30 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "36s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:36 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "42s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:42 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "48s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:48 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "54s"
    line = "203.0.113.72 - - [15/Jan/2024:10:00:54 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "60s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:00 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "66s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:06 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "72s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:12 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "78s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:18 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "84s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:24 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "90s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:30 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "96s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:36 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "102s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:42 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "108s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:48 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "114s"
    line = "203.0.113.72 - - [15/Jan/2024:10:01:54 +0000] \"POST /wordpress/xmlrpc.php HTTP/1.1\" 200 4523 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "0s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:00 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "1s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:01 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "2s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:02 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "3s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:03 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "4s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:04 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "5s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:05 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "6s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:06 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "7s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:07 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "8s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:08 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "9s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:09 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "10s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:10 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "11s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:11 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "12s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:12 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "13s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:13 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "14s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:14 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "15s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:15 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "16s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:16 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "17s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:17 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "18s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:18 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "19s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:19 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "20s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:20 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "21s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:21 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "22s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:22 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "23s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:23 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "24s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:24 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "25s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:25 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "26s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:26 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "27s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:27 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "28s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:28 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  input {
    at   = "29s"
    line = "203.0.113.73 - - [15/Jan/2024:10:00:29 +0000] \"GET /xmlrpc.php HTTP/1.1\" 405 42 \"https://blog.example.com/wp-login.php\" \"Mozilla/5.0 (X11; Linux x86_64)\""
  }
  expect_none {
    rule = "wordpress-xmlrpc-abuse"
  }
}
