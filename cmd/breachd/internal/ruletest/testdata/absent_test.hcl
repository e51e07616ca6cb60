config = ["absent.hcl"]

test "a host that stops logging" {
  start = "2026-11-23T10:00:00Z"
  until = "2h"
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web1 CRON[1]: session opened"
  }
  input {
    at   = "0s"
    line = "Nov 23 10:00:00 web2 CRON[1]: session opened"
  }
  input {
    at   = "29m"
    line = "Nov 23 10:29:00 web2 CRON[1]: session opened"
  }
  input {
    at   = "59m"
    line = "Nov 23 10:59:00 web2 CRON[1]: session opened"
  }
  # web1 went silent at 10:30; web2 at 11:29 (seen at the end, 12:00).
  expect {
    rule = "host-silent"
    key  = { host = "web1" }
  }
  expect {
    rule = "host-silent"
    key  = { host = "web2" }
  }
}
