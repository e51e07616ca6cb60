source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "x" {
  source    = "nope"
  match     = "Failed (password"
  threshold {
    count  = "five"
    window = "1m"
  }
}
