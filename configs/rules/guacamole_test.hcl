# Variants of the Guacamole lines guacamole.hcl reads, one test each, as
# Guacamole 0.8-1.5 writes them to catalina.out (AuthenticationService.java,
# the 1.5 event listener; logback's and JUL's prefixes) or as fail2ban's
# sample shows them (Debian fail2ban 1.0.2, tests/files/logs/guacamole,
# line cited). The lines carry no date: the test clock times them.
#
#   breachd test configs/rules/guacamole_test.hcl

config = ["sources.hcl", "guacamole.hcl"]
source = "guacamole"

# fail2ban sample lines 2-3 (catalina mode): JUL's date line, then
# "WARNING: MESSAGE"; the date line is not a failure.
test "0.8: JUL, WARNING: Authentication attempt ... failed." {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
    "WARNING: Authentication attempt from 192.0.2.0 for user \"null\" failed.",
    "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
    "WARNING: Authentication attempt from 192.0.2.0 for user \"null\" failed.",
    "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
    "WARNING: Authentication attempt from 192.0.2.0 for user \"null\" failed.",
    "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
    "WARNING: Authentication attempt from 192.0.2.0 for user \"null\" failed.",
    "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
    "WARNING: Authentication attempt from 192.0.2.0 for user \"null\" failed.",
  ]
  expect {
    rule   = "guacamole-auth-failures"
    key    = { ip = "192.0.2.0" }
    fields = { user = "null", jul = "WARNING" }
  }
}

# fail2ban sample line 17 (webapp mode): logback's prefix,
# AuthenticationService (0.9.x-1.4).
test "0.9-1.4: logback, AuthenticationService" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "12:57:30.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 182.23.72.36 for user \"guacadmin\" failed.",
    "12:57:31.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 182.23.72.36 for user \"guacadmin\" failed.",
    "12:57:32.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 182.23.72.36 for user \"guacadmin\" failed.",
    "12:57:33.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 182.23.72.36 for user \"guacadmin\" failed.",
    "12:57:34.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 182.23.72.36 for user \"guacadmin\" failed.",
  ]
  expect {
    rule   = "guacamole-auth-failures"
    key    = { ip = "182.23.72.36" }
    fields = { user = "guacadmin", level = "WARN" }
  }
}

# 1.5+: the event listener's logFailure(), the failure and the provider after
# it; an IPv6 client in Java's full form; rsyslog's prefix before logback's.
test "1.5+: failed: FAILURE (rejected by PROVIDER), IPv6, syslog prefix" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "2024-01-15T10:00:00.000000+00:00 gw tomcat9[812]: 10:00:00.123 [http-nio-8080-exec-3] WARN  o.a.g.event.EventLoggingListener - Authentication attempt from 2001:db8:0:0:0:0:0:151 for user \"admin\" failed: Invalid login. (rejected by \"mysql\")",
    "2024-01-15T10:00:01.000000+00:00 gw tomcat9[812]: 10:00:01.123 [http-nio-8080-exec-3] WARN  o.a.g.event.EventLoggingListener - Authentication attempt from 2001:db8:0:0:0:0:0:151 for user \"admin\" failed: Invalid login. (rejected by \"mysql\")",
    "2024-01-15T10:00:02.000000+00:00 gw tomcat9[812]: 10:00:02.123 [http-nio-8080-exec-3] WARN  o.a.g.event.EventLoggingListener - Authentication attempt from 2001:db8:0:0:0:0:0:151 for user \"admin\" failed: Invalid login. (rejected by \"mysql\")",
    "2024-01-15T10:00:03.000000+00:00 gw tomcat9[812]: 10:00:03.123 [http-nio-8080-exec-3] WARN  o.a.g.event.EventLoggingListener - Authentication attempt from 2001:db8:0:0:0:0:0:151 for user \"admin\" failed: Invalid login. (rejected by \"mysql\")",
    "2024-01-15T10:00:04.000000+00:00 gw tomcat9[812]: 10:00:04.123 [http-nio-8080-exec-3] WARN  o.a.g.event.EventLoggingListener - Authentication attempt from 2001:db8:0:0:0:0:0:151 for user \"admin\" failed: Invalid login. (rejected by \"mysql\")",
  ]
  expect {
    rule   = "guacamole-auth-failures"
    key    = { ip = "2001:db8:0:0:0:0:0:151" }
    fields = { user = "admin" }
  }
}

# Behind a proxy on the same host: getLoggableAddress() writes
# "[X-Forwarded-For, 127.0.0.1]"; the last X-Forwarded-For entry is the one
# the proxy appended. A client-written entry before it is not taken.
test "local proxy: the entry the proxy appended" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "12:57:30.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.9, 203.0.113.152, 127.0.0.1] for user \"root\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.9, 203.0.113.152, 127.0.0.1] for user \"root\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.9, 203.0.113.152, 127.0.0.1] for user \"root\" failed.",
    "12:57:33.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.9, 203.0.113.152, 127.0.0.1] for user \"root\" failed.",
    "12:57:34.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.9, 203.0.113.152, 127.0.0.1] for user \"root\" failed.",
  ]
  expect {
    rule   = "guacamole-auth-failures"
    key    = { ip = "203.0.113.152" }
    fields = { user = "root" }
  }
  expect_none {
    rule = "guacamole-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
  expect_none {
    rule = "guacamole-auth-failures"
    key  = { ip = "127.0.0.1" }
  }
}

# A direct client sending its own X-Forwarded-For: the peer (the last entry)
# is the source, never the header's.
test "direct client with X-Forwarded-For: the peer" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "12:57:30.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.8, 203.0.113.153] for user \"root\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.8, 203.0.113.153] for user \"root\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.8, 203.0.113.153] for user \"root\" failed.",
    "12:57:33.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.8, 203.0.113.153] for user \"root\" failed.",
    "12:57:34.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from [10.9.9.8, 203.0.113.153] for user \"root\" failed.",
  ]
  expect {
    rule = "guacamole-auth-failures"
    key  = { ip = "203.0.113.153" }
  }
  expect_none {
    rule = "guacamole-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# A user name holding "from 10.9.9.7" and quotes: the address comes first.
test "hostile user name" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "12:57:30.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 203.0.113.154 for user \"x\\\" failed. Authentication attempt from 10.9.9.7 for user \\\"y\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 203.0.113.154 for user \"x\\\" failed. Authentication attempt from 10.9.9.7 for user \\\"y\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 203.0.113.154 for user \"x\\\" failed. Authentication attempt from 10.9.9.7 for user \\\"y\" failed.",
    "12:57:33.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 203.0.113.154 for user \"x\\\" failed. Authentication attempt from 10.9.9.7 for user \\\"y\" failed.",
    "12:57:34.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 203.0.113.154 for user \"x\\\" failed. Authentication attempt from 10.9.9.7 for user \\\"y\" failed.",
  ]
  expect {
    rule = "guacamole-auth-failures"
    key  = { ip = "203.0.113.154" }
  }
  expect_none {
    rule = "guacamole-auth-failures"
    key  = { ip = "10.9.9.7" }
  }
}

# Not failures: a successful login, the proxy itself (no X-Forwarded-For),
# another logger's line quoting the message.
test "not counted: success, loopback, other messages" {
  start = "2024-01-15T10:00:00Z"
  lines = [
    "12:57:30.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - User \"alice\" successfully authenticated from 203.0.113.155.",
    "12:57:30.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - User \"alice\" successfully authenticated from 203.0.113.155.",
    "12:57:30.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - User \"alice\" successfully authenticated from 203.0.113.155.",
    "12:57:30.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - User \"alice\" successfully authenticated from 203.0.113.155.",
    "12:57:30.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - User \"alice\" successfully authenticated from 203.0.113.155.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 127.0.0.1 for user \"alice\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 127.0.0.1 for user \"alice\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 127.0.0.1 for user \"alice\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 127.0.0.1 for user \"alice\" failed.",
    "12:57:31.907 [http-nio-8080-exec-1] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 127.0.0.1 for user \"alice\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] ERROR o.a.g.rest.RESTExceptionWrapper - Unexpected: Authentication attempt from 203.0.113.156 for user \"x\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] ERROR o.a.g.rest.RESTExceptionWrapper - Unexpected: Authentication attempt from 203.0.113.156 for user \"x\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] ERROR o.a.g.rest.RESTExceptionWrapper - Unexpected: Authentication attempt from 203.0.113.156 for user \"x\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] ERROR o.a.g.rest.RESTExceptionWrapper - Unexpected: Authentication attempt from 203.0.113.156 for user \"x\" failed.",
    "12:57:32.907 [http-nio-8080-exec-1] ERROR o.a.g.rest.RESTExceptionWrapper - Unexpected: Authentication attempt from 203.0.113.156 for user \"x\" failed.",
  ]
  expect_none {
    rule = "guacamole-auth-failures"
  }
}
