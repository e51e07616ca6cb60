# NIS2 Art. 23 for essential and important entities: an early warning
# within 24 hours and an incident notification within 72 hours of becoming
# aware of a significant incident (read here as a high or critical one).
# The final report, one month after the notification, waits for a clock
# anchored on the notification itself. To be confirmed by counsel.
policy "nis2" {
  title                      = "NIS2 significant incident reporting"
  to_be_confirmed_by_counsel = true

  obligation "csirt_early_warning" {
    when      = "severity in ['high', 'critical'] && risk != 'none'"
    anchor    = "aware_at"
    within    = "24h"
    approval  = true
    reminders = [0.5, 0.75]
  }

  obligation "csirt_notification" {
    when      = "severity in ['high', 'critical'] && risk != 'none'"
    anchor    = "aware_at"
    within    = "72h"
    approval  = true
    reminders = [0.5, 0.75, 0.9]
  }
}
