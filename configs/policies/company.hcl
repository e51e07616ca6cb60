# A SaaS vendor's own data breach response policy:
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
  # A breach of the contract's Non-Public Data (confidential, not
  # personal: no GDPR risk to weigh) is a data breach too: readable
  # Non-Public Data in scope and evidence of more than attempts (or a
  # person's assessment), until it is ruled a false positive.
  obligation "management" {
    template    = "management"
    when        = "origin == 'manual' || personal_data_breach || risk in ['risk', 'high'] || (risk == 'unassessed' && suggested_risk != 'none') || (non_public_data && !unintelligible && status != 'false_positive' && (risk != 'unassessed' || !attempt_only))"
    anchor      = "aware_at"
    immediately = true
    approval    = false
  }

  # "notify all affected or potentially affected customers": one notice
  # per customer, naming no other; for a suspicion that is more than
  # attempts, and for any breach a person determined (personal data
  # reached, whatever the GDPR risk, or readable Non-Public Data).
  obligation "customer" {
    template            = "customer"
    for_each            = "customers"
    when                = "len(customers) > 0 && status != 'false_positive' && ((risk != 'none' && (risk != 'unassessed' || !attempt_only)) || personal_data_breach || (non_public_data && !unintelligible && risk != 'unassessed'))"
    anchor              = "contained_at"
    without_undue_delay = true
    approval            = true
  }

  # "In the event of a data breach or suspected data breach ... notify its
  # insurance carrier" and "will notify its insurance carrier of any
  # breach": from the moment breachd suspects one, not only once it is
  # confirmed; for any breach a person determined, whatever the GDPR risk
  # (personal data reached); and for readable Non-Public Data reached
  # (more than attempts), as management. Not for a false positive.
  obligation "insurer" {
    template            = "insurer"
    when                = "status != 'false_positive' && ((risk != 'none' && (risk != 'unassessed' || suggested_risk != 'none')) || personal_data_breach || (non_public_data && !unintelligible && (risk != 'unassessed' || !attempt_only)))"
    anchor              = "aware_at"
    without_undue_delay = true
    approval            = true
  }

  # "Jivosoft will notify appropriate law enforcement authorities of the
  # breach. Notification will be made to the San Antonio office of the
  # Federal Bureau of Investigation and to the San Antonio Police
  # Department": two recipients, for any breach once a person has
  # determined one, whatever the GDPR risk to data subjects: personal data
  # reached (an assessment of risk none keeps personal_data_breach unless
  # --personal-data false says none was reached), a risk confirmed, or
  # readable Non-Public Data. Not for a suspicion alone, nor a false
  # positive.
  obligation "law_enforcement_fbi" {
    template            = "law-enforcement"
    recipient_name      = "Federal Bureau of Investigation, San Antonio Field Office"
    recipient_address   = "5740 University Heights Blvd, San Antonio, TX 78249"
    when                = "status != 'false_positive' && (personal_data_breach || risk in ['risk', 'high'] || (non_public_data && !unintelligible && risk != 'unassessed'))"
    anchor              = "determined_at"
    without_undue_delay = true
    approval            = true
  }

  obligation "law_enforcement_police" {
    template            = "law-enforcement"
    recipient_name      = "San Antonio Police Department"
    recipient_address   = "315 S Santa Rosa Ave, San Antonio, TX 78207"
    when                = "status != 'false_positive' && (personal_data_breach || risk in ['risk', 'high'] || (non_public_data && !unintelligible && risk != 'unassessed'))"
    anchor              = "determined_at"
    without_undue_delay = true
    approval            = true
  }

  # "Jivosoft will notify Rackspace of the breach": as law enforcement.
  obligation "hosting_provider" {
    template            = "hosting-provider"
    when                = "status != 'false_positive' && (personal_data_breach || risk in ['risk', 'high'] || (non_public_data && !unintelligible && risk != 'unassessed'))"
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
