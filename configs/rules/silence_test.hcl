# Tests of silence.hcl.

config = ["sources.hcl", "silence.hcl"]

test "an auth log that stops for more than two hours" {
  start = "2026-11-23T10:00:00Z"
  until = "4h"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 CRON[1]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  input {
    at     = "3600s"
    line   = "Nov 23 11:00:00 web1 CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  expect { rule = "auth-log-silent" }
}

test "hourly cron sessions keep it alive" {
  start = "2026-11-23T10:00:00Z"
  until = "3h30m"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 CRON[0]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  input {
    at     = "3600s"
    line   = "Nov 23 11:00:00 web1 CRON[1]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  input {
    at     = "7200s"
    line   = "Nov 23 12:00:00 web1 CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  input {
    at     = "10800s"
    line   = "Nov 23 13:00:00 web1 CRON[3]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
    source = "auth"
  }
  expect_none { rule = "auth-log-silent" }
}
