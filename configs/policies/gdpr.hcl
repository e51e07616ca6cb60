# GDPR Articles 33 and 34 (and the processor's duty of Art. 33(2)), as the
# a company's GDPR data breach procedure reads them.
# To be confirmed by counsel or the DPO before breachd acts on it: the
# conditions are engineering readings of the law, not legal advice.
policy "gdpr" {
  title                      = "GDPR Art. 33/34 personal data breach notification"
  to_be_confirmed_by_counsel = true

  # §1 Scope: the procedure covers the personal data of data subjects who
  # live in the EU/EEA, and data processed there. An asset's jurisdictions
  # say where its data subjects live and where its data is processed;
  # in_region('EEA', jurisdictions) holds when one of them is a member
  # below (a subdivision such as "DE-BY" counts as its country). While an
  # asset with personal data declares no jurisdictions (jurisdictions_known
  # is false), the procedure is taken to apply: nothing rules it out.
  region "EEA" {
    members = [
      "EU", "EEA",
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
      "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
      "IS", "LI", "NO",
    ]
  }

  # Art. 33(1): the controller notifies the supervisory authority without
  # undue delay and within 72 hours of becoming aware, unless the breach is
  # unlikely to result in a risk. Until a person confirms the risk, the
  # suggestion decides, so the clock is visible from awareness. Judged and
  # written on the data the company holds as controller only (held_as):
  # a processor's assets in the same scope are their controllers' to
  # notify.
  obligation "supervisory_authority" {
    template   = "controller-authority"
    held_as    = "controller"
    when       = "role == 'controller' && personal_data && (!jurisdictions_known || in_region('EEA', jurisdictions)) && (risk in ['risk', 'high'] || (risk == 'unassessed' && suggested_risk != 'none'))"
    anchor     = "aware_at"
    within     = "72h"
    approval   = true
    decided_by = "dpo" # the DPO sends it (procedure §6.2)
    reminders  = [0.5, 0.75, 0.9]
  }

  # Art. 34: data subjects without undue delay when the risk is high,
  # unless the data was unintelligible to whoever got it (encrypted, keys
  # safe). One notice per data subject on the list the DPO uploads
  # (Appendix 4 is addressed to a named person); above 10,000 notifying
  # each is taken as disproportionate and the obligation becomes one
  # public communication (§6.3).
  obligation "data_subjects" {
    template                   = "controller-subject"
    held_as                    = "controller"
    for_each                   = "data_subjects"
    public_communication_above = 10000
    when                       = "role == 'controller' && personal_data && !unintelligible && (!jurisdictions_known || in_region('EEA', jurisdictions)) && (risk == 'high' || (risk == 'unassessed' && suggested_risk == 'high'))"
    anchor                     = "aware_at"
    without_undue_delay        = true
    approval                   = true
    decided_by                 = "dpo" # procedure §6.3
  }

  # Art. 33(2), §6.1: a processor notifies the respective controller
  # without undue delay: one notice per controller whose data is in scope,
  # at the name and address its asset gives (Appendix 2); of a breach:
  # failed attempts alone are none until a person says so. Each
  # controller's notice is judged and written on that controller's assets
  # only: its categories, counts and jurisdictions, no other's.
  obligation "controller" {
    template            = "processor-controller"
    for_each            = "controllers"
    when                = "role == 'processor' && personal_data && (!jurisdictions_known || in_region('EEA', jurisdictions)) && (risk != 'unassessed' || !attempt_only)"
    anchor              = "aware_at"
    without_undue_delay = true
    approval            = true
    decided_by          = "dpo" # procedure §6.1
  }
}
