config = ["rules.hcl"]

test "five failures in a minute" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2"
    repeat = 5
    every  = "10s"
  }
  # Four from another address: under the threshold.
  input {
    at     = "1s"
    line   = "Nov 23 10:00:01 web1 sshd[2]: Failed password for invalid user admin from 198.51.100.9 port 22 ssh2"
    repeat = 4
  }
  expect {
    rule   = "ssh-brute-force"
    key    = { ip = "203.0.113.7" }
    fields = { user = "root" }
  }
  expect_none {
    rule = "ssh-brute-force"
    key  = { ip = "198.51.100.9" }
  }
}

test "slow brute force is not caught" {
  start = "2026-11-23T10:00:00Z"
  every = "16s"
  lines = [
    "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
    "Nov 23 10:00:16 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
    "Nov 23 10:00:32 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
    "Nov 23 10:00:48 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
    "Nov 23 10:01:04 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
  ]
  expect_none { rule = "ssh-brute-force" }
}
