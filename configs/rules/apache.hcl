# Apache httpd error log: authentication and authorization failures,
# probes for scripts, home directories and well-known applications,
# malformed or oversized requests, ModSecurity denials and Shellshock
# attempts, per client address (`ip`). Replaces fail2ban's apache-auth,
# apache-noscript, apache-nohome, apache-botsearch, apache-overflows,
# apache-modsecurity and apache-shellshock jails.
#
# Written from httpd's own log calls, 2.2.x and 2.4.x (server/log.c, the
# modules cited per rule). A line is
#   2.2: [Wed Jul 17 22:32:48 2013] [error] [client ADDR] MESSAGE
#   2.4: [Sat Jul 20 21:40:33.803528 2013] [MODULE:LEVEL] [pid N:tid M]
#        [(ERRNO)TEXT: ][client ADDR:PORT] AHnnnnn: MESSAGE[, referer: R]
# (2.4's default format, log.c do_errorlog_default; "[remote ADDR:PORT]"
# instead of "[client …]" when the connection has no scoreboard handle,
# e.g. an HTTP/2 stream; the address is the request's useragent_ip in both).
# The source splits the time, module and level off; the rules take the
# address from the bracket log.c writes right after them, before any text
# the client chose (user names, URIs, the referer), so a URI or a user
# name holding "[client 10.9.9.9]" never becomes the source. 2.4 always
# writes a port after the address (IPv6 unbracketed: "2001:db8::1:51548",
# the port being the last colon's; a bracketed "[2001:db8::1]:51548", as a
# real server logged it in fail2ban's apache-auth sample, is read too), 2.2
# never does: the two shapes have one expression each. Debian's Apache writes this log to
# /var/log/apache2/error.log (per-site logs: *error.log); Red Hat's to
# /var/log/httpd/error_log. Not read: ErrorLog syslog (lines in /var/log/
# syslog) and a custom ErrorLogFormat.
source "file" "apache-error" {
  paths       = ["/var/log/apache2/*error.log", "/var/log/httpd/*error_log"]
  format      = "regex"
  pattern     = "^\\[(?P<time>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})? \\d{4})\\] \\[(?:(?P<module>[A-Za-z0-9_.-]*):)?(?P<level>emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\\] (?P<message>.*)$"
  time_layout = "Mon Jan 02 15:04:05 2006"
}

# HTTP authentication and authorization failures; replaces fail2ban's
# apache-auth jail (normal mode).
# - mod_auth_basic.c (2.2, 2.4): "user %s not found: %s" (AH01618),
#   "user %s: authentication failure for \"%s\": Password Mismatch"
#   (AH01617), "client used wrong authentication scheme: %s" (AH01614).
# - mod_auth_digest.c (2.2 prefixes "Digest: "): "user `%s' in realm `%s'
#   not found|denied by provider: %s" (AH01790/AH01791), "user %s:
#   password mismatch: %s" (AH01792/AH01794), "client used wrong
#   authentication scheme `%s': %s", and the client's protocol errors:
#   "invalid nonce %s received - length is not %d" (2.4: "'%s' … or time
#   encoding is incorrect"), "… - user attempted time travel", "realm
#   mismatch - got `%s' but expected `%s'" (or "but no realm specified"),
#   "unknown algorithm `%s' received: %s", "invalid qop `%s' received: %s".
#   Not counted (as fail2ban): "invalid nonce … - hash is not …" (a stale
#   nonce after a restart), "nonce expired", "one-time-nonce mismatch".
# - mod_authz_core.c (2.4), mod_access_compat.c (2.4), mod_authz_host.c
#   (2.2): "client denied by server configuration: %s%s" (AH01630,
#   AH01797), "user %s: authorization failure for \"%s\": " (AH01631);
#   mod_authz_owner.c, mod_authz_groupfile.c: "Authorization of user %s to
#   access %s failed, reason: %s"; mod_authz_user.c: "access to %s failed,
#   reason: user '%s' does not meet 'require'ments for user to be allowed
#   access" (AH01663).
# - mod_ssl ssl_engine_kernel.c: a request whose SNI name and Host differ
#   (AH02031, AH02032, AH02033), as fail2ban counts.
# mod_evasive's own "client denied by server configuration" (module
# evasive20, 2.4) is not counted, as in fail2ban's normal mode: it is a
# rate limit, not a failed login.
rule "apache-auth-failures" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH\\d{5}: )?(?:(?:Authorization of |access to .* failed, reason: )?user [`']?(?P<user>.*?)'?(?: not found(?:: .*)?| does not meet 'require'ments for user(?:/valid-user)? to be allowed access| in realm `.*' (?:not found|denied by provider): .*|: authentication failure for \\\".*\\\": Password Mismatch(?:, referer: .*)?|: authorization failure for \\\".*\\\": ?(?:, referer: .*)?|: password mismatch: .*| to access .* failed, reason: .*)$|(?P<reason>client denied by server configuration|client used wrong authentication scheme|invalid nonce \\S+ received - (?:length is not|user attempted time travel)|realm mismatch - got `|unknown algorithm `|invalid qop `|Hostname \\S+ provided via SNI(?:, but no hostname provided| and hostname \\S+ provided)|No hostname was provided via SNI for a name based virtual host))",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?:Digest: )?(?:(?:Authorization of |access to .* failed, reason: )?user [`']?(?P<user>.*?)'?(?: not found(?:: .*)?| does not meet 'require'ments for user(?:/valid-user)? to be allowed access| in realm `.*' (?:not found|denied by provider): .*|: authentication failure for \\\".*\\\": Password Mismatch(?:, referer: .*)?|: authorization failure for \\\".*\\\": ?(?:, referer: .*)?|: password mismatch: .*| to access .* failed, reason: .*)$|(?P<reason>client denied by server configuration|client used wrong authentication scheme|invalid nonce \\S+ received - (?:length is not|user attempted time travel)|realm mismatch - got `|unknown algorithm `|invalid qop `|Hostname \\S+ provided via SNI(?:, but no hostname provided| and hostname \\S+ provided)|No hostname was provided via SNI for a name based virtual host))",
  ]
  where = "is_ip(ip) && !(module startsWith 'evasive')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "HTTP authentication failures from ${ip} (Apache)"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Requests for scripts that do not exist: scanners looking for PHP, CGI,
# ASP or Perl entry points; replaces fail2ban's apache-noscript jail.
# - mod_cgi.c / mod_cgid.c log_scripterror(): "script not found or unable
#   to stat: %s" (2.2; 2.4 AH02811, AH01264), "stderr from %s: script not
#   found or unable to stat" since 2.4.60 (cgi_common.h): a request for a
#   CGI script (any path: mod_cgi only runs for the cgi-script handler).
# - PHP's apache2handler (module "php*" or empty in 2.4): "script '%s' not
#   found or unable to stat".
# - mod_proxy_fcgi.c (2.4) relaying PHP-FPM's stderr: "Got error 'Primary
#   script unknown\n'" (AH01071; log.c escapes the newline to "\n").
# - core.c (2.2; 2.4 AH00128/AH00130, level info): "File does not exist:
#   %s", counted when the path ends in a script extension (.php, .php and a
#   digit, .phtml, .asp, .aspx, .exe, .dll, .pl, .cgi; any case) or is
#   under /cgi-bin/.
rule "apache-script-probes" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH\\d{5}: )?(?:(?P<missing>File does not exist): (?P<path>.*?)|script not found or unable to stat: (?P<script>.*?)|stderr from (?P<cgi_file>.*?): script not found or unable to stat|script '(?P<php_script>.*)' not found or unable to stat|Got error '(?P<fpm>Primary script unknown)(?:\\\\n)?')(?:, referer: .*)?$",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?:(?P<missing>File does not exist): (?P<path>.*?)|script not found or unable to stat: (?P<script>.*?)|script '(?P<php_script>.*)' not found or unable to stat)(?:, referer: .*)?$",
  ]
  where = "is_ip(ip) && (missing == '' || path matches '(?i)(\\\\.(php[0-9]?|phtml|aspx?|exe|dll|pl|cgi)$|/cgi-bin/)')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Probes for missing scripts from ${ip} (Apache)"
    category = "reconnaissance"
  }
  tags = ["T1595.003"]
}

# Requests for users' home directories (mod_userdir's /~user) that do not
# exist: account enumeration; replaces fail2ban's apache-nohome jail.
# core.c "File does not exist: %s" (2.2; 2.4 AH00128, level info) for a
# path with a "/~" component.
rule "apache-home-probes" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH\\d{5}: )?File does not exist: (?P<path>.*/~.*?)(?:, referer: .*)?$",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] File does not exist: (?P<path>.*/~.*?)(?:, referer: .*)?$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "Probes for home directories from ${ip} (Apache)"
    category = "reconnaissance"
  }
  tags = ["T1595.003", "T1087"]
}

# Requests for well-known applications the site does not have (webmail,
# phpMyAdmin, WordPress logins, cgi-bin, mysqladmin): bots searching for
# something to attack; replaces fail2ban's apache-botsearch jail.
# core.c "File does not exist: %s" (2.2; 2.4 AH00128), mod_cgi "script not
# found or unable to stat: %s" (2.4.60+: "stderr from %s: script not found
# or unable to stat"), PHP's "script '%s' not found or unable to stat",
# where the first path component under the document root starts
# with one of fail2ban's botsearch-common names. Apache logs the file
# system path, not the URI: the document roots recognised are Debian's
# (/var/www/, /var/www/html/), SUSE's /srv/www/htdocs/, Arch's /srv/http/,
# /usr/share/nginx/html/ and ~/public_html/; a site elsewhere is not
# covered by this rule (the access log's web-botsearch rule covers it by
# URI).
rule "apache-botsearch" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH\\d{5}: )?(?:File does not exist: |script not found or unable to stat: |stderr from |script ')(?P<path>(?:/var/www/(?:html/)?|/srv/www/htdocs/|/srv/http/|/usr/share/nginx/html/|/home/[^/]+/public_html/)/?(?:roundcube|(?:ext)?mail|horde|(?:v-?)?webmail|(?:typo3/|xampp/|admin/)?(?:pma|(?:php)?[Mm]y[Aa]dmin)|wp-(?:login|signup|admin)\\.php|cgi-bin|mysqladmin)[^,:']*)(?:' not found or unable to stat|: script not found or unable to stat)?(?:, referer: .*)?$",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?:File does not exist: |script not found or unable to stat: |script ')(?P<path>(?:/var/www/(?:html/)?|/srv/www/htdocs/|/srv/http/|/usr/share/nginx/html/|/home/[^/]+/public_html/)/?(?:roundcube|(?:ext)?mail|horde|(?:v-?)?webmail|(?:typo3/|xampp/|admin/)?(?:pma|(?:php)?[Mm]y[Aa]dmin)|wp-(?:login|signup|admin)\\.php|cgi-bin|mysqladmin)[^,:']*)(?:' not found or unable to stat|: script not found or unable to stat)?(?:, referer: .*)?$",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Bot searching for web applications from ${ip} (Apache)"
    category = "reconnaissance"
  }
  tags = ["T1595.003"]
}

# Malformed and oversized requests (buffer overflow attempts, binary
# garbage, TLS sent to a plain HTTP port); replaces fail2ban's
# apache-overflows jail.
# - core.c: "Invalid URI in request %s" (2.0-2.4; 2.4.x AH00126, recent
#   2.4: "'%s' '%s'"), "Invalid method in request %s[ - possible attempt to
#   establish SSL connection on non-SSL port]" (AH00135, AH00134).
# - protocol.c read_request_line(): "request failed: URI too long (longer
#   than %d)" (2.0-2.4.24, AH00565), its successor "request failed:
#   client's request-line exceeds LimitRequestLine (longer than %d)"
#   (2.2.32+, 2.4.25+), "request failed: invalid characters in URI"
#   (2.4.0-2.4.24, AH00566) and its successor "request failed: malformed
#   request line" (2.2.32+, 2.4.25+); "Request header exceeds
#   LimitRequestFieldSize[: NAME]" and "… after folding" (AH00561,
#   AH00562).
# - Apache 1.3 http_protocol.c: "request failed: erroneous characters
#   after protocol string: %s".
rule "apache-request-overflows" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH\\d{5}: )?(?P<reason>Invalid (?:URI|method) in request|request failed: (?:URI too long|client's request-line exceeds LimitRequestLine|invalid characters in URI|malformed request line|erroneous characters after protocol string)|Request header exceeds LimitRequestFieldSize)\\b",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?P<reason>Invalid (?:URI|method) in request|request failed: (?:URI too long|client's request-line exceeds LimitRequestLine|invalid characters in URI|malformed request line|erroneous characters after protocol string)|Request header exceeds LimitRequestFieldSize)\\b",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Malformed or oversized HTTP requests from ${ip} (Apache)"
    category = "web-attack"
  }
  tags = ["T1190"]
}

# Requests ModSecurity refused; replaces fail2ban's apache-modsecurity jail.
# ModSecurity 2.x apache2/apache2_util.c write_rule_log / msr_log: it logs
# with ap_log_error() (no request: no client prefix from Apache's log.c)
# and writes its own "[client %s] ModSecurity: %s%s [uri \"%s\"]%s", the
# address without a port (r->useragent_ip on Apache 2.4, remote_ip on
# 2.2); 2.9 on Apache 2.4 logs with ap_log_rerror(), so Apache's "[client
# ADDR:PORT] " precedes it. The address taken is ModSecurity's, the bracket
# right before "ModSecurity:". Counted when the message says "Access denied
# with code 4xx|5xx" (the rule blocked the request), not for warnings of
# rules in detection-only mode, as fail2ban does.
rule "apache-modsecurity-denials" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\[(?:client|remote) [0-9A-Fa-f:.]+\\] )?\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] ModSecurity:\\s+(?:\\[(?:\\w+ \"[^\"]*\"|[^\\]]*)\\]\\s*)*Access denied with code (?P<status>[45]\\d\\d)\\b",
    "^(?:\\[client [0-9A-Fa-f:.]+\\] )?\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] ModSecurity:\\s+(?:\\[(?:\\w+ \"[^\"]*\"|[^\\]]*)\\]\\s*)*Access denied with code (?P<status>[45]\\d\\d)\\b",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Requests blocked by ModSecurity from ${ip}"
    category = "web-attack"
  }
  tags = ["T1190"]
}

# Shellshock (CVE-2014-6271 and follow-ups) against CGI scripts; replaces
# fail2ban's apache-shellshock jail. A patched bash run by mod_cgi refuses
# a function definition in an HTTP_* variable and says so on stderr, which
# mod_cgi logs (2.2: the line as is; 2.4: "AH01215: LINE", 2.4.60+:
# "AH01215: stderr from SCRIPT: LINE", cgi_common.h): bash variables.c
# "warning: %s: ignoring function definition attempt" and "error importing
# function definition for `%s'", prefixed by the shell's name (/bin/bash,
# /bin/sh, /bin/dash). One is enough.
rule "apache-shellshock" {
  source = "apache-error"
  match = [
    "^\\[pid \\d+(?::tid \\d+)?\\] (?:\\S+\\(\\d+\\): )?(?:\\(-?\\d+\\)[^\\[\\]]*: )?\\[(?:client|remote) \\[?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?(?::\\d+)?\\] (?:AH01215: )?(?:stderr from .*?: )?(?:/usr)?/bin/(?:ba|da)?sh: (?:warning: |error importing function definition for `)(?P<variable>HTTP_[^:']+)(?:: ignoring function definition attempt|')",
    "^\\[client (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\] (?:/usr)?/bin/(?:ba|da)?sh: (?:warning: |error importing function definition for `)(?P<variable>HTTP_[^:']+)(?:: ignoring function definition attempt|')",
  ]
  where = "is_ip(ip)"
  threshold {
    count    = 1
    within   = "10m"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Shellshock attempt from ${ip}"
    category = "web-attack"
  }
  tags = ["T1190"]
}
