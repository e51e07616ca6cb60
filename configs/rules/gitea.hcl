# Gitea (and Forgejo, its fork): failed web logins, per client address
# (`ip`). fail2ban ships no Gitea filter or sample; Gitea's documentation
# gives one on "Failed authentication attempt". See docs/rules.md "The
# gitea pack".

# Gitea's own log file, [log] MODE = file (the default mode is console,
# which systemd sends to the journal): gitea.log in [log] ROOT_PATH, by
# default %(GITEA_WORK_DIR)/log: /var/lib/gitea/log/ (the binary install
# of the docs), /data/gitea/log/ (the Docker image), /var/log/gitea/.
# modules/log (event_format.go; log.go before 1.20) writes, with the
# default flags (stdflags: date, time, medium file name, short function
# name, level initial):
#   2024/01/15 10:00:00 ...eb/auth/auth.go:216:SignInPost() [I] MESSAGE
# 1.4-1.8: "2018/04/26 18:15:54 [I] MESSAGE"; microseconds with the
# microseconds flag; "[no-gopid] " (1.20+) or a goroutine id after the
# level with the gopid flag. The time has no zone (the host's local time
# unless the utc flag is set) and is read as UTC.
source "file" "gitea" {
  paths = [
    "/var/lib/gitea/log/gitea.log",
    "/data/gitea/log/gitea.log",
    "/var/log/gitea/gitea.log",
  ]
  format      = "regex"
  pattern     = "^(?P<time>\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d)(?:\\.\\d+)? (?:[^\\s\\[]\\S* )?\\[(?P<level>[TDIWEFC])\\] (?:\\[[^\\]\\s]*\\] )?(?P<message>.*)$"
  time_layout = "2006/01/02 15:04:05"
}

# routers/web/auth/auth.go SignInPost (routers/user/auth.go before 1.16):
#   log.Info("Failed authentication attempt for %s from %s: %v",
#            form.UserName, ctx.RemoteAddr(), err)
# for a wrong password or unknown user (util.ErrNotExist /
# ErrInvalidArgument), a user prohibited from logging in and an inactive
# one; before the ": %v" was added (1.4-1.1x) the line ends with the
# address. ctx.RemoteAddr() is the request's RemoteAddr: "IP:PORT",
# "[IPv6]:PORT", or the bare address the reverse-proxy middleware (chi's
# RealIP, with REVERSE_PROXY_TRUSTED_PROXIES) put there.
# err is, by version: "user does not exist [uid: N, name: NAME[, keyid:
# N]]" (the name as typed when there is no such user; before 1.22 also
# for a wrong password, with the account's name), "user's password is
# invalid [uid: N, name: NAME]" (1.22+), "user is not allowed login [uid:
# N, name: NAME]", "user is inactive [uid: N, name: NAME]".
# Safety: the typed user name comes first and is the client's, and when
# there is no such account the error repeats it at the end of the line, so
# the end of the line is the client's too. Three shapes:
# - no error: the line ends with the address (greedy name, the address
#   last; "[IPv6]" only with its port, so a line ending in an error's "]"
#   never reads as one);
# - an error naming an account (Gitea account names have no spaces or
#   brackets), for a typed name without spaces (user names and e-mail
#   addresses have none): there is then one " from " on the line, Gitea's;
# - "user does not exist" repeating the typed name (any name): the name in
#   the error must equal the one before "from". A name holding " from
#   10.9.9.9: user does not exist [..." can then only fail to count, never
#   move the source.
rule "gitea-auth-failures" {
  source = "gitea"
  match = [
    "^Failed authentication attempt for (?P<user>.*) from (?:\\[(?P<ip>[0-9A-Fa-f:.]+)\\]:\\d+|(?P<ip>\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d+)?|(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*))$",
    "^Failed authentication attempt for (?P<user>\\S*) from (?:\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?|(?P<ip>\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d+)?|(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)): (?P<reason>user does not exist|user's password is invalid|user is not allowed login|user is inactive) \\[uid: \\d+, name: (?P<account>[^\\s\\[\\]]+)(?:, keyid: \\d+)?\\]$",
    "^Failed authentication attempt for (?P<user>.*) from (?:\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?|(?P<ip>\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d+)?|(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)): (?P<reason>user does not exist) \\[uid: \\d+, name: (?P<typed>.*?)(?:, keyid: \\d+)?\\]$",
  ]
  where = "is_ip(ip) && (reason == '' || account != '' || typed == user)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Gitea login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
