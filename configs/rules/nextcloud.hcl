# Nextcloud: failed logins (login form, WebDAV and app basic auth) and
# password guesses its brute-force throttler records, per client address
# (`ip`). fail2ban ships no Nextcloud filter; this follows the one
# Nextcloud's admin manual gives (remoteAddr of "Login failed" records).
# See docs/rules.md "The nextcloud pack".

# Nextcloud's own log, JSON, one record a line (log_type = file, the
# default): <datadirectory>/nextcloud.log unless `logfile` names another
# file. The paths are the tarball's default data folder, the Docker
# image's, the snap's, and /var/log/nextcloud/ (the manual's suggestion).
# `ip` is the record's remoteAddr key, IRequest::getRemoteAddress(): the
# socket's address, or the forwarded_for_headers' when the request comes
# from one of trusted_proxies. Rules never take an address from the
# message, which holds the client's user name.
source "file" "nextcloud" {
  paths = [
    "/var/www/nextcloud/data/nextcloud.log",
    "/var/www/html/data/nextcloud.log",
    "/var/snap/nextcloud/current/logs/nextcloud.log",
    "/var/log/nextcloud/nextcloud.log",
  ]
  format       = "json"
  message_keys = ["message"]
  time_keys    = ["time"]
  fields = {
    ip     = "remoteAddr"
    app    = "app"
    method = "method"
    url    = "url"
  }
}

# - lib/private/Authentication/Login/LoggedInCheckCommand.php (17+), the
#   login form: "Login failed: $username (Remote IP: $ip)".
# - lib/private/User/Manager.php checkPassword() (every version; WebDAV,
#   app and basic auth through Session::logClientIn) and
#   core/Controller/LoginController.php (12-16): "Login failed: '$user'
#   (Remote IP: '$ip')".
# - a disabled account, before its password is checked:
#   lib/private/Authentication/Login/UserDisabledCheckCommand.php (17+)
#   "Login failed: $username disabled (Remote IP: $ip)", LoginController
#   (13-16) "Login failed: '$user' disabled (Remote IP: '$ip')".
# - ownCloud 8 / Nextcloud 9 lib/private/user/manager.php: "Login failed:
#   '$user' (Remote IP: '$ip', X-Forwarded-For: '$xff')".
# - lib/private/Security/Bruteforce/Throttler.php registerAttempt() (14+,
#   notice: logged at loglevel 1 or lower, not at the default 2): "Bruteforce
#   attempt from \"$ip\" detected for action \"$action\"." Counted for
#   actions other than "login" (public share and Talk room passwords,
#   ...): a failed login is already counted by its "Login failed" record,
#   which the same request writes.
# The user name is the client's and only fills `user`: the address is the
# record's remoteAddr, so a name such as "x (Remote IP: 10.9.9.9)" moves
# nothing.
rule "nextcloud-auth-failures" {
  source = "nextcloud"
  match = [
    "^Login failed: '(?P<user>.*)'(?P<disabled> disabled)? \\(Remote IP: '[^']*'(?:, X-Forwarded-For: '[^']*')?\\)$",
    "^Login failed: (?P<user>.*?)(?P<disabled> disabled)? \\(Remote IP: [0-9A-Fa-f:.]*\\)$",
    "^Bruteforce attempt from \"[0-9A-Fa-f:.]*\" detected for action \"(?P<action>[^\"]*)\"\\.$",
  ]
  where = "is_ip(ip) && action != 'login'"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Nextcloud login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
