# Drupal: failed logins, per client address (`ip`), from the core syslog
# module's lines. Replaces fail2ban's drupal-auth jail. See docs/rules.md
# "The drupal pack".

# The syslog module (modules/syslog: syslog.module syslog_watchdog() in 7,
# src/Logger/SysLog.php log() in 8-11) logs with the ident syslog_identity
# ("drupal" by default, often the site's name) to syslog_facility
# (LOG_LOCAL0 by default), which Debian's rsyslog writes to /var/log/syslog:
# the `syslog` source, any program. The line is the `format` setting,
# by default
#   !base_url|!timestamp|!type|!ip|!request_uri|!referer|!uid|!link|!message
# type is the channel ("user"), ip the client's address
# (Request::getClientIp(), ip_address() in 7, which honour the reverse
# proxy settings), uid 0 for an anonymous request such as a failed login.
# The user module (user.module user_login_final_validate() in 7,
# src/Form/UserLoginForm.php validateFinal() in 8-11) logs:
# - "Login attempt failed for %user." (7: the typed name; 8-11: an existing
#   account's name),
# - "Login attempt failed from %ip." (8-11, no such account; %ip is the
#   same getClientIp()).
# Safety: request_uri and referer are the client's and may hold "|" (and
# "|0||Login attempt failed for x"): the address is the fourth field,
# before them, after three server-written ones (base_url, a timestamp, the
# channel); the message is the last field, after the uid and link fields
# counted from the end of the line, and holds no "|". A Drupal 7 typed
# name holding "|" is therefore not counted. "Login attempt failed from"
# followed by a name (a real site's line, fail2ban gh-2742, not core's
# wording) counts too: the address is still the fourth field, never the
# text after "from".
rule "drupal-auth-failures" {
  source = "syslog"
  match  = "^[^|\\s]*\\|\\d+\\|user\\|(?P<ip>[0-9A-Fa-f:.]+)\\|.*\\|0\\|[^|]*\\|Login attempt failed (?:for (?P<user>[^|]*)|from [^|]+)\\.$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Drupal login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
