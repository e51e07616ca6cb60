# The auth log source alone: replay reads, cuts and parses every line and
# evaluates no rule. The floor under every other figure.
source "file" "auth" {
  paths  = ["/var/log/auth.log"]
  format = "syslog"
}
