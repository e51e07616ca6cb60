# A city services contract's data breach clause (its 12.5.2):
# notify the counterparty's contact within 24 hours of confirming or
# reasonably believing there was a "Data Breach": unauthorized access to
# unencrypted personal or non-public data (its 12.6.1). To be confirmed by
# counsel before breachd acts on it.
#
# The clause has no risk threshold: a breach the GDPR assessment finds
# of no risk to data subjects is still a "Data Breach" under the contract
# when its data was readable. Non-Public Data (12.6.2: confidential, not
# personal) counts as much as personal data; declare it on the asset with
# non_public_data = true. The clause asks for the notice "by telephone":
# give the recipient block a phone and record the call
# (breachd obligations call).
#
# One notice per counterparty of the assets in scope, at the contact its
# asset gives (counterparty_address, counterparty_email,
# counterparty_phone), judged and written on that counterparty's assets
# only: no counterparty learns of another or of its data.
policy "contract-24h" {
  title                      = "Contract counterparty notice within 24 hours"
  to_be_confirmed_by_counsel = true

  # Until a person assesses it, failed attempts alone (the evidence
  # indicates attempt only) are no reasonable belief of a breach; once
  # assessed, the notice is owed when the person found personal data
  # reached (personal_data_breach), whatever the GDPR risk, or the scope
  # holds Non-Public Data.
  obligation "counterparty" {
    template  = "counterparty"
    for_each  = "counterparties"
    when      = "len(counterparties) > 0 && !unintelligible && status != 'false_positive' && (risk == 'unassessed' ? ((personal_data || non_public_data) && !attempt_only) : (personal_data_breach || non_public_data))"
    anchor    = "aware_at"
    within    = "24h"
    approval  = true
    reminders = [0.5, 0.75]
  }
}
