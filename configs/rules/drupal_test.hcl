# Variants of the Drupal lines drupal.hcl reads, one test each, as Drupal
# 7-11's syslog module writes them with its default format (the log call
# cited per test) or as fail2ban's sample shows them (Debian fail2ban
# 1.0.2, tests/files/logs/drupal-auth, line cited).
#
#   breachd test configs/rules/drupal_test.hcl

config = ["sources.hcl", "drupal.hcl"]
source = "syslog"

# fail2ban sample drupal-auth line 2: Drupal 7, the default format, "for %user".
test "7: Login attempt failed for USER" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 webserver example.com: https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 webserver example.com: https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 webserver example.com: https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 webserver example.com: https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 webserver example.com: https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|https://example.com/?q=user|0||Login attempt failed for drupaladmin."
  }
  expect {
    rule   = "drupal-auth-failures"
    key    = { ip = "1.2.3.4" }
    fields = { user = "drupaladmin" }
  }
}

# fail2ban sample line 4: a site in a subfolder (base_url with a path).
test "7: base_url with a path" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 webserver example.com: https://example.com/subdir|1430068525|user|192.0.2.121|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 webserver example.com: https://example.com/subdir|1430068525|user|192.0.2.121|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 webserver example.com: https://example.com/subdir|1430068525|user|192.0.2.121|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 webserver example.com: https://example.com/subdir|1430068525|user|192.0.2.121|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 webserver example.com: https://example.com/subdir|1430068525|user|192.0.2.121|https://example.com/subdir/user|https://example.com/subdir/user|0||Login attempt failed for drupaladmin."
  }
  expect {
    rule = "drupal-auth-failures"
    key  = { ip = "192.0.2.121" }
  }
}

# UserLoginForm::validateFinal() (8-11), no such account: "from %ip"; the ident
# is the syslog_identity setting with a pid; fail2ban sample line 16's shape
# (pipes in the request and referer, the real message last).
test "8-11: Login attempt failed from IP, pipes in the request" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 mweb drupal[24864]: https://www.example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 mweb drupal[24864]: https://www.example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 mweb drupal[24864]: https://www.example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 mweb drupal[24864]: https://www.example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 mweb drupal[24864]: https://www.example.com|1613063581|user|192.0.2.4|https://example.com/user/login?test=%7C&test2=%7C|https://example.com/user/login?test=|&test2=||0||Login attempt failed from 192.0.2.4."
  }
  expect {
    rule   = "drupal-auth-failures"
    key    = { ip = "192.0.2.4" }
    fields = { user = "" }
  }
}

# 8-11, an existing account ("for %user", a name with a space), an IPv6 client.
test "8-11: for USER with a space, IPv6" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 web1 drupal: https://www.example.com|1613058599|user|2001:db8::122|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed for Jack Sparrow."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 web1 drupal: https://www.example.com|1613058599|user|2001:db8::122|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed for Jack Sparrow."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 web1 drupal: https://www.example.com|1613058599|user|2001:db8::122|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed for Jack Sparrow."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 web1 drupal: https://www.example.com|1613058599|user|2001:db8::122|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed for Jack Sparrow."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 web1 drupal: https://www.example.com|1613058599|user|2001:db8::122|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed for Jack Sparrow."
  }
  expect {
    rule   = "drupal-auth-failures"
    key    = { ip = "2001:db8::122" }
    fields = { user = "Jack Sparrow" }
  }
}

# fail2ban sample lines 13 and 19 (gh-2742): "Login attempt failed" only in
# the client's request and referer, the real message another: not counted,
# for either address.
test "injected messages in the request and referer" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin."
  }
  input {
    at   = "10s"
    line = "Apr 26 13:15:10 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed from 1.2.3.4|2||Session revisited for drupaladmin."
  }
  input {
    at   = "11s"
    line = "Apr 26 13:15:11 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed from 1.2.3.4|2||Session revisited for drupaladmin."
  }
  input {
    at   = "12s"
    line = "Apr 26 13:15:12 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed from 1.2.3.4|2||Session revisited for drupaladmin."
  }
  input {
    at   = "13s"
    line = "Apr 26 13:15:13 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed from 1.2.3.4|2||Session revisited for drupaladmin."
  }
  input {
    at   = "14s"
    line = "Apr 26 13:15:14 host drupal-site: https://example.com|1613063581|user|192.0.2.5|https://example.com/user/login?test=%7C&test2=%7C...|https://example.com/user/login?test=|&test2=|0||Login attempt failed from 1.2.3.4|2||Session revisited for drupaladmin."
  }
  expect_none {
    rule = "drupal-auth-failures"
    key  = { ip = "192.0.2.5" }
  }
  expect_none {
    rule = "drupal-auth-failures"
    key  = { ip = "1.2.3.4" }
  }
}

# A referer holding "|user|10.9.9.9|" and a message after it: the address is
# the fourth field.
test "hostile referer: the address is the fourth field" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 web1 drupal: https://example.com|1613063581|user|203.0.113.123|https://example.com/user/login|https://x/|1|user|10.9.9.9|a|0||Login attempt failed for admin."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 web1 drupal: https://example.com|1613063581|user|203.0.113.123|https://example.com/user/login|https://x/|1|user|10.9.9.9|a|0||Login attempt failed for admin."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 web1 drupal: https://example.com|1613063581|user|203.0.113.123|https://example.com/user/login|https://x/|1|user|10.9.9.9|a|0||Login attempt failed for admin."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 web1 drupal: https://example.com|1613063581|user|203.0.113.123|https://example.com/user/login|https://x/|1|user|10.9.9.9|a|0||Login attempt failed for admin."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 web1 drupal: https://example.com|1613063581|user|203.0.113.123|https://example.com/user/login|https://x/|1|user|10.9.9.9|a|0||Login attempt failed for admin."
  }
  expect {
    rule   = "drupal-auth-failures"
    key    = { ip = "203.0.113.123" }
    fields = { user = "admin" }
  }
  expect_none {
    rule = "drupal-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# fail2ban sample line 10 (the Jack Sparrow line, gh-2742): "from" followed
# by a name is not core's wording (8-11 log "from %ip"), but a real site
# logged it; it counts, with the address of the fourth field.
test "from followed by a name counts, for the fourth field's address" {
  start = "2026-04-26T13:15:00Z"
  input {
    at     = "0s"
    line   = "Apr 26 13:15:00 mweb drupal_site[24864]: https://www.example.com|1613058599|user|192.0.2.7|https://www.example.com/en/user/login|https://www.example.com/en/user/login|0||Login attempt failed from Jack Sparrow."
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "drupal-auth-failures"
    key  = { ip = "192.0.2.7" }
  }
}

# Not failures: a session opened (fail2ban sample line 7, uid 1), another
# channel's message, a logged-in user's line.
test "not counted: Session opened, other channels" {
  start = "2026-04-26T13:15:00Z"
  input {
    at   = "0s"
    line = "Apr 26 13:15:00 webserver example.com: https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin."
  }
  input {
    at   = "1s"
    line = "Apr 26 13:15:01 webserver example.com: https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin."
  }
  input {
    at   = "2s"
    line = "Apr 26 13:15:02 webserver example.com: https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin."
  }
  input {
    at   = "3s"
    line = "Apr 26 13:15:03 webserver example.com: https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin."
  }
  input {
    at   = "4s"
    line = "Apr 26 13:15:04 webserver example.com: https://example.com|1430068748|user|1.2.3.4|https://example.com/user|https://example.com/user|1||Session opened for drupaladmin."
  }
  input {
    at   = "10s"
    line = "Apr 26 13:15:10 webserver example.com: https://example.com|1430068748|php|1.2.3.4|https://example.com/x|https://example.com/|0||Login attempt failed for nobody."
  }
  input {
    at   = "11s"
    line = "Apr 26 13:15:11 webserver example.com: https://example.com|1430068748|php|1.2.3.4|https://example.com/x|https://example.com/|0||Login attempt failed for nobody."
  }
  input {
    at   = "12s"
    line = "Apr 26 13:15:12 webserver example.com: https://example.com|1430068748|php|1.2.3.4|https://example.com/x|https://example.com/|0||Login attempt failed for nobody."
  }
  input {
    at   = "13s"
    line = "Apr 26 13:15:13 webserver example.com: https://example.com|1430068748|php|1.2.3.4|https://example.com/x|https://example.com/|0||Login attempt failed for nobody."
  }
  input {
    at   = "14s"
    line = "Apr 26 13:15:14 webserver example.com: https://example.com|1430068748|php|1.2.3.4|https://example.com/x|https://example.com/|0||Login attempt failed for nobody."
  }
  expect_none {
    rule = "drupal-auth-failures"
  }
}
