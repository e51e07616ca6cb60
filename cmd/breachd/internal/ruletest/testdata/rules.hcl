source "file" "auth" {
  paths    = ["/var/log/auth.log"]
  format   = "syslog"
  timezone = "UTC"
}
rule "ssh-brute-force" {
  source = "auth"
  match  = "^Failed password for (invalid user )?(?P<user>\\S*) from (?P<ip>\\S+) port \\d+"
  where  = "program == 'sshd'"
  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
}
