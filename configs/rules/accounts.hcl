# Local privilege and account activity from the auth log: sudo and su
# failures, users refused by sudoers, PAM authentication failures of other
# services, new accounts and accounts added to privileged groups. Written
# from sudo 1.8 and 1.9, util-linux su, Linux-PAM pam_unix, shadow-utils
# useradd, groupadd and usermod as Debian logs them.

rule "sudo-password-failures" {
  source = "auth"
  match  = "^\\s*(?P<user>[^\\s:]+) : (?P<attempts>\\d+) incorrect password attempts? ; TTY=(?P<tty>\\S+) ; PWD=.* ; USER=(?P<target>\\S+) ; COMMAND=(?P<command>.*)$"
  where  = "program == 'sudo'"
  threshold {
    count    = 3
    within   = "10m"
    group_by = ["user"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Repeated sudo password failures by ${user}"
    category = "privilege-escalation"
  }
  tags = ["T1548.003"]
}

rule "sudo-not-in-sudoers" {
  source = "auth"
  match  = "^\\s*(?P<user>[^\\s:]+) : (user NOT in sudoers|user NOT authorized on host|command not allowed) ; TTY=(?P<tty>\\S+) ; PWD=.* ; USER=(?P<target>\\S+) ; COMMAND=(?P<command>.*)$"
  where  = "program == 'sudo'"
  threshold {
    count    = 1
    within   = "1h"
    group_by = ["user"]
    cooldown = "1h"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "${user} tried sudo without being allowed: ${command}"
    category = "privilege-escalation"
  }
  tags = ["T1548.003"]
}

rule "su-failures" {
  source = "auth"
  match = [
    "^FAILED SU \\(to (?P<target>[^)]+)\\) (?P<user>\\S+) on (?P<tty>\\S+)$",
    "^pam_unix\\(su(-l)?:auth\\): authentication failure; logname=(?P<user>\\S*) uid=\\d+ euid=\\d+ tty=(?P<tty>\\S*) ruser=\\S* rhost=\\S*\\s+user=(?P<target>\\S+)$",
  ]
  where = "program in ['su', 'su-l']"
  threshold {
    count    = 3
    within   = "10m"
    group_by = ["user"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Repeated su failures by ${user} (to ${target})"
    category = "privilege-escalation"
  }
  tags = ["T1548", "T1110"]
}

# PAM failures of services without a rule of their own (login, ftp, cups,
# vsftpd, ...). sshd, sudo and su are covered above and in sshd.hcl.
# Replaces fail2ban's pam-generic jail. Linux-PAM's pam_unix (all 1.x)
# writes PAM_RHOST as rhost=, before the user name (the client's text), so
# no user name can move it. Like every shipped rule, the source address is
# named `ip` (the nftables action's default target); it is empty for local
# logins, and may be a host name where the service gives PAM one.
rule "pam-auth-failures" {
  source = "auth"
  match  = "^pam_unix\\((?P<service>[^:()]+):auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=\\S* rhost=(?P<ip>\\S*)(\\s+user=(?P<user>.*))?$"
  where  = "!(service in ['sshd', 'sshd-session', 'sudo', 'su', 'su-l'])"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["service", "ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Repeated ${service} authentication failures (from '${ip}', last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

rule "new-user" {
  source    = "auth"
  match     = "^new user: name=(?P<user>[^,]+), UID=(?P<uid>\\d+), GID=(?P<gid>\\d+), home=(?P<home>[^,]*), shell=(?P<shell>[^,]*)(, from=(?P<tty>\\S+))?$"
  where     = "program in ['useradd', 'adduser']"
  severity  = "medium"
  indicates = ["access"]
  incident {
    title    = "New local user ${user} (UID ${uid}, shell ${shell})"
    category = "persistence"
  }
  tags = ["T1136.001"]
}

rule "new-uid-0-user" {
  source    = "auth"
  match     = "^new user: name=(?P<user>[^,]+), UID=0, "
  where     = "program in ['useradd', 'adduser', 'usermod']"
  severity  = "critical"
  indicates = ["access"]
  incident {
    title    = "New user ${user} with UID 0 (a second root)"
    category = "persistence"
  }
  tags = ["T1136.001", "T1078.003"]
}

rule "added-to-privileged-group" {
  source    = "auth"
  match     = "^add '(?P<user>[^']+)' to (shadow )?group '(?P<group>sudo|wheel|adm|admin|root|docker|lxd|disk|shadow|libvirt)'$"
  where     = "program in ['usermod', 'gpasswd', 'useradd', 'adduser']"
  severity  = "high"
  indicates = ["access"]
  incident {
    title    = "${user} added to privileged group ${group}"
    category = "privilege-escalation"
  }
  tags = ["T1098"]
}
