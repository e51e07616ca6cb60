# Tests of accounts.hcl.
#
#   breachd test configs/rules/accounts_test.hcl

config = ["sources.hcl", "accounts.hcl"]
source = "auth"

test "three sudo password failures" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sudo:    alice : 1 incorrect password attempt ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash"
  }
  input {
    at   = "30s"
    line = "Nov 23 10:00:30 web1 sudo: alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/su -"
  }
  input {
    at   = "60s"
    line = "Nov 23 10:01:00 web1 sudo: alice : 2 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow"
  }
  expect {
    rule   = "sudo-password-failures"
    key    = { user = "alice" }
    fields = { target = "root" }
  }
}

test "sudo by a user not in sudoers" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sudo:   mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/bash"
  }
  expect {
    rule   = "sudo-not-in-sudoers"
    key    = { user = "mallory" }
    fields = { command = "/bin/bash" }
  }
}

test "a successful sudo opens nothing" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update"
  }
  input {
    at   = "1s"
    line = "Nov 23 10:00:01 web1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)"
  }
  expect_none {
    rule = "sudo-password-failures"
  }
  expect_none {
    rule = "sudo-not-in-sudoers"
  }
}

test "su failures, util-linux and PAM forms" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 su[777]: FAILED SU (to root) bob on pts/3"
  }
  input {
    at   = "10s"
    line = "Nov 23 10:00:10 web1 su[777]: pam_unix(su:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/3 ruser=bob rhost=  user=root"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 su[777]: FAILED SU (to root) bob on pts/3"
  }
  expect {
    rule   = "su-failures"
    key    = { user = "bob" }
    fields = { target = "root" }
  }
}

test "PAM failures of another service" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 login[777]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=guest0"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 login[777]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=guest1"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 login[777]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=guest2"
  }
  input {
    at   = "60s"
    line = "Nov 23 10:01:00 web1 login[777]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=guest3"
  }
  input {
    at   = "80s"
    line = "Nov 23 10:01:20 web1 login[777]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=guest4"
  }
  expect {
    rule   = "pam-auth-failures"
    key    = { service = "login", ip = "" }
    fields = { user = "guest4" }
  }
}

test "PAM failures of sshd and sudo are left to their own rules" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 sshd[777]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"
  }
  input {
    at   = "20s"
    line = "Nov 23 10:00:20 web1 sshd[777]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"
  }
  input {
    at   = "40s"
    line = "Nov 23 10:00:40 web1 sshd[777]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"
  }
  input {
    at   = "60s"
    line = "Nov 23 10:01:00 web1 sshd[777]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"
  }
  input {
    at   = "80s"
    line = "Nov 23 10:01:20 web1 sshd[777]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"
  }
  input {
    at   = "200s"
    line = "Nov 23 10:03:20 web1 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"
  }
  input {
    at   = "220s"
    line = "Nov 23 10:03:40 web1 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"
  }
  input {
    at   = "240s"
    line = "Nov 23 10:04:00 web1 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"
  }
  input {
    at   = "260s"
    line = "Nov 23 10:04:20 web1 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"
  }
  input {
    at   = "280s"
    line = "Nov 23 10:04:40 web1 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"
  }
  expect_none {
    rule = "pam-auth-failures"
  }
}

test "a new user" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 useradd[777]: new group: name=backup2, GID=1002"
  }
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 useradd[777]: new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash, from=/dev/pts/0"
  }
  expect {
    rule   = "new-user"
    fields = { user = "backup2", uid = "1002", shell = "/bin/bash" }
  }
}

test "a second root" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 useradd[777]: new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=none"
  }
  expect {
    rule   = "new-user"
    fields = { user = "toor" }
  }
  expect {
    rule   = "new-uid-0-user"
    fields = { user = "toor" }
  }
}

test "added to sudo, and to a harmless group" {
  start = "2026-11-23T10:00:00Z"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 usermod[777]: add 'backup2' to group 'sudo'"
  }
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 usermod[777]: add 'backup2' to shadow group 'sudo'"
  }
  input {
    at   = "5s"
    line = "Nov 23 10:00:05 web1 usermod[777]: add 'alice' to group 'audio'"
  }
  expect {
    rule   = "added-to-privileged-group"
    fields = { user = "backup2", group = "sudo" }
    count  = 2
  }
}
