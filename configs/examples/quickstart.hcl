# breachd quick start: runs from a fresh clone with no other setup.
#
#   go run ./cmd/breachd run --config configs/examples/quickstart.hcl
#
# Relative paths resolve against this file's folder, so everything lives in
# configs/examples/var/ (created on start): the log breachd follows, its
# SQLite database, and the containment records the exec action writes.

server {
  listen   = "127.0.0.1:9731"
  data_dir = "./var"
  # Reads without a token, allowed on loopback only; writes always need a
  # token: "breachd token new NAME --role responder" prints a token block
  # to add here.
  anonymous_role = "viewer"
}

# How findings become incidents: a finding within an hour of closing
# reopens the incident; cost exposure is records x 225 (Ponemon's
# per-record figure).
incidents {
  reopen_within   = "1h"
  cost_per_record = 225
  currency        = "USD"
}

# What a breach of web1 would touch: its incidents get this scope, a
# suggested risk and a cost exposure. Declare your real data stores.
asset "web1-customers" {
  hosts             = ["web1"]
  services          = ["shop"]
  data_categories   = ["name", "email", "postal_address"]
  data_subjects     = 2500
  records           = 10000
  encrypted_at_rest = false
  role              = "controller"
}

# Follow a local log file. Point paths at /var/log/auth.log on a real host.
# format = "syslog" reads the header of each line (time, host, program, pid):
# rules match the message after it, and windows use the line's own time.
source "file" "auth" {
  paths  = ["./var/auth.log"]
  format = "syslog"
}

# Five failed SSH logins from one address within a minute.
rule "ssh-brute-force" {
  source = "auth"
  # Anchored at the end: a user name is attacker-controlled and may itself
  # contain " from 10.0.0.1 port 22"; the real address is the last one.
  match = "^Failed password for (invalid user )?(?P<user>.*) from (?P<ip>\\S+) port \\d+( ssh2)?$"
  # Only sshd's lines; ignore loopback and private networks (the
  # administrators' own).
  where = <<-EXPR
    program == 'sshd' &&
    !ip_in(ip, '127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16')
  EXPR

  threshold {
    count    = 5
    within   = "1m"
    group_by = ["ip"]
  }

  severity = "high"
  # Failed logins show an attempt, not access: the suggested risk
  # follows from that (docs/incidents.md), not only from the data held.
  indicates = ["attempt"]

  incident {
    title    = "SSH brute force from ${ip}"
    category = "unauthorized-access"
  }

  actions = ["record-block", "notify"]
}

# The containment step: here it only writes a record file,
# var/blocked-<address>, so the quick start changes nothing on the host.
# Programs run in this file's folder, like every relative path here.
# Values from the log are validated (ip must parse as an IP address) and
# passed as single arguments; no shell is involved.
action "exec" "record-block" {
  argv    = ["/usr/bin/touch", "./var/blocked-${ip}"]
  timeout = "5s"
}

# Posts the incident as JSON. Pointed at nothing by default: set url to your
# endpoint (e.g. "https://hooks.example.com/breachd") to receive it.
action "webhook" "notify" {
  url     = ""
  timeout = "10s"
}
