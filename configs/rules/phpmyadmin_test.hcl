# Variants of the phpMyAdmin lines phpmyadmin.hcl reads, one test each, as
# Logging::logUser() writes them through syslog (phpMyAdmin 4.5-5.2) or as
# fail2ban's sample shows them (Debian fail2ban 1.0.2,
# tests/files/logs/phpmyadmin-syslog).
#
#   breachd test configs/rules/phpmyadmin_test.hcl

config = ["sources.hcl", "phpmyadmin.hcl"]
source = "auth"

# fail2ban sample phpmyadmin-syslog line 2: Logging::logUser(), mysql-denied.
test "mysql-denied" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 192.0.2.1"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 192.0.2.1"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 192.0.2.1"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 192.0.2.1"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 phpMyAdmin[16358]: user denied: root (mysql-denied) from 192.0.2.1"
  }
  expect {
    rule   = "phpmyadmin-auth-failures"
    key    = { ip = "192.0.2.1" }
    fields = { user = "root", status = "mysql-denied" }
  }
}

# The other refusals getErrorMessage() knows: empty-denied (AllowNoPassword),
# root-denied (AllowRoot), allow-denied (AllowDeny); IPv6.
test "empty-denied, root-denied, allow-denied, IPv6" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 phpMyAdmin[1]: user denied: admin (empty-denied) from 2001:db8::111"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 phpMyAdmin[1]: user denied: admin (empty-denied) from 2001:db8::111"
  }
  input {
    at   = "7s"
    line = "Dec 13 08:15:07 sb1 phpMyAdmin[2]: user denied: root (root-denied) from 2001:db8::111"
  }
  input {
    at   = "8s"
    line = "Dec 13 08:15:08 sb1 phpMyAdmin[2]: user denied: root (root-denied) from 2001:db8::111"
  }
  input {
    at   = "14s"
    line = "Dec 13 08:15:14 sb1 phpMyAdmin[3]: user denied: pma (allow-denied) from 2001:db8::111"
  }
  expect {
    rule   = "phpmyadmin-auth-failures"
    key    = { ip = "2001:db8::111" }
    fields = { status = "allow-denied" }
  }
}

# A user name holding "(mysql-denied) from 10.9.9.9": the status and address
# phpMyAdmin wrote end the line.
test "hostile user name" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 phpMyAdmin[4]: user denied: x (mysql-denied) from 10.9.9.9 (mysql-denied) from 203.0.113.112"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 phpMyAdmin[4]: user denied: x (mysql-denied) from 10.9.9.9 (mysql-denied) from 203.0.113.112"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 phpMyAdmin[4]: user denied: x (mysql-denied) from 10.9.9.9 (mysql-denied) from 203.0.113.112"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 phpMyAdmin[4]: user denied: x (mysql-denied) from 10.9.9.9 (mysql-denied) from 203.0.113.112"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 phpMyAdmin[4]: user denied: x (mysql-denied) from 10.9.9.9 (mysql-denied) from 203.0.113.112"
  }
  expect {
    rule   = "phpmyadmin-auth-failures"
    key    = { ip = "203.0.113.112" }
    fields = { user = "x (mysql-denied) from 10.9.9.9" }
  }
  expect_none {
    rule = "phpmyadmin-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# Not failures: a session that timed out (no-activity), a success logged with
# AuthLogSuccess, the text from another program.
test "not counted: no-activity, success, other programs" {
  start = "2026-12-13T08:15:00Z"
  input {
    at   = "0s"
    line = "Dec 13 08:15:00 sb1 phpMyAdmin[5]: user denied: alice (no-activity) from 203.0.113.113"
  }
  input {
    at   = "1s"
    line = "Dec 13 08:15:01 sb1 phpMyAdmin[5]: user denied: alice (no-activity) from 203.0.113.113"
  }
  input {
    at   = "2s"
    line = "Dec 13 08:15:02 sb1 phpMyAdmin[5]: user denied: alice (no-activity) from 203.0.113.113"
  }
  input {
    at   = "3s"
    line = "Dec 13 08:15:03 sb1 phpMyAdmin[5]: user denied: alice (no-activity) from 203.0.113.113"
  }
  input {
    at   = "4s"
    line = "Dec 13 08:15:04 sb1 phpMyAdmin[5]: user denied: alice (no-activity) from 203.0.113.113"
  }
  input {
    at   = "10s"
    line = "Dec 13 08:15:10 sb1 phpMyAdmin[6]: user authenticated: alice from 203.0.113.113"
  }
  input {
    at   = "11s"
    line = "Dec 13 08:15:11 sb1 phpMyAdmin[6]: user authenticated: alice from 203.0.113.113"
  }
  input {
    at   = "12s"
    line = "Dec 13 08:15:12 sb1 phpMyAdmin[6]: user authenticated: alice from 203.0.113.113"
  }
  input {
    at   = "13s"
    line = "Dec 13 08:15:13 sb1 phpMyAdmin[6]: user authenticated: alice from 203.0.113.113"
  }
  input {
    at   = "14s"
    line = "Dec 13 08:15:14 sb1 phpMyAdmin[6]: user authenticated: alice from 203.0.113.113"
  }
  input {
    at   = "20s"
    line = "Dec 13 08:15:20 sb1 php[7]: user denied: alice (mysql-denied) from 203.0.113.113"
  }
  input {
    at   = "21s"
    line = "Dec 13 08:15:21 sb1 php[7]: user denied: alice (mysql-denied) from 203.0.113.113"
  }
  input {
    at   = "22s"
    line = "Dec 13 08:15:22 sb1 php[7]: user denied: alice (mysql-denied) from 203.0.113.113"
  }
  input {
    at   = "23s"
    line = "Dec 13 08:15:23 sb1 php[7]: user denied: alice (mysql-denied) from 203.0.113.113"
  }
  input {
    at   = "24s"
    line = "Dec 13 08:15:24 sb1 php[7]: user denied: alice (mysql-denied) from 203.0.113.113"
  }
  expect_none {
    rule = "phpmyadmin-auth-failures"
  }
}
