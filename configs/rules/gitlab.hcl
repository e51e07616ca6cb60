# GitLab: failed web logins, per client address (`ip`). Replaces fail2ban's
# gitlab jail. See docs/rules.md "The gitlab pack".

# GitLab's application log (Omnibus: /var/log/gitlab/gitlab-rails/;
# source installs: log/ in the application folder).
# lib/gitlab/logger.rb format_message writes "#{time.utc.iso8601(3)}:
# #{message}"; the time becomes the event's.
source "file" "gitlab" {
  paths = [
    "/var/log/gitlab/gitlab-rails/application.log",
    "/home/git/gitlab/log/application.log",
  ]
  format  = "regex"
  pattern = "^(?P<time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)): (?P<message>.*)$"
}

# app/controllers/sessions_controller.rb log_failed_login (GitLab 8-17):
#   Gitlab::AppLogger.info("Failed Login: username=#{user_params[:login]}
#                           ip=#{request.remote_ip}")
# for a sign-in that Warden refused (wrong password, unknown user, a
# locked or blocked account). request.remote_ip is Rails' (the socket's
# address, or X-Forwarded-For from a trusted proxy: GitLab's nginx).
# Safety: the login is the client's text and comes first; the address is
# the last word, after the last " ip=", to the end of the line.
rule "gitlab-auth-failures" {
  source = "gitlab"
  match  = "^Failed Login: username=(?P<user>.*) ip=(?P<ip>[0-9A-Fa-f:.]+)$"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "GitLab login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
