# Variants of every Roundcube message roundcube.hcl reads, one test each,
# as roundcube/roundcubemail 0.5-1.6 and master write them (the code cited
# per test) or as servers logged them in fail2ban's samples (Debian
# fail2ban 1.0.2, tests/files/logs/roundcube-auth, line cited; addresses
# replaced by documentation ones).
#
#   breachd test configs/rules/roundcube_test.hcl

config = ["sources.hcl", "roundcube.hcl"]

# rcube_imap.php connect() sprintf('Login failed for %s against %s from %s. %s'); rcube::log_bug(); write_log() '<sess> '
test "1.3.2+: Login failed for U against HOST from ADDR, session id" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: <3z506z6r> IMAP Error: Login failed for admin@example.com against localhost from 203.0.113.91. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.91" }
    fields = { user = "admin@example.com", server = "localhost" }
  }
}

# rcube_imap.php 0.9.5 sprintf("Login failed for %s from %s. %s"); fail2ban roundcube-auth line 36
test "0.5-1.3.1: Login failed for U from ADDR, no session id" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for admin@example.com from 203.0.113.92. AUTHENTICATE PLAIN: Authentication failed. in /docroot/path/program/lib/Roundcube/rcube_imap.php on line 184 (POST /?_task=login?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.92" }
    fields = { user = "admin@example.com" }
  }
}

# rcube_utils::remote_ip() is REMOTE_ADDR
test "IMAP line, IPv6" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: <j2pncet8> IMAP Error: Login failed for bob against imap.example.com from 2001:db8::93. [AUTHENTICATIONFAILED] Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "2001:db8::93" }
  }
}

# a dual-stack web server's REMOTE_ADDR
test "IMAP line, IPv4-mapped REMOTE_ADDR is reported as IPv4" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for bob against localhost from ::ffff:203.0.113.94. Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "203.0.113.94" }
  }
}

# remote_ip() appends ' (X-Real-IP: …,X-Forwarded-For: …)'; fail2ban roundcube-auth line 53 (gh-1303)
test "X-Real-IP and X-Forwarded-For after the address (old form without the space)" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: <j2pncet8> IMAP Error: Login failed for user@example.com from 203.0.113.95(X-Real-IP: 10.9.9.20,X-Forwarded-For: 10.9.9.21). AUTHENTICATE PLAIN: Authentication failed. in /usr/share/roundcubemail/program/lib/Roundcube/rcube_imap.php on line 197 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "203.0.113.95" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.20" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.21" }
  }
}

# remote_ip() HEAD: $address .= ' (' . implode(',', $remote_ip) . ')'
test "X-Forwarded-For with the space (1.x), the client's header holding ' from ADDR'" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for u against localhost from 203.0.113.96 (X-Forwarded-For: x from 10.9.9.22). Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "203.0.113.96" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.22" }
  }
}

# the user name is the client's; fail2ban roundcube-auth line 12 (shape)
test "hostile user name holding ' from ADDR' before the real address" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for admin from 10.9.9.23 from 203.0.113.97. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /wmail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.97" }
    fields = { user = "admin from 10.9.9.23" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.23" }
  }
}

# fail2ban roundcube-auth line 15 (shape): a user name ending in ' from ADDR.'; the error
# Roundcube writes after the address never starts with "from " (rcube_imap_generic.php
# "AUTHENTICATE %s: %s", execute()'s "LOGIN: "), so the real address is the one before the error
test "hostile user name ending in ' from ADDR.': the address before the error is taken" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for admin from 10.9.9.24. from 203.0.113.98. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /wmail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.98" }
    fields = { user = "admin from 10.9.9.24." }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.24" }
  }
}

# a user name forging the whole ' from ADDR. AUTHENTICATE PLAIN: ' before the real address
test "hostile user name forging the address and the error: the line is not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for x from 10.9.9.27. AUTHENTICATE PLAIN: y from 203.0.113.111. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /?_task=login&_action=login)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# a user name holding ' from ADDR. y': the first candidate, with the real one in the rest
test "hostile user name with a forged address not at its end: the line is not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for x from 10.9.9.28. y from 10.9.9.29. from 203.0.113.112. LOGIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# a user name ending in ' from ADDR. from ADDR.': both are followed by "from ", the real one is taken
test "hostile user name ending in two forged addresses: the real one is taken" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for x from 10.9.9.30. from 10.9.9.31. from 203.0.113.114. LOGIN: Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.114" }
    fields = { user = "x from 10.9.9.30. from 10.9.9.31." }
  }
}

# syslog, fail2ban roundcube-auth line 15 verbatim (addresses replaced)
test "syslog: hostile user name ending in ' from ADDR.'" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 myhostname roundcube: IMAP Error: Login failed for admin from 127.0.0.1. from 203.0.113.113. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /wmail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-syslog-auth-failures"
    key  = { ip = "203.0.113.113" }
  }
}

# fail2ban roundcube-auth line 20 (shape)
test "the IMAP server echoes the hostile user name after the real address: one candidate, counted" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for admin from 10.9.9.25 from 203.0.113.99. AUTHENTICATE PLAIN: A0002 NO Login failed. user=admin from 10.9.9.25 in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /wmail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "203.0.113.99" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.25" }
  }
}

# fail2ban roundcube-auth line 24 (shape): the echoed candidate ends the message, right before
# log_bug()'s " in FILE on line N (METHOD URI)", where the real address (always followed by the
# non-empty error) never is
test "the IMAP server echoes a user name ending in ' from ADDR.': the real address is taken" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for admin from 10.9.9.26. from 203.0.113.100. AUTHENTICATE PLAIN: A0002 NO Login failed. user=admin from 10.9.9.26. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /wmail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.100" }
    fields = { user = "admin from 10.9.9.26." }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.26" }
  }
}

# the echo exception needs log_bug()'s tail: a line ending in a candidate without it is not read
test "a forged address first and a bare candidate ending the line: not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for x from 10.9.9.32. y from 203.0.113.115."
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# the user name forges the address and the error, and the server echoes it at the end
test "a forged candidate in the user name and its echo: not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for x from 10.9.9.33. LOGIN: y from 203.0.113.116. LOGIN: NO user=x from 10.9.9.33. LOGIN: y in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# rcmail.php log_login() sprintf('Failed login for %s from %s in session %s (error: %d)'); fail2ban roundcube-auth line 40
test "userlogins: Failed login ... in session ... (error: N)" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: Failed login for sampleuser from 203.0.113.101 in session 1z506z6rvddstv6k (error: 0)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.101" }
    fields = { user = "sampleuser", code = "0" }
  }
}

# rcmail.php HEAD: 'no-session'; write_log() '<sess> '
test "userlogins with the session id prefix, no session" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: <4z506z6r> Failed login for admin@example.com from 2001:db8::102 in session no-session (error: -1)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "2001:db8::102" }
  }
}

# the user name (up to 256 bytes) is the client's; the session id and code are the server's
test "userlogins, hostile user name holding ' from ADDR in session …'" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: Failed login for x from 10.9.9.27 in session abc (error: 0) from 203.0.113.103 in session 4z506z6rvddstv6k (error: 0)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-auth-failures"
    key  = { ip = "203.0.113.103" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.27" }
  }
}

# rcmail.php log_login() 'Successful login for %s (ID: %d) from %s in session %s'
test "a successful login is not a failure" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: <4z506z6r> Successful login for admin@example.com (ID: 1) from 203.0.113.104 in session 4z506z6rvddstv6k"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
  expect_none { rule = "roundcube-syslog-auth-failures" }
}

# remote_ip() behind nginx: REMOTE_ADDR 127.0.0.1
test "a reverse proxy on the host (REMOTE_ADDR loopback) is not counted" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for u against localhost from 127.0.0.1 (X-Real-IP: 203.0.113.105). Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
  expect_none { rule = "roundcube-syslog-auth-failures" }
}

# rcube_imap.php 0.5+: 'from %s. %s'
test "an IMAP line without '. ERROR' after the address (no version writes it) is not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: IMAP Error: Login failed for u against localhost from 203.0.113.106 in /x.php on line 1 (POST /)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
  expect_none { rule = "roundcube-syslog-auth-failures" }
}

# write_log() syslog($prio, $line); fail2ban roundcube-auth line 56
test "syslog (log_driver syslog): IMAP line with the session id" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server roundcube[21296]: <crk9n97i> IMAP Error: Login failed for test from 203.0.113.107. AUTHENTICATE PLAIN: Authentication failed. in /usr/share/php5/Roundcube/rcube_imap.php on line 193 (POST /mail/?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-syslog-auth-failures"
    key  = { ip = "203.0.113.107" }
  }
}

# fail2ban roundcube-auth line 4
test "syslog: IMAP line without a session id" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 hamster roundcube: IMAP Error: Login failed for sales@example.com against localhost from 203.0.113.108. Authentication failed. in /usr/share/roundcube/program/lib/Roundcube/rcube_imap.php on line 211 (POST /?_task=login&_action=login)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-syslog-auth-failures"
    key  = { ip = "203.0.113.108" }
  }
}

# log_login() through syslog
test "syslog: userlogins line" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 roundcube: <4z506z6r> Failed login for admin from 203.0.113.109 in session 4z506z6rvddstv6k (error: 0)"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule = "roundcube-syslog-auth-failures"
    key  = { ip = "203.0.113.109" }
  }
}

# the where clause: program roundcube
test "syslog: another program writing Roundcube's message opens nothing" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 php: IMAP Error: Login failed for test from 203.0.113.110. Authentication failed. in /x/rcube_imap.php on line 193 (POST /)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
  expect_none { rule = "roundcube-syslog-auth-failures" }
}

# mattrude/rc-plugin-fail2ban 1.0-1.1 fail2ban.php: error_log('['.date('d-M-Y H:i:s O')."]: ".
# 'FAILED login for '.$args['user'].' from '.getenv('REMOTE_ADDR'), 3, ".../userlogins");
# fail2ban roundcube-auth line 2
test "fail2ban plugin 1.0-1.1: FAILED login for U from ADDR in userlogins" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0200]: FAILED login for user1 from 203.0.113.101"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.101" }
    fields = { user = "user1" }
  }
}

# rc-plugin-fail2ban 1.2+ (bb23c67, 2014): '[roundcube] FAILED login for ...'; REMOTE_ADDR IPv6
test "fail2ban plugin 1.2+: [roundcube] FAILED login, IPv6" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: [roundcube] FAILED login for admin@example.com from 2001:db8::101"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "2001:db8::101" }
    fields = { user = "admin@example.com" }
  }
}

# rc-plugin-fail2ban: syslog(LOG_WARNING, $log_entry) when log_driver is 'syslog' (Roundcube's openlog(syslog_id))
test "fail2ban plugin through syslog" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail roundcube: [roundcube] FAILED login for admin from 203.0.113.102"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-syslog-auth-failures"
    key    = { ip = "203.0.113.102" }
    fields = { user = "admin" }
  }
}

# the user name precedes REMOTE_ADDR, which ends the line
test "fail2ban plugin: a user name holding an address" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: FAILED login for x from 10.9.9.70 from 203.0.113.103"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "roundcube-auth-failures"
    key    = { ip = "203.0.113.103" }
    fields = { user = "x from 10.9.9.70" }
  }
  expect_none {
    rule = "roundcube-auth-failures"
    key  = { ip = "10.9.9.70" }
  }
}

# the plugin writes nothing after the address: a line going on is not its
test "fail2ban plugin: text after the address is not read" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: FAILED login for x from 10.9.9.71 y"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# behind a reverse proxy on the same host REMOTE_ADDR is the proxy
test "fail2ban plugin: a loopback REMOTE_ADDR is not counted" {
  source = "roundcube"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[23-Nov-2026 10:00:00 +0000]: [roundcube] FAILED login for admin from 127.0.0.1"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-auth-failures" }
}

# a line cut right after the real address (a syslog daemon's length limit), a forged one before it
test "a line cut after the real address, a forged one first: not read" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 mail roundcube: IMAP Error: Login failed for x from 10.9.9.34. y from 203.0.113.117"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "roundcube-syslog-auth-failures" }
}
