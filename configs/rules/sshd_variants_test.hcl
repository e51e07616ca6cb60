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

# auth-pam.c with UseDNS yes: auth_get_canonical_hostname, a name sshd
# resolved back to the client's address (fail2ban sample sshd:7)
test "PAM's host name (UseDNS) is the source" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[4242]: error: PAM: Authentication failure for root from example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "example.com" }
    fields = { user = "root" }
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

# sshd.c 5.x-6.x (LogLevel VERBOSE) "Connection from %.500s port %d", then
# packet.c "Disconnecting: %.100s" of auth2.c AUTH_FAIL_MSG (fail2ban sample
# sshd:198-200, gh-457): the address is the connection's
test "too many failures takes the address of its connection's Connection from line" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5000]: Connection from 203.0.113.70 port 51353",
    "Nov 23 10:00:00 web1 sshd[5000]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5001]: Connection from 203.0.113.70 port 51354",
    "Nov 23 10:00:00 web1 sshd[5001]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5002]: Connection from 203.0.113.70 port 51355",
    "Nov 23 10:00:00 web1 sshd[5002]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5003]: Connection from 203.0.113.70 port 51356",
    "Nov 23 10:00:00 web1 sshd[5003]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5004]: Connection from 203.0.113.70 port 51357",
    "Nov 23 10:00:00 web1 sshd[5004]: Disconnecting: Too many authentication failures for root [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.70" }
    fields = { user = "root" }
  }
}

# sshd.c 7.x-9.9 "Connection from %s port %d on %s port %d%s%s%s", auth.c
# 6.8-7.4 auth_maxtries_exceeded "Too many authentication failures" (fail2ban
# sample sshd:203-205)
test "too many failures without a user takes the IPv6 address of Connection from ... on ..." {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5100]: Connection from 2001:db8::71 port 51353 on 2001:db8::1 port 22",
    "Nov 23 10:00:00 web1 sshd[5100]: Disconnecting: Too many authentication failures [preauth]",
    "Nov 23 10:00:00 web1 sshd[5101]: Connection from 2001:db8::71 port 51354 on 2001:db8::1 port 22",
    "Nov 23 10:00:00 web1 sshd[5101]: Disconnecting: Too many authentication failures [preauth]",
    "Nov 23 10:00:00 web1 sshd[5102]: Connection from 2001:db8::71 port 51355 on 2001:db8::1 port 22",
    "Nov 23 10:00:00 web1 sshd[5102]: Disconnecting: Too many authentication failures [preauth]",
    "Nov 23 10:00:00 web1 sshd[5103]: Connection from 2001:db8::71 port 51356 on 2001:db8::1 port 22",
    "Nov 23 10:00:00 web1 sshd[5103]: Disconnecting: Too many authentication failures [preauth]",
    "Nov 23 10:00:00 web1 sshd[5104]: Connection from 2001:db8::71 port 51357 on 2001:db8::1 port 22",
    "Nov 23 10:00:00 web1 sshd[5104]: Disconnecting: Too many authentication failures [preauth]",
  ]
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "2001:db8::71" }
  }
}

# sshd.c 7.x-9.9 with rdomain; an IPv4-mapped address is the IPv4 address
test "too many failures takes an IPv4-mapped Connection from address as IPv4" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5200]: Connection from ::ffff:203.0.113.72 port 51353 on ::ffff:10.0.0.1 port 22 rdomain \"vrf1\"",
    "Nov 23 10:00:00 web1 sshd[5200]: Disconnecting: Too many authentication failures for admin [preauth]",
    "Nov 23 10:00:00 web1 sshd[5201]: Connection from ::ffff:203.0.113.72 port 51354 on ::ffff:10.0.0.1 port 22 rdomain \"vrf1\"",
    "Nov 23 10:00:00 web1 sshd[5201]: Disconnecting: Too many authentication failures for admin [preauth]",
    "Nov 23 10:00:00 web1 sshd[5202]: Connection from ::ffff:203.0.113.72 port 51355 on ::ffff:10.0.0.1 port 22 rdomain \"vrf1\"",
    "Nov 23 10:00:00 web1 sshd[5202]: Disconnecting: Too many authentication failures for admin [preauth]",
    "Nov 23 10:00:00 web1 sshd[5203]: Connection from ::ffff:203.0.113.72 port 51356 on ::ffff:10.0.0.1 port 22 rdomain \"vrf1\"",
    "Nov 23 10:00:00 web1 sshd[5203]: Disconnecting: Too many authentication failures for admin [preauth]",
    "Nov 23 10:00:00 web1 sshd[5204]: Connection from ::ffff:203.0.113.72 port 51357 on ::ffff:10.0.0.1 port 22 rdomain \"vrf1\"",
    "Nov 23 10:00:00 web1 sshd[5204]: Disconnecting: Too many authentication failures for admin [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.72" }
    fields = { user = "admin" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "::ffff:203.0.113.72" }
  }
}

# packet.c "Disconnecting: ..." first, the address on the connection's next
# line, "Connection closed by %s [preauth]" (fail2ban sample sshd:177-179,
# "Multiline match for preauth failures"; no host in the header)
test "too many failures takes the address of its connection's next line" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 sshd[5300]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5300]: Connection closed by 203.0.113.73 [preauth]",
    "Nov 23 10:00:00 sshd[5301]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5301]: Connection closed by 203.0.113.73 [preauth]",
    "Nov 23 10:00:00 sshd[5302]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5302]: Connection closed by 203.0.113.73 [preauth]",
    "Nov 23 10:00:00 sshd[5303]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5303]: Connection closed by 203.0.113.73 [preauth]",
    "Nov 23 10:00:00 sshd[5304]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5304]: Connection closed by 203.0.113.73 [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.73" }
    fields = { user = "root" }
  }
}

# fail2ban sample sshd:182-184: "Pids don't match"
test "another process's address is not taken: the pids don't match" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 sshd[5400]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5500]: Connection closed by 203.0.113.74",
    "Nov 23 10:00:00 sshd[5401]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5501]: Connection closed by 203.0.113.74",
    "Nov 23 10:00:00 sshd[5402]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5502]: Connection closed by 203.0.113.74",
    "Nov 23 10:00:00 sshd[5403]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5503]: Connection closed by 203.0.113.74",
    "Nov 23 10:00:00 sshd[5404]: Disconnecting: Too many authentication failures for root [preauth]",
    "Nov 23 10:00:00 sshd[5504]: Connection closed by 203.0.113.74",
  ]
  expect_none {
    rule = "sshd-brute-force"
  }
  expect_none {
    rule = "sshd-password-spraying"
  }
}

# auth.c auth_log "Failed publickey for %s from %s port %d ssh2: %s %s",
# then the connection fails (fail2ban sample sshd:166-174, gh-1263): the
# held keys count with the failure, 3 per connection
test "a valid user's rejected keys count when the connection then fails" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5600]: Failed publickey for git from 203.0.113.75 port 57910 ssh2: ECDSA 1e:fe:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5600]: Failed publickey for git from 203.0.113.75 port 57910 ssh2: RSA 14:ba:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5600]: Disconnecting: Too many authentication failures for git [preauth]",
    "Nov 23 10:00:00 web1 sshd[5600]: Connection closed by 203.0.113.75 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5601]: Failed publickey for git from 203.0.113.75 port 57911 ssh2: ECDSA 1e:fe:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5601]: Failed publickey for git from 203.0.113.75 port 57911 ssh2: RSA 14:ba:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5601]: Disconnecting: Too many authentication failures for git [preauth]",
    "Nov 23 10:00:00 web1 sshd[5601]: Connection closed by 203.0.113.75 [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.75" }
    fields = { user = "git" }
  }
}

# fail2ban sample sshd:154-162: "Should be forgotten by success/accepted
# public key"
test "a valid user's rejected keys are forgotten by an accepted key" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5700]: Failed publickey for git from 203.0.113.76 port 57904 ssh2: ECDSA 0e:ff:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5700]: Failed publickey for git from 203.0.113.76 port 57904 ssh2: RSA 04:bc:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5700]: Postponed publickey for git from 203.0.113.76 port 57904 ssh2 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5700]: Accepted publickey for git from 203.0.113.76 port 57904 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5700]: Connection closed by 203.0.113.76",
    "Nov 23 10:00:00 web1 sshd[5701]: Failed publickey for git from 203.0.113.76 port 57905 ssh2: ECDSA 0e:ff:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5701]: Failed publickey for git from 203.0.113.76 port 57905 ssh2: RSA 04:bc:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5701]: Postponed publickey for git from 203.0.113.76 port 57905 ssh2 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5701]: Accepted publickey for git from 203.0.113.76 port 57905 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5701]: Connection closed by 203.0.113.76",
    "Nov 23 10:00:00 web1 sshd[5702]: Failed publickey for git from 203.0.113.76 port 57906 ssh2: ECDSA 0e:ff:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5702]: Failed publickey for git from 203.0.113.76 port 57906 ssh2: RSA 04:bc:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5702]: Postponed publickey for git from 203.0.113.76 port 57906 ssh2 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5702]: Accepted publickey for git from 203.0.113.76 port 57906 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5702]: Connection closed by 203.0.113.76",
    "Nov 23 10:00:00 web1 sshd[5703]: Failed publickey for git from 203.0.113.76 port 57907 ssh2: ECDSA 0e:ff:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5703]: Failed publickey for git from 203.0.113.76 port 57907 ssh2: RSA 04:bc:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5703]: Postponed publickey for git from 203.0.113.76 port 57907 ssh2 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5703]: Accepted publickey for git from 203.0.113.76 port 57907 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5703]: Connection closed by 203.0.113.76",
    "Nov 23 10:00:00 web1 sshd[5704]: Failed publickey for git from 203.0.113.76 port 57908 ssh2: ECDSA 0e:ff:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5704]: Failed publickey for git from 203.0.113.76 port 57908 ssh2: RSA 04:bc:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5704]: Postponed publickey for git from 203.0.113.76 port 57908 ssh2 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5704]: Accepted publickey for git from 203.0.113.76 port 57908 ssh2: DSA 36:48:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx:xx",
    "Nov 23 10:00:00 web1 sshd[5704]: Connection closed by 203.0.113.76",
  ]
  expect_none {
    rule = "sshd-brute-force"
  }
  expect_none {
    rule = "sshd-password-spraying"
  }
  expect_none {
    rule = "sshd-success-after-failures"
  }
}

# auth.c auth_log, then packet.c "Connection closed by authenticating user
# %s %s port %d [preauth]" (7.5-9.9): no key was accepted
test "a valid user's rejected keys count when the connection ends without a login" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5800]: Failed publickey for deploy from 203.0.113.77 port 40000 ssh2: ED25519 SHA256:AAAA",
    "Nov 23 10:00:00 web1 sshd[5800]: Connection closed by authenticating user deploy 203.0.113.77 port 40000 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5801]: Failed publickey for deploy from 203.0.113.77 port 40001 ssh2: ED25519 SHA256:AAAA",
    "Nov 23 10:00:00 web1 sshd[5801]: Connection closed by authenticating user deploy 203.0.113.77 port 40001 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5802]: Failed publickey for deploy from 203.0.113.77 port 40002 ssh2: ED25519 SHA256:AAAA",
    "Nov 23 10:00:00 web1 sshd[5802]: Connection closed by authenticating user deploy 203.0.113.77 port 40002 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5803]: Failed publickey for deploy from 203.0.113.77 port 40003 ssh2: ED25519 SHA256:AAAA",
    "Nov 23 10:00:00 web1 sshd[5803]: Connection closed by authenticating user deploy 203.0.113.77 port 40003 [preauth]",
    "Nov 23 10:00:00 web1 sshd[5804]: Failed publickey for deploy from 203.0.113.77 port 40004 ssh2: ED25519 SHA256:AAAA",
    "Nov 23 10:00:00 web1 sshd[5804]: Connection closed by authenticating user deploy 203.0.113.77 port 40004 [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.77" }
    fields = { user = "deploy" }
  }
}

# auth.c allowed_user "User %.100s not allowed because account is locked",
# the address on packet.c's "Received disconnect from %s port %d:%u: %.400s"
# (fail2ban sample sshd:111-115)
test "a locked account takes the address of its connection's disconnect" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5900]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5900]: input_userauth_request: invalid user root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5900]: Received disconnect from 203.0.113.78 port 58846:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5901]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5901]: input_userauth_request: invalid user root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5901]: Received disconnect from 203.0.113.78 port 58847:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5902]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5902]: input_userauth_request: invalid user root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5902]: Received disconnect from 203.0.113.78 port 58848:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5903]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5903]: input_userauth_request: invalid user root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5903]: Received disconnect from 203.0.113.78 port 58849:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5904]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5904]: input_userauth_request: invalid user root [preauth]",
    "Nov 23 10:00:00 web1 sshd[5904]: Received disconnect from 203.0.113.78 port 58850:11: Bye Bye [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.78" }
    fields = { user = "root" }
  }
}

# packet.c 5.x-7.1 "Received disconnect from %s: %u: %.400s" (fail2ban
# sample sshd:96-100)
test "a locked account takes the address of an old-style disconnect" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[5950]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5950]: error: Received disconnect from 203.0.113.79: 11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5951]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5951]: error: Received disconnect from 203.0.113.79: 11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5952]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5952]: error: Received disconnect from 203.0.113.79: 11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5953]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5953]: error: Received disconnect from 203.0.113.79: 11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[5954]: User root not allowed because account is locked",
    "Nov 23 10:00:00 web1 sshd[5954]: error: Received disconnect from 203.0.113.79: 11: Bye Bye [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.79" }
    fields = { user = "root" }
  }
}

# packet.c: a client's own disconnect, with no failure before it on its
# connection
test "a disconnect alone is not a failure" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6000]: Received disconnect from 203.0.113.80 port 40000:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[6001]: Received disconnect from 203.0.113.80 port 40001:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[6002]: Received disconnect from 203.0.113.80 port 40002:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[6003]: Received disconnect from 203.0.113.80 port 40003:11: Bye Bye [preauth]",
    "Nov 23 10:00:00 web1 sshd[6004]: Received disconnect from 203.0.113.80 port 40004:11: Bye Bye [preauth]",
  ]
  expect_none {
    rule = "sshd-brute-force"
  }
  expect_none {
    rule = "sshd-password-spraying"
  }
}

# Linux-PAM pam_unix, then auth.c auth_log "Accepted" (fail2ban sample
# sshd:240-246, gh-2070): a second user, then a login as a third, 2 failures
# per connection
test "users switching within one connection count" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=root rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=sudoer rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6100]: Accepted password for known from 203.0.113.81 port 52100 ssh2",
    "Nov 23 10:00:00 web1 sshd[6101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=root rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=sudoer rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6101]: Accepted password for known from 203.0.113.81 port 52101 ssh2",
    "Nov 23 10:00:00 web1 sshd[6102]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=root rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6102]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=sudoer rhost=203.0.113.81",
    "Nov 23 10:00:00 web1 sshd[6102]: Accepted password for known from 203.0.113.81 port 52102 ssh2",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.81" }
    fields = { user = "sudoer" }
  }
}

# fail2ban sample sshd:228-236 (pam_unix and pam_ldap, gh-2070): one user
# throughout, then a login
test "one user failing in one PAM module and logging in through another is no failure" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.82  user=rda",
    "Nov 23 10:00:00 web1 sshd[6200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda rhost=203.0.113.82 [preauth]",
    "Nov 23 10:00:00 web1 sshd[6200]: Accepted password for rda from 203.0.113.82 port 52100 ssh2",
    "Nov 23 10:00:00 web1 sshd[6200]: Connection closed by 203.0.113.82",
    "Nov 23 10:00:00 web1 sshd[6201]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.82  user=rda",
    "Nov 23 10:00:00 web1 sshd[6201]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda rhost=203.0.113.82 [preauth]",
    "Nov 23 10:00:00 web1 sshd[6201]: Accepted password for rda from 203.0.113.82 port 52101 ssh2",
    "Nov 23 10:00:00 web1 sshd[6201]: Connection closed by 203.0.113.82",
    "Nov 23 10:00:00 web1 sshd[6202]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.82  user=rda",
    "Nov 23 10:00:00 web1 sshd[6202]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda rhost=203.0.113.82 [preauth]",
    "Nov 23 10:00:00 web1 sshd[6202]: Accepted password for rda from 203.0.113.82 port 52102 ssh2",
    "Nov 23 10:00:00 web1 sshd[6202]: Connection closed by 203.0.113.82",
    "Nov 23 10:00:00 web1 sshd[6203]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.82  user=rda",
    "Nov 23 10:00:00 web1 sshd[6203]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda rhost=203.0.113.82 [preauth]",
    "Nov 23 10:00:00 web1 sshd[6203]: Accepted password for rda from 203.0.113.82 port 52103 ssh2",
    "Nov 23 10:00:00 web1 sshd[6203]: Connection closed by 203.0.113.82",
    "Nov 23 10:00:00 web1 sshd[6204]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.82  user=rda",
    "Nov 23 10:00:00 web1 sshd[6204]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=rda rhost=203.0.113.82 [preauth]",
    "Nov 23 10:00:00 web1 sshd[6204]: Accepted password for rda from 203.0.113.82 port 52104 ssh2",
    "Nov 23 10:00:00 web1 sshd[6204]: Connection closed by 203.0.113.82",
  ]
  expect_none {
    rule = "sshd-brute-force"
  }
  expect_none {
    rule = "sshd-password-spraying"
  }
}

# auth.c auth_log "... port %d ssh2%s%s" with auth info after "ssh2: "
# (fail2ban sample sshd:144): for an invalid user the line reads two ways,
# so the address is the connection's
test "text after ssh2 for an invalid user: the connection's address" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6300]: Connection from 203.0.113.83 port 58946 on 10.0.0.1 port 22",
    "Nov 23 10:00:00 web1 sshd[6300]: Failed password for invalid user test from 203.0.113.83 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2",
    "Nov 23 10:00:00 web1 sshd[6301]: Connection from 203.0.113.83 port 58947 on 10.0.0.1 port 22",
    "Nov 23 10:00:00 web1 sshd[6301]: Failed password for invalid user test from 203.0.113.83 port 58947 ssh2: from 10.10.1.2 port 55555 ssh2",
    "Nov 23 10:00:00 web1 sshd[6302]: Connection from 203.0.113.83 port 58948 on 10.0.0.1 port 22",
    "Nov 23 10:00:00 web1 sshd[6302]: Failed password for invalid user test from 203.0.113.83 port 58948 ssh2: from 10.10.1.2 port 55555 ssh2",
    "Nov 23 10:00:00 web1 sshd[6303]: Connection from 203.0.113.83 port 58949 on 10.0.0.1 port 22",
    "Nov 23 10:00:00 web1 sshd[6303]: Failed password for invalid user test from 203.0.113.83 port 58949 ssh2: from 10.10.1.2 port 55555 ssh2",
    "Nov 23 10:00:00 web1 sshd[6304]: Connection from 203.0.113.83 port 58950 on 10.0.0.1 port 22",
    "Nov 23 10:00:00 web1 sshd[6304]: Failed password for invalid user test from 203.0.113.83 port 58950 ssh2: from 10.10.1.2 port 55555 ssh2",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.83" }
    fields = { user = "test" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.10.1.2" }
  }
}

# The same line from a client at 10.10.1.3 whose user name is "test from
# 203.0.113.84 port 58946 ssh2:" (auth.c getpwnamallow "Invalid user %.100s
# from %.100s port %d" names it first): the injected address is not taken
test "hostile user name: text after ssh2 does not inject the address" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6400]: Invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55555",
    "Nov 23 10:00:00 web1 sshd[6400]: Failed password for invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55555 ssh2",
    "Nov 23 10:00:00 web1 sshd[6401]: Invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55556",
    "Nov 23 10:00:00 web1 sshd[6401]: Failed password for invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55556 ssh2",
    "Nov 23 10:00:00 web1 sshd[6402]: Invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55557",
    "Nov 23 10:00:00 web1 sshd[6402]: Failed password for invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55557 ssh2",
    "Nov 23 10:00:00 web1 sshd[6403]: Invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55558",
    "Nov 23 10:00:00 web1 sshd[6403]: Failed password for invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55558 ssh2",
    "Nov 23 10:00:00 web1 sshd[6404]: Invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55559",
    "Nov 23 10:00:00 web1 sshd[6404]: Failed password for invalid user test from 203.0.113.84 port 58946 ssh2: from 10.10.1.3 port 55559 ssh2",
  ]
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "10.10.1.3" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.84" }
  }
  expect_none {
    rule = "sshd-password-spraying"
    key  = { ip = "203.0.113.84" }
  }
}

# auth.c auth_log with auth info for an existing user (no spaces in the
# name): the address is the first after it
test "text after ssh2 for an existing user: the first address" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6500]: Failed keyboard-interactive/pam for root from 203.0.113.85 port 40000 ssh2: from 10.10.1.4 port 1 ssh2",
    "Nov 23 10:00:00 web1 sshd[6501]: Failed keyboard-interactive/pam for root from 203.0.113.85 port 40001 ssh2: from 10.10.1.4 port 1 ssh2",
    "Nov 23 10:00:00 web1 sshd[6502]: Failed keyboard-interactive/pam for root from 203.0.113.85 port 40002 ssh2: from 10.10.1.4 port 1 ssh2",
    "Nov 23 10:00:00 web1 sshd[6503]: Failed keyboard-interactive/pam for root from 203.0.113.85 port 40003 ssh2: from 10.10.1.4 port 1 ssh2",
    "Nov 23 10:00:00 web1 sshd[6504]: Failed keyboard-interactive/pam for root from 203.0.113.85 port 40004 ssh2: from 10.10.1.4 port 1 ssh2",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.85" }
    fields = { user = "root" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.10.1.4" }
  }
}

# auth.c allowed_user with UseDNS: the canonical host name (fail2ban sample
# sshd:104)
test "AllowGroups refusal with a host name" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6600]: User allena from host-7.example.com not allowed because not in any group",
    "Nov 23 10:00:00 web1 sshd[6601]: User allena from host-7.example.com not allowed because not in any group",
    "Nov 23 10:00:00 web1 sshd[6602]: User allena from host-7.example.com not allowed because not in any group",
    "Nov 23 10:00:00 web1 sshd[6603]: User allena from host-7.example.com not allowed because not in any group",
    "Nov 23 10:00:00 web1 sshd[6604]: User allena from host-7.example.com not allowed because not in any group",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "host-7.example.com" }
    fields = { user = "allena" }
  }
}

# Apple's auth-pam.c "PAM: %s for %s%.100s from %.100s via %s" (fail2ban
# sample sshd:67)
test "Apple's PAM error with a host name and via" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6700]: error: PAM: authentication error for james from example.com via 192.168.1.201",
    "Nov 23 10:00:00 web1 sshd[6701]: error: PAM: authentication error for james from example.com via 192.168.1.201",
    "Nov 23 10:00:00 web1 sshd[6702]: error: PAM: authentication error for james from example.com via 192.168.1.201",
    "Nov 23 10:00:00 web1 sshd[6703]: error: PAM: authentication error for james from example.com via 192.168.1.201",
    "Nov 23 10:00:00 web1 sshd[6704]: error: PAM: authentication error for james from example.com via 192.168.1.201",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "example.com" }
    fields = { user = "james" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "192.168.1.201" }
  }
}

# auth-pam.c: the user name is the client's; the host is the last word
test "hostile user name in a PAM failure does not inject the address" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[6800]: error: PAM: Authentication failure for x from 10.9.9.9 from 203.0.113.86",
    "Nov 23 10:00:00 web1 sshd[6801]: error: PAM: Authentication failure for x from 10.9.9.9 from 203.0.113.86",
    "Nov 23 10:00:00 web1 sshd[6802]: error: PAM: Authentication failure for x from 10.9.9.9 from 203.0.113.86",
    "Nov 23 10:00:00 web1 sshd[6803]: error: PAM: Authentication failure for x from 10.9.9.9 from 203.0.113.86",
    "Nov 23 10:00:00 web1 sshd[6804]: error: PAM: Authentication failure for x from 10.9.9.9 from 203.0.113.86",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.86" }
    fields = { user = "x from 10.9.9.9" }
  }
  expect_none {
    rule = "sshd-brute-force"
    key  = { ip = "10.9.9.9" }
  }
}

# A bracketed program without the colon (fail2ban sample sshd:93, gh-267)
test "a refused user logged as [sshd] without the colon" {
  start = "2026-06-25T23:53:30Z"
  lines = [
    "Jun 25 23:53:30 [sshd] User root from 203.0.113.87 not allowed because not listed in AllowUsers",
    "Jun 25 23:53:31 [sshd] User root from 203.0.113.87 not allowed because not listed in AllowUsers",
    "Jun 25 23:53:32 [sshd] User root from 203.0.113.87 not allowed because not listed in AllowUsers",
    "Jun 25 23:53:33 [sshd] User root from 203.0.113.87 not allowed because not listed in AllowUsers",
    "Jun 25 23:53:34 [sshd] User root from 203.0.113.87 not allowed because not listed in AllowUsers",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "203.0.113.87" }
    fields = { user = "root" }
  }
  expect {
    rule = "sshd-root-login-refused"
    key  = { ip = "203.0.113.87" }
  }
}

# auth.c allowed_user "User %.100s not allowed because shell %.100s does not
# exist", sshd-session 9.8+
test "a refused shell takes the address of its connection's close" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd-session[6900]: User backup not allowed because shell /usr/sbin/nologin-missing does not exist",
    "Nov 23 10:00:00 web1 sshd-session[6900]: Connection closed by invalid user backup 2001:db8::88 port 40000 [preauth]",
    "Nov 23 10:00:00 web1 sshd-session[6901]: User backup not allowed because shell /usr/sbin/nologin-missing does not exist",
    "Nov 23 10:00:00 web1 sshd-session[6901]: Connection closed by invalid user backup 2001:db8::88 port 40001 [preauth]",
    "Nov 23 10:00:00 web1 sshd-session[6902]: User backup not allowed because shell /usr/sbin/nologin-missing does not exist",
    "Nov 23 10:00:00 web1 sshd-session[6902]: Connection closed by invalid user backup 2001:db8::88 port 40002 [preauth]",
    "Nov 23 10:00:00 web1 sshd-session[6903]: User backup not allowed because shell /usr/sbin/nologin-missing does not exist",
    "Nov 23 10:00:00 web1 sshd-session[6903]: Connection closed by invalid user backup 2001:db8::88 port 40003 [preauth]",
    "Nov 23 10:00:00 web1 sshd-session[6904]: User backup not allowed because shell /usr/sbin/nologin-missing does not exist",
    "Nov 23 10:00:00 web1 sshd-session[6904]: Connection closed by invalid user backup 2001:db8::88 port 40004 [preauth]",
  ]
  expect {
    rule   = "sshd-brute-force"
    key    = { ip = "2001:db8::88" }
    fields = { user = "backup" }
  }
}

# a user switch counts at LogLevel INFO too, with no "Connection from" line before the first failure
test "user switch without a Connection from line" {
  start = "2026-11-23T10:00:00Z"
  every = "1s"
  lines = [
    "Nov 23 10:00:00 web1 sshd[7101]: Failed password for root from 203.0.113.90 port 40001 ssh2",
    "Nov 23 10:00:01 web1 sshd[7101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.90  user=admin",
    "Nov 23 10:00:02 web1 sshd[7102]: Failed password for root from 203.0.113.90 port 40002 ssh2",
    "Nov 23 10:00:03 web1 sshd[7102]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.90  user=admin",
    "Nov 23 10:00:04 web1 sshd[7103]: Failed password for root from 203.0.113.90 port 40003 ssh2",
    "Nov 23 10:00:05 web1 sshd[7103]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.90  user=admin",
  ]
  expect {
    rule = "sshd-brute-force"
    key  = { ip = "203.0.113.90" }
  }
}
