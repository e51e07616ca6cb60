config = ["sequence.hcl"]

test "failures, a success and a VPN session from one address" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2"
    repeat = 3
    source = "auth"
  }
  input {
    at     = "5s"
    line   = "Nov 23 10:00:05 web1 sshd[1]: Accepted password for deploy from 203.0.113.7 port 22 ssh2"
    source = "auth"
  }
  input {
    at     = "9m"
    line   = "ts=2026-11-23T10:09:00Z msg=\"vpn session opened\" user=deploy ip=203.0.113.7"
    source = "vpn"
  }
  expect {
    rule   = "compromised"
    key    = { ip = "203.0.113.7" }
    fields = { user = "deploy", vpnuser = "deploy" }
  }
}

test "the VPN session from elsewhere does not complete it" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 web1 sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2"
    repeat = 3
    source = "auth"
  }
  input {
    at     = "5s"
    line   = "Nov 23 10:00:05 web1 sshd[1]: Accepted publickey for deploy from 203.0.113.7 port 22 ssh2: ED25519 SHA256:x"
    source = "auth"
  }
  input {
    at     = "60s"
    line   = "ts=2026-11-23T10:01:00Z msg=\"vpn session opened\" user=deploy ip=198.51.100.9"
    source = "vpn"
  }
  expect_none { rule = "compromised" }
}
