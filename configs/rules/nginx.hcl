# nginx error log: HTTP basic authentication failures, requests refused by
# limit_req, and bots searching for well-known applications, per client
# address (`ip`). Replaces fail2ban's nginx-http-auth, nginx-limit-req and
# nginx-botsearch jails (the error-log half of the latter; the access-log
# half is web.hcl's web-botsearch).
#
# Written from nginx's own log calls, 0.7.69 to 1.31.5 (src/core/ngx_log.c
# ngx_log_error_core, src/http/ngx_http_request.c ngx_http_log_error and
# ngx_http_log_error_handler). A line is
#   YYYY/MM/DD HH:MM:SS [LEVEL] PID#TID: *CONN MESSAGE[ (ERRNO: TEXT)]
#   [ while ACTION], client: ADDR, server: NAME[, request: "LINE"]
#   [, subrequest: "URI"][, upstream: "URL"][, host: "HOST"]
#   [, referrer: "REFERER"]
# ADDR is the connection's addr_text (IPv4, IPv6 without brackets or port,
# or the real_ip module's replacement); NAME is the server block's first
# server_name (the configuration's); the request line, host and referrer
# are the client's, as is the user name in the message, and nginx writes
# them unescaped. The source splits the time, level, pid, thread and
# connection number off; each rule anchors on the fixed message and the
# structure nginx appends after it. Debian's nginx writes this log to
# /var/log/nginx/error.log.
source "file" "nginx-error" {
  paths       = ["/var/log/nginx/*error.log"]
  format      = "regex"
  pattern     = "^(?P<time>\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d) \\[(?P<level>debug|info|notice|warn|error|crit|alert|emerg)\\] (?P<pid>\\d+)#(?P<tid>\\d+): (?:\\*(?P<connection>\\d+) )?(?P<message>.*)$"
  time_layout = "2006/01/02 15:04:05"
}

# HTTP basic authentication failures; replaces fail2ban's nginx-http-auth
# jail (normal mode). ngx_http_auth_basic_module.c (0.7.69-1.31.5, unchanged):
# "user \"%V\" was not found in \"%V\"" (an unknown user) and "user \"%V\":
# password mismatch", both NGX_LOG_ERR. Not counted: "no user/password was
# provided for basic authentication" (info: every browser's first request).
# Safety: the user name (from the Authorization header, any bytes but ':')
# comes before the address and the request line, host and referrer after
# it. The user is taken lazily and everything after the address must be
# nginx's own structure, each client value a quoted string without a
# quote, through the end of the line. A user name holding a forged
# structure (`", client: 10.9.9.9, server: …`) cannot end the line that
# way: nginx's own `" was not found in "FILE", client: …` or `": password
# mismatch, client: …` follows it, with quoted values (the file, the
# request) that no quote-free value of the forged tail can swallow; so the
# address taken is the one nginx wrote after the whole name (fail2ban's
# sample line 14, a name holding a whole forged line, gives the real one).
# The referrer is the one client value nginx writes after the address that
# can hold a forged structure (request lines hold no spaces, host names
# are checked): a match whose user name holds both ", client: " and
# nginx's own ", referrer: \"" is that case, and is not counted. A line
# whose request, host or referrer holds a quote does not match.
rule "nginx-auth-failures" {
  source = "nginx-error"
  match  = "^user \"(?P<user>.*?)\"(?::? was not found in \"[^\"]*\"|: password mismatch)(?: while [^,]*)?, client: (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+), server: [^,\"]*, request: \"[^\"]*\"(?:, (?:subrequest|upstream|host|referrer): \"[^\"]*\")*$"
  where  = "is_ip(ip) && !(user contains ', client: ' && user contains ', referrer: \"')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "HTTP authentication failures from ${ip} (nginx)"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Requests refused by limit_req; replaces fail2ban's nginx-limit-req jail.
# ngx_http_limit_req_module.c (0.7.69-1.31.5): "limiting requests, excess:
# %ui.%03ui by zone \"%V\"" at limit_req_log_level (error by default). Not
# counted: "limiting requests, dry run, …" (1.17.1+, limit_req_dry_run:
# nothing was refused) and "delaying request, …" (a delayed request, logged
# one level lower). The zone name is the configuration's, so the first ",
# client: " after it is nginx's.
rule "nginx-limit-req" {
  source = "nginx-error"
  match  = "^limiting requests, excess: [0-9.]+ by zone \"(?P<zone>[^\"]*)\"(?: while [^,]*)?, client: (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+), server: "
  where  = "is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Requests over the rate limit from ${ip} (nginx zone ${zone})"
    category = "denial-of-service"
  }
  tags = ["T1498", "T1110"]
}

# Requests for well-known applications the site does not have; replaces
# the error-log half of fail2ban's nginx-botsearch jail.
# ngx_http_static_module.c: "%s \"%s\" failed" with ngx_open_file_n
# ("open()") and ENOENT, "(2: No such file or directory)"; and
# ngx_http_index_module.c: "\"%s\" is not found" for a missing index
# (both NGX_LOG_ERR, unless log_not_found is off). Counted when the
# request (the client's request line, after the structure nginx appends)
# is a GET, POST or HEAD of a path whose first component starts with one
# of fail2ban's botsearch-common names (webmail, phpMyAdmin, WordPress
# logins, cgi-bin, mysqladmin). The file name comes first in quotes and is
# followed by nginx's fixed text, so a file name cannot move the address.
rule "nginx-botsearch" {
  source = "nginx-error"
  match  = "^(?:open\\(\\) )?\"[^\"]*\" (?:failed|is not found) \\(2: No such file or directory\\)(?: while [^,]*)?, client: (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+), server: [^,\"]*, request: \"(?P<method>GET|POST|HEAD) (?P<path>/+(?:roundcube|(?:ext)?mail|horde|(?:v-?)?webmail|(?:typo3/|xampp/|admin/)?(?:pma|(?:php)?[Mm]y[Aa]dmin)|wp-(?:login|signup|admin)\\.php|cgi-bin|mysqladmin)[^\" ]*) [^\"]*\"(?:, (?:subrequest|upstream|host|referrer): \"[^\"]*\")*$"
  where  = "is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Bot searching for web applications from ${ip} (nginx)"
    category = "reconnaissance"
  }
  tags = ["T1595.003"]
}
