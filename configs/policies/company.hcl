# The SaaS vendor's own policy (../shared/reference/policies/000, P9-P12):
# once mitigation is under way, tell every affected customer, each
# separately (and ask each whether it wants to notify its own employees or
# have the company do it), the insurance carrier (also of a suspected
# breach), law enforcement (the San Antonio office of the FBI and the San
# Antonio Police Department) and the hosting provider. No fixed number of
# hours is given: each is due without undue delay. To be confirmed by
# counsel.
policy "company" {
  title                      = "Company notices: customers, insurer, law enforcement, hosting provider"
  to_be_confirmed_by_counsel = true

  # Identification: anyone who determines that a data breach has occurred
  # or may have occurred tells executive management immediately, and a
  # report from a customer, user or third party is presented to it
  # immediately. Every incident reported by hand, and every detected one
  # unless its risk is none (assessed, or suggested while unassessed: the
  # evidence shows attempts only, or no personal data is in scope). No
  # approval: with a recipient "management" block naming channels,
  # breachd sends the notice itself as soon as the incident opens.
  obligation "management" {
    template    = "management"
    when        = "origin == 'manual' || risk in ['risk', 'high'] || (risk == 'unassessed' && suggested_risk != 'none')"
    anchor      = "aware_at"
    immediately = true
    approval    = false
  }

  # "notify all affected or potentially affected customers": one notice
  # per customer, naming no other.
  obligation "customer" {
    template            = "customer"
    for_each            = "customers"
    when                = "len(customers) > 0 && risk != 'none' && (risk != 'unassessed' || !attempt_only)"
    anchor              = "contained_at"
    without_undue_delay = true
    approval            = true
  }

  # "In the event of a data breach or suspected data breach ... notify its
  # insurance carrier": from the moment breachd suspects one (until a
  # person rules the risk none), not only once it is confirmed.
  obligation "insurer" {
    template            = "insurer"
    when                = "risk != 'none' && (risk != 'unassessed' || suggested_risk != 'none')"
    anchor              = "aware_at"
    without_undue_delay = true
    approval            = true
  }

  # "Notification will be made to the San Antonio office of the Federal
  # Bureau of Investigation and to the San Antonio Police Department": two
  # recipients, for any breach (no risk threshold).
  obligation "law_enforcement_fbi" {
    template            = "law-enforcement"
    recipient_name      = "Federal Bureau of Investigation, San Antonio Field Office"
    recipient_address   = "5740 University Heights Blvd, San Antonio, TX 78249"
    when                = "risk in ['risk', 'high']"
    anchor              = "determined_at"
    without_undue_delay = true
    approval            = true
  }

  obligation "law_enforcement_police" {
    template            = "law-enforcement"
    recipient_name      = "San Antonio Police Department"
    recipient_address   = "315 S Santa Rosa Ave, San Antonio, TX 78207"
    when                = "risk in ['risk', 'high']"
    anchor              = "determined_at"
    without_undue_delay = true
    approval            = true
  }

  obligation "hosting_provider" {
    template            = "hosting-provider"
    when                = "risk in ['risk', 'high']"
    anchor              = "determined_at"
    without_undue_delay = true
    approval            = true
  }

  # Overview: sensitive data (Social Security numbers, HIPAA-protected
  # information, bank account or card numbers) is not to be stored; when a
  # customer is found to store it, the customer is told to remove it, and
  # if it does not within a reasonable time, the company removes it. The
  # shipped sensitive-data rules open incidents of category
  # "sensitive-data-exposure". One request per customer in scope, naming
  # only that customer, with the date of its follow-up below; the
  # follow-up (after the request: it cannot be sent before it) runs its
  # reminders, and past its due time the escalation, until a person
  # records that customer's removal (POST /api/v1/incidents/{id}/removals,
  # breachd incidents removal), which ends that customer's request and
  # follow-up and no other's. "A reasonable time" is this pack's reading:
  # 14 days from awareness, to be confirmed.
  obligation "customer_removal_request" {
    template            = "removal-request"
    for_each            = "customers"
    when                = "category == 'sensitive-data-exposure' && !sensitive_data_removed"
    anchor              = "aware_at"
    without_undue_delay = true
    approval            = true
  }

  obligation "sensitive_data_removal" {
    template  = "removal-follow-up"
    for_each  = "customers"
    after     = "customer_removal_request"
    when      = "category == 'sensitive-data-exposure' && !sensitive_data_removed"
    anchor    = "aware_at"
    within    = "14d"
    approval  = true
    reminders = [0.5, 0.9]
  }
}
