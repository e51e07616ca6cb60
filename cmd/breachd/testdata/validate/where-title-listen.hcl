source "file" "auth" {
  paths = ["/var/log/auth.log"]
}
rule "a" {
  source = "auth"
  match = "(?P<ip>x)"
  where = "nope == 1"
  incident {
    title = "${nofield}"
  }
}
server {
  listen = "127.0.0.1:99999"
}
