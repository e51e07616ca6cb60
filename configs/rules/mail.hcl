# Mail servers: Postfix SMTP AUTH (SASL) failures and Dovecot IMAP/POP3
# login failures, per client address. The address is taken from the
# server-written part of each message, after the client-chosen user name.

rule "postfix-sasl-failures" {
  source = "mail"
  match  = "^warning: (?P<rdns>[^\\[\\s]*)\\[(?P<ip>[0-9A-Fa-f:.]+)\\]: SASL (?P<mechanism>[A-Z0-9-]+) authentication failed: .*$"
  where  = "program matches '^postfix(-[a-z0-9]+)?/(smtpd|submission/smtpd|smtps/smtpd|postscreen)$' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SMTP AUTH brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# Dovecot 2.0-2.3 (and 2.4's default login_log_format), IMAP/POP3/
# submission/ManageSieve; replaces fail2ban's dovecot jail (normal mode).
# Written from dovecot core's own log calls:
# - src/login-common/client-common.c client_get_log_str() and
#   client-common-auth.c's disconnect reasons: "<svc>-login: REASON
#   (auth failed, N attempts[ in N secs]): user=<U>, method=M, rip=IP,
#   lip=IP[, mpid=N][, TLS][, session=<id>]". "in N secs" appeared in 2.2.x
#   (older servers: "(auth failed, N attempts)"); 2.3 adds "Login aborted:
#   Connection closed (...) (auth_failed)". REASON is a fixed string
#   (Disconnected, Aborted login, Disconnected: Inactivity, Remote closed
#   connection, Client has quit the connection, ...).
#   "(tried to use disallowed|disabled plaintext auth)" is a client
#   sending a password in clear where it is refused: counted, as fail2ban
#   does. "(proxy dest auth failed)" is the backend refusing the password.
# - src/auth/auth-request.c's log prefix for passdb lookups (auth_verbose):
#   "DRIVER(USER,RIP[,<session>]): unknown user | Password mismatch |
#   pam_authenticate() failed: ... | invalid credentials", from the auth
#   process ("auth: ", "auth-worker(N): ", 2.3's "conn unix:auth-worker
#   (...): auth-worker<N>: ").
# - Linux-PAM's pam_unix for the dovecot service, "pam_unix(dovecot:auth):
#   authentication failure; ... ruser=R rhost=IP[  user=U]", logged by the
#   auth process (program "auth", 1.x "dovecot-auth") to the mail log; rhost
#   precedes the client's user name; ruser (the client's) must have no space.
# Dovecot 1.x-2.1 named the process after the auth section: "auth(default)",
# "auth-worker(default)".
# Both through syslog (program dovecot, the process in the message) and in
# dovecot's own log_path file (the parser takes "pop3-login:" or
# "auth-worker(N):" as the program, the message starts with "Info: ").
# Safety: the user name is the client's and comes before the address in
# both shapes; the address is the LAST "rip=" (or the last ",ADDR" before
# "): ") on the line, and what follows it is the server's (lip, TLS,
# session id, PAM's error text), so a user name holding "rip=X" or ",X):"
# never becomes the source. With auth_verbose=yes one failed login writes
# two lines (the passdb's and the login process's): both count, as in
# fail2ban (and PAM's line a third time). Not read: multilog (@TAI64)
# lines (the parser does not take them).
rule "dovecot-auth-failures" {
  source = "mail"
  match = [
    "^(?:(?P<service>imap|pop3|submission|managesieve)-login: )?(?:Info: )?(?:Disconnected|Aborted login|Login aborted|Remote closed connection|Client has quit the connection)(?:: (?:[^()]|\\([^()]*\\))*)? \\((?:auth failed, (?P<attempts>\\d+) attempts?(?: in \\d+ secs?)?|tried to use (?:disallowed|disabled) [A-Za-z0-9-]+ auth|proxy dest auth failed)\\)(?: \\([a-z_]+\\))?: (?:user=<(?P<user>.*)>, )?(?:.*, )?rip=(?P<ip>[0-9A-Fa-f:.]+)(?:[,:] .*)?$",
    "^(?:dovecot: )?(?:auth(?:-worker)?(?:\\([a-z0-9]+\\))?: )?(?:Info: )?(?:conn unix:[^ ]+ \\([^()]*\\): auth-worker<\\d+>: )?(?P<passdb>pam|passwd-file|sql|ldap|checkpassword|bsdauth|shadow|passwd|vpopmail|lua|oauth2|imap)\\((?P<user>.*),(?P<ip>[0-9A-Fa-f:.]+)(?:,<[^<>]*>|,)?\\): (?:unknown user|Password mismatch|pam_authenticate\\(\\) failed|invalid credentials)(?:[:( ].*)?$",
    "^pam_unix\\(dovecot:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=\\S* rhost=(?P<ip>\\S+)(?:\\s+user=(?P<user>.*))?$",
  ]
  where = "program in ['dovecot', 'imap-login', 'pop3-login', 'submission-login', 'managesieve-login', 'auth', 'auth-worker', 'auth(default)', 'auth-worker(default)', 'dovecot-auth'] && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Dovecot login brute force from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
