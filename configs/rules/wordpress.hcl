# WordPress: password guessing on wp-login.php and through XML-RPC, seen in
# the web server's access log (the `web` source, combined format):
# WordPress logs nothing of its own. The address is the access log's first
# field, written by the web server. See docs/rules.md "The wordpress pack".

# A failed login on the login form. wp-login.php (WordPress 2.x-6.x), case
# 'login': wp_signon() succeeding ends in wp_safe_redirect() (302 to the
# dashboard or redirect_to); a WP_Error (wrong password, unknown user or
# email, empty field, no test cookie) falls through to login_header() and
# the form again: 200. So a POST to wp-login.php answered 200 is a failed
# login. Not counted: other actions of the same script (?action=
# lostpassword, register, resetpass, rp, postpass, confirmaction, ...),
# which are not password checks; a login answered 403/429/503 by a
# lockout plugin (web-auth-failures counts bursts of 403). One success
# also answers 200: the interim (session-expired) login, posted with
# interim-login=1 in its body, which the access log does not show.
# The access log holds no tried user name (remote_user is HTTP auth's, "-"
# for a form login), so these findings have no `user`.
rule "wordpress-login-failures" {
  source = "web"
  match  = "^POST (?:/[^\\s?]*)?/wp-login\\.php(?:\\?\\S*)? HTTP/\\d(?:\\.\\d)?$"
  where  = "status == '200' && (!(path matches '[?&]action=') || path matches '[?&]action=login(?:&|$)')"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "WordPress login failures from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# XML-RPC: xmlrpc.php answers every POST 200 (a failed wp.getUsersBlogs or
# system.multicall login is a faultCode 403 inside the body, which the
# access log does not show), and one system.multicall request can carry
# hundreds of guesses. So what counts is the rate: 20 POSTs to xmlrpc.php
# from one address in a minute, far above what the mobile apps or a
# pingback send, is password guessing or pingback abuse. GET (405, "XML-RPC
# server accepts POST requests only.") is not counted.
rule "wordpress-xmlrpc-abuse" {
  source = "web"
  match  = "^POST (?:/[^\\s?]*)?/xmlrpc\\.php(?:\\?\\S*)? HTTP/\\d(?:\\.\\d)?$"
  where  = "status == '200'"
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "WordPress XML-RPC abuse from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1498"]
}
