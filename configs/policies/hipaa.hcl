# HIPAA Breach Notification Rule (45 CFR 164.404-408): individuals within
# 60 days of discovery; HHS and the media too when 500 or more are
# affected. Discovery is read as aware_at. To be confirmed by counsel.
policy "hipaa" {
  title                      = "HIPAA breach notification"
  to_be_confirmed_by_counsel = true

  obligation "individuals" {
    when   = "'health' in data_categories && !unintelligible && risk != 'none'"
    anchor = "aware_at"
    within = "60d"
  }

  obligation "hhs" {
    when   = "'health' in data_categories && !unintelligible && risk != 'none' && data_subjects >= 500"
    anchor = "aware_at"
    within = "60d"
  }

  obligation "media" {
    when   = "'health' in data_categories && !unintelligible && risk != 'none' && data_subjects >= 500"
    anchor = "aware_at"
    within = "60d"
  }
}
