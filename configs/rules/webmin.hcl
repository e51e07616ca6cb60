# Webmin (and Usermin): failed logins to its web server, miniserv, per
# client (`ip`). Replaces fail2ban's webmin-auth jail. See docs/rules.md
# "The webmin pack".

# miniserv logs through syslog with the PAM service name as its ident
# ($config{'pam'}: "webmin", "usermin") to the authpriv facility
# (miniserv.pl: openlog(..., "authpriv")), so Debian writes it to
# /var/log/auth.log: the `auth` source.
# - miniserv-lib.pl (miniserv.pl before 2.1xx) handle_login, the session
#   login form: syslog("crit", "%s", ($nonexist ? "Non-existent" : $expired
#   ? "Expired" : "Invalid")." login as $vu from $loghost");
# - the same with $authuser from $acpthost for HTTP basic authentication,
#   logged before miniserv refuses a user name with spaces (so the name
#   may hold any text).
# The host is $acpthost: the client's address, its name when miniserv is
# set to resolve names (`resolve`), or X-Forwarded-For's address with
# trust_real_ip. Older miniserv wrote a space after it.
# Not counted: "Expired login" (the right password, expired), "Login as X
# from H rejected because two-factor authentication is enabled" (the
# password is not checked), "Successful login".
# Safety: the user name is the client's and comes first; the host is the
# last word of the line (the name is taken greedily and the line must end
# after the host), so a name such as "x from 10.9.9.9" moves nothing.
rule "webmin-auth-failures" {
  source = "auth"
  match = [
    "^Invalid login as (?P<user>.*) from (?P<ip>[0-9A-Fa-f:.]+|[A-Za-z0-9][A-Za-z0-9.-]*)\\s*$",
    "^Non-existent login as (?P<user>.*) from (?P<ip>[0-9A-Fa-f:.]+|[A-Za-z0-9][A-Za-z0-9.-]*)\\s*$",
  ]
  where = "program in ['webmin', 'usermin']"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Webmin login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
