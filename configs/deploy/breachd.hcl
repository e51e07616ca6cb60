# /etc/breachd/breachd.hcl: the config the breachd package installs.
#
# It follows the SSH log and blocks brute force in the kernel, but starts in
# dry-run mode: every action records what it would have done and nothing
# is changed on the host until you set containment { mode = "enforce" }.
# Check it with "breachd validate /etc/breachd/breachd.hcl"; apply a change
# with "systemctl reload breachd" (it validates first, then sends SIGHUP).
# The shipped rule and policy packs are in /usr/share/breachd to copy from;
# every block and attribute is in /usr/share/doc/breachd/configuration.md.

server {
  listen    = "127.0.0.1:9731"   # the API and /metrics; put a TLS proxy or tls_cert in front to expose it
  data_dir  = "/var/lib/breachd" # breachd.db (SQLite): back it up (docs/operations.md)
  log_level = "info"
}

containment {
  mode = "dry_run" # "enforce" once the dry runs on the timelines look right
  # Never blocked by any action, on top of loopback and this host's own
  # addresses; add your office and monitoring networks.
  never_cidrs          = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
  max_targets_per_hour = 200
}

incidents {
  reopen_within = "24h"
  retention     = "5y"
}

source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}

rule "sshd-brute-force" {
  source = "auth"
  match = [
    "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
    "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity = "high"
  # Failed logins show an attempt, not access: the suggested risk
  # follows from that (docs/incidents.md), not only from the data held.
  indicates = ["attempt"]
  incident {
    title    = "SSH brute force from ${ip} (last user ${user})"
    category = "unauthorized-access"
  }
  actions = ["block-ip"]
}

action "nftables" "block-ip" {
  ttl = "1h"
  escalate {
    factor = 4
    max    = "7d"
  }
}
