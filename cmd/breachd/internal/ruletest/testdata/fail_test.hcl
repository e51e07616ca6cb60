config = ["rules.hcl"]

test "expects the wrong address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2"
    repeat = 5
  }
  expect {
    rule = "ssh-brute-force"
    key  = { ip = "192.0.2.1" }
  }
}

test "passes" {
  lines = ["nothing"]
}
