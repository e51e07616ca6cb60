# Variants of the Bitwarden (official server) and Vaultwarden lines
# bitwarden.hcl reads, one test each: as fail2ban's sample shows the
# official server's (Debian fail2ban 1.0.2, tests/files/logs/bitwarden,
# line cited) and as Vaultwarden's sources write its own (src/api/
# identity.rs, admin.rs, two_factor/authenticator.rs, src/error.rs).
#
#   breachd test configs/rules/bitwarden_test.hcl

config = ["sources.hcl", "bitwarden.hcl"]

# fail2ban sample bitwarden line 2: BaseRequestValidator, a wrong password;
# Serilog's [WRN], the time with its zone (+08:00) is the event's.
test "official: Failed login attempt. ADDR" {
  source = "bitwarden"
  start  = "2019-11-25T17:04:49Z"
  lines = [
    "2019-11-26 01:04:49.008 +08:00 [WRN] Failed login attempt. 192.168.0.16",
    "2019-11-26 01:04:50.008 +08:00 [WRN] Failed login attempt. 192.168.0.16",
    "2019-11-26 01:04:51.008 +08:00 [WRN] Failed login attempt. 192.168.0.16",
    "2019-11-26 01:04:52.008 +08:00 [WRN] Failed login attempt. 192.168.0.16",
    "2019-11-26 01:04:53.008 +08:00 [WRN] Failed login attempt. 192.168.0.16",
  ]
  expect {
    rule   = "bitwarden-auth-failures"
    key    = { ip = "192.168.0.16" }
    fields = { twofactor = "" }
  }
}

# fail2ban sample lines 5 and 8: a wrong second factor, [WRN] and the long
# [Warning] level.
test "official: 2FA invalid, [WRN] and [Warning]" {
  source = "bitwarden"
  start  = "2019-11-25T20:39:58Z"
  lines = [
    "2019-11-25 21:39:50.464 +01:00 [Warning] Failed login attempt, 2FA invalid. 192.168.0.21",
    "2019-11-25 21:39:51.464 +01:00 [WRN] Failed login attempt, 2FA invalid. 192.168.0.21",
    "2019-11-25 21:39:52.464 +01:00 [Warning] Failed login attempt, 2FA invalid. 192.168.0.21",
    "2019-11-25 21:39:53.464 +01:00 [WRN] Failed login attempt, 2FA invalid. 192.168.0.21",
    "2019-11-25 21:39:54.464 +01:00 [Warning] Failed login attempt, 2FA invalid. 192.168.0.21",
  ]
  expect {
    rule   = "bitwarden-auth-failures"
    key    = { ip = "192.168.0.21" }
    fields = { twofactor = ", 2FA invalid" }
  }
}

# fail2ban sample line 11: the syslog sink's shape, [SourceContext] before the
# message; an IPv6 client.
test "official: syslog sink shape, IPv6" {
  source = "bitwarden"
  start  = "2019-09-24T13:16:50Z"
  lines = [
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Core.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 192.168.0.23",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Core.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 192.168.0.23",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Core.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 192.168.0.23",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Core.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 192.168.0.23",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Core.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 192.168.0.23",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Identity.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 2001:db8::141",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Identity.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 2001:db8::141",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Identity.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 2001:db8::141",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Identity.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 2001:db8::141",
    "2019-09-24T13:16:50 e5a81dbf7fd1 Bitwarden-Identity[1]: [Bit.Identity.IdentityServer.ResourceOwnerPasswordValidator] Failed login attempt. 2001:db8::141",
  ]
  expect {
    rule = "bitwarden-auth-failures"
    key  = { ip = "192.168.0.23" }
  }
  expect {
    rule = "bitwarden-auth-failures"
    key  = { ip = "2001:db8::141" }
  }
}

# Not counted: LogFailedLoginEvent's default case (no address), other
# warnings, five failures over 20 minutes.
test "official: no address, other lines, slow failures" {
  source = "bitwarden"
  start  = "2024-01-15T10:20:10Z"
  lines = [
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt.",
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt.",
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt.",
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt.",
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt.",
    "2024-01-15 10:00:00.000 +00:00 [INF] Request finished in 12.3ms 200 application/json",
    "2024-01-15 10:00:00.000 +00:00 [INF] Request finished in 12.3ms 200 application/json",
    "2024-01-15 10:00:00.000 +00:00 [INF] Request finished in 12.3ms 200 application/json",
    "2024-01-15 10:00:00.000 +00:00 [INF] Request finished in 12.3ms 200 application/json",
    "2024-01-15 10:00:00.000 +00:00 [INF] Request finished in 12.3ms 200 application/json",
    "2024-01-15 10:00:00.000 +00:00 [WRN] Failed login attempt. 203.0.113.142",
    "2024-01-15 10:05:00.000 +00:00 [WRN] Failed login attempt. 203.0.113.142",
    "2024-01-15 10:10:00.000 +00:00 [WRN] Failed login attempt. 203.0.113.142",
    "2024-01-15 10:15:00.000 +00:00 [WRN] Failed login attempt. 203.0.113.142",
    "2024-01-15 10:20:00.000 +00:00 [WRN] Failed login attempt. 203.0.113.142",
  ]
  expect_none {
    rule = "bitwarden-auth-failures"
  }
}

# src/api/identity.rs password_login, no such user or a wrong password:
# err!(MSG, "IP: {}. Username: {username}."), logged by src/error.rs as
# "MSG. LOG"; the extended format's [time][target][LEVEL].
test "vaultwarden: Username or password is incorrect" {
  source = "vaultwarden"
  start  = "2024-01-15T10:00:00Z"
  lines = [
    "[2024-01-15 10:00:00.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.143. Username: alice@example.com.",
    "[2024-01-15 10:00:01.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.143. Username: alice@example.com.",
    "[2024-01-15 10:00:02.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.143. Username: alice@example.com.",
    "[2024-01-15 10:00:03.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.143. Username: alice@example.com.",
    "[2024-01-15 10:00:04.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.143. Username: alice@example.com.",
  ]
  expect {
    rule   = "vaultwarden-auth-failures"
    key    = { ip = "203.0.113.143" }
    fields = { user = "alice@example.com", level = "ERROR" }
  }
}

# bitwarden_rs (before the 1.21 rename): the same message under the old
# target, without milliseconds; an IPv6 client.
test "bitwarden_rs: old target, IPv6" {
  source = "vaultwarden"
  start  = "2020-06-01T10:00:00Z"
  lines = [
    "[2020-06-01 10:00:00][bitwarden_rs::api::identity][ERROR] Username or password is incorrect. Try again. IP: 2001:db8::144. Username: bob@example.com.",
    "[2020-06-01 10:00:01][bitwarden_rs::api::identity][ERROR] Username or password is incorrect. Try again. IP: 2001:db8::144. Username: bob@example.com.",
    "[2020-06-01 10:00:02][bitwarden_rs::api::identity][ERROR] Username or password is incorrect. Try again. IP: 2001:db8::144. Username: bob@example.com.",
    "[2020-06-01 10:00:03][bitwarden_rs::api::identity][ERROR] Username or password is incorrect. Try again. IP: 2001:db8::144. Username: bob@example.com.",
    "[2020-06-01 10:00:04][bitwarden_rs::api::identity][ERROR] Username or password is incorrect. Try again. IP: 2001:db8::144. Username: bob@example.com.",
  ]
  expect {
    rule   = "vaultwarden-auth-failures"
    key    = { ip = "2001:db8::144" }
    fields = { user = "bob@example.com" }
  }
}

# A disabled user, a device auth request with a wrong access code, the admin
# page's token (admin.rs), a wrong TOTP code (authenticator.rs): each counts.
test "vaultwarden: disabled, access code, admin token, TOTP" {
  source = "vaultwarden"
  start  = "2024-01-15T10:00:00Z"
  lines = [
    "[2024-01-15 10:00:00.001][vaultwarden::api::identity][ERROR] This user has been disabled. IP: 203.0.113.145. Username: carol@example.com.",
    "[2024-01-15 10:00:01.001][vaultwarden::api::identity][ERROR] Username or access code is incorrect. Try again. IP: 203.0.113.145. Username: carol@example.com.",
    "[2024-01-15 10:00:02.001][vaultwarden::api::admin][ERROR] Invalid admin token. IP: 203.0.113.145",
    "[2024-01-15 10:00:03.001][vaultwarden::api::core::two_factor::authenticator][ERROR] Invalid TOTP code! Server time: 2024-01-15 10:00:03 UTC IP: 203.0.113.145",
    "[2024-01-15 10:00:04.001][vaultwarden::api::admin][ERROR] Invalid admin token. IP: 203.0.113.145",
  ]
  expect {
    rule = "vaultwarden-auth-failures"
    key  = { ip = "203.0.113.145" }
  }
}

# A user name holding ". IP: 10.9.9.9. Username: x": the address comes first
# and is Vaultwarden's.
test "vaultwarden: hostile user name" {
  source = "vaultwarden"
  start  = "2024-01-15T10:00:00Z"
  lines = [
    "[2024-01-15 10:00:00.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.146. Username: x. IP: 10.9.9.9. Username: y.",
    "[2024-01-15 10:00:01.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.146. Username: x. IP: 10.9.9.9. Username: y.",
    "[2024-01-15 10:00:02.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.146. Username: x. IP: 10.9.9.9. Username: y.",
    "[2024-01-15 10:00:03.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.146. Username: x. IP: 10.9.9.9. Username: y.",
    "[2024-01-15 10:00:04.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: 203.0.113.146. Username: x. IP: 10.9.9.9. Username: y.",
  ]
  expect {
    rule   = "vaultwarden-auth-failures"
    key    = { ip = "203.0.113.146" }
    fields = { user = "x. IP: 10.9.9.9. Username: y" }
  }
  expect_none {
    rule = "vaultwarden-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# Not failures: a successful login, a WebSocket connection.
test "vaultwarden: successful logins" {
  source = "vaultwarden"
  start  = "2024-01-15T10:00:00Z"
  lines = [
    "[2024-01-15 10:00:00.123][vaultwarden::api::identity][INFO] User alice@example.com logged in successfully. IP: 203.0.113.147",
    "[2024-01-15 10:00:01.123][vaultwarden::api::identity][INFO] User alice@example.com logged in successfully. IP: 203.0.113.147",
    "[2024-01-15 10:00:02.123][vaultwarden::api::identity][INFO] User alice@example.com logged in successfully. IP: 203.0.113.147",
    "[2024-01-15 10:00:03.123][vaultwarden::api::identity][INFO] User alice@example.com logged in successfully. IP: 203.0.113.147",
    "[2024-01-15 10:00:04.123][vaultwarden::api::identity][INFO] User alice@example.com logged in successfully. IP: 203.0.113.147",
    "[2024-01-15 10:00:05.123][vaultwarden::api::notifications][INFO] Accepting Rocket WS connection from 203.0.113.147",
    "[2024-01-15 10:00:06.123][vaultwarden::api::notifications][INFO] Accepting Rocket WS connection from 203.0.113.147",
    "[2024-01-15 10:00:07.123][vaultwarden::api::notifications][INFO] Accepting Rocket WS connection from 203.0.113.147",
    "[2024-01-15 10:00:08.123][vaultwarden::api::notifications][INFO] Accepting Rocket WS connection from 203.0.113.147",
    "[2024-01-15 10:00:09.123][vaultwarden::api::notifications][INFO] Accepting Rocket WS connection from 203.0.113.147",
  ]
  expect_none {
    rule = "vaultwarden-auth-failures"
  }
}
