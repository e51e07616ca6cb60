# Sensitive data where it must not be stored (a customer's data the
# policy says must be found and removed): payment card
# numbers (checked with Luhn and their issuer prefixes), US social security
# numbers, IBANs (checked with mod 97), in application logs and in web
# request URLs. The values are masked in everything breachd stores and
# sends; the finding tells where they were seen so the owner can remove
# them. Each rule opens one incident per place a day (group_by seen_in:
# the host a line names, else the file it was read from), never keyed by
# the value itself.

rule "card-number-in-app-log" {
  source = "app"
  match  = "(?:^|[^0-9])(?P<card>(?:4\\d{3}|5[1-5]\\d{2}|2[2-7]\\d{2}|3[47]\\d{2}|6011|65\\d{2})(?:[ -]?\\d){9,15})(?:[^0-9]|$)"
  where  = "luhn(card)"
  threshold {
    count    = 1
    within   = "24h"
    cooldown = "24h"
    group_by = ["seen_in"]
  }
  severity  = "high"
  indicates = ["sensitive_data_exposed"]
  incident {
    title    = "Payment card numbers in application logs"
    category = "sensitive-data-exposure"
  }
  sensitive = true
  tags      = ["sensitive-data"]
}

rule "card-number-in-web-request" {
  source = "web"
  match  = "(?:^|[^0-9])(?P<card>(?:4\\d{3}|5[1-5]\\d{2}|2[2-7]\\d{2}|3[47]\\d{2}|6011|65\\d{2})(?:(?:[ -]|%20|\\+)?\\d){9,15})(?:[^0-9]|$)"
  where  = "luhn(replace(replace(card, '%20', ''), '+', ''))"
  threshold {
    count    = 1
    within   = "24h"
    cooldown = "24h"
    group_by = ["seen_in"]
  }
  severity  = "high"
  indicates = ["sensitive_data_exposed"]
  incident {
    title    = "Payment card numbers in web request URLs (logged by the web server)"
    category = "sensitive-data-exposure"
  }
  sensitive = true
  tags      = ["sensitive-data"]
}

rule "ssn-in-app-log" {
  source = "app"
  match  = "(?:^|[^0-9-])(?P<ssn>(?P<area>\\d{3})-(?P<group>\\d{2})-(?P<serial>\\d{4}))(?:[^0-9-]|$)"
  where  = "area != '000' && area != '666' && !(area startsWith '9') && group != '00' && serial != '0000'"
  threshold {
    count    = 1
    within   = "24h"
    cooldown = "24h"
    group_by = ["seen_in"]
  }
  severity  = "high"
  indicates = ["sensitive_data_exposed"]
  incident {
    title    = "US social security numbers in application logs"
    category = "sensitive-data-exposure"
  }
  sensitive = true
  tags      = ["sensitive-data"]
}

rule "iban-in-app-log" {
  source = "app"
  match  = "(?:^|[^A-Z0-9])(?P<iban>[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?:[^A-Z0-9]|$)"
  where  = "is_iban(iban)"
  threshold {
    count    = 1
    within   = "24h"
    cooldown = "24h"
    group_by = ["seen_in"]
  }
  severity  = "high"
  indicates = ["sensitive_data_exposed"]
  incident {
    title    = "Bank account numbers (IBAN) in application logs"
    category = "sensitive-data-exposure"
  }
  sensitive = true
  tags      = ["sensitive-data"]
}
