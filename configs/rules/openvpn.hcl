# OpenVPN 2.3-2.7 servers: failed username/password authentications and
# failed TLS handshakes, per client address (`ip`). No fail2ban sample
# exists; written from OpenVPN/openvpn src/openvpn (ssl_verify.c,
# ssl.c, ssl_pkt.c, multi.c multi_instance_string, mroute.c
# mroute_addr_print_ex, socket_util.c print_sockaddr_ex).
#
# In a multi-client server every line about a client starts with its
# prefix: "[CN/]ADDR:PORT " (multi_instance_string: the certificate's
# common name once known, remapped by OpenVPN to letters, digits and
# "_-.@:/=", no spaces; then the real address: IPv4 "1.2.3.4:PORT", IPv6
# "[ADDR]:PORT", an IPv4-mapped one printed as IPv4). The address is the
# last "/"-separated part of the first word, so a common name holding
# "10.9.9.9:1/" cannot become the source. Lines naming the peer inside the
# message use print_sockaddr_ex: "[AF_INET]1.2.3.4:PORT",
# "[AF_INET6]2001:db8::1:PORT" (the port after the last colon).
#
# Through syslog: Debian's openvpn@NAME.service runs "--daemon ovpn-NAME"
# (program ovpn-NAME), openvpn-server@NAME.service logs as openvpn.

# OpenVPN's own log file (log / log-append, as Debian's sample server.conf
# sets: /var/log/openvpn/openvpn.log): "%Y-%m-%d %H:%M:%S " before each
# message since 2.5 (otime.c time_string; local time, read as UTC), ctime's
# "Mon Nov 23 10:00:00 2026 " before (timed at reading).
source "file" "openvpn" {
  paths       = ["/var/log/openvpn/openvpn.log", "/var/log/openvpn/server.log", "/var/log/openvpn.log"]
  format      = "regex"
  pattern     = "^(?:(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(?: us=\\d+)? |[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} )?(?P<message>.*)$"
  time_layout = "2006-01-02 15:04:05"
}

# A client's username/password refused by auth-user-pass-verify, a plugin
# (openvpn-plugin-auth-pam) or management-client-auth: ssl_verify.c
# verify_user_pass(), "TLS Auth Error: Auth Username/Password verification
# failed for peer" (2.3-2.7; the server then sends the client AUTH_FAILED,
# logged as "SENT CONTROL [CN]: 'AUTH_FAILED'", which is not counted
# again). 5 within 10 minutes.
rule "openvpn-auth-failures" {
  source = "syslog"
  match = [
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Auth Error: Auth Username/Password verification failed for peer$",
  ]
  where = "(program == 'openvpn' || program startsWith 'ovpn-') && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "OpenVPN password failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same in OpenVPN's own log file.
rule "openvpn-auth-failures-file" {
  source = "openvpn"
  match = [
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Auth Error: Auth Username/Password verification failed for peer$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "OpenVPN password failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# TLS handshakes that fail: ssl.c "TLS Error: TLS handshake failed" and
# "TLS Error: TLS key negotiation failed to occur within N seconds (check
# your network connectivity)" (a client that cannot complete the handshake:
# a wrong or revoked certificate, a scanner), and ssl_pkt.c's tls-auth /
# tls-crypt refusals "TLS Error: cannot locate HMAC in incoming packet from
# ADDR" and "TLS Error: incoming packet authentication failed from ADDR"
# (packets without the static key: internet scanners), written before a
# client instance exists, so without the prefix (with one, the prefix's
# address counts). 10 within 10 minutes: a misconfigured client retries
# every few seconds too, and a real one does not reach 10 before its
# user notices.
rule "openvpn-tls-failures" {
  source = "syslog"
  match = [
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Error: (?P<reason>TLS handshake failed|TLS key negotiation failed to occur within \\d+ seconds)(?: \\(check your network connectivity\\))?$",
    "^TLS Error: (?P<reason>cannot locate HMAC in incoming packet|incoming packet authentication failed) from \\[AF_INET6?\\](?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+):\\d+$",
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Error: (?P<reason>cannot locate HMAC in incoming packet|incoming packet authentication failed) from \\[AF_INET6?\\](?:::ffff:)?[0-9A-Fa-f:.]+:\\d+$",
  ]
  where = "(program == 'openvpn' || program startsWith 'ovpn-') && is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "OpenVPN TLS handshakes from ${ip} keep failing"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same in OpenVPN's own log file.
rule "openvpn-tls-failures-file" {
  source = "openvpn"
  match = [
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Error: (?P<reason>TLS handshake failed|TLS key negotiation failed to occur within \\d+ seconds)(?: \\(check your network connectivity\\))?$",
    "^TLS Error: (?P<reason>cannot locate HMAC in incoming packet|incoming packet authentication failed) from \\[AF_INET6?\\](?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+):\\d+$",
    "^(?:[^\\s/]+/)*\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+ TLS Error: (?P<reason>cannot locate HMAC in incoming packet|incoming packet authentication failed) from \\[AF_INET6?\\](?:::ffff:)?[0-9A-Fa-f:.]+:\\d+$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "OpenVPN TLS handshakes from ${ip} keep failing"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
