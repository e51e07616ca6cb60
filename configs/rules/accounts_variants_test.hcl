# Variants of the PAM failure line pam-auth-failures reads, one test each,
# as Linux-PAM's pam_unix writes it (modules/pam_unix/support.c
# _unix_verify_password, 0.72 to 1.6; libpam/pam_syslog.c for the prefix)
# or as real servers logged it in fail2ban's samples (Debian fail2ban
# 1.0.2, tests/files/logs/pam-generic and vsftpd, line cited; addresses
# replaced by documentation ones, injected ones by 10.9.9.x).
#
#   breachd test configs/rules/accounts_variants_test.hcl

config = ["sources.hcl", "accounts.hcl"]
source = "auth"

# Linux-PAM 1.x support.c _unix_verify_password via pam_syslog (0.99.2+): vsftpd sets PAM_RUSER and PAM_USER to the typed name
test "1.x pam_unix(vsftpd:auth), IPv4, ruser and user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[811]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=alice rhost=203.0.113.31  user=alice"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "vsftpd", ip = "203.0.113.31" }
    fields = { user = "alice", ruser = "alice" }
  }
}

# support.c: no PAM_USER: the line ends in "rhost=%s " (a space)
test "1.x without user: trailing space" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[811]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=203.0.113.32 "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "vsftpd", ip = "203.0.113.32" }
    fields = { ruser = "bob" }
  }
}

# PAM_RHOST as the service formats it: IPv6
test "1.x IPv6 rhost" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 proftpd[812]: pam_unix(proftpd:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=2001:db8::33  user=carol"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "proftpd", ip = "2001:db8::33" }
    fields = { user = "carol" }
  }
}

# IPv4-mapped IPv6 (a service listening on ::): the IPv4 address the packets came from
test "1.x IPv4-mapped rhost" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[813]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=dave rhost=::ffff:203.0.113.34  user=dave"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "vsftpd", ip = "203.0.113.34" }
    fields = { user = "dave" }
  }
}

# fail2ban pam-generic line 15: a service that resolved the client gives PAM a host name
test "1.x rhost as a host name" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 srv2 vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=an8767 rhost=client.example.com"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "vsftpd", ip = "client.example.com" }
    fields = { ruser = "an8767" }
  }
}

# fail2ban pam-generic line 2: Linux-PAM 0.7x distribution builds, "(pam_unix) " in the service's own syslog tag
test "0.7x (pam_unix) in the service's tag, pure-ftpd, no user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 example pure-ftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=sample-user rhost=203.0.113.35 "
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "", ip = "203.0.113.35" }
    fields = { ruser = "sample-user" }
  }
}

# fail2ban pam-generic line 8
test "0.7x (pam_unix), proftpd, with user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 localhost proftpd: (pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.36  user=mark"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "", ip = "203.0.113.36" }
    fields = { user = "mark" }
  }
}

# fail2ban pam-generic line 17 (vsftpd with a 0.7x pam_unix)
test "pam_unix: without service" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 srv2 vsftpd: pam_unix: authentication failure; logname= uid=0 euid=0 tty=ftp ruser=an8767 rhost=203.0.113.37"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "", ip = "203.0.113.37" }
    fields = { ruser = "an8767" }
  }
}

# fail2ban pam-generic line 21: ruser holding "rhost=": the address is the rhost the line ends with
test "hostile ruser holding rhost=ADDR" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 srv2 daemon: pam_unix(auth): authentication failure; logname= uid=0 euid=0 tty=xxx ruser=test rhost=10.9.9.1 rhost=203.0.113.38"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { ip = "203.0.113.38" }
    fields = { ruser = "test rhost=10.9.9.1" }
  }
}

# fail2ban pam-generic line 23: user holding "rhost=" after the real one
test "hostile user holding rhost=ADDR" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 srv2 daemon: pam_unix(auth): authentication failure; logname= uid=0 euid=0 tty=xxx ruser= rhost=203.0.113.39 user=test rhost=10.9.9.2"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { ip = "203.0.113.39" }
    fields = { user = "test rhost=10.9.9.2" }
  }
}

# vsftpd sets PAM_RUSER and PAM_USER to the same typed name: both hold the injected text, the only split where they agree is the real one
test "hostile name in ruser and user (vsftpd)" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[814]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=x rhost=10.9.9.3 rhost=203.0.113.40  user=x rhost=10.9.9.3"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "vsftpd", ip = "203.0.113.40" }
    fields = { user = "x rhost=10.9.9.3", ruser = "x rhost=10.9.9.3" }
  }
}

# a name 'x rhost=10.9.9.4  user=y' in ruser can be split two ways (rhost 10.9.9.4 or 203.0.113.41): not counted, never the injected address
test "ambiguous hostile ruser is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 pure-ftpd[815]: pam_unix(pure-ftpd:auth): authentication failure; logname= uid=0 euid=0 tty=pure-ftpd ruser=x rhost=10.9.9.4  user=y rhost=203.0.113.41 "
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# sshd's PAM lines in the 0.7x shape (fail2ban pam-generic line 4) count, as fail2ban's pam-generic jail counts them
test "0.7x sshd (pam_unix) lines count" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 vaio sshd[16004]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.42  user=root"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { ip = "203.0.113.42" }
    fields = { user = "root" }
  }
}

# since Linux-PAM 0.99 sshd's lines name their service: left to the sshd pack
test "pam_unix(sshd:auth) lines are left to the sshd pack" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[16004]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.42  user=root"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# Linux-PAM 0.72-0.79 opened its own ident "SERVICE(pam_unix)" (support.c _log_err); fail2ban's samples mark it not matched
test "upstream 0.7x SERVICE(pam_unix)[N] tag is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 server vsftpd(pam_unix)[15522]: authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.43 user=user1"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# pam_unix session and account lines are not failures
test "session opened is not a failure" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[816]: pam_unix(vsftpd:session): session opened for user alice(uid=1000) by (uid=0)"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# a failure of the auth stack's other modules (pam_unix only)
test "pam_sss authentication failure is not read" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[817]: pam_sss(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=alice rhost=203.0.113.44 user=alice"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# fail2ban wuftpd line 7: the PAM line of a WU-FTPD login (no ruser)
test "1.x pam_unix(wu-ftpd:auth), root" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 SiD wu-ftpd[31278]: pam_unix(wu-ftpd:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.45  user=root"
    repeat = 5
    every  = "1s"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "wu-ftpd", ip = "203.0.113.45" }
    fields = { user = "root" }
  }
}

# a name typed into both ruser and user (vsftpd) that starts with " rhost=": the split with an empty ruser would take the injected address; not counted
test "hostile name starting with ' rhost=' in ruser and user is not counted" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 ftp1 vsftpd[818]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser= rhost=10.9.9.5  user=x rhost=203.0.113.46  user= rhost=10.9.9.5  user=x"
    repeat = 6
    every  = "1s"
  }
  expect_none { rule = "pam-auth-failures" }
}

# shadow's gpasswd.c -a: "user %s added by %s to group %s"
test "gpasswd -a adds a user to sudo" {
  start = "2026-11-23T10:00:00Z"
  lines = ["Nov 23 10:00:00 web1 gpasswd[204]: user mallory added by root to group sudo"]
  expect {
    rule   = "added-to-privileged-group"
    fields = { user = "mallory", group = "sudo" }
  }
}

# shadow's gpasswd.c -M: "members of group %s set by %s to %s"
test "gpasswd -M sets the members of wheel" {
  start = "2026-11-23T10:00:00Z"
  lines = ["Nov 23 10:00:00 web1 gpasswd[104]: members of group wheel set by root to alice,mallory"]
  expect {
    rule   = "added-to-privileged-group"
    fields = { user = "alice,mallory", group = "wheel" }
  }
}

# shadow's usermod.c -u: "change user '%s' UID from '%lu' to '%lu'"
test "usermod -u 0 makes a second root" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 usermod[109]: change user 'mallory' UID from '1000' to '0'",
    "Nov 23 10:00:01 web1 usermod[110]: change user 'bob' UID from '1000' to '1001'",
  ]
  expect {
    rule   = "new-uid-0-user"
    fields = { user = "mallory" }
  }
}
