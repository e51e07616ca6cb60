# Variants of the Webmin/Usermin lines webmin.hcl reads, one test each, as
# miniserv writes them to /var/log/auth.log (miniserv-lib.pl handle_login
# and the basic-auth check, webmin 1.x-2.x) or as fail2ban's sample shows
# them (Debian fail2ban 1.0.2, tests/files/logs/webmin-auth, line cited;
# addresses replaced by documentation ones where the sample's do not
# matter).
#
#   breachd test configs/rules/webmin_test.hcl

config = ["sources.hcl", "webmin.hcl"]
source = "auth"

# fail2ban sample webmin-auth line 5 ("#1 User exists, bad password"), with the
# space older miniserv wrote after the host: handle_login, "Invalid".
test "Invalid login as USER from ADDR, trailing space" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 webmin[25875]: Invalid login as root from 203.0.113.101 "
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 webmin[25875]: Invalid login as root from 203.0.113.101 "
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 webmin[25875]: Invalid login as root from 203.0.113.101 "
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 webmin[25875]: Invalid login as root from 203.0.113.101 "
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 webmin[25875]: Invalid login as root from 203.0.113.101 "
  }
  expect {
    rule   = "webmin-auth-failures"
    key    = { ip = "203.0.113.101" }
    fields = { user = "root" }
  }
}

# fail2ban sample lines 9 and 12: $nonexist, "Non-existent"; a user name that is
# an e-mail address; no trailing space.
test "Non-existent login as USER from ADDR" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 webmin[22134]: Non-existent login as admin@goodeyedeer.com.au from 203.0.113.102"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 webmin[22134]: Non-existent login as admin@goodeyedeer.com.au from 203.0.113.102"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 webmin[22134]: Non-existent login as admin@goodeyedeer.com.au from 203.0.113.102"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 webmin[22134]: Non-existent login as admin@goodeyedeer.com.au from 203.0.113.102"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 webmin[22134]: Non-existent login as admin@goodeyedeer.com.au from 203.0.113.102"
  }
  expect {
    rule   = "webmin-auth-failures"
    key    = { ip = "203.0.113.102" }
    fields = { user = "admin@goodeyedeer.com.au" }
  }
}

# IPv6 and IPv4-mapped clients ($acptip as accepted on an IPv6 socket), and a
# host name where miniserv resolves names (resolve=1).
test "IPv6, IPv4-mapped, a resolved host name" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 webmin[100]: Invalid login as root from 2001:db8::103"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 webmin[100]: Invalid login as root from 2001:db8::103"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 webmin[100]: Invalid login as root from 2001:db8::103"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 webmin[100]: Invalid login as root from 2001:db8::103"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 webmin[100]: Invalid login as root from 2001:db8::103"
  }
  input {
    at   = "10s"
    line = "Dec 13 08:15:10 sb1 webmin[101]: Invalid login as root from ::ffff:203.0.113.104"
  }
  input {
    at   = "11s"
    line = "Dec 13 08:15:11 sb1 webmin[101]: Invalid login as root from ::ffff:203.0.113.104"
  }
  input {
    at   = "12s"
    line = "Dec 13 08:15:12 sb1 webmin[101]: Invalid login as root from ::ffff:203.0.113.104"
  }
  input {
    at   = "13s"
    line = "Dec 13 08:15:13 sb1 webmin[101]: Invalid login as root from ::ffff:203.0.113.104"
  }
  input {
    at   = "14s"
    line = "Dec 13 08:15:14 sb1 webmin[101]: Invalid login as root from ::ffff:203.0.113.104"
  }
  input {
    at   = "20s"
    line = "Dec 13 08:15:20 sb1 webmin[102]: Non-existent login as test from scanner.example.net"
  }
  input {
    at   = "21s"
    line = "Dec 13 08:15:21 sb1 webmin[102]: Non-existent login as test from scanner.example.net"
  }
  input {
    at   = "22s"
    line = "Dec 13 08:15:22 sb1 webmin[102]: Non-existent login as test from scanner.example.net"
  }
  input {
    at   = "23s"
    line = "Dec 13 08:15:23 sb1 webmin[102]: Non-existent login as test from scanner.example.net"
  }
  input {
    at   = "24s"
    line = "Dec 13 08:15:24 sb1 webmin[102]: Non-existent login as test from scanner.example.net"
  }
  expect {
    rule = "webmin-auth-failures"
    key  = { ip = "2001:db8::103" }
  }
  expect {
    rule = "webmin-auth-failures"
    key  = { ip = "203.0.113.104" }
  }
  expect {
    rule   = "webmin-auth-failures"
    key    = { ip = "scanner.example.net" }
    fields = { user = "test" }
  }
}

# Usermin's miniserv logs under its own PAM service name.
test "Usermin" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 usermin[200]: Invalid login as bob from 203.0.113.105"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 usermin[200]: Invalid login as bob from 203.0.113.105"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 usermin[200]: Invalid login as bob from 203.0.113.105"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 usermin[200]: Invalid login as bob from 203.0.113.105"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 usermin[200]: Invalid login as bob from 203.0.113.105"
  }
  expect {
    rule   = "webmin-auth-failures"
    key    = { ip = "203.0.113.105" }
    fields = { user = "bob" }
  }
}

# HTTP basic authentication logs the name before refusing one with spaces: a
# name holding "from 10.9.9.9" leaves the host last on the line.
test "hostile user name (basic auth)" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 webmin[300]: Invalid login as x from 10.9.9.9 from 203.0.113.106"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 webmin[300]: Invalid login as x from 10.9.9.9 from 203.0.113.106"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 webmin[300]: Invalid login as x from 10.9.9.9 from 203.0.113.106"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 webmin[300]: Invalid login as x from 10.9.9.9 from 203.0.113.106"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 webmin[300]: Invalid login as x from 10.9.9.9 from 203.0.113.106"
  }
  expect {
    rule   = "webmin-auth-failures"
    key    = { ip = "203.0.113.106" }
    fields = { user = "x from 10.9.9.9" }
  }
  expect_none {
    rule = "webmin-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# Not failures: an expired password (the right one), 2FA refusing basic auth,
# a successful login, webmin's own block notice, the same text from another
# program.
test "not counted: Expired, two-factor, successful, other programs" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 webmin[400]: Expired login as alice from 203.0.113.107"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 webmin[400]: Expired login as alice from 203.0.113.107"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 webmin[400]: Expired login as alice from 203.0.113.107"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 webmin[400]: Expired login as alice from 203.0.113.107"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 webmin[400]: Expired login as alice from 203.0.113.107"
  }
  input {
    at   = "10s"
    line = "Dec 13 08:15:10 sb1 webmin[401]: Login as alice from 203.0.113.107 rejected because two-factor authentication is enabled"
  }
  input {
    at   = "11s"
    line = "Dec 13 08:15:11 sb1 webmin[401]: Login as alice from 203.0.113.107 rejected because two-factor authentication is enabled"
  }
  input {
    at   = "12s"
    line = "Dec 13 08:15:12 sb1 webmin[401]: Login as alice from 203.0.113.107 rejected because two-factor authentication is enabled"
  }
  input {
    at   = "13s"
    line = "Dec 13 08:15:13 sb1 webmin[401]: Login as alice from 203.0.113.107 rejected because two-factor authentication is enabled"
  }
  input {
    at   = "14s"
    line = "Dec 13 08:15:14 sb1 webmin[401]: Login as alice from 203.0.113.107 rejected because two-factor authentication is enabled"
  }
  input {
    at   = "20s"
    line = "Dec 13 08:15:20 sb1 webmin[402]: Successful login as alice from 203.0.113.107"
  }
  input {
    at   = "21s"
    line = "Dec 13 08:15:21 sb1 webmin[402]: Successful login as alice from 203.0.113.107"
  }
  input {
    at   = "22s"
    line = "Dec 13 08:15:22 sb1 webmin[402]: Successful login as alice from 203.0.113.107"
  }
  input {
    at   = "23s"
    line = "Dec 13 08:15:23 sb1 webmin[402]: Successful login as alice from 203.0.113.107"
  }
  input {
    at   = "24s"
    line = "Dec 13 08:15:24 sb1 webmin[402]: Successful login as alice from 203.0.113.107"
  }
  input {
    at   = "30s"
    line = "Dec 13 08:15:30 sb1 webmin[403]: Security alert: Host 203.0.113.107 blocked after 5 failed logins for user alice"
  }
  input {
    at   = "36s"
    line = "Dec 13 08:15:36 sb1 sshd[404]: Invalid login as alice from 203.0.113.107"
  }
  input {
    at   = "37s"
    line = "Dec 13 08:15:37 sb1 sshd[404]: Invalid login as alice from 203.0.113.107"
  }
  input {
    at   = "38s"
    line = "Dec 13 08:15:38 sb1 sshd[404]: Invalid login as alice from 203.0.113.107"
  }
  input {
    at   = "39s"
    line = "Dec 13 08:15:39 sb1 sshd[404]: Invalid login as alice from 203.0.113.107"
  }
  input {
    at   = "40s"
    line = "Dec 13 08:15:40 sb1 sshd[404]: Invalid login as alice from 203.0.113.107"
  }
  expect_none {
    rule = "webmin-auth-failures"
  }
}
