# A US state breach law with a 30-day clock from the determination that a
# breach occurred (Colorado and Florida, for example), for residents'
# unencrypted personal information. To be confirmed by counsel for each
# state whose residents are affected.
policy "us-state-30d" {
  title                      = "US state notice within 30 days (CO, FL)"
  to_be_confirmed_by_counsel = true

  obligation "residents" {
    when   = "personal_data && !unintelligible && risk != 'none' && any(jurisdictions, # in ['US-CO', 'US-FL'])"
    anchor = "determined_at"
    within = "30d"
  }
}
