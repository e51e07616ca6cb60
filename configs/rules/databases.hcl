# Databases: MySQL/MariaDB access denied, PostgreSQL password failures and
# pg_hba.conf rejections. User names are client-chosen: addresses are taken
# from the server-written end of each message.

rule "mysql-auth-failures" {
  source = "mysql"
  match  = "Access denied for user '(?P<user>.*)'@'(?P<ip>[0-9A-Fa-f:.]+|localhost)' \\(using password: (?P<password>YES|NO)\\)$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "MySQL authentication failures from ${ip} (last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

rule "postgresql-auth-failures" {
  source = "postgresql"
  match  = "FATAL:  password authentication failed for user \"(?P<user>.*)\"$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["user"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "PostgreSQL password failures for ${user}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

rule "postgresql-hba-rejections" {
  source = "postgresql"
  match  = "FATAL:  no pg_hba\\.conf entry for host \"(?P<ip>[0-9A-Fa-f:.]+)\", user \"(?P<user>.*)\", database \"(?P<database>.*)\"(, (SSL|GSS) (on|off|encryption))*$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "PostgreSQL connections refused by pg_hba.conf from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1078"]
}
