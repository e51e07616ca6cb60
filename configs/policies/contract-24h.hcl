# The city contract's clause 12.5.2 (../shared/reference/policies/002, P13):
# notify the counterparty's contact within 24 hours of confirming or
# reasonably believing there was a "Data Breach": unauthorized access to
# unencrypted personal or non-public data (12.6.1, P6). To be confirmed by
# counsel before breachd acts on it.
policy "contract-24h" {
  title                      = "Contract counterparty notice within 24 hours"
  to_be_confirmed_by_counsel = true

  # Failed attempts alone (the evidence indicates attempt only) are no
  # reasonable belief of a breach: the clock starts when a person assesses
  # a risk, or when the evidence shows more than attempts.
  obligation "counterparty" {
    template  = "counterparty"
    when      = "len(counterparties) > 0 && personal_data && !unintelligible && risk != 'none' && (risk != 'unassessed' || !attempt_only)"
    anchor    = "aware_at"
    within    = "24h"
    approval  = true
    reminders = [0.5, 0.75]
  }
}
