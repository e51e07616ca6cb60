source "file" "auth" {
  paths    = ["/var/log/auth.log"]
  format   = "syslog"
  timezone = "UTC"
}
source "file" "vpn" {
  paths  = ["/var/log/vpn.log"]
  format = "logfmt"
  fields = { ip = "ip", vpnuser = "user" }
}
rule "compromised" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "10m"
    step "failures" {
      match = "^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?$"
      count = 3
    }
    step "success" {
      match = "^Accepted (password|publickey) for (?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?"
    }
    step "vpn" {
      source = "vpn"
      match  = "vpn session opened"
    }
  }
  incident { title = "${user} compromised from ${ip}" }
}
