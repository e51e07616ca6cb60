# Rule tests for the quick start's rule:
#
#   go run ./cmd/breachd test configs/examples/quickstart_test.hcl

config = ["quickstart.hcl"]

test "five failures from one address open one finding" {
  start = "2026-11-23T10:00:00Z"
  lines = [
    "Nov 23 10:00:00 web1 sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2",
    "Nov 23 10:00:01 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40001 ssh2",
    "Nov 23 10:00:02 web1 sshd[4242]: Failed password for root from 198.51.100.9 port 50000 ssh2",
    "Nov 23 10:00:03 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40002 ssh2",
    "Nov 23 10:00:04 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40003 ssh2",
    "Nov 23 10:00:05 web1 sshd[4242]: Failed password for root from 203.0.113.7 port 40004 ssh2",
  ]
  expect {
    rule   = "ssh-brute-force"
    key    = { ip = "203.0.113.7" }
    fields = { user = "root" }
  }
}

test "the administrators' own networks and other programs are ignored" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 10.1.2.3 port 22 ssh2"
    repeat = 5
  }
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from ::1 port 22 ssh2"
    repeat = 5
  }
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 fakesshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2"
    repeat = 5
  }
  expect_none { rule = "ssh-brute-force" }
}

test "a user name that looks like an address is not the address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for invalid user x from 198.51.100.1 port 22 from 203.0.113.50 port 22 ssh2"
    repeat = 5
  }
  expect {
    rule   = "ssh-brute-force"
    key    = { ip = "203.0.113.50" }
    fields = { user = "x from 198.51.100.1 port 22" }
  }
}
