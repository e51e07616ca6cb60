# Variants of every OpenVPN message openvpn.hcl reads, one test each, as
# OpenVPN 2.3-2.7 writes them (OpenVPN/openvpn src/openvpn; the log call
# cited per test). No fail2ban sample exists for OpenVPN.
#
#   breachd test configs/rules/openvpn_variants_test.hcl

config = ["sources.hcl", "openvpn.hcl"]

# ssl_verify.c verify_user_pass "TLS Auth Error: Auth Username/Password verification failed for peer"; multi.c multi_instance_string
test "password refused, IPv4 prefix, Debian's ovpn-NAME" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.1:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures"
    key  = { ip = "203.0.113.1" }
  }
}

# multi_instance_string: "%s/" common name, then the address
test "password refused, common name before the address" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: client1/203.0.113.2:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures"
    key  = { ip = "203.0.113.2" }
  }
}

# mroute.c mroute_addr_print_ex: "[%s]" for IPv6 with a port
test "password refused, IPv6 prefix bracketed with port" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: [2001:db8::3]:1194 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures"
    key  = { ip = "2001:db8::3" }
  }
}

# common names are remapped to [A-Za-z0-9_.@:/=-]: no space, so the address is the last part of the first word
test "password refused, hostile common name holding an address" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: x/10.9.9.9:1194/203.0.113.4:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures"
    key  = { ip = "203.0.113.4" }
  }
  expect_none {
    rule = "openvpn-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# openvpn-server@.service: program openvpn
test "openvpn-server@ unit logs as openvpn" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 openvpn[812]: 203.0.113.5:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures"
    key  = { ip = "203.0.113.5" }
  }
}

# threshold 5 within 10m
test "four refused passwords do not fire" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.6:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 4
    every  = "1s"
  }
  expect_none { rule = "openvpn-auth-failures" }
}

# push.c send_auth_failed: "SENT CONTROL [%s]: '%s' (status=%d)"
test "AUTH_FAILED sent to the client is not counted twice" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.7:51234 SENT CONTROL [UNDEF]: 'AUTH_FAILED' (status=1)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "openvpn-auth-failures" }
}

# where: program openvpn or ovpn-*
test "another program's line is not OpenVPN's" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 logger[1]: 203.0.113.8:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "openvpn-auth-failures" }
}

# ssl.c tls_process "TLS Error: TLS handshake failed"
test "TLS handshake failed" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.10:40000 TLS Error: TLS handshake failed"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "openvpn-tls-failures"
    key    = { ip = "203.0.113.10" }
    fields = { reason = "TLS handshake failed" }
  }
}

# ssl.c "TLS Error: TLS key negotiation failed to occur within %d seconds (check your network connectivity)"
test "TLS key negotiation timed out" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.11:40000 TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "openvpn-tls-failures"
    key  = { ip = "203.0.113.11" }
  }
}

# ssl_pkt.c "TLS Error: cannot locate HMAC in incoming packet from %s", print_link_socket_actual
test "tls-auth HMAC missing, IPv4 peer, no prefix" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: TLS Error: cannot locate HMAC in incoming packet from [AF_INET]203.0.113.12:46722"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "openvpn-tls-failures"
    key    = { ip = "203.0.113.12" }
    fields = { reason = "cannot locate HMAC in incoming packet" }
  }
}

# socket_util.c print_sockaddr_ex: "[AF_INET6]" ADDR ":" PORT
test "tls-crypt authentication failed, IPv6 peer, port after the last colon" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: TLS Error: incoming packet authentication failed from [AF_INET6]2001:db8::13:1194"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "openvpn-tls-failures"
    key  = { ip = "2001:db8::13" }
  }
}

# a dual-stack socket's peer
test "tls-auth HMAC missing, IPv4-mapped peer reported as IPv4" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: TLS Error: cannot locate HMAC in incoming packet from [AF_INET6]::ffff:203.0.113.14:46722"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "openvpn-tls-failures"
    key  = { ip = "203.0.113.14" }
  }
}

# threshold 10 within 10m
test "nine handshake failures do not fire" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.15:40000 TLS Error: TLS handshake failed"
    repeat = 9
    every  = "1s"
  }
  expect_none { rule = "openvpn-tls-failures" }
}

# ssl.c "Control Channel: TLSv1.3, cipher …"
test "a successful handshake is not counted" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vpn1 ovpn-server[812]: 203.0.113.16:40000 Control Channel: TLSv1.3, cipher TLSv1.3 TLS_AES_256_GCM_SHA384, peer certificate: 2048 bits RSA"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "openvpn-tls-failures" }
}

# error.c x_msg_va: time_string "%Y-%m-%d %H:%M:%S" then the prefix
test "own log file 2.5+: password refused" {
  source = "openvpn"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 client1/203.0.113.20:51234 TLS Auth Error: Auth Username/Password verification failed for peer"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "openvpn-auth-failures-file"
    key  = { ip = "203.0.113.20" }
  }
}

# otime.c time_string 2.3: ctime()
test "own log file 2.3-2.4 (ctime): handshake failed" {
  source = "openvpn"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Mon Nov 23 10:00:00 2026 203.0.113.21:40000 TLS Error: TLS handshake failed"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "openvpn-tls-failures-file"
    key  = { ip = "203.0.113.21" }
  }
}

# time_string with show_usec: " us=%ld"
test "own log file with usec: HMAC missing" {
  source = "openvpn"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00 us=123456 TLS Error: cannot locate HMAC in incoming packet from [AF_INET]203.0.113.22:46722"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "openvpn-tls-failures-file"
    key  = { ip = "203.0.113.22" }
  }
}
