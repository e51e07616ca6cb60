# Variants of every Gitea line gitea.hcl reads, one test each, as Gitea
# 1.4-1.23 (and Forgejo) write them to gitea.log: the log call and error
# type cited per test (routers/web/auth/auth.go SignInPost, models/user
# errors, modules/log's prefix). fail2ban ships no Gitea sample.
#
#   breachd test configs/rules/gitea_test.hcl

config = ["sources.hcl", "gitea.hcl"]
source = "gitea"

# 1.22+ SignInPost, unknown user: ErrUserNotExist{Name: the typed name}, IPv4 with
# its port (ctx.RemoteAddr() is the request's RemoteAddr).
test "1.22+: user does not exist, IPv4:port" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.81:50432: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.81:50432: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.81:50432: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.81:50432: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.81:50432: user does not exist [uid: 0, name: admin]"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.81" }
    fields = { user = "admin", reason = "user does not exist", account = "admin" }
  }
}

# 1.22+ SignInPost, wrong password: ErrUserPasswordInvalid{UID, Name: the account's
# name}, here after a login by e-mail address; IPv6 in brackets with a port.
test "1.22+: user's password is invalid, login by e-mail, [IPv6]:port" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for alice@example.com from [2001:db8::82]:40022: user's password is invalid [uid: 3, name: alice]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for alice@example.com from [2001:db8::82]:40022: user's password is invalid [uid: 3, name: alice]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for alice@example.com from [2001:db8::82]:40022: user's password is invalid [uid: 3, name: alice]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for alice@example.com from [2001:db8::82]:40022: user's password is invalid [uid: 3, name: alice]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for alice@example.com from [2001:db8::82]:40022: user's password is invalid [uid: 3, name: alice]"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "2001:db8::82" }
    fields = { user = "alice@example.com", reason = "user's password is invalid", account = "alice" }
  }
}

# Before 1.22 a wrong password was ErrUserNotExist{UID, Name: the account's name}
# (the name differs from the typed one: case, e-mail); before 1.20 the error
# also had keyid. The file:function part is longer in 1.9-1.15
# (routers/user/auth.go).
test "1.9-1.21: user does not exist with uid and keyid, account name" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...ers/user/auth.go:180:SignInPost() [I] Failed authentication attempt for Alice from 203.0.113.83:1234: user does not exist [uid: 3, name: alice, keyid: 0]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...ers/user/auth.go:180:SignInPost() [I] Failed authentication attempt for Alice from 203.0.113.83:1234: user does not exist [uid: 3, name: alice, keyid: 0]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...ers/user/auth.go:180:SignInPost() [I] Failed authentication attempt for Alice from 203.0.113.83:1234: user does not exist [uid: 3, name: alice, keyid: 0]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...ers/user/auth.go:180:SignInPost() [I] Failed authentication attempt for Alice from 203.0.113.83:1234: user does not exist [uid: 3, name: alice, keyid: 0]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...ers/user/auth.go:180:SignInPost() [I] Failed authentication attempt for Alice from 203.0.113.83:1234: user does not exist [uid: 3, name: alice, keyid: 0]"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.83" }
    fields = { user = "Alice", account = "alice" }
  }
}

# ErrUserProhibitLogin and ErrUserInactive (without RegisterEmailConfirm):
# the password was right but the account may not log in; counted, as the
# documentation's filter does. Behind a reverse proxy (RealIP) the address
# has no port; a bare IPv6 one.
test "prohibited and inactive users, behind a proxy (no port), bare IPv6" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for bob from 203.0.113.84: user is not allowed login [uid: 4, name: bob]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for bob from 203.0.113.84: user is not allowed login [uid: 4, name: bob]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for bob from 203.0.113.84: user is not allowed login [uid: 4, name: bob]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for bob from 203.0.113.84: user is inactive [uid: 4, name: bob]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for bob from 203.0.113.84: user is inactive [uid: 4, name: bob]"
  }
  input {
    at   = "10s"
    line = "2024/01/15 10:00:10 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for carol from 2001:db8::85: user does not exist [uid: 0, name: carol]"
  }
  input {
    at   = "11s"
    line = "2024/01/15 10:00:11 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for carol from 2001:db8::85: user does not exist [uid: 0, name: carol]"
  }
  input {
    at   = "12s"
    line = "2024/01/15 10:00:12 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for carol from 2001:db8::85: user does not exist [uid: 0, name: carol]"
  }
  input {
    at   = "13s"
    line = "2024/01/15 10:00:13 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for carol from 2001:db8::85: user does not exist [uid: 0, name: carol]"
  }
  input {
    at   = "14s"
    line = "2024/01/15 10:00:14 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for carol from 2001:db8::85: user does not exist [uid: 0, name: carol]"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.84" }
    fields = { reason = "user is inactive", account = "bob" }
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "2001:db8::85" }
    fields = { user = "carol" }
  }
}

# Gitea 1.4-era lines (the documentation's fail2ban example): no file or
# function, the message ends with the address; an IPv4-mapped address in
# brackets.
test "old shape: [I] Failed authentication attempt for U from ADDR" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 [I] Failed authentication attempt for user from 203.0.113.86"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 [I] Failed authentication attempt for user from 203.0.113.86"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 [I] Failed authentication attempt for user from 203.0.113.86"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 [I] Failed authentication attempt for user from 203.0.113.86"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 [I] Failed authentication attempt for user from 203.0.113.86"
  }
  input {
    at   = "10s"
    line = "2024/01/15 10:00:10 [I] Failed authentication attempt for user from [::ffff:203.0.113.87]:5555"
  }
  input {
    at   = "11s"
    line = "2024/01/15 10:00:11 [I] Failed authentication attempt for user from [::ffff:203.0.113.87]:5555"
  }
  input {
    at   = "12s"
    line = "2024/01/15 10:00:12 [I] Failed authentication attempt for user from [::ffff:203.0.113.87]:5555"
  }
  input {
    at   = "13s"
    line = "2024/01/15 10:00:13 [I] Failed authentication attempt for user from [::ffff:203.0.113.87]:5555"
  }
  input {
    at   = "14s"
    line = "2024/01/15 10:00:14 [I] Failed authentication attempt for user from [::ffff:203.0.113.87]:5555"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.86" }
    fields = { user = "user" }
  }
  expect {
    rule = "gitea-auth-failures"
    key  = { ip = "203.0.113.87" }
  }
}

# Microseconds flag and a gopid field after the level ("[no-gopid]" in 1.20+).
test "microseconds and [no-gopid]" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00.123456 ...eb/auth/auth.go:216:SignInPost() [I] [no-gopid] Failed authentication attempt for root from 203.0.113.88:999: user does not exist [uid: 0, name: root]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01.123456 ...eb/auth/auth.go:216:SignInPost() [I] [no-gopid] Failed authentication attempt for root from 203.0.113.88:999: user does not exist [uid: 0, name: root]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02.123456 ...eb/auth/auth.go:216:SignInPost() [I] [no-gopid] Failed authentication attempt for root from 203.0.113.88:999: user does not exist [uid: 0, name: root]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03.123456 ...eb/auth/auth.go:216:SignInPost() [I] [no-gopid] Failed authentication attempt for root from 203.0.113.88:999: user does not exist [uid: 0, name: root]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04.123456 ...eb/auth/auth.go:216:SignInPost() [I] [no-gopid] Failed authentication attempt for root from 203.0.113.88:999: user does not exist [uid: 0, name: root]"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.88" }
    fields = { user = "root" }
  }
}

# A typed name holding " from 10.9.9.9: user does not exist [uid: 0, name: ":
# the name in the error must be the one before "from", so the line is read
# with the address Gitea wrote.
test "hostile user names: the address is Gitea's" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.9 from 203.0.113.89:1: user does not exist [uid: 0, name: x from 10.9.9.9]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.9 from 203.0.113.89:1: user does not exist [uid: 0, name: x from 10.9.9.9]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.9 from 203.0.113.89:1: user does not exist [uid: 0, name: x from 10.9.9.9]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.9 from 203.0.113.89:1: user does not exist [uid: 0, name: x from 10.9.9.9]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.9 from 203.0.113.89:1: user does not exist [uid: 0, name: x from 10.9.9.9]"
  }
  input {
    at   = "10s"
    line = "2024/01/15 10:00:10 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.8:1: user is inactive [uid: 1, name: y] from 203.0.113.90:1: user does not exist [uid: 0, name: x from 10.9.9.8:1: user is inactive [uid: 1, name: y]]"
  }
  input {
    at   = "11s"
    line = "2024/01/15 10:00:11 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.8:1: user is inactive [uid: 1, name: y] from 203.0.113.90:1: user does not exist [uid: 0, name: x from 10.9.9.8:1: user is inactive [uid: 1, name: y]]"
  }
  input {
    at   = "12s"
    line = "2024/01/15 10:00:12 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.8:1: user is inactive [uid: 1, name: y] from 203.0.113.90:1: user does not exist [uid: 0, name: x from 10.9.9.8:1: user is inactive [uid: 1, name: y]]"
  }
  input {
    at   = "13s"
    line = "2024/01/15 10:00:13 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.8:1: user is inactive [uid: 1, name: y] from 203.0.113.90:1: user does not exist [uid: 0, name: x from 10.9.9.8:1: user is inactive [uid: 1, name: y]]"
  }
  input {
    at   = "14s"
    line = "2024/01/15 10:00:14 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from 10.9.9.8:1: user is inactive [uid: 1, name: y] from 203.0.113.90:1: user does not exist [uid: 0, name: x from 10.9.9.8:1: user is inactive [uid: 1, name: y]]"
  }
  input {
    at   = "20s"
    line = "2024/01/15 10:00:20 [I] Failed authentication attempt for x from 10.9.9.7 from 203.0.113.91"
  }
  input {
    at   = "21s"
    line = "2024/01/15 10:00:21 [I] Failed authentication attempt for x from 10.9.9.7 from 203.0.113.91"
  }
  input {
    at   = "22s"
    line = "2024/01/15 10:00:22 [I] Failed authentication attempt for x from 10.9.9.7 from 203.0.113.91"
  }
  input {
    at   = "23s"
    line = "2024/01/15 10:00:23 [I] Failed authentication attempt for x from 10.9.9.7 from 203.0.113.91"
  }
  input {
    at   = "24s"
    line = "2024/01/15 10:00:24 [I] Failed authentication attempt for x from 10.9.9.7 from 203.0.113.91"
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.89" }
    fields = { user = "x from 10.9.9.9" }
  }
  expect {
    rule = "gitea-auth-failures"
    key  = { ip = "203.0.113.90" }
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.91" }
    fields = { user = "x from 10.9.9.7" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "10.9.9.7" }
  }
}

# Names built so that the end of the line (the error repeating the typed
# name) looks like another shape: an account's error naming 10.9.9.5, the
# injected address repeated last, a bracketed address closing the line.
# Gitea wrote "user does not exist [uid: 0, name: NAME]" for each: the
# first counts for the address Gitea wrote; the others cannot be read so
# that the names agree, and are not counted rather than counted for the
# injected address.
test "names crafted to end the line like another shape" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.5: user's password is invalid [uid: 3, name: a from 203.0.113.95:1: user does not exist [uid: 0, name: a from 10.9.9.5: user's password is invalid [uid: 3, name: a]"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.5: user's password is invalid [uid: 3, name: a from 203.0.113.95:1: user does not exist [uid: 0, name: a from 10.9.9.5: user's password is invalid [uid: 3, name: a]"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.5: user's password is invalid [uid: 3, name: a from 203.0.113.95:1: user does not exist [uid: 0, name: a from 10.9.9.5: user's password is invalid [uid: 3, name: a]"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.5: user's password is invalid [uid: 3, name: a from 203.0.113.95:1: user does not exist [uid: 0, name: a from 10.9.9.5: user's password is invalid [uid: 3, name: a]"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.5: user's password is invalid [uid: 3, name: a from 203.0.113.95:1: user does not exist [uid: 0, name: a from 10.9.9.5: user's password is invalid [uid: 3, name: a]"
  }
  input {
    at   = "10s"
    line = "2024/01/15 10:00:10 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.6: user does not exist [uid: 0, name: a from 203.0.113.92:1: user does not exist [uid: 0, name: a from 10.9.9.6: user does not exist [uid: 0, name: a]"
  }
  input {
    at   = "11s"
    line = "2024/01/15 10:00:11 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.6: user does not exist [uid: 0, name: a from 203.0.113.92:1: user does not exist [uid: 0, name: a from 10.9.9.6: user does not exist [uid: 0, name: a]"
  }
  input {
    at   = "12s"
    line = "2024/01/15 10:00:12 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.6: user does not exist [uid: 0, name: a from 203.0.113.92:1: user does not exist [uid: 0, name: a from 10.9.9.6: user does not exist [uid: 0, name: a]"
  }
  input {
    at   = "13s"
    line = "2024/01/15 10:00:13 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.6: user does not exist [uid: 0, name: a from 203.0.113.92:1: user does not exist [uid: 0, name: a from 10.9.9.6: user does not exist [uid: 0, name: a]"
  }
  input {
    at   = "14s"
    line = "2024/01/15 10:00:14 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for a from 10.9.9.6: user does not exist [uid: 0, name: a from 203.0.113.92:1: user does not exist [uid: 0, name: a from 10.9.9.6: user does not exist [uid: 0, name: a]"
  }
  input {
    at   = "20s"
    line = "2024/01/15 10:00:20 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from [2001:db8::66 from 203.0.113.96:1: user does not exist [uid: 0, name: x from [2001:db8::66]"
  }
  input {
    at   = "21s"
    line = "2024/01/15 10:00:21 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from [2001:db8::66 from 203.0.113.96:1: user does not exist [uid: 0, name: x from [2001:db8::66]"
  }
  input {
    at   = "22s"
    line = "2024/01/15 10:00:22 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from [2001:db8::66 from 203.0.113.96:1: user does not exist [uid: 0, name: x from [2001:db8::66]"
  }
  input {
    at   = "23s"
    line = "2024/01/15 10:00:23 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from [2001:db8::66 from 203.0.113.96:1: user does not exist [uid: 0, name: x from [2001:db8::66]"
  }
  input {
    at   = "24s"
    line = "2024/01/15 10:00:24 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for x from [2001:db8::66 from 203.0.113.96:1: user does not exist [uid: 0, name: x from [2001:db8::66]"
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "10.9.9.5" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "10.9.9.6" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "2001:db8::66" }
  }
  expect_none {
    rule = "gitea-auth-failures"
    key  = { ip = "203.0.113.92" }
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.96" }
    fields = { user = "x from [2001:db8::66" }
  }
  expect {
    rule   = "gitea-auth-failures"
    key    = { ip = "203.0.113.95" }
    fields = { user = "a from 10.9.9.5: user's password is invalid [uid: 3, name: a" }
  }
}

# Not failures: a WebAuthn assertion error (second factor; the error text is
# the library's), the OAuth callback, other Info lines, a Failed line whose
# error is another (e-mail already in use, server errors).
test "not counted: WebAuthn, OAuth, other errors" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...auth/webauthn.go:120:WebAuthnLoginAssertionPost() [I] Failed authentication attempt for alice from 203.0.113.93:1: Error validating the assertion signature: Signature invalid"
  }
  input {
    at   = "1s"
    line = "2024/01/15 10:00:01 ...auth/webauthn.go:120:WebAuthnLoginAssertionPost() [I] Failed authentication attempt for alice from 203.0.113.93:1: Error validating the assertion signature: Signature invalid"
  }
  input {
    at   = "2s"
    line = "2024/01/15 10:00:02 ...auth/webauthn.go:120:WebAuthnLoginAssertionPost() [I] Failed authentication attempt for alice from 203.0.113.93:1: Error validating the assertion signature: Signature invalid"
  }
  input {
    at   = "3s"
    line = "2024/01/15 10:00:03 ...auth/webauthn.go:120:WebAuthnLoginAssertionPost() [I] Failed authentication attempt for alice from 203.0.113.93:1: Error validating the assertion signature: Signature invalid"
  }
  input {
    at   = "4s"
    line = "2024/01/15 10:00:04 ...auth/webauthn.go:120:WebAuthnLoginAssertionPost() [I] Failed authentication attempt for alice from 203.0.113.93:1: Error validating the assertion signature: Signature invalid"
  }
  input {
    at   = "10s"
    line = "2024/01/15 10:00:10 ...eb/auth/oauth.go:900:SignInOAuthCallback() [I] Failed OAuth callback: (access_denied) denied"
  }
  input {
    at   = "11s"
    line = "2024/01/15 10:00:11 ...eb/auth/oauth.go:900:SignInOAuthCallback() [I] Failed OAuth callback: (access_denied) denied"
  }
  input {
    at   = "12s"
    line = "2024/01/15 10:00:12 ...eb/auth/oauth.go:900:SignInOAuthCallback() [I] Failed OAuth callback: (access_denied) denied"
  }
  input {
    at   = "13s"
    line = "2024/01/15 10:00:13 ...eb/auth/oauth.go:900:SignInOAuthCallback() [I] Failed OAuth callback: (access_denied) denied"
  }
  input {
    at   = "14s"
    line = "2024/01/15 10:00:14 ...eb/auth/oauth.go:900:SignInOAuthCallback() [I] Failed OAuth callback: (access_denied) denied"
  }
  input {
    at   = "20s"
    line = "2024/01/15 10:00:20 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for dave@example.com from 203.0.113.93:1: e-mail already in use [email: dave@example.com]"
  }
  input {
    at   = "21s"
    line = "2024/01/15 10:00:21 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for dave@example.com from 203.0.113.93:1: e-mail already in use [email: dave@example.com]"
  }
  input {
    at   = "22s"
    line = "2024/01/15 10:00:22 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for dave@example.com from 203.0.113.93:1: e-mail already in use [email: dave@example.com]"
  }
  input {
    at   = "23s"
    line = "2024/01/15 10:00:23 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for dave@example.com from 203.0.113.93:1: e-mail already in use [email: dave@example.com]"
  }
  input {
    at   = "24s"
    line = "2024/01/15 10:00:24 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for dave@example.com from 203.0.113.93:1: e-mail already in use [email: dave@example.com]"
  }
  expect_none {
    rule = "gitea-auth-failures"
  }
}

# Five failures spread over 20 minutes (by the lines' own times) do not fire.
test "five failures over 20 minutes do not fire" {
  start = "2024-01-15T10:00:00Z"
  input {
    at   = "0s"
    line = "2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.94:1: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "300s"
    line = "2024/01/15 10:05:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.94:1: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "600s"
    line = "2024/01/15 10:10:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.94:1: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "900s"
    line = "2024/01/15 10:15:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.94:1: user does not exist [uid: 0, name: admin]"
  }
  input {
    at   = "1200s"
    line = "2024/01/15 10:20:00 ...eb/auth/auth.go:216:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.94:1: user does not exist [uid: 0, name: admin]"
  }
  expect_none {
    rule = "gitea-auth-failures"
  }
}
