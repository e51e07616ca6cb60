# The rule the generated log's ground truth is for (bench/authlog): 5 SSH
# authentication failures within 60 seconds from one address. The
# expressions are the shipped sshd pack's.
source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}

rule "sshd-5-in-60s" {
  source = "auth"
  match = [
    "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
    "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "60s"
    group_by = ["ip"]
    cooldown = "24h"
  }
  severity = "high"
  # Failed logins show an attempt, not access: the suggested risk
  # follows from that (docs/incidents.md), not only from the data held.
  indicates = ["attempt"]
  incident {
    title    = "SSH brute force from ${ip}"
    category = "unauthorized-access"
  }
}
