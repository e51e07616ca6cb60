# Bitwarden: failed logins to the official self-hosted server's Identity
# service and to Vaultwarden (the Rust server), per client address (`ip`).
# bitwarden-auth-failures replaces fail2ban's bitwarden jail. See
# docs/rules.md "The bitwarden pack".

# The official server's Identity log (bwdata/logs/identity/Identity/, one
# Serilog file a day: log<date>.txt, or log.txt), lines
#   {Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message}
# ([Warning] with older templates); the time, with its zone, is the
# event's. Lines of its syslog sink ("2019-09-24T13:16:50 HOST
# Bitwarden-Identity[1]: [SourceContext] Message") are read too, without
# a time of their own.
source "file" "bitwarden" {
  paths = [
    "/opt/bitwarden/bwdata/logs/identity/Identity/log*.txt",
    "/home/*/bwdata/logs/identity/Identity/log*.txt",
  ]
  format      = "regex"
  pattern     = "^(?:(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? [+-]\\d\\d:\\d\\d) \\[(?P<level>[A-Za-z]+)\\]|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\S* \\S+ Bitwarden-[A-Za-z]+(?:\\[\\d+\\])?:) (?P<message>.*)$"
  time_layout = "2006-01-02 15:04:05 -07:00"
}

# src/Identity/IdentityServer/BaseRequestValidator.cs (Bit.Core's
# IdentityServer/BaseRequestValidator.cs before 2023), self-hosted only:
#   _logger.LogWarning(Constants.BypassFiltersEventId,
#     string.Format("Failed login attempt{0}{1}", twoFactorRequest ?
#       ", 2FA invalid." : ".", $" {CurrentContext.IpAddress}"))
# (LogFailedLoginEvent in 2024+ writes the same two texts.) IpAddress is
# the request's (X-Forwarded-For from Bitwarden's own nginx). The line
# holds no client text. Not counted: LogFailedLoginEvent's default case,
# "Failed login attempt." without an address.
rule "bitwarden-auth-failures" {
  source = "bitwarden"
  match  = "^(?:\\[[A-Za-z0-9_.]+\\] )?Failed login attempt(?P<twofactor>, 2FA invalid)?\\. (?P<ip>[0-9A-Fa-f:.]+)$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Bitwarden login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Vaultwarden's log file (LOG_FILE: unset by default, so set it; the
# paths are the ones its documentation and Docker image use). With
# EXTENDED_LOGGING (the default) src/main.rs writes
#   [{LOG_TIMESTAMP_FORMAT}][{target}][{LEVEL}] {message}
# the time in "%Y-%m-%d %H:%M:%S.%3f", local, without a zone: read as UTC.
source "file" "vaultwarden" {
  paths = [
    "/var/log/vaultwarden.log",
    "/var/log/vaultwarden/vaultwarden.log",
    "/data/vaultwarden.log",
  ]
  format      = "regex"
  pattern     = "^\\[(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)?\\]\\[(?P<target>[^\\]]*)\\]\\[(?P<level>[A-Z]+)\\] (?P<message>.*)$"
  time_layout = "2006-01-02 15:04:05"
}

# Vaultwarden 1.x (bitwarden_rs before 1.21), src/api/identity.rs
# password_login: err!(MSG, format!("IP: {}. Username: {username}.",
# ip.ip)), which src/error.rs logs as "MSG. IP: ADDR. Username: U." for
#   "Username or password is incorrect. Try again" (no such user, wrong
#   password), "Username or access code is incorrect. Try again" (a
#   login with a device auth request), "This user has been disabled";
# src/api/admin.rs: "Invalid admin token. IP: ADDR" (the /admin page);
# src/api/core/two_factor/authenticator.rs: "Invalid TOTP code! Server
# time: T UTC IP: ADDR".
# ip.ip is ClientIp (IP_HEADER, X-Real-IP by default, else the socket):
# an address, never text the client wrote elsewhere. Safety: the address
# comes before the user name, and the expression is anchored at the start
# of the message, so a name holding "IP: 10.9.9.9." moves nothing.
rule "vaultwarden-auth-failures" {
  source = "vaultwarden"
  match = [
    "^(?:Username or password is incorrect\\. Try again|Username or access code is incorrect\\. Try again|This user has been disabled)\\. IP: (?P<ip>[0-9A-Fa-f:.]+)\\. Username: (?P<user>.*)\\.$",
    "^Invalid admin token\\. IP: (?P<ip>[0-9A-Fa-f:.]+)$",
    "^Invalid TOTP code! Server time: [0-9: -]+ UTC IP: (?P<ip>[0-9A-Fa-f:.]+)$",
  ]
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Vaultwarden login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
