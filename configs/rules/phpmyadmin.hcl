# phpMyAdmin: refused logins, per client address (`ip`). Replaces fail2ban's
# phpmyadmin-syslog jail. See docs/rules.md "The phpmyadmin pack".

# libraries/classes/Logging.php (libraries/Logging.php in 4.x) logUser():
# with AuthLog "auto" (the default) or "syslog", phpMyAdmin logs through
# syslog as "phpMyAdmin" to the authpriv facility, so Debian writes it to
# /var/log/auth.log: the `auth` source. getLogMessage():
#   'user denied: ' . $user . ' (' . $status . ') from ' . Core::getIp()
# (4.5-4.9: the same text from PMA_getIp()). $status is the plugin's
# failure: mysql-denied (the MySQL server refused the password),
# empty-denied (an empty password, AllowNoPassword off), root-denied
# (AllowRoot off), allow-denied (AllowDeny rules): all count; fail2ban
# counts only mysql-denied. no-activity (a session that timed out) does
# not. Core::getIp() is REMOTE_ADDR, or the header of a TrustedProxies
# entry.
# Safety: the user name is the client's and comes first; after it come
# the status and the address, both phpMyAdmin's, to the end of the line.
rule "phpmyadmin-auth-failures" {
  source = "auth"
  match  = "^user denied: (?P<user>.*) \\((?P<status>mysql-denied|empty-denied|root-denied|allow-denied)\\) from (?P<ip>[0-9A-Fa-f:.]+)\\s*$"
  where  = "program == 'phpMyAdmin'"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "phpMyAdmin login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
