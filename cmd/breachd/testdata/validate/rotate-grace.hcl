# A rotated file is read for at most 5 minutes after it last grew; more is
# refused, and so is a duration that is not one.
source "file" "auth" {
  paths        = ["/var/log/auth.log"]
  rotate_grace = "10m"
}

source "file" "app" {
  paths        = ["/var/log/app.log"]
  rotate_grace = "soon"
}
