# Logs that stop: a stopped or tampered logger, a broken rotation, a wiped
# file. On Debian the auth log gets at least the hourly cron sessions.

rule "auth-log-silent" {
  source = "auth"
  absent {
    within = "2h"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "The auth log has been silent for 2 hours"
    category = "defense-evasion"
  }
  tags = ["T1070.002", "T1562.001"]
}
