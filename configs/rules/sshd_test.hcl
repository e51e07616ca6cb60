# Tests of sshd.hcl, with messages as OpenSSH 7.4 to 9.9 write them.
#
#   breachd test configs/rules/sshd_test.hcl

config = ["sources.hcl", "sshd.hcl"]
source = "auth"

test "five failures of every kind from one address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "5s"
    line = "Nov 23 10:00:05 web1 sshd[4242]: Failed publickey for invalid user oracle from 203.0.113.7 port 40001 ssh2: RSA SHA256:Yl3vH0hXcB0i8OvNGBz3bI2H3dcTr7M0Bzm1Lk8kFpA"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Failed keyboard-interactive/pam for invalid user oracle from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "15s"
    line = "Nov 23 10:00:15 web1 sshd[4242]: Invalid user oracle from 203.0.113.7 port 40002"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: error: maximum authentication attempts exceeded for root from 203.0.113.7 port 40003 ssh2 [preauth]"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.7" }
    fields = { user = "root" }
  }
}

test "IPv6, and OpenSSH 9.8's sshd-session" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50000 ssh2"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50001 ssh2"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50002 ssh2"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50003 ssh2"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50004 ssh2"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "2001:db8::7" }
    fields = { user = "admin" }
  }
}

test "old messages without a port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Invalid user test0 from 203.0.113.7"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Invalid user test1 from 203.0.113.7"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: Invalid user test2 from 203.0.113.7"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Invalid user test3 from 203.0.113.7"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd[4242]: Invalid user test4 from 203.0.113.7"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.7" }
  }
}

test "a user name holding an address does not make it the source" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd[4242]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
  }
  input {
    at   = "60s"
    line = "Nov 23 10:01:00 web1 sshd[4242]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.51 port 22"
  }
  input {
    at   = "61s"
    line = "Nov 23 10:01:01 web1 sshd[4242]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.51 port 22"
  }
  input {
    at   = "62s"
    line = "Nov 23 10:01:02 web1 sshd[4242]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.51 port 22"
  }
  input {
    at   = "63s"
    line = "Nov 23 10:01:03 web1 sshd[4242]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.51 port 22"
  }
  input {
    at   = "64s"
    line = "Nov 23 10:01:04 web1 sshd[4242]: Invalid user x from 198.51.100.1 port 22 from 203.0.113.51 port 22"
  }
  input {
    at   = "120s"
    line = "Nov 23 10:02:00 web1 sshd[4242]: Disconnecting invalid user a 198.51.100.1 port 22: Too many authentication failures b 203.0.113.52 port 22: Too many authentication failures [preauth]"
  }
  input {
    at   = "121s"
    line = "Nov 23 10:02:01 web1 sshd[4242]: Disconnecting invalid user a 198.51.100.1 port 22: Too many authentication failures b 203.0.113.52 port 22: Too many authentication failures [preauth]"
  }
  input {
    at   = "122s"
    line = "Nov 23 10:02:02 web1 sshd[4242]: Disconnecting invalid user a 198.51.100.1 port 22: Too many authentication failures b 203.0.113.52 port 22: Too many authentication failures [preauth]"
  }
  input {
    at   = "123s"
    line = "Nov 23 10:02:03 web1 sshd[4242]: Disconnecting invalid user a 198.51.100.1 port 22: Too many authentication failures b 203.0.113.52 port 22: Too many authentication failures [preauth]"
  }
  input {
    at   = "124s"
    line = "Nov 23 10:02:04 web1 sshd[4242]: Disconnecting invalid user a 198.51.100.1 port 22: Too many authentication failures b 203.0.113.52 port 22: Too many authentication failures [preauth]"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.50" }
    fields = { user = "x from 198.51.100.1 port 22" }
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.51" }
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.52" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "198.51.100.1" }
  }
}

test "another program writing sshd's words is ignored" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 fakesshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "1s"
    line = "Nov 23 10:00:01 web1 fakesshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "2s"
    line = "Nov 23 10:00:02 web1 fakesshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "3s"
    line = "Nov 23 10:00:03 web1 fakesshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "4s"
    line = "Nov 23 10:00:04 web1 fakesshd[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sudo[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "11s"
    line = "Nov 23 10:00:11 web1 sudo[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "12s"
    line = "Nov 23 10:00:12 web1 sudo[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "13s"
    line = "Nov 23 10:00:13 web1 sudo[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  input {
    at   = "14s"
    line = "Nov 23 10:00:14 web1 sudo[4242]: Failed password for root from 203.0.113.7 port 22 ssh2"
  }
  expect_none {
    rule = "sshd-brute-force"
  }
}

test "slow brute force under the window is not caught" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "180s"
    line = "Nov 23 10:03:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "360s"
    line = "Nov 23 10:06:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "540s"
    line = "Nov 23 10:09:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2"
  }
  input {
    at   = "720s"
    line = "Nov 23 10:12:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40004 ssh2"
  }
  expect_none {
    rule = "sshd-brute-force"
  }
}

test "four failures are not enough" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "1s"
    line = "Nov 23 10:00:01 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "2s"
    line = "Nov 23 10:00:02 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "3s"
    line = "Nov 23 10:00:03 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2"
  }
  expect_none {
    rule = "sshd-brute-force"
  }
}

test "ten users from one address are password spraying" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Failed password for invalid user test from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "60s"
    line = "Nov 23 10:01:00 web1 sshd[4242]: Failed password for invalid user oracle from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "90s"
    line = "Nov 23 10:01:30 web1 sshd[4242]: Failed password for invalid user postgres from 203.0.113.7 port 40003 ssh2"
  }
  input {
    at   = "120s"
    line = "Nov 23 10:02:00 web1 sshd[4242]: Failed password for invalid user ubuntu from 203.0.113.7 port 40004 ssh2"
  }
  input {
    at   = "150s"
    line = "Nov 23 10:02:30 web1 sshd[4242]: Failed password for invalid user pi from 203.0.113.7 port 40005 ssh2"
  }
  input {
    at   = "180s"
    line = "Nov 23 10:03:00 web1 sshd[4242]: Failed password for invalid user git from 203.0.113.7 port 40006 ssh2"
  }
  input {
    at   = "210s"
    line = "Nov 23 10:03:30 web1 sshd[4242]: Failed password for invalid user user from 203.0.113.7 port 40007 ssh2"
  }
  input {
    at   = "240s"
    line = "Nov 23 10:04:00 web1 sshd[4242]: Failed password for invalid user guest from 203.0.113.7 port 40008 ssh2"
  }
  input {
    at   = "270s"
    line = "Nov 23 10:04:30 web1 sshd[4242]: Failed password for invalid user ftp from 203.0.113.7 port 40009 ssh2"
  }
  expect {
    rule = "sshd-password-spraying"
    key  = { ip = "203.0.113.7" }
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.7" }
  }
}

test "one user ten times is not spraying" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "100s"
    line = "Nov 23 10:01:40 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "200s"
    line = "Nov 23 10:03:20 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "300s"
    line = "Nov 23 10:05:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2"
  }
  input {
    at   = "400s"
    line = "Nov 23 10:06:40 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40004 ssh2"
  }
  input {
    at   = "500s"
    line = "Nov 23 10:08:20 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40005 ssh2"
  }
  input {
    at   = "600s"
    line = "Nov 23 10:10:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40006 ssh2"
  }
  input {
    at   = "700s"
    line = "Nov 23 10:11:40 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40007 ssh2"
  }
  input {
    at   = "800s"
    line = "Nov 23 10:13:20 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40008 ssh2"
  }
  input {
    at   = "900s"
    line = "Nov 23 10:15:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40009 ssh2"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.7" }
  }
  expect_none {
    rule = "sshd-password-spraying"
  }
}

test "twenty pre-authentication drops in a minute" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50000 [preauth]"
  }
  input {
    at   = "2s"
    line = "Nov 23 10:00:02 web1 sshd[4242]: Connection reset by 203.0.113.7 port 50001 [preauth]"
  }
  input {
    at   = "4s"
    line = "Nov 23 10:00:04 web1 sshd[4242]: Received disconnect from 203.0.113.7 port 50002:11: Bye Bye [preauth]"
  }
  input {
    at   = "6s"
    line = "Nov 23 10:00:06 web1 sshd[4242]: Disconnected from authenticating user root 203.0.113.7 port 50003 [preauth]"
  }
  input {
    at   = "8s"
    line = "Nov 23 10:00:08 web1 sshd[4242]: Connection closed by invalid user admin 203.0.113.7 port 50004 [preauth]"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Did not receive identification string from 203.0.113.7 port 50005"
  }
  input {
    at   = "12s"
    line = "Nov 23 10:00:12 web1 sshd[4242]: banner exchange: Connection from 203.0.113.7 port 50006: invalid format"
  }
  input {
    at   = "14s"
    line = "Nov 23 10:00:14 web1 sshd[4242]: Unable to negotiate with 203.0.113.7 port 50007: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]"
  }
  input {
    at   = "16s"
    line = "Nov 23 10:00:16 web1 sshd[4242]: ssh_dispatch_run_fatal: Connection from 203.0.113.7 port 50008: Connection corrupted [preauth]"
  }
  input {
    at   = "18s"
    line = "Nov 23 10:00:18 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50009 [preauth]"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50010 [preauth]"
  }
  input {
    at   = "22s"
    line = "Nov 23 10:00:22 web1 sshd[4242]: Connection reset by 203.0.113.7 port 50011 [preauth]"
  }
  input {
    at   = "24s"
    line = "Nov 23 10:00:24 web1 sshd[4242]: Received disconnect from 203.0.113.7 port 50012:11: Bye Bye [preauth]"
  }
  input {
    at   = "26s"
    line = "Nov 23 10:00:26 web1 sshd[4242]: Disconnected from authenticating user root 203.0.113.7 port 50013 [preauth]"
  }
  input {
    at   = "28s"
    line = "Nov 23 10:00:28 web1 sshd[4242]: Connection closed by invalid user admin 203.0.113.7 port 50014 [preauth]"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Did not receive identification string from 203.0.113.7 port 50015"
  }
  input {
    at   = "32s"
    line = "Nov 23 10:00:32 web1 sshd[4242]: banner exchange: Connection from 203.0.113.7 port 50016: invalid format"
  }
  input {
    at   = "34s"
    line = "Nov 23 10:00:34 web1 sshd[4242]: Unable to negotiate with 203.0.113.7 port 50017: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]"
  }
  input {
    at   = "36s"
    line = "Nov 23 10:00:36 web1 sshd[4242]: ssh_dispatch_run_fatal: Connection from 203.0.113.7 port 50018: Connection corrupted [preauth]"
  }
  input {
    at   = "38s"
    line = "Nov 23 10:00:38 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50019 [preauth]"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.7" }
  }
}

test "nineteen drops are not a flood" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50000 [preauth]"
  }
  input {
    at   = "3s"
    line = "Nov 23 10:00:03 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50001 [preauth]"
  }
  input {
    at   = "6s"
    line = "Nov 23 10:00:06 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50002 [preauth]"
  }
  input {
    at   = "9s"
    line = "Nov 23 10:00:09 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50003 [preauth]"
  }
  input {
    at   = "12s"
    line = "Nov 23 10:00:12 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50004 [preauth]"
  }
  input {
    at   = "15s"
    line = "Nov 23 10:00:15 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50005 [preauth]"
  }
  input {
    at   = "18s"
    line = "Nov 23 10:00:18 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50006 [preauth]"
  }
  input {
    at   = "21s"
    line = "Nov 23 10:00:21 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50007 [preauth]"
  }
  input {
    at   = "24s"
    line = "Nov 23 10:00:24 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50008 [preauth]"
  }
  input {
    at   = "27s"
    line = "Nov 23 10:00:27 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50009 [preauth]"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50010 [preauth]"
  }
  input {
    at   = "33s"
    line = "Nov 23 10:00:33 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50011 [preauth]"
  }
  input {
    at   = "36s"
    line = "Nov 23 10:00:36 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50012 [preauth]"
  }
  input {
    at   = "39s"
    line = "Nov 23 10:00:39 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50013 [preauth]"
  }
  input {
    at   = "42s"
    line = "Nov 23 10:00:42 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50014 [preauth]"
  }
  input {
    at   = "45s"
    line = "Nov 23 10:00:45 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50015 [preauth]"
  }
  input {
    at   = "48s"
    line = "Nov 23 10:00:48 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50016 [preauth]"
  }
  input {
    at   = "51s"
    line = "Nov 23 10:00:51 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50017 [preauth]"
  }
  input {
    at   = "54s"
    line = "Nov 23 10:00:54 web1 sshd[4242]: Connection closed by 203.0.113.7 port 50018 [preauth]"
  }
  expect_none {
    rule = "sshd-preauth-flood"
  }
}

test "refused root logins" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: ROOT LOGIN REFUSED FROM 203.0.113.7 port 40000"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: ROOT LOGIN REFUSED FROM 203.0.113.7"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: User root from 203.0.113.7 not allowed because not listed in AllowUsers"
  }
  expect {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.7" }
  }
}

test "a login that succeeds after failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40004 ssh2"
  }
  input {
    at   = "120s"
    line = "Nov 23 10:02:00 web1 sshd[4242]: Accepted password for deploy from 203.0.113.7 port 40100 ssh2"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.7" }
  }
  expect {
    rule   = "sshd-success-after-failures"
    key    = { ip = "203.0.113.7" }
    fields = { user = "deploy" }
  }
}

test "a key login from elsewhere after the failures is not a compromise" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40004 ssh2"
  }
  input {
    at   = "120s"
    line = "Nov 23 10:02:00 web1 sshd[4242]: Accepted publickey for deploy from 192.0.2.10 port 40100 ssh2: ED25519 SHA256:5YTjqNk7K3G8Bsb5vPvX5xRk6F5Xl0cK2ZcGxJ4bXqA"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.7" }
  }
  expect_none {
    rule = "sshd-success-after-failures"
  }
}

test "benign traffic opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[4242]: Accepted publickey for deploy from 192.0.2.10 port 40100 ssh2: ED25519 SHA256:5YTjqNk7K3G8Bsb5vPvX5xRk6F5Xl0cK2ZcGxJ4bXqA"
  }
  input {
    at   = "1s"
    line = "Nov 23 10:00:01 web1 sshd[4242]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)"
  }
  input {
    at   = "2s"
    line = "Nov 23 10:00:02 web1 sshd[4242]: Server listening on 0.0.0.0 port 22."
  }
  input {
    at   = "3s"
    line = "Nov 23 10:00:03 web1 sshd[4242]: Received signal 15; terminating."
  }
  input {
    at   = "4s"
    line = "Nov 23 10:00:04 web1 sshd[4242]: Received disconnect from 192.0.2.10 port 40100:11: disconnected by user"
  }
  input {
    at   = "5s"
    line = "Nov 23 10:00:05 web1 sshd[4242]: Disconnected from user deploy 192.0.2.10 port 40100"
  }
  input {
    at   = "6s"
    line = "Nov 23 10:00:06 web1 sshd[4242]: pam_unix(sshd:session): session closed for user deploy"
  }
  expect_none {
    rule = "sshd-brute-force"
  }
  expect_none {
    rule = "sshd-preauth-flood"
  }
}

# serverloop.c "Connection closed by %.100s port %d" (VERBOSE) ends a logged-in session: not a drop
test "closes after logins are not a pre-authentication flood" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5001]: Accepted publickey for mon from 203.0.113.61 port 50000 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:01 web1 sshd[5001]: Connection closed by 203.0.113.61 port 50000",
    "Nov 23 10:00:02 web1 sshd[5002]: Accepted publickey for mon from 203.0.113.61 port 50001 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:03 web1 sshd[5002]: Connection closed by 203.0.113.61 port 50001",
    "Nov 23 10:00:04 web1 sshd[5003]: Accepted publickey for mon from 203.0.113.61 port 50002 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:05 web1 sshd[5003]: Connection closed by 203.0.113.61 port 50002",
    "Nov 23 10:00:06 web1 sshd[5004]: Accepted publickey for mon from 203.0.113.61 port 50003 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:07 web1 sshd[5004]: Connection closed by 203.0.113.61 port 50003",
    "Nov 23 10:00:08 web1 sshd[5005]: Accepted publickey for mon from 203.0.113.61 port 50004 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:09 web1 sshd[5005]: Connection closed by 203.0.113.61 port 50004",
    "Nov 23 10:00:10 web1 sshd[5006]: Accepted publickey for mon from 203.0.113.61 port 50005 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:11 web1 sshd[5006]: Connection closed by 203.0.113.61 port 50005",
    "Nov 23 10:00:12 web1 sshd[5007]: Accepted publickey for mon from 203.0.113.61 port 50006 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:13 web1 sshd[5007]: Connection closed by 203.0.113.61 port 50006",
    "Nov 23 10:00:14 web1 sshd[5008]: Accepted publickey for mon from 203.0.113.61 port 50007 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:15 web1 sshd[5008]: Connection closed by 203.0.113.61 port 50007",
    "Nov 23 10:00:16 web1 sshd[5009]: Accepted publickey for mon from 203.0.113.61 port 50008 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:17 web1 sshd[5009]: Connection closed by 203.0.113.61 port 50008",
    "Nov 23 10:00:18 web1 sshd[5010]: Accepted publickey for mon from 203.0.113.61 port 50009 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:19 web1 sshd[5010]: Connection closed by 203.0.113.61 port 50009",
    "Nov 23 10:00:20 web1 sshd[5011]: Accepted publickey for mon from 203.0.113.61 port 50010 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:21 web1 sshd[5011]: Connection closed by 203.0.113.61 port 50010",
    "Nov 23 10:00:22 web1 sshd[5012]: Accepted publickey for mon from 203.0.113.61 port 50011 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:23 web1 sshd[5012]: Connection closed by 203.0.113.61 port 50011",
    "Nov 23 10:00:24 web1 sshd[5013]: Accepted publickey for mon from 203.0.113.61 port 50012 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:25 web1 sshd[5013]: Connection closed by 203.0.113.61 port 50012",
    "Nov 23 10:00:26 web1 sshd[5014]: Accepted publickey for mon from 203.0.113.61 port 50013 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:27 web1 sshd[5014]: Connection closed by 203.0.113.61 port 50013",
    "Nov 23 10:00:28 web1 sshd[5015]: Accepted publickey for mon from 203.0.113.61 port 50014 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:29 web1 sshd[5015]: Connection closed by 203.0.113.61 port 50014",
    "Nov 23 10:00:30 web1 sshd[5016]: Accepted publickey for mon from 203.0.113.61 port 50015 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:31 web1 sshd[5016]: Connection closed by 203.0.113.61 port 50015",
    "Nov 23 10:00:32 web1 sshd[5017]: Accepted publickey for mon from 203.0.113.61 port 50016 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:33 web1 sshd[5017]: Connection closed by 203.0.113.61 port 50016",
    "Nov 23 10:00:34 web1 sshd[5018]: Accepted publickey for mon from 203.0.113.61 port 50017 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:35 web1 sshd[5018]: Connection closed by 203.0.113.61 port 50017",
    "Nov 23 10:00:36 web1 sshd[5019]: Accepted publickey for mon from 203.0.113.61 port 50018 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:37 web1 sshd[5019]: Connection closed by 203.0.113.61 port 50018",
    "Nov 23 10:00:38 web1 sshd[5020]: Accepted publickey for mon from 203.0.113.61 port 50019 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:39 web1 sshd[5020]: Connection closed by 203.0.113.61 port 50019",
    "Nov 23 10:00:40 web1 sshd[5021]: Accepted publickey for mon from 203.0.113.61 port 50020 ssh2: ED25519 SHA256:bbbb",
    "Nov 23 10:00:41 web1 sshd[5021]: Connection closed by 203.0.113.61 port 50020",
  ]
  expect_none { rule = "sshd-preauth-flood" }
  expect_none { rule = "sshd-success-after-failures" }
}

# kex.c kex_exchange_identification (8.0-9.9): the banner failure names no address; the close that follows does (fail2ban gh-3086)
test "banner failures take the address of the close that follows" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[6001]: error: kex_exchange_identification: Connection closed by remote host"
    repeat = 20
    every  = "2s"
  }
  input {
    at     = "1s"
    line   = "Nov 23 10:00:01 web1 sshd[6001]: Connection closed by 203.0.113.62 port 35352"
    repeat = 20
    every  = "2s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.62" }
  }
}
