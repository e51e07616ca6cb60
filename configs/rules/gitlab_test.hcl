# Variants of the GitLab line gitlab.hcl reads, as GitLab 8-17 writes it to
# application.log (app/controllers/sessions_controller.rb, the log call
# cited) or as fail2ban's sample shows it (Debian fail2ban 1.0.2,
# tests/files/logs/gitlab, line cited).
#
#   breachd test configs/rules/gitlab_test.hcl

config = ["sources.hcl", "gitlab.hcl"]
source = "gitlab"

# fail2ban sample gitlab line 3: SessionsController#log_failed_login.
test "Failed Login: username=U ip=ADDR" {
  start = "2020-04-09T14:04:00Z"
  input {
    at   = "0s"
    line = "2020-04-09T14:04:00.667Z: Failed Login: username=admin ip=80.10.11.12"
  }
  input {
    at   = "1s"
    line = "2020-04-09T14:04:01.667Z: Failed Login: username=admin ip=80.10.11.12"
  }
  input {
    at   = "2s"
    line = "2020-04-09T14:04:02.667Z: Failed Login: username=admin ip=80.10.11.12"
  }
  input {
    at   = "3s"
    line = "2020-04-09T14:04:03.667Z: Failed Login: username=admin ip=80.10.11.12"
  }
  input {
    at   = "4s"
    line = "2020-04-09T14:04:04.667Z: Failed Login: username=admin ip=80.10.11.12"
  }
  expect {
    rule   = "gitlab-auth-failures"
    key    = { ip = "80.10.11.12" }
    fields = { user = "admin" }
  }
}

# fail2ban sample line 5: a login with a space (the client's text as typed).
test "a login with a space" {
  start = "2020-04-09T14:04:00Z"
  input {
    at   = "0s"
    line = "2020-04-09T14:04:00.667Z: Failed Login: username=user name ip=203.0.113.131"
  }
  input {
    at   = "1s"
    line = "2020-04-09T14:04:01.667Z: Failed Login: username=user name ip=203.0.113.131"
  }
  input {
    at   = "2s"
    line = "2020-04-09T14:04:02.667Z: Failed Login: username=user name ip=203.0.113.131"
  }
  input {
    at   = "3s"
    line = "2020-04-09T14:04:03.667Z: Failed Login: username=user name ip=203.0.113.131"
  }
  input {
    at   = "4s"
    line = "2020-04-09T14:04:04.667Z: Failed Login: username=user name ip=203.0.113.131"
  }
  expect {
    rule   = "gitlab-auth-failures"
    key    = { ip = "203.0.113.131" }
    fields = { user = "user name" }
  }
}

# request.remote_ip of an IPv6 client, and of an IPv4 client on a dual-stack
# socket.
test "IPv6 and IPv4-mapped" {
  start = "2020-04-09T14:04:00Z"
  input {
    at   = "0s"
    line = "2020-04-09T14:04:00.667Z: Failed Login: username=root ip=2001:db8::132"
  }
  input {
    at   = "1s"
    line = "2020-04-09T14:04:01.667Z: Failed Login: username=root ip=2001:db8::132"
  }
  input {
    at   = "2s"
    line = "2020-04-09T14:04:02.667Z: Failed Login: username=root ip=2001:db8::132"
  }
  input {
    at   = "3s"
    line = "2020-04-09T14:04:03.667Z: Failed Login: username=root ip=2001:db8::132"
  }
  input {
    at   = "4s"
    line = "2020-04-09T14:04:04.667Z: Failed Login: username=root ip=2001:db8::132"
  }
  input {
    at   = "10s"
    line = "2020-04-09T14:04:10.667Z: Failed Login: username=root ip=::ffff:203.0.113.133"
  }
  input {
    at   = "11s"
    line = "2020-04-09T14:04:11.667Z: Failed Login: username=root ip=::ffff:203.0.113.133"
  }
  input {
    at   = "12s"
    line = "2020-04-09T14:04:12.667Z: Failed Login: username=root ip=::ffff:203.0.113.133"
  }
  input {
    at   = "13s"
    line = "2020-04-09T14:04:13.667Z: Failed Login: username=root ip=::ffff:203.0.113.133"
  }
  input {
    at   = "14s"
    line = "2020-04-09T14:04:14.667Z: Failed Login: username=root ip=::ffff:203.0.113.133"
  }
  expect {
    rule = "gitlab-auth-failures"
    key  = { ip = "2001:db8::132" }
  }
  expect {
    rule = "gitlab-auth-failures"
    key  = { ip = "203.0.113.133" }
  }
}

# A login holding "ip=10.9.9.9": the address GitLab wrote ends the line.
test "hostile login: the address is the last word" {
  start = "2020-04-09T14:04:00Z"
  input {
    at   = "0s"
    line = "2020-04-09T14:04:00.667Z: Failed Login: username=x ip=10.9.9.9 ip=203.0.113.134"
  }
  input {
    at   = "1s"
    line = "2020-04-09T14:04:01.667Z: Failed Login: username=x ip=10.9.9.9 ip=203.0.113.134"
  }
  input {
    at   = "2s"
    line = "2020-04-09T14:04:02.667Z: Failed Login: username=x ip=10.9.9.9 ip=203.0.113.134"
  }
  input {
    at   = "3s"
    line = "2020-04-09T14:04:03.667Z: Failed Login: username=x ip=10.9.9.9 ip=203.0.113.134"
  }
  input {
    at   = "4s"
    line = "2020-04-09T14:04:04.667Z: Failed Login: username=x ip=10.9.9.9 ip=203.0.113.134"
  }
  expect {
    rule   = "gitlab-auth-failures"
    key    = { ip = "203.0.113.134" }
    fields = { user = "x ip=10.9.9.9" }
  }
  expect_none {
    rule = "gitlab-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# Not failures: a sign-out (SessionsController#destroy logs "User Logout:
# username=U ip=ADDR").
test "not counted: User Logout" {
  start = "2020-04-09T14:04:00Z"
  input {
    at   = "0s"
    line = "2020-04-09T14:04:00.667Z: User Logout: username=alice ip=203.0.113.135"
  }
  input {
    at   = "1s"
    line = "2020-04-09T14:04:01.667Z: User Logout: username=alice ip=203.0.113.135"
  }
  input {
    at   = "2s"
    line = "2020-04-09T14:04:02.667Z: User Logout: username=alice ip=203.0.113.135"
  }
  input {
    at   = "3s"
    line = "2020-04-09T14:04:03.667Z: User Logout: username=alice ip=203.0.113.135"
  }
  input {
    at   = "4s"
    line = "2020-04-09T14:04:04.667Z: User Logout: username=alice ip=203.0.113.135"
  }
  expect_none {
    rule = "gitlab-auth-failures"
  }
}

# Five failures written over 20 minutes, read within 5 seconds: the window is
# measured by the lines' own times.
test "five failures over 20 minutes do not fire" {
  start = "2020-04-09T14:30:00Z"
  lines = [
    "2020-04-09T14:04:00.000Z: Failed Login: username=admin ip=203.0.113.136",
    "2020-04-09T14:09:00.000Z: Failed Login: username=admin ip=203.0.113.136",
    "2020-04-09T14:14:00.000Z: Failed Login: username=admin ip=203.0.113.136",
    "2020-04-09T14:19:00.000Z: Failed Login: username=admin ip=203.0.113.136",
    "2020-04-09T14:24:00.000Z: Failed Login: username=admin ip=203.0.113.136",
  ]
  expect_none {
    rule = "gitlab-auth-failures"
  }
}
