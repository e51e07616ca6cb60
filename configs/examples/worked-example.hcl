# The config of docs/worked-example.md: one case from the first log line to
# the last notice and the register's final entry. The tokens are
# rita-token (responder) and dora-token (the DPO); the rule is the shipped
# sshd pack's sshd-success-after-failures; notices go to file channels
# (one JSON file per notice) so the example runs anywhere.
server {
  listen   = "127.0.0.1:9741"
  data_dir = "./var"
}

organisation {
  name        = "Example Hosting GmbH"
  address     = "Datenstraße 1, 10115 Berlin"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example-hosting.de"
  dpo_address = "Example Hosting GmbH, Datenschutz, Datenstraße 1, 10115 Berlin"
  time_zone   = "Europe/Berlin"
}

incidents {
  policy_packs    = ["gdpr", "company"]
  cost_per_record = 225
}

source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}

asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email", "postal_address"]
  data_subjects   = 2500
  records         = 10000
  jurisdictions   = ["DE"]
  customers       = ["Acme Retail GmbH"]
  customer "Acme Retail GmbH" {
    address = "Hauptstraße 5, 80331 München"
    email   = "security@acme-retail.example"
  }
}

channel "file" "authority-outbox" {
  dir = "./var/outbox/authority"
}
channel "file" "management" {
  dir = "./var/outbox/management"
}
channel "file" "customers" {
  dir = "./var/outbox/customers"
}

recipient "supervisory_authority" {
  name     = "Berliner Beauftragte für Datenschutz und Informationsfreiheit"
  address  = "Alt-Moabit 59-61, 10555 Berlin"
  channels = ["authority-outbox"]
}
recipient "management" {
  name     = "Executive management (CEO, CFO, CTO)"
  channels = ["management"]
}
recipient "customer" {
  channels = ["customers"]
}
recipient "insurer" {
  name    = "Cyber Mutual AG, claims"
  address = "Versicherungsplatz 2, 20095 Hamburg"
}
recipient "hosting_provider" {
  name = "Cloud Racks GmbH, abuse desk"
}

token "rita" { # rita-token
  role   = "responder"
  sha256 = "d7b426ec51712b3284ee4bb20cb8ef761e71d8f1d7d8433a271165f4120e9507"
}
token "dora" { # dora-token
  role   = "dpo"
  sha256 = "175590da66ff48eb7607a11faad12ab6b454be28717af6f9b4d39169ec12ea80"
}

rule "sshd-success-after-failures" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "30m"
    step "failures" {
      # The same expressions and condition as sshd-brute-force: breachd
      # evaluates them once per line, whichever rules use them.
      match = [
        "^Failed (password|publickey|keyboard-interactive/pam|none|hostbased) for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$",
        "^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)( port \\d+)?$",
        "^error: maximum authentication attempts exceeded for (invalid user )?(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2( \\[preauth\\])?$",
        "^Disconnecting (invalid|authenticating) user (?P<user>.*?) (?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures( \\[preauth\\])?$",
      ]
      where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
      count = 5
    }
    step "success" {
      match = "^Accepted (password|publickey|keyboard-interactive/pam) for (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(: \\S+ \\S+)?$"
      where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
    }
  }
  severity  = "critical"
  indicates = ["access"]
  incident {
    title    = "SSH login as ${user} from ${ip} after repeated failures: account likely compromised"
    category = "account-compromise"
  }
  tags = ["T1110", "T1078"]
}
