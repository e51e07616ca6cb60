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

# PAM failures of services without a rule of their own (login, ftp
# servers, cups, ...); sshd, sudo and su are counted by their own rules
# (above and in sshd.hcl), so their PAM lines are not counted here, in any
# shape. Replaces fail2ban's pam-generic jail. Written from Linux-PAM's
# pam_unix, modules/pam_unix/support.c _unix_verify_password(), 0.72 to
# 1.6 (the format string never changed): "authentication failure;
# logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s %s%s", the last two
# " user=" and PAM_USER when there is one, so a line without a user ends
# in a space. The prefix is the module's:
# - "pam_unix(SERVICE:auth): " pam_syslog(), libpam/pam_syslog.c, 0.99.2+;
# - "(pam_unix) " and "pam_unix: " in the message of the service's own
#   syslog tag: 0.7x builds of distributions (not in upstream's tags; real
#   lines in fail2ban's pam-generic and vsftpd samples); the service is
#   then the program;
# - "pam_unix(auth): " (no service), in fail2ban's samples; read as the
#   service-less form above.
# Upstream 0.72-0.79 opened its own syslog ident ("PAM_unix[N]: ",
# "SERVICE(pam_unix)[N]: "): not read (fail2ban's samples mark those lines
# as not matched, and fail2ban dropped them).
# rhost is PAM_RHOST, which the service sets from the connection (an
# address, or a host name where the service resolved it); ruser (PAM_RUSER)
# and user (PAM_USER) can both be the client's text (vsftpd and pure-ftpd
# set both to the name typed). So the address is the rhost= followed by
# the end of the line or by " user=", with ruser taken without spaces
# first, as fail2ban does. When ruser or user holds "rhost=", another
# split may exist; the line counts only where the split taken cannot hide
# the real one: ruser equal to user (vsftpd's; no other split gives one name twice), no user
# (the address is then the last rhost=), or an empty ruser and a user
# without "user=" (a name typed into both, starting with " rhost=",
# would leave the real " user=" in it). Otherwise it is not counted: a
# miss, never an injected address. `ip` is
# empty for local logins, and may be a host name; ::ffff:a.b.c.d is
# reported as a.b.c.d.
rule "pam-auth-failures" {
  source = "auth"
  match = [
    "^pam_unix(?:\\((?P<service>[^():\\s]+):auth\\)|\\(auth\\))?: authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=(?P<ruser>\\S*|.*?) rhost=(?:::ffff:)?(?P<ip>[0-9A-Za-z:._-]*)(?:\\s+user=(?P<user>.*?))?\\s*$",
    "^\\(pam_unix\\) authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=(?P<ruser>\\S*|.*?) rhost=(?:::ffff:)?(?P<ip>[0-9A-Za-z:._-]*)(?:\\s+user=(?P<user>.*?))?\\s*$",
  ]
  where = "!(service in ['sshd', 'sshd-session', 'sudo', 'su', 'su-l']) && !(service == '' && program in ['sudo', 'su', 'su-l']) && (user == '' || ruser == user || !(ruser contains 'rhost=' || user contains 'rhost=') || ruser == '' && !(user contains 'user='))"
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
  source = "auth"
  match = [
    # useradd.c: "new user: name=%s, UID=%u, GID=%u, ..."
    "^new user: name=(?P<user>[^,]+), UID=0, ",
    # usermod.c -u: "change user '%s' UID from '%lu' to '%lu'"
    "^change user '(?P<user>[^']+)' UID from '\\d+' to '0'$",
  ]
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
  source = "auth"
  match = [
    # usermod.c -aG / useradd.c: "add '%s' to [shadow ]group '%s'"
    "^add '(?P<user>[^']+)' to (shadow )?group '(?P<group>sudo|wheel|adm|admin|root|docker|lxd|disk|shadow|libvirt)'$",
    # gpasswd.c -a: "user %s added by %s to group %s"
    "^user (?P<user>\\S+) added by (?P<by>\\S+) to group (?P<group>sudo|wheel|adm|admin|root|docker|lxd|disk|shadow|libvirt)$",
    # gpasswd.c -M: "members of group %s set by %s to %s" (the whole list)
    "^members of group (?P<group>sudo|wheel|adm|admin|root|docker|lxd|disk|shadow|libvirt) set by (?P<by>\\S+) to (?P<user>.*)$",
  ]
  where     = "program in ['usermod', 'gpasswd', 'useradd', 'adduser']"
  severity  = "high"
  indicates = ["access"]
  incident {
    title    = "${user} added to privileged group ${group}"
    category = "privilege-escalation"
  }
  tags = ["T1098"]
}
