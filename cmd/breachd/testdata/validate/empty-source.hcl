source "file" "auth" {
  paths = []
}
rule "a" {
  source = "auth"
  match = "x"
}
