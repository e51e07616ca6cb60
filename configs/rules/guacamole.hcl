# Apache Guacamole: failed logins to its web application, per client
# address (`ip`). Replaces fail2ban's guacamole jail. See docs/rules.md
# "The guacamole pack".

# Tomcat's catalina.out, where Guacamole's log goes (its logback default,
# or java.util.logging in 0.8 and before); Debian's tomcat packages write
# it to /var/log/tomcat*/. The message is what follows the logger's
# prefix:
#   12:57:32.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - MESSAGE
# (logback's "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg", after
# any syslog prefix rsyslog adds), or JUL's second line "WARNING: MESSAGE"
# (its first line holds the date). Neither gives a date, so the lines are
# timed when they are read (in breachd replay, at the file's last change).
source "file" "guacamole" {
  paths   = ["/var/log/tomcat*/catalina.out", "/var/log/guacamole/guacamole.log"]
  format  = "regex"
  pattern = "^(?:(?:.*? )?\\d\\d:\\d\\d:\\d\\d\\.\\d+ \\[[^\\]]*\\] (?P<level>[A-Z]+) +(?P<logger>\\S+) - |(?P<jul>SEVERE|WARNING|INFO): )(?P<message>.*)$"
}

# guacamole/src/main/java/org/apache/guacamole/rest/auth/
# AuthenticationService.java (0.9.x-1.4; AuthenticatingFilter.java /
# BasicLogin in 0.8 and before; 1.5+ the event listener's logFailure):
#   logger.warn("Authentication attempt from {} for user \"{}\" failed.",
#               getLoggableAddress(request), username)
# (1.5+: "... failed: {} (rejected by \"{}\")", the failure and the
# provider, both the server's). Anonymous attempts are logged at debug
# only. getLoggableAddress() is getRemoteAddr(), or, when the request has
# an X-Forwarded-For that looks like a list of addresses,
# "[XFF, REMOTE_ADDR]". Then the source is the last X-Forwarded-For entry
# when the peer is a proxy on this host (loopback: that entry is the
# address the proxy saw and appended), and the peer itself otherwise (the
# client may have written all of X-Forwarded-For). Tomcat's RemoteIpValve,
# which Guacamole's manual recommends behind a proxy, gives the plain form.
# Safety: the user name is the client's and comes after the address, and
# the expressions are anchored at the start of the message.
rule "guacamole-auth-failures" {
  source = "guacamole"
  match = [
    "^Authentication attempt from (?P<ip>[0-9A-Fa-f:.]+) for user \"(?P<user>.*)\" failed(?:\\.|: .*)$",
    "^Authentication attempt from \\[(?:[0-9A-Fa-f:.]+(?::\\d+)?, )*(?P<ip>[0-9A-Fa-f:.]+?)(?::\\d+)?, (?:127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|::1|0:0:0:0:0:0:0:1)\\] for user \"(?P<user>.*)\" failed(?:\\.|: .*)$",
    "^Authentication attempt from \\[(?:[0-9A-Fa-f:.]+(?::\\d+)?, )+(?P<ip>[0-9A-Fa-f:.]+)\\] for user \"(?P<user>.*)\" failed(?:\\.|: .*)$",
  ]
  where = "is_ip(ip) && !is_loopback_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Guacamole login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
