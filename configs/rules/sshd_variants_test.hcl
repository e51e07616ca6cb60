# Variants of every sshd message the pack reads, one test each, as OpenSSH
# 5.x to 9.9 writes them (the log call cited per test) or as real servers
# logged them in fail2ban's samples (Debian fail2ban 1.0.2,
# tests/files/logs/sshd, line cited).
#
#   breachd test configs/rules/sshd_variants_test.hcl

config = ["sources.hcl", "sshd.hcl"]
source = "auth"

# auth.c auth_log 9.9: "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s"
test "password, OpenSSH 7.4-9.9" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40000 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.7" }
    fields = { user = "root" }
  }
}

# auth.c 9.9; sshd-session since 9.8
test "password from IPv6, sshd-session (9.8+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd-session[4242]: Failed password for invalid user admin from 2001:db8::7 port 50000 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "2001:db8::7" }
    fields = { user = "admin" }
  }
}

# sshd on an AF_INET6 socket with IPv4 clients (ssh_remote_ipaddr)
test "password from an IPv4-mapped address is the IPv4 address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user admin from ::ffff:203.0.113.8 port 50000 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.8" }
    fields = { user = "admin" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "::ffff:203.0.113.8" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "::ffff:203.0.113.8" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "::ffff:203.0.113.8" }
  }
}

# fail2ban tests/files/logs/sshd:17
test "password without ssh2 (BSD, old portable)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Feb 25 14:34:10 belka sshd[31602]: Failed password for invalid user ROOT from 194.117.26.70 port 12345"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "194.117.26.70" }
    fields = { user = "ROOT" }
  }
}

# fail2ban tests/files/logs/sshd:21
test "password without port" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Feb 25 14:34:11 belka sshd[31603]: Failed password for invalid user ROOT from aaaa:bbbb:cccc:1234::1:1"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "aaaa:bbbb:cccc:1234::1:1" }
    fields = { user = "ROOT" }
  }
}

# auth.c 7.2: compat20 ? "ssh2" : "ssh1"; fail2ban tests/files/logs/sshd:118
test "password over SSH1 (before 7.4)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Sep 29 16:28:02 spaceman sshd[16699]: Failed password for dan from 127.0.0.1 port 45416 ssh1"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "127.0.0.1" }
    fields = { user = "dan" }
  }
}

# fail2ban tests/files/logs/sshd:73
test "keyboard-interactive without /pam (macOS, Solaris)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Apr 29 20:13:08 Jamess-iMac.local sshd[63814]: Failed keyboard-interactive for james from 205.186.180.42 port 54520 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "205.186.180.42" }
    fields = { user = "james" }
  }
}

# auth.c 7.2+: method/submethod
test "keyboard-interactive/pam" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed keyboard-interactive/pam for invalid user oracle from 198.51.100.3 port 40002 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "198.51.100.3" }
    fields = { user = "oracle" }
  }
}

# monitor.c 7.2-9.9: auth_method = "unknown" until the child names one
test "unknown and none methods" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed unknown for invalid user oracle from 198.51.100.4 port 40002 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "198.51.100.4" }
    fields = { user = "oracle" }
  }
}

# auth2-none.c; auth_log raises unknown users to INFO
test "none for an invalid user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed none for invalid user test from 198.51.100.5 port 40002 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "198.51.100.5" }
    fields = { user = "test" }
  }
}

# auth.c format_method_key (6.8+)
test "publickey for an invalid user, SHA256 fingerprint" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed publickey for invalid user graysky from 198.51.100.6 port 37955 ssh2: RSA SHA256:v3dpapGleDaUKf4V1vKyR9ZyUgjaJAmoCTcb2PLljI"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "198.51.100.6" }
    fields = { user = "graysky" }
  }
}

# auth2-pubkey.c 6.x key_fingerprint MD5 hex
test "publickey for an invalid user, MD5 fingerprint (before 6.8)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed publickey for invalid user git from 198.51.100.7 port 57910 ssh2: RSA 14:ba:3c:91:5e:0a:77:22:41:aa:bb:cc:dd:ee:ff:00"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "198.51.100.7" }
    fields = { user = "git" }
  }
}

# auth2-hostbased.c; fail2ban tests/files/logs/sshd:126
test "hostbased with the client's user and host" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Sep 29 17:15:02 spaceman sshd[12946]: Failed hostbased for dan from 127.0.0.1 port 45785 ssh2: RSA 8c:e3:aa:0f:64:51:02:f7:14:79:89:3f:65:84:7c:30, client user \"dan\", client host \"localhost.localdomain\""
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "127.0.0.1" }
    fields = { user = "dan" }
  }
}

# auth1.c 7.2: auth_info "ruser %.100s"; fail2ban tests/files/logs/sshd:135
test "SSH1 rhosts ruser is the client's text, the address is the first" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Sep 29 17:15:02 spaceman sshd[12946]: Failed password for user from 127.0.0.1 port 20000 ssh1: ruser XXXXXXXX from 1.2.3.4"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "127.0.0.1" }
    fields = { user = "user" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "1.2.3.4" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "1.2.3.4" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "1.2.3.4" }
  }
}

# auth.c 7.2: "Invalid user %.100s from %.100s"
test "invalid user without port (before 7.4)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Invalid user test0 from 203.0.113.9"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.9" }
    fields = { user = "test0" }
  }
}

# auth.c 9.9: "Invalid user %.100s from %.100s port %d"
test "invalid user with port (7.4+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Invalid user test0 from 2001:db8::9 port 4242"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "2001:db8::9" }
    fields = { user = "test0" }
  }
}

# auth.c before 3.9 (ChangeLog 3.9: s/Illegal user/Invalid user/)
test "illegal user (before OpenSSH 3.9)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Illegal user test0 from 203.0.113.10"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.10" }
    fields = { user = "test0" }
  }
}

# auth.c auth_maxtries_exceeded 6.8-9.9; error() adds "error: "
test "maximum authentication attempts exceeded" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: maximum authentication attempts exceeded for invalid user admin from 203.0.113.11 port 40003 ssh2 [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.11" }
    fields = { user = "admin" }
  }
}

# packet.c ssh_packet_disconnect 7.5-9.9: "Disconnecting %s: %.100s" with the remote id
test "disconnecting an authenticating user after too many failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnecting authenticating user root 203.0.113.12 port 40003: Too many authentication failures [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.12" }
    fields = { user = "root" }
  }
}

# auth2.c input_userauth_request; fail2ban tests/files/logs/sshd:261
test "change of user mid-authentication" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mar 19 16:47:49 test sshd[5672]: Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "192.0.2.117" }
    fields = { user = "admin" }
  }
}

# auth-pam.c: "PAM: %s for %s%.100s from %.100s"
test "PAM's verdict" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: PAM: Authentication failure for root from 203.0.113.13"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.13" }
    fields = { user = "root" }
  }
}

# auth-pam.c "illegal user "; fail2ban tests/files/logs/sshd:102
test "PAM's verdict for an unknown user, old Linux-PAM's trailing blank" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Dec 12 20:04:39 aragorn sshd[1328]: error: PAM: User not known to the underlying authentication module for illegal user kernelitshell from 10.215.4.227 "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "10.215.4.227" }
    fields = { user = "kernelitshell" }
  }
}

# Apple's OpenSSH; fail2ban tests/files/logs/sshd:81
test "PAM's verdict on macOS, via the local address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Apr 29 13:53:38 Jamess-iMac.local sshd[47831]: error: PAM: Authentication failure for james from 205.186.180.99 via 192.168.1.201"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "205.186.180.99" }
    fields = { user = "james" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "192.168.1.201" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "192.168.1.201" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "192.168.1.201" }
  }
}

# auth-pam.c with UseDNS yes: the canonical name
test "a host name instead of an address is not a source" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: PAM: Authentication failure for root from example.com"
    repeat = 5
    every  = "1s"
  }
}

# auth.c allowed_user: "User %.100s from %.100s not allowed because not listed in AllowUsers"
test "AllowUsers refuses a user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: User alice from 203.0.113.14 not allowed because not listed in AllowUsers"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.14" }
    fields = { user = "alice" }
  }
}

# auth.c allowed_user; fail2ban tests/files/logs/sshd:108
test "AllowGroups refuses root: a failure and a refused root login" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: User root from 203.0.113.15 not allowed because none of user's groups are listed in AllowGroups"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.15" }
    fields = { user = "root" }
  }
  expect {
    rule   = "sshd-root-login-refused"
    key    = { ip = "203.0.113.15" }
    fields = { user = "root" }
  }
}

# sshd.c LIBWRAP 5.x-6.6; fail2ban tests/files/logs/sshd:46
test "TCP wrappers refuse a connection" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 11 23:33:27 Server sshd[5174]: refused connect from _U2FsdGVkX19P3BCJmFBHhjLza8BcMH06WCUVwttMHpE=_@::ffff:218.249.210.161 (::ffff:218.249.210.161)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "218.249.210.161" }
  }
}

# packet.c 5.9: "Received disconnect from %s: %u: %.400s"; fail2ban tests/files/logs/sshd:192
test "a client giving up with Auth fail, no port (before 7.2)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Oct  1 17:27:44 localhost sshd[24077]: error: Received disconnect from 94.249.236.6: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "94.249.236.6" }
  }
}

# packet.c 7.2+: "Received disconnect from %s port %d:%u: %.400s"; fail2ban tests/files/logs/sshd:189
test "a client giving up with Auth fail, with port (7.2+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Jan  2 01:18:41 host sshd[11808]: error: Received disconnect from 10.0.0.1 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
}

# auth.c auth_root_allowed 7.2: "ROOT LOGIN REFUSED FROM %.200s"
test "root login refused, 5.x-7.3" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: ROOT LOGIN REFUSED FROM 203.0.113.16 [preauth]"
    repeat = 3
    every  = "1s"
  }
  expect {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.16" }
  }
}

# auth.c 7.4-9.9: "ROOT LOGIN REFUSED FROM %.200s port %d"
test "root login refused with port and IPv4-mapped, 7.4+" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: ROOT LOGIN REFUSED FROM ::ffff:203.0.113.17 port 4242"
    repeat = 3
    every  = "1s"
  }
  expect {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.17" }
  }
}

# packet.c 5.9: "Connection closed by %.200s"
test "connection closed before authentication, no port (before 7.2)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Connection closed by 203.0.113.20 [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.20" }
  }
}

# packet.c 7.5+: remote_id, auth2.c "authenticating user X ADDR port N"
test "connection reset by an authenticating user (7.5+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Connection reset by authenticating user root 2001:db8::20 port 4242 [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "sshd-preauth-flood"
    key    = { ip = "2001:db8::20" }
    fields = { user = "root" }
  }
}

# auth2.c 7.5-9.9: preamble "%suser %s" (authenticating, invalid); packet.c logdie("Disconnected from %s", remote_id)
test "disconnected while authenticating, IPv4-mapped (7.5+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnected from authenticating user root ::ffff:203.0.113.25 port 4242 [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "sshd-preauth-flood"
    key    = { ip = "203.0.113.25" }
    fields = { user = "root" }
  }
}

# auth2.c 7.5-9.9: ssh_packet_set_log_preamble(ssh, "user %s") once authenticated; packet.c logdie("Disconnected from %s", remote_id)
test "a logged-in user's disconnect is not a flood" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnected from user deploy 203.0.113.26 port 4242"
    repeat = 20
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.26" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.26" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.26" }
  }
}

# packet.c 5.9
test "received disconnect 11 before authentication, no port (before 7.2)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Received disconnect from 203.0.113.21: 11: Bye Bye [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.21" }
  }
}

# sshd.c 7.3-7.9: "Did not receive identification string from %s port %d"
test "no identification string" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Did not receive identification string from 203.0.113.22 port 4242"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.22" }
  }
}

# sshd.c 7.2: "Bad protocol version identification '%.100s' from %s"
test "bad protocol version identification" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.23 port 4242"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.23" }
  }
}

# packet.c 7.2: fatal("Unable to negotiate with %.200s port %d: %s. Their offer: %s")
test "unable to negotiate, fatal: before 7.x's logdie" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: fatal: Unable to negotiate with 203.0.113.24 port 4242: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.24" }
  }
}

# sshd.c 7.4-7.9: "Protocol major versions differ for %s port %d: %.200s vs. %.200s"
test "protocol major versions differ (before 8.0)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Protocol major versions differ for 203.0.113.29 port 4242: SSH-2.0-OpenSSH_7.4 vs. SSH-1.5-Nmap-SSH1-Hostkey from 10.0.0.1 port 22"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.29" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# sshd.c grace_alarm_handler 7.4-9.7: sigdie("Timeout before authentication for %s port %d")
test "LoginGraceTime ran out, OpenBSD's sshd before 9.8" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: fatal: Timeout before authentication for 203.0.113.27 port 4242"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.27" }
  }
}

# sshd.c 9.8-9.9 child_reap: "Timeout before authentication for %s, pid = %ld%s", id "connection from %s to %s"
test "LoginGraceTime ran out, 9.8+ listener" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Timeout before authentication for connection from 2001:db8::27 to 2001:db8::1, pid = 4242"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "2001:db8::27" }
  }
}

# sshd.c 9.8-9.9 drop_connection: "drop connection #%d from [%s]:%d on [%s]:%d %s"; srclimit.c reasons
test "sshd drops a penalised source, 9.8+" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: drop connection #3 from [203.0.113.28]:4242 on [192.0.2.1]:22 penalty: failed authentication"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.28" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "192.0.2.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "192.0.2.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "192.0.2.1" }
  }
}

# user names are the client's text (auth.c %.100s)
test "a user name holding an address: failed password" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user x from 10.0.0.1 port 22 ssh2 from 203.0.113.30 port 4242 ssh2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.30" }
    fields = { user = "x from 10.0.0.1 port 22 ssh2" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# auth.c getpwnamallow
test "a user name holding an address: invalid user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Invalid user x from 10.0.0.1 port 22 from 203.0.113.31 port 4242"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.31" }
    fields = { user = "x from 10.0.0.1 port 22" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# auth.c format_method_key
test "a user name holding an address: publickey with a fingerprint-like tail" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed publickey for invalid user x from 10.0.0.1 port 22 ssh2: RSA SHA256:x from 203.0.113.32 port 4242 ssh2: RSA SHA256:Yl3vH0hXcB0i8OvNGBz3bI2H3dcTr7M0Bzm1Lk8kFpA"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.32" }
    fields = { user = "x from 10.0.0.1 port 22 ssh2: RSA SHA256:x" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# auth.c auth_maxtries_exceeded
test "a user name holding an address: maximum attempts" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: maximum authentication attempts exceeded for invalid user x from 10.0.0.1 port 22 ssh2 from 203.0.113.33 port 4242 ssh2 [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.33" }
    fields = { user = "x from 10.0.0.1 port 22 ssh2" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# packet.c remote id
test "a user name holding an address: too many failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnecting invalid user x 10.0.0.1 port 22: Too many authentication failures 203.0.113.34 port 4242: Too many authentication failures [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.34" }
    fields = { user = "x 10.0.0.1 port 22: Too many authentication failures" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# auth-pam.c
test "a user name holding an address: PAM" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: PAM: Authentication failure for illegal user x from 10.0.0.1 from 203.0.113.35"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.35" }
    fields = { user = "x from 10.0.0.1" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# packet.c 7.5+ remote id; fail2ban tests/files/logs/sshd:307
test "a user name holding an address: connection closed by an invalid user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Jul 17 23:04:01 srv sshd[1300]: Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "sshd-preauth-flood"
    key    = { ip = "192.0.2.11" }
    fields = { user = "test 127.0.0.1 port 12345" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "127.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "127.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "127.0.0.1" }
  }
}

# dispatch.c/packet.c 7.5+: "ssh_dispatch_run_fatal: Connection from %s: %s" with the remote id
test "a user name holding an address: protocol error before authentication" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: ssh_dispatch_run_fatal: Connection from invalid user x 10.0.0.1 port 22: y 203.0.113.37 port 4242: message authentication code incorrect [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "sshd-preauth-flood"
    key    = { ip = "203.0.113.37" }
    fields = { user = "x 10.0.0.1 port 22: y" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
}

# packet.c 7.6-9.9 sshpkt_vfatal: "Connection %s %s timed out"
test "a client timing out before authentication (7.6+)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Connection from authenticating user root 203.0.113.38 port 4242 timed out [preauth]"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule   = "sshd-preauth-flood"
    key    = { ip = "203.0.113.38" }
    fields = { user = "root" }
  }
}

# auth2.c: "Change of username or service not allowed: (%s,%s) -> (%s,%s)", OLD being the user name itself
test "a user name holding an address: change of user is not matched (the names in parentheses have spaces)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnecting invalid user x 10.0.0.1 port 22: Change of username or service not allowed: (a,b) -> (c,d) 203.0.113.39 port 4242: Change of username or service not allowed: (x 10.0.0.1 port 22: Change of username or service not allowed: (a,b) -> (c,d),ssh-connection) -> (root,ssh-connection) [preauth]"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.39" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.39" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.39" }
  }
}

# sshd.c, the banner is the client's; fail2ban tests/files/logs/sshd:275 (its unpadded day padded: the parser's part)
test "a banner holding an address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Jun  7 01:11:58 host sshd[8783]: Bad protocol version identification 'dummy string' from 192.0.2.1' from 69.61.56.115 port 31778"
    repeat = 20
    every  = "1s"
  }
  expect {
    rule = "sshd-preauth-flood"
    key  = { ip = "69.61.56.115" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "192.0.2.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "192.0.2.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "192.0.2.1" }
  }
}

# auth2-hostbased.c: client user is the client's
test "a hostbased client user holding an address is not taken for an invalid user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed hostbased for invalid user x from 203.0.113.36 port 4242 ssh2: RSA SHA256:abc, client user \"y from 10.0.0.1 port 22 ssh2\", client host \"h\""
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "10.0.0.1" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.36" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.36" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.36" }
  }
}

# gh-1263 in fail2ban; clients offer every key they hold
test "a valid user's failed keys are not failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Failed publickey for git from 203.0.113.40 port 57904 ssh2: ECDSA SHA256:0eff0000000000000000000000000000000000000"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.40" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.40" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.40" }
  }
}

# Linux-PAM pam_unix; sshd logs Failed password for the same attempt
test "pam_unix's echo of a failed password is not counted twice" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.41  user=root"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.41" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.41" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.41" }
  }
}

# canohost.c 5.x-7.2
test "a reverse DNS mismatch is not an attempt" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: reverse mapping checking getaddrinfo for example.com [203.0.113.42] failed - POSSIBLE BREAK-IN ATTEMPT!"
    repeat = 5
    every  = "1s"
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.42" }
  }
  expect_none {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.42" }
  }
  expect_none {
    rule = "sshd-preauth-flood"
    key  = { ip = "203.0.113.42" }
  }
}

# packet.c 7.2: "Disconnecting: Too many authentication failures for %s"
test "too many failures without the address (before 7.4) needs the connection's other lines" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: Disconnecting: Too many authentication failures for root [preauth]"
    repeat = 5
    every  = "1s"
  }
}
