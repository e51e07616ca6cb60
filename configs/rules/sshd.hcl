# OpenSSH server (sshd, and sshd-session since OpenSSH 9.8): brute force,
# password spraying, pre-authentication floods, refused root logins, and a
# login that succeeds after failures.
#
# The messages are matched on their fixed parts and anchored at the end:
# the user name is chosen by the client and may itself contain
# " from 10.0.0.1 port 22", so the address is always the last one on the
# line. Written from OpenSSH 7.4 to 9.9 (auth.c, auth2.c, sshd.c, packet.c),
# IPv4 and IPv6, with and without the port and [preauth].

# Failed authentications: passwords, keys, keyboard-interactive, unknown
# users, too many attempts on one connection.
rule "sshd-brute-force" {
  source = "auth"
  match = [
    "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
    "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
    "^error: maximum authentication attempts exceeded for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2( \\[preauth\\])?$",
    "^Disconnecting (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures( \\[preauth\\])?$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SSH brute force from ${ip} (last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110.001"]
}

# One address trying many different users: password spraying.
rule "sshd-password-spraying" {
  source = "auth"
  # The same expressions and condition as sshd-brute-force: breachd
  # evaluates them once per line for both rules.
  match = [
    "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
    "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
    "^error: maximum authentication attempts exceeded for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2( \\[preauth\\])?$",
    "^Disconnecting (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures( \\[preauth\\])?$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    distinct = "user"
    cooldown = "1h"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SSH password spraying from ${ip}: 10 users in 10 minutes"
    category = "unauthorized-access"
  }
  tags = ["T1110.003"]
}

# Connections dropped before authentication: scanners and floods.
rule "sshd-preauth-flood" {
  source = "auth"
  match = [
    "^(Connection closed|Connection reset) by (?P<ip>[0-9A-Fa-f:.]+) port \\d+( \\[preauth\\])?$",
    "^(Connection closed by|Disconnected from) (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \\d+( \\[preauth\\])?$",
    "^Received disconnect from (?P<ip>[0-9A-Fa-f:.]+) port \\d+:\\d+: .* \\[preauth\\]$",
    "^Did not receive identification string from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
    "^banner exchange: Connection from (?P<ip>[0-9A-Fa-f:.]+) port \\d+: .*$",
    "^Unable to negotiate with (?P<ip>[0-9A-Fa-f:.]+) port \\d+: .*$",
    "^ssh_dispatch_run_fatal: Connection from (?P<ip>[0-9A-Fa-f:.]+) port \\d+: .*$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SSH pre-authentication flood from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1046"]
}

# Root logins refused by PermitRootLogin or AllowUsers/DenyUsers.
rule "sshd-root-login-refused" {
  source = "auth"
  match = [
    "^ROOT LOGIN REFUSED FROM (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
    "^User (?P<user>root) from (?P<ip>[0-9A-Fa-f:.]+) not allowed because .*$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 3
    within   = "10m"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Refused root logins over SSH from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1078.003"]
}

# Failures, then a successful login from the same address: the guess
# worked, or a stolen credential did.
rule "sshd-success-after-failures" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "30m"
    step "failures" {
      # The same expressions and condition as sshd-brute-force: breachd
      # evaluates them once per line, whichever rules use them.
      match = [
        "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
        "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
        "^error: maximum authentication attempts exceeded for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2( \\[preauth\\])?$",
        "^Disconnecting (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures( \\[preauth\\])?$",
      ]
      where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
      count = 5
    }
    step "success" {
      match = "^Accepted (password|publickey|keyboard-interactive/pam) for (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$"
      where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
    }
  }
  severity  = "critical"
  indicates = ["access"]
  incident {
    title    = "SSH login as ${user} from ${ip} after repeated failures: account likely compromised"
    category = "account-compromise"
  }
  tags = ["T1110", "T1078"]
}
