# Three mistakes a rule writer makes: a misspelt source, a duration in
# words, and a condition on a field the rule does not capture.
source "file" "auth" {
  paths = ["/var/log/auth.log"]
}

rule "ssh-brute-force" {
  source = "auht"
  match  = "Failed password for (?P<user>\\S+) from (?P<ip>\\S+)"
  where  = "usr != 'git'"

  threshold {
    count    = 5
    within   = "1 minute"
    group_by = ["ip"]
  }
}
