# Proxies and load balancers: Squid, HAProxy, Traefik and Caddy refusing
# clients, per client address (`ip`). In every log here the client address
# is the first field (or its own JSON key), written by the proxy from the
# connection; nothing in the request can move it.
# An IPv4-mapped address (::ffff:a.b.c.d) is reported as a.b.c.d, the
# address the packets came from (the nftables action's IPv4 set).

# Squid 2.7-6.x access.log in its native format (logformat squid, the
# default): "%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt".
# The line's time is the Unix time in its first field.
source "file" "squid" {
  paths   = ["/var/log/squid/access.log", "/var/log/squid3/access.log"]
  format  = "regex"
  pattern = "^(?P<time>\\d+\\.\\d{3})\\s+-?\\d+ (?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) (?P<message>(?P<result>[A-Z_]+)/(?P<status>\\d{3}) (?P<bytes>\\d+) (?P<method>\\S+) (?P<url>\\S+) (?P<user>\\S+) .*)$"
}

# Squid refusing a request by an http_access rule (TCP_DENIED/403,
# TCP_DENIED_REPLY/403 for http_reply_access, UDP_DENIED for ICP) or a
# method it does not proxy (NONE/405, NONE_NONE/405 since Squid 5: CONNECT
# to a port or a method refused before any lookup): open-proxy probes.
# Replaces fail2ban's squid jail. Not counted: TCP_DENIED/407 (proxy
# authentication required, the first answer to every authenticating
# browser), other NONE codes (400 malformed, 000 aborted). Private and
# loopback clients are not counted: an office proxy refuses its own users'
# blocked sites all day.
rule "squid-denied" {
  source = "squid"
  match = [
    "^(?:TCP|UDP)_DENIED(?:_REPLY)?/403 ",
    "^NONE(?:_NONE)?/405 ",
  ]
  where = "is_ip(ip) && !is_private_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Proxy requests from ${ip} repeatedly denied (last: ${method} ${url})"
    category = "reconnaissance"
  }
  tags = ["T1090"]
}

# HAProxy 1.5-3.x through syslog: Debian's haproxy package has rsyslog
# write /var/log/haproxy.log (/etc/rsyslog.d/49-haproxy.conf).
source "file" "haproxy" {
  paths  = ["/var/log/haproxy.log"]
  format = "syslog"
}

# HAProxy answering 401 itself ("http-request auth", a userlist): the HTTP
# log format (option httplog, src/log.c default_http_log_format
# "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc …"),
# where a request no server saw is "BACKEND/<NOSRV>" with Tw, Tc and Tr
# -1 (1.5-1.8 write Tq/Tw/Tc/Tr/Tt: Tq -1 as well; "+" before Tt with
# option logasap). Replaces fail2ban's haproxy-http-auth jail. The client
# address is %ci, first on the message (IPv6 bare, so the port is after the
# last colon). Not counted: 401s a server behind HAProxy answered (a server
# name instead of <NOSRV>), 403s (http-request deny).
rule "haproxy-auth-failures" {
  source = "haproxy"
  match  = "^(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+):\\d+ \\[[^\\]]+\\] (?P<frontend>\\S+) (?P<backend>[^\\s/]+)/<NOSRV> -?\\d+/-1/-1/-1/\\+?\\d+ 401 "
  where  = "program == 'haproxy' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "HTTP basic authentication failures at HAProxy from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Traefik 2.x-3.x access log (accessLog.filePath) in its default Common Log
# Format, pkg/middlewares/accesslog/logger_formatters.go CommonLogFormatter:
# "%h - %u [%t] \"METHOD PATH PROTO\" STATUS SIZE \"REFERER\" \"UA\" COUNT
# \"ROUTER\" \"URL\" DURATIONms". %h is ClientHost, the connection's
# address (X-Forwarded-For only from forwardedHeaders.trustedIPs); %u is
# the user name the client sent for basic authentication, "-" for none,
# unquoted and unescaped (pkg/middlewares/auth/basic_auth.go: any text but
# a colon, spaces included). The quoted fields after it escape '"', so the
# pattern takes the user greedily and requires Traefik's own tail through
# the end of the line (the generic CLF of Traefik 3 ends after the user
# agent): a user name holding a fake "[time] \"GET …\" 200 …" cannot
# change the status or the address.
source "file" "traefik" {
  paths       = ["/var/log/traefik/access.log"]
  format      = "regex"
  pattern     = "^(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) - (?P<user>.*) \\[(?P<time>\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4})\\] \"(?P<method>[A-Z]+) (?P<path>\\S+) [^\" ]*\" (?P<message>\\d{3}) (?P<bytes>\\d+|-) \"(?:[^\"\\\\]|\\\\.)*\" \"(?:[^\"\\\\]|\\\\.)*\"(?: \\d+ \"(?:[^\"\\\\]|\\\\.)*\" \"(?:[^\"\\\\]|\\\\.)*\" \\d+ms)?$"
  time_layout = "02/Jan/2006:15:04:05 -0700"
}

# The same log with accessLog.format = "json", written to access.json
# (point accessLog.filePath there, or declare a source of this name):
# ClientHost, ClientUsername, DownstreamStatus; "time" is the entry's time.
# Rules match the status.
source "file" "traefik-json" {
  paths        = ["/var/log/traefik/access.json"]
  format       = "json"
  message_keys = ["DownstreamStatus"]
  fields = {
    ip     = "ClientHost"
    user   = "ClientUsername"
    method = "RequestMethod"
    path   = "RequestPath"
    router = "RouterName"
  }
}

# Traefik's basicAuth/digestAuth middleware refusing credentials: a 401
# with the user name the client sent. Replaces fail2ban's traefik-auth jail
# (mode normal): a 401 without a user name ("-") is a browser's first
# request, before it asks for credentials, and is not counted.
rule "traefik-auth-failures" {
  source = "traefik"
  match  = "^401$"
  where  = "user != '-' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "HTTP authentication failures at Traefik from ${ip} (last user: ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same from Traefik's JSON access log (ClientUsername is "-" or absent
# without credentials).
rule "traefik-auth-failures-json" {
  source = "traefik-json"
  match  = "^401$"
  where  = "user != '-' && user != '' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "HTTP authentication failures at Traefik from ${ip} (last user: ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Caddy 2.7+ access log (a site's "log" directive, JSON, the default
# encoder): one object per request, msg "handled request", ts the Unix
# time, request.client_ip the client (the connection's address, or the
# forwarded one only from trusted_proxies), status, user_id (basic auth).
source "file" "caddy" {
  paths  = ["/var/log/caddy/access.log", "/var/log/caddy/*.access.log"]
  format = "json"
  fields = {
    ip     = "request.client_ip"
    user   = "user_id"
    status = "status"
    method = "request.method"
    host   = "request.host"
    uri    = "request.uri"
  }
}

# A burst of 401/403 answers to one client: credential guessing against
# basic_auth, or a scan of forbidden paths. No fail2ban sample; the same
# threshold as web-auth-failures (web.hcl).
rule "caddy-auth-failures" {
  source = "caddy"
  match  = "^handled request$"
  where  = "status in ['401', '403'] && is_ip(ip)"
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Burst of 401/403 responses from Caddy to ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
