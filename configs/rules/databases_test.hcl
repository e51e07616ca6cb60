# Tests of databases.hcl, with lines as MySQL 8, MariaDB 10 and PostgreSQL 15
# (Debian's log_line_prefix) write them.

config = ["sources.hcl", "databases.hcl"]

test "MySQL 8 and MariaDB access denied" {
  source = "mysql"
  start  = "2026-11-23T10:00:00Z"
  lines = [
    "2026-11-23T10:00:00.101010Z 8 [Note] [MY-010926] [Server] Access denied for user 'root'@'203.0.113.30' (using password: YES)",
    "2026-11-23T10:00:01.101010Z 9 [Note] [MY-010926] [Server] Access denied for user 'admin'@'203.0.113.30' (using password: YES)",
    "2026-11-23 10:00:02 10 [Warning] Access denied for user 'root'@'203.0.113.30' (using password: NO)",
    "231123 10:00:03 [Warning] Access denied for user 'test'@'203.0.113.30' (using password: YES)",
    "2026-11-23T10:00:04.101010Z 12 [Note] [MY-010926] [Server] Access denied for user 'x'@'10.0.0.9' (using password: YES)'@'203.0.113.30' (using password: YES)",
  ]
  expect {
    rule = "mysql-auth-failures"
    key  = { ip = "203.0.113.30" }
  }
}

test "PostgreSQL password failures for one user" {
  source = "postgresql"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.123 UTC [4242] postgres@postgres FATAL:  password authentication failed for user \"postgres\""
    repeat = 5
  }
  expect {
    rule = "postgresql-auth-failures"
    key  = { user = "postgres" }
  }
}

test "PostgreSQL pg_hba.conf rejections" {
  source = "postgresql"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "2026-11-23 10:00:00.123 UTC [4243] [unknown]@[unknown] FATAL:  no pg_hba.conf entry for host \"203.0.113.31\", user \"sa\", database \"master\", SSL off"
    repeat = 5
  }
  expect {
    rule = "postgresql-hba-rejections"
    key  = { ip = "203.0.113.31" }
  }
}
