# SEC Form 8-K Item 1.05: a registrant discloses a material cybersecurity
# incident within four business days of determining that it is material
# (17 CFR 229.106 and Form 8-K Item 1.05). breachd's
# determined_at is set when a person confirms the risk; "material" is read
# here as a confirmed high risk. To be confirmed by counsel.
policy "sec-8k" {
  title                      = "SEC Form 8-K Item 1.05 (material cybersecurity incident)"
  to_be_confirmed_by_counsel = true
  timezone                   = "America/New_York"

  obligation "sec" {
    when          = "risk == 'high'"
    anchor        = "determined_at"
    business_days = 4
    approval      = true
    reminders     = [0.5, 0.75]
  }
}
