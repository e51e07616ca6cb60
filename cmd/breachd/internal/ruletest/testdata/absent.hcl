source "file" "auth" {
  paths    = ["/var/log/auth.log"]
  format   = "syslog"
  timezone = "UTC"
}
rule "host-silent" {
  source = "auth"
  absent {
    within   = "30m"
    group_by = ["host"]
  }
  incident { title = "${host} went silent" }
}
