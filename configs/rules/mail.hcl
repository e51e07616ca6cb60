# Mail servers: Postfix SMTP AUTH (SASL) failures and rejections, and
# Dovecot IMAP/POP3/submission login failures, per client address (`ip`).
# The address is taken from the server-written part of each message, never
# from text the client chose (user names, HELO, addresses, mechanisms).

# Postfix 2.x-3.x smtpd SMTP AUTH failures; replaces fail2ban's
# postfix-sasl jail. smtpd_sasl_glue.c smtpd_sasl_authenticate():
# msg_warn("%s: SASL %s authentication failed: %s", state->namaddr,
# sasl_method, reply) (2.x wrote "%s[%s]: ..." with name and addr). namaddr
# is "name[addr]", and "name[addr]:port" with smtpd_client_port_logging
# (2.5+); name is "unknown" or a hostname postfix checked (valid_hostname:
# no '[' or space), so the first bracket after the fixed "warning: " prefix
# is the address. The mechanism is the client's AUTH argument, as typed
# ("login", "Plain"), and so is everything after the address: none of it
# can move the source. Not counted (as fail2ban's default mode): "Connection
# lost to authentication server" (the SASL server failing, not the client)
# and "Invalid authentication mechanism" (a mechanism not offered).
rule "postfix-sasl-failures" {
  source = "mail"
  match  = "^warning: (?P<rdns>[^\\[\\s]*)\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?: SASL (?P<mechanism>[A-Za-z0-9_-]+) authentication failed:\\s*(?P<reason>.*)$"
  where  = "program matches '^postfix(-[A-Za-z0-9_]+)?/([A-Za-z0-9_]+/)?(smtpd|postscreen)$' && is_ip(ip) && !(reason startsWith 'Connection lost to authentication server') && !(reason startsWith 'Invalid authentication mechanism')"
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

# Postfix 2.x-3.x smtpd and postscreen rejections of a client: relay
# attempts, unknown recipients (directory harvesting), HELO and sender
# checks, RBL blocks, milter rejects, command pipelining and error limits.
# Replaces fail2ban's postfix jail in its default mode ("more").
# - smtpd_check.c log_whatsup(): "%s: %s: %s from %s: %s; from=<%s> to=<%s>
#   proto=%s helo=<%s>" (queue id or NOQUEUE, "reject" or, from a milter,
#   "milter-reject", the command, namaddr, the reply); postscreen.c and
#   postscreen_dnsbl.c write the same with namaddr "[addr]:port".
#   Counted when the reply is a permanent or temporary reject
#   ([45][05][04] [45].x.y) for the reasons fail2ban's mode "more" lists:
#   Service unavailable (RBL), Client host / Command / Data command
#   rejected, Relay access denied, Host or Domain not found, need
#   fully-qualified hostname, User unknown / undeliverable address, match
#   (an access table).
# - smtpd.c: "improper command pipelining after %s from %s: %s" (the rest
#   is the client's input) and "too many errors after %s from %s".
# Safety: the address is the first bracket after the fixed prefix; what
# the client chose (HELO, sender, recipient, the pipelined input) comes
# after it, so a HELO of "[10.9.9.9]" or a recipient holding "from
# x[10.9.9.9]" never becomes the source.
rule "postfix-rejects" {
  source = "mail"
  match = [
    "^(?:NOQUEUE|[0-9A-Za-z]+): (?:milter-)?reject: (?P<command>[A-Z]+) from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?: (?P<code>[45][05][04]) [45]\\.\\d{1,3}\\.\\d{1,3} (?:(?:<[^>]*>)?: )?(?:(?:Helo command|(?:Sender|Recipient) address) rejected: )?(?:Service unavailable|(?:Client host|Command|Data command) rejected|Relay access denied|(?:Host|Domain) not found|need fully-qualified hostname|match|[Uu]ser unknown|[Uu]ndeliverable address)\\b.*$",
    "^improper command pipelining after (?P<command>[A-Za-z]+) from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?::.*)?$",
    "^too many errors after (?P<command>[A-Za-z]+) from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?$",
  ]
  where = "program matches '^postfix(-[A-Za-z0-9_]+)?/([A-Za-z0-9_]+/)?(smtpd|postscreen)$' && is_ip(ip)"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SMTP client ${ip} repeatedly rejected (last: ${command})"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1589"]
}

# Postfix clients that drop or stall connections before sending mail:
# scanners, floods, bots that speak before the greeting. What fail2ban's
# postfix jail counts in its "ddos" and "aggressive" modes (no stock jail's
# default), like sshd-preauth-flood for sshd; never a delivery.
# - postscreen_early.c "PREGREET %d after %s from [%s]:%s: %.100s" (the
#   client's input after the address), postscreen_misc.c "HANGUP after %s
#   from [%s]:%s in %s", postscreen_smtpd.c "COMMAND TIME|COUNT|LENGTH LIMIT
#   from [%s]:%s after %s".
# - smtpd.c "%s after %s from %s" with the reason "lost connection" and the
#   stage (3.10+: after "QUEUEID|NOQUEUE: "); after DATA or BDAT (which
#   2.5+ writes with "(N bytes)", older Postfix without) it is a transfer
#   that broke and is not counted, as in fail2ban.
# - smtpd.c "disconnect from %s%s" with smtpd_format_cmd_stats(): counted
#   when AUTH was tried and none succeeded ("auth=0/N").
# Safety: the address is the first bracket after the fixed prefix (namaddr
# "name[addr][:port]", name verified by Postfix); the client's input comes
# after it.
rule "postfix-connection-flood" {
  source = "mail"
  match = [
    "^PREGREET \\d+ after \\S+ from \\[(?P<ip>[0-9A-Fa-f:.]+)\\]:\\d+: .*$",
    "^HANGUP after \\S+ from \\[(?P<ip>[0-9A-Fa-f:.]+)\\]:\\d+ in .*$",
    "^COMMAND (?:TIME|COUNT|LENGTH) LIMIT from \\[(?P<ip>[0-9A-Fa-f:.]+)\\]:\\d+ after \\S+$",
    "^lost connection after (?P<command>[A-Z]+) from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?$",
    "^(?:NOQUEUE|[0-9A-Za-z]+): lost connection after (?P<command>[A-Z]+) from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?$",
    "^disconnect from [^\\[\\s]*\\[(?P<ip>[0-9A-Fa-f:.]+)\\](?::\\d+)?(?: [a-z]+=\\d+(?:/\\d+)?)* auth=0/[1-9]\\d*(?: [a-z]+=\\d+(?:/\\d+)?)*$",
  ]
  where = "program matches '^postfix(-[A-Za-z0-9_]+)?/([A-Za-z0-9_]+/)?(smtpd|postscreen)$' && is_ip(ip) && !(command in ['DATA', 'BDAT'])"
  threshold {
    count    = 20
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SMTP client ${ip} repeatedly dropping or stalling connections"
    category = "reconnaissance"
  }
  tags = ["T1595", "T1499"]
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
#   modules/pam_unix/support.c writes "rhost=%s %s%s" with " user=" and the
#   name, or two empty strings: "rhost=IP  user=U", or "rhost=IP " ending in
#   a space (which a relay may strip).
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
# fail2ban (and PAM's line a third time). Daemontools multilog's lines
# ("@4000... imap-login: ...", a TAI64N label) are read by the syslog parser.
rule "dovecot-auth-failures" {
  source = "mail"
  match = [
    "^(?:(?P<service>imap|pop3|submission|managesieve)-login: )?(?:Info: )?(?:Disconnected|Aborted login|Login aborted|Remote closed connection|Client has quit the connection)(?:: (?:[^()]|\\([^()]*\\))*)? \\((?:auth failed, (?P<attempts>\\d+) attempts?(?: in \\d+ secs?)?|tried to use (?:disallowed|disabled) [A-Za-z0-9-]+ auth|proxy dest auth failed)\\)(?: \\([a-z_]+\\))?: (?:user=<(?P<user>.*)>, )?(?:.*, )?rip=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?:[,:] .*)?$",
    "^(?:dovecot: )?(?:auth(?:-worker)?(?:\\([a-z0-9]+\\))?: )?(?:Info: )?(?:conn unix:[^ ]+ \\([^()]*\\): auth-worker<\\d+>: )?(?P<passdb>pam|passwd-file|sql|ldap|checkpassword|bsdauth|shadow|passwd|vpopmail|lua|oauth2|imap)\\((?P<user>.*),(?P<ip>[0-9A-Fa-f:.]+)(?:,<[^<>]*>|,)?\\): (?:unknown user|Password mismatch|pam_authenticate\\(\\) failed|invalid credentials)(?:[:( ].*)?$",
    "^pam_unix\\(dovecot:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=\\S* rhost=(?P<ip>\\S+)(?: ?| {1,2}user=(?P<user>.*))$",
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
