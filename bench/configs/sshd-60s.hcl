# The rule the generated log's ground truth is for (bench/authlog): 5 SSH
# authentication failures within 60 seconds from one address. The
# expressions are the shipped sshd pack's for the failures the generator
# writes (Failed password, Invalid user; configs/rules/sshd.hcl).
source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}

rule "sshd-5-in-60s" {
  source = "auth"
  match = [
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?:invalid user |illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: ssh[12])?$",
    "^Invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
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
