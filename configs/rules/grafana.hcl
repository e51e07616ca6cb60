# Grafana: failed logins to the login form, per client address (`ip`).
# Replaces fail2ban's grafana jail. Written from Grafana's own log calls,
# 6.x to 11.x (see docs/rules.md "The grafana pack").

# Grafana's own log, /var/log/grafana/grafana.log in the Debian/RPM
# packages: logfmt, one record a line. Grafana 6-7 (log15) write
# `t=2020-10-19T17:44:33+0200 lvl=eror msg="..." logger=context ...`;
# 8.x-11.x (go-kit) `logger=context userId=0 orgId=0 uname= t=2024-...Z
# level=error msg="..." ...`. The time is `t`. The message key is
# `remote_addr`: the address Grafana's web.RemoteAddr gives the request
# (X-Real-IP, else X-Forwarded-For, else the socket's address without its
# port, an IPv6 one in brackets), so the rules read it as the logfmt
# parser took it out of its own key (quoting and all), never out of text a
# client wrote into another value, and check only its shape. `msg` is
# then a field, like the other keys the rules use.
source "file" "grafana" {
  paths        = ["/var/log/grafana/grafana.log"]
  format       = "logfmt"
  message_keys = ["remote_addr"]
  time_keys    = ["t"]
  fields = {
    msg            = "msg"
    user           = "uname"
    method         = "method"
    path           = "path"
    status         = "status"
    errormessageid = "errorMessageID"
  }
}

# A failed login through the login form (POST /login):
# - Grafana 6.x-9.x, and 10.x without the authnService feature:
#   pkg/api/login.go LoginPost returns Error(401, "Invalid username or
#   password", err) for ErrInvalidCredentials, ErrUserNotFound,
#   ErrTooManyLoginAttempts and a disabled user (#17947), and the
#   response's WriteTo logs it: ctx.Logger.Error(errMessage, "error", err,
#   "remote_addr", ctx.RemoteAddr()[, "traceID", traceID]) (pkg/api/
#   response.go; pkg/api/response/response.go from 8.0).
# - Grafana 10.x-11.x, authn (pkg/services/authn/clients/password.go):
#   the form client fails with password-auth.failed or
#   password-auth.empty (400) or login-attempt.blocked (401), logged at
#   debug only; what the default level shows is the request logger's
#   "Request Completed" line (pkg/middleware/loggermw/logger.go, info for
#   any status but 200 and 304) with method, path, status, remote_addr and,
#   from 10.2, errorMessageID. Counted: POST .../login with status 400,
#   or any status with one of those message ids. A 401 without a message
#   id is not counted: the pre-authn path logs it next to its own
#   "Invalid username or password" line, which already counts.
# `user` is the signed-in user's login (uname): empty on a failed login,
# as Grafana never logs the name that was tried.
rule "grafana-auth-failures" {
  source = "grafana"
  match = [
    "^(?P<ip>[0-9A-Fa-f:.]+)$",
    "^\\[(?P<ip>[0-9A-Fa-f:.]+)\\]$",
  ]
  where = "is_ip(ip) && (msg == 'Invalid username or password' || (msg == 'Request Completed' && method == 'POST' && path endsWith '/login' && (status == '400' || errormessageid in ['password-auth.failed', 'password-auth.empty', 'login-attempt.blocked'])))"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Grafana login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
