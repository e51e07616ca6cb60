# OpenSSH server (sshd, and sshd-session since OpenSSH 9.8): brute force,
# password spraying, pre-authentication floods, refused root logins, and a
# login that succeeds after failures.
#
# Written from OpenSSH's own log calls, 5.x to 9.9 (auth.c auth_log,
# auth_maxtries_exceeded, allowed_user, auth_root_allowed, getpwnamallow;
# auth-pam.c; auth1.c/auth2*.c for the text after the protocol; packet.c;
# sshd.c / sshd-session.c; kex.c), as Debian, RHEL/CentOS, SUSE, the BSDs,
# macOS and Solaris write them (see docs/rules.md "The sshd pack").
#
# Safety: the client chooses the user name (any text, truncated to 100
# bytes) and, for some methods, text after the protocol. Each expression is
# anchored on the fixed parts the server writes: where only the port,
# protocol or [preauth] may follow the address, the user is taken lazily and
# the line must end right after them, so the address is the last on the
# line; where client text follows the address, the user must be an existing
# account (no "invalid user", no spaces) so the address is the first after
# it. An address written inside a user name never becomes the source.
# IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are reported as the IPv4
# address, the one the packets came from.
#
# Speed (docs/rules.md "Speed"): each expression starts with one fixed
# string (an optional or alternative start such as "(error: )?" is written
# as two expressions), so the engine rules it out by its lead before running
# it; the mapped prefix is written (?i:::ffff:) so it adds no alternative to
# the literals every line is searched for.
#
# Correlated by connection (one sshd process: host, program, pid; the
# connection blocks below, docs/rules.md "connection"): failures logged
# without the address take the one the process logged on another line; a
# valid user's "Failed publickey" counts only when its connection then
# fails or ends without a login (clients offer every key they hold);
# pam_unix(sshd:auth) lines (PAM's echo of the "Failed password" that
# follows) count only when the connection switches user. Not matched, by
# decision: "POSSIBLE BREAK-IN ATTEMPT" (5.x-7.2, a reverse DNS mismatch,
# not an attempt).

# Failed authentications, the failures fail2ban's sshd jail counts in its
# default "normal" mode (filter.d/sshd.conf cmnfailre), replacing that jail
# and CrowdSec's crowdsecurity/ssh-bf and ssh-slow-bf. Every expression
# names the source address `ip` and the user `user`.
rule "sshd-brute-force" {
  source = "auth"
  match = [
    # Hostbased and gssapi-with-mic (the client's user and host names, or its
    # Kerberos principal, follow: auth2-hostbased.c, monitor.c), and SSH1
    # rhosts with ": ruser X" (auth1.c, before 7.4): the text after the
    # protocol is the client's, so only a valid account (no "invalid user",
    # a name without spaces) is taken and the address is the first after it.
    "^Failed hostbased for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    "^Failed gssapi-with-mic for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    # A key for a user that does not exist (a valid user's failed key is not a
    # failure: clients offer every key they hold, see docs/rules.md). The key's
    # type and fingerprint follow (auth.c format_method_key, 7.x-9.9; hex MD5
    # before 6.8): two words without spaces, so nothing after the address can
    # hold another " from ADDR port N".
    "^Failed publickey for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    "^Failed publickey for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    "^Failed password for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    "^Failed rhosts for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    "^Failed rhosts-rsa for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    # Failed password, keyboard-interactive, challenge-response, none, unknown,
    # rsa and tis (SSH1): auth.c auth_log, nothing after
    # the address but the port and protocol, so the user name (any text) is taken
    # lazily and the address is the last on the line. 7.4-9.9: "... port N ssh2";
    # 6.3-7.3: "ssh2" or "ssh1"; before 6.3 SSH2 wrote " ssh2" and SSH1 no
    # protocol (auth1.c's info); "/pam" since 6.2; macOS and Solaris write
    # keyboard-interactive without it; before 3.9 "illegal user".
    # The same methods with text after "ssh2: " (auth.c auth_log writes
    # authctxt->info there; OpenSSH's password methods set none, other
    # builds' may). An existing user (no "invalid user", a name without
    # spaces) is unambiguous: the address is the first after it. For an
    # invalid user the line reads two ways (user "test" from the first
    # address, or user "test from A port N ssh2:" from the last), so the
    # address is not taken from it: the connection's (see the connection
    # block) is, logged by sshd on the connection's other lines.
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for invalid user (?P<user>\\S+) from [0-9A-Fa-f:.]+ port \\d+ ssh2: .*$",
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?:invalid user |illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: ssh[12])?$",
    # Unknown users: auth.c getpwnamallow. 5.x-7.3: no port; 7.4-9.9:
    # "port N"; before 3.9 "Illegal user".
    "^Invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    "^Illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    # MaxAuthTries reached: auth.c auth_maxtries_exceeded, 6.8-9.9 (error()
    # prefixes "error: "; [preauth] from the privilege-separated child);
    # "ssh1" before 7.4.
    "^error: maximum authentication attempts exceeded for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    "^error: maximum authentication attempts exceeded for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    "^error: maximum authentication attempts exceeded for (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    # The disconnect that follows it, 7.5-9.9 (packet.c ssh_packet_disconnect
    # with the remote id "authenticating|invalid user X ADDR port N").
    "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
    "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
    # A client switching user or service mid-authentication (auth2.c
    # input_userauth_request; with the address since 7.5: "...: (OLD,SVC) ->
    # (NEW,SVC)"): the
    # names in parentheses are the client's, so they are taken only without
    # spaces; the user before the address is lazy, and no text the client
    # wrote before it can end the line.
    "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
    "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
    # PAM's own verdict (auth-pam.c sshpam_query/sshpam_auth_passwd, 5.x-9.9):
    # "error: PAM: <pam_strerror> for [illegal user ]X from HOST"; HOST is a
    # name when UseDNS is on (not an address: not matched); Apple's sshd adds
    # " via LOCAL-ADDRESS".
    # Linux-PAM of the 2000s left a blank at the end.
    "^error: PAM: Authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: User not known to the underlying authentication module for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Permission denied for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Maximum number of tries exceeded for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    # Accounts AllowUsers/DenyUsers/AllowGroups/DenyGroups refuse (auth.c
    # allowed_user, 5.x-9.9): the user is the local account (pw_name), the host
    # the canonical name or the address.
    "^User (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)$",
    # A client that gives up with "Auth fail" (JSch and similar): packet.c
    # "Received disconnect from ADDR: 3: ..." (5.x-7.1), "... port N:3: ..."
    # (7.2-9.9), "error: " before it when the code is not 11 (7.2+). The
    # reason text is the client's; the address comes right after the fixed
    # prefix.
    "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
    "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
    # TCP wrappers (sshd.c with LIBWRAP, 5.x-6.6): "refused connect from
    # CLIENT (ADDR)"; CLIENT is user@host without spaces, the address ends
    # the line in parentheses.
    "^refused connect from \\S+ \\((?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\)$",
    # Failures logged without the address: a refused account (auth.c
    # allowed_user, 5.x-9.9: locked, or its shell missing), and the
    # disconnect at MaxAuthTries before 7.5 (packet.c packet_disconnect
    # "Disconnecting: %.100s" of auth2.c AUTH_FAIL_MSG "Too many
    # authentication failures for %.100s", 5.x-6.7; without the user in
    # 6.8-7.4, auth.c auth_maxtries_exceeded). The address is the
    # connection's: from an earlier line of the same sshd process, else
    # from its next line that carries one (the connection block below).
    "^User (?P<user>\\S+) not allowed because account is locked$",
    "^User (?P<user>\\S+) not allowed because shell .+ (?:does not exist|is not executable)$",
    "^Disconnecting: Too many authentication failures(?: for (?:invalid user |illegal user )?(?P<user>.*?))?(?: \\[preauth\\])?$",
  ]
  # ip is empty on the failures logged without the address (the
  # connection fills it in before the line counts); a host name only where
  # sshd logs one (UseDNS: allowed_user, PAM).
  where = "program in ['sshd', 'sshd-session'] && (ip == '' || is_ip(ip) || ip matches '^[0-9A-Za-z-]+([.][0-9A-Za-z-]+)+$')"
  # One sshd process is one connection: its lines share the client's
  # address (docs/rules.md "connection").
  connection {
    by       = ["host", "program", "pid"]
    fill     = ["ip"]
    within   = "10m"
    max_keys = 10000
    switch   = "user"
    note = [
      # sshd.c / sshd-session.c at LogLevel VERBOSE: "Connection from %s
      # port %d on %s port %d[ rdomain \"%s\"]" (7.x-9.9), "Connection from
      # %.500s port %d" (5.x-6.x).
      "^Connection from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: on [0-9A-Fa-f:.]+ port \\d+)?(?: rdomain \"\\S*\")?$",
      # Linux-PAM pam_unix ("  user=" when PAM_USER is known; ruser is
      # PAM_RUSER, which OpenSSH's auth-pam.c does not set but other PAM
      # modules may, fail2ban's sample gh-2070): the attempt its "Failed
      # password" line counts; here it only names the user for switch.
      # rhost is PAM_RHOST (auth-pam.c: the canonical host name or the
      # address): only an address is read.
      "^pam_unix\\(sshd:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=\\S* rhost=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)  user=(?P<user>\\S+)(?: \\[preauth\\])?$",
      "^pam_unix\\(sshd:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=(?P<user>\\S*) rhost=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: \\[preauth\\])?$",
    ]
    # A valid user's rejected key (auth.c auth_log): clients offer every
    # key they hold, so it counts only when the connection then fails or
    # ends without a login (fail2ban gh-1263).
    hold = [
      "^Failed publickey for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    ]
    # auth.c auth_log "Accepted METHOD for USER from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port N ssh2[: KEY]".
    success = [
      "^Accepted (?:password|publickey|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: .*)?$",
    ]
    # The connection's end (packet.c, as sshd-preauth-flood reads them).
    end = [
      "^Connection closed by (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^Connection reset by (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^Disconnected from (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*$",
      "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*$",
    ]
  }
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SSH brute force from ${ip} (last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110.001"]
}

# One address trying many different users: password spraying (CrowdSec's
# crowdsecurity/ssh-bf_user-enum).
rule "sshd-password-spraying" {
  source = "auth"
  # The same expressions and condition as sshd-brute-force (documented
  # there): breachd evaluates them once per line for both rules.
  match = [
    "^Failed hostbased for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    "^Failed gssapi-with-mic for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    "^Failed publickey for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    "^Failed publickey for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    "^Failed password for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    "^Failed rhosts for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    "^Failed rhosts-rsa for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
    # The same methods with text after "ssh2: " (auth.c auth_log writes
    # authctxt->info there; OpenSSH's password methods set none, other
    # builds' may). An existing user (no "invalid user", a name without
    # spaces) is unambiguous: the address is the first after it. For an
    # invalid user the line reads two ways (user "test" from the first
    # address, or user "test from A port N ssh2:" from the last), so the
    # address is not taken from it: the connection's (see the connection
    # block) is, logged by sshd on the connection's other lines.
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for invalid user (?P<user>\\S+) from [0-9A-Fa-f:.]+ port \\d+ ssh2: .*$",
    "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?:invalid user |illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: ssh[12])?$",
    "^Invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    "^Illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    "^error: maximum authentication attempts exceeded for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    "^error: maximum authentication attempts exceeded for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    "^error: maximum authentication attempts exceeded for (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
    "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
    "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
    "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
    "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
    "^error: PAM: Authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: User not known to the underlying authentication module for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Permission denied for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^error: PAM: Maximum number of tries exceeded for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
    "^User (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)$",
    "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
    "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
    "^refused connect from \\S+ \\((?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\)$",
    # Failures logged without the address: a refused account (auth.c
    # allowed_user, 5.x-9.9: locked, or its shell missing), and the
    # disconnect at MaxAuthTries before 7.5 (packet.c packet_disconnect
    # "Disconnecting: %.100s" of auth2.c AUTH_FAIL_MSG "Too many
    # authentication failures for %.100s", 5.x-6.7; without the user in
    # 6.8-7.4, auth.c auth_maxtries_exceeded). The address is the
    # connection's: from an earlier line of the same sshd process, else
    # from its next line that carries one (the connection block below).
    "^User (?P<user>\\S+) not allowed because account is locked$",
    "^User (?P<user>\\S+) not allowed because shell .+ (?:does not exist|is not executable)$",
    "^Disconnecting: Too many authentication failures(?: for (?:invalid user |illegal user )?(?P<user>.*?))?(?: \\[preauth\\])?$",
  ]
  # ip is empty on the failures logged without the address (the
  # connection fills it in before the line counts); a host name only where
  # sshd logs one (UseDNS: allowed_user, PAM).
  where = "program in ['sshd', 'sshd-session'] && (ip == '' || is_ip(ip) || ip matches '^[0-9A-Za-z-]+([.][0-9A-Za-z-]+)+$')"
  # One sshd process is one connection: its lines share the client's
  # address (docs/rules.md "connection").
  connection {
    by       = ["host", "program", "pid"]
    fill     = ["ip"]
    within   = "10m"
    max_keys = 10000
    switch   = "user"
    note = [
      # sshd.c / sshd-session.c at LogLevel VERBOSE: "Connection from %s
      # port %d on %s port %d[ rdomain \"%s\"]" (7.x-9.9), "Connection from
      # %.500s port %d" (5.x-6.x).
      "^Connection from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: on [0-9A-Fa-f:.]+ port \\d+)?(?: rdomain \"\\S*\")?$",
      # Linux-PAM pam_unix ("  user=" when PAM_USER is known; ruser is
      # PAM_RUSER, which OpenSSH's auth-pam.c does not set but other PAM
      # modules may, fail2ban's sample gh-2070): the attempt its "Failed
      # password" line counts; here it only names the user for switch.
      # rhost is PAM_RHOST (auth-pam.c: the canonical host name or the
      # address): only an address is read.
      "^pam_unix\\(sshd:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=\\S* rhost=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)  user=(?P<user>\\S+)(?: \\[preauth\\])?$",
      "^pam_unix\\(sshd:auth\\): authentication failure; logname=\\S* uid=\\d+ euid=\\d+ tty=\\S* ruser=(?P<user>\\S*) rhost=(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: \\[preauth\\])?$",
    ]
    # A valid user's rejected key (auth.c auth_log): clients offer every
    # key they hold, so it counts only when the connection then fails or
    # ends without a login (fail2ban gh-1263).
    hold = [
      "^Failed publickey for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
    ]
    # auth.c auth_log "Accepted METHOD for USER from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port N ssh2[: KEY]".
    success = [
      "^Accepted (?:password|publickey|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: .*)?$",
    ]
    # The connection's end (packet.c, as sshd-preauth-flood reads them).
    end = [
      "^Connection closed by (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^Connection reset by (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^Disconnected from (?:(?:invalid|authenticating) user .*? )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
      "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*$",
      "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*$",
    ]
  }
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    distinct = "user"
    cooldown = "1h"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SSH password spraying from ${ip}: 10 users in 10 minutes"
    category = "unauthorized-access"
  }
  tags = ["T1110.003"]
}

# Connections dropped before authentication: scanners and floods, what
# fail2ban's sshd jail reports only in its "ddos"/"aggressive" modes
# (mdre-ddos, mdre-extra) and CrowdSec's crowdsecurity/ssh-refused-conn;
# never counted as failed logins.
rule "sshd-preauth-flood" {
  source = "auth"
  match = [
    # Connections dropped before authentication: packet.c
    # sshpkt_vfatal/ssh_packet_read_poll, "Connection closed|reset by ADDR"
    # (no port before 7.2; "port N" since; "authenticating|invalid user X"
    # since 7.5), "Disconnected from ..." (7.2-9.9), each tagged [preauth]
    # by the pre-authentication process (5.9+): the same lines without it
    # are a logged-in session's end (serverloop.c), not counted. The user
    # name is lazy and only the port and [preauth] may follow the address.
    "^Connection closed by (?:(?:invalid|authenticating) user (?P<user>.*?) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)? \\[preauth\\]$",
    "^Connection reset by (?:(?:invalid|authenticating) user (?P<user>.*?) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)? \\[preauth\\]$",
    "^Disconnected from (?:(?:invalid|authenticating) user (?P<user>.*?) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)? \\[preauth\\]$",
    # "Received disconnect from ADDR[ port N]: CODE: reason [preauth]"
    # (packet.c; no port before 7.2, "error: " for codes other than 11); the
    # reason is the client's text, the address follows the fixed
    # prefix.
    "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*\\[preauth\\]$",
    "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?\\d+: .*\\[preauth\\]$",
    # No SSH banner: sshd.c "Did not receive identification string from
    # ADDR" (5.x-7.9; "port N" since 7.3; replaced in 8.0 by kex.c's
    # banner exchange).
    "^Did not receive identification string from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    # A banner that is not SSH: sshd.c "Bad protocol version identification
    # 'TEXT' from ADDR[ port N]" (5.x-7.9); TEXT is the client's, so the
    # address is the last one (greedy TEXT, anchored at the end).
    "^Bad protocol version identification '.*' from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    # An SSH-1 client at an SSH-2-only server: sshd.c "Protocol major
    # versions differ for ADDR[ port N]: OURS vs. THEIRS" (5.x-7.9; port since
    # 7.4); THEIRS is the client's, after the address.
    "^Protocol major versions differ for (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: .*$",
    # 8.0-9.9 (kex.c kex_exchange_identification via sshpkt_fatal).
    "^banner exchange: Connection from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: .*$",
    # Nothing in common (packet.c sshpkt_fatal: "fatal: " before 7.x's
    # logdie, none since; 6.x-9.9).
    "^fatal: Unable to negotiate with (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: .*$",
    "^Unable to negotiate with (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: .*$",
    # LoginGraceTime ran out: the OpenBSD build's sigdie (5.x-9.7, "fatal: ";
    # portable builds log nothing there), then 9.8-9.9's listener (sshd.c
    # child_reap: "... for connection from ADDR to LOCAL, pid = N").
    "^fatal: Timeout before authentication for (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    "^Timeout before authentication for connection from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: to [0-9A-Fa-f:.]+)?, pid = \\d+(?: \\(early\\))?$",
    # Connections sshd itself refuses (sshd.c drop_connection: MaxStartups,
    # 8.2-9.7 "past MaxStartups", 9.8-9.9 "past Maxstartups" and
    # PerSourcePenalties; INFO at the first and every 5 minutes, VERBOSE
    # otherwise).
    "^drop connection #\\d+ from \\[(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\]:\\d+ on \\[[0-9A-Fa-f:.]+\\]:\\d+ (?:past Max[Ss]tartups|penalty: .*)$",
    # A protocol error before authentication (dispatch.c, packet.c
    # sshpkt_vfatal: "ssh_dispatch_run_fatal: Connection from REMOTE: ERROR",
    # 7.x-9.9; REMOTE names the user since 7.5). ERROR is ssh_err()'s text,
    # which has no colon: the user is lazy and nothing after the address may
    # hold one but the server's own "port N: ".
    "^ssh_dispatch_run_fatal: Connection from (?:(?:invalid|authenticating) user (?P<user>.*?) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: [^:]*$",
    # The client went silent (packet.c sshpkt_vfatal, 7.6-9.9: "Connection
    # from REMOTE timed out").
    "^Connection from (?:(?:invalid|authenticating) user (?P<user>.*?) )?(?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ timed out(?: \\[preauth\\])?$",
    # 8.0-9.9 kex.c kex_exchange_identification: a client that sends no
    # SSH banner ("client sent invalid protocol identifier", a port scanner)
    # or drops the connection before one. The address is on another line of
    # the process (the connection block below): its VERBOSE "Connection
    # from", or the "Connection closed|reset by ADDR port N" (no [preauth]:
    # the pre-authentication process was not forked yet) that follows.
    "^error: kex_exchange_identification: (?:client sent invalid protocol identifier .*|Connection closed by remote host|read: Connection reset by peer)$",
  ]
  where = "program in ['sshd', 'sshd-session'] && (ip == '' || is_ip(ip))"
  connection {
    by       = ["host", "program", "pid"]
    fill     = ["ip"]
    within   = "10m"
    max_keys = 10000
    # Lines that name the connection's address and count nothing: the
    # VERBOSE "Connection from", and a close without [preauth], which
    # after a login is the session's end (serverloop.c), not a drop: it only
    # completes the banner failures above.
    note = [
      "^Connection from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: on [0-9A-Fa-f:.]+ port \\d+)?(?: rdomain \"\\S*\")?$",
      "^Connection (?:closed|reset) by (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
    ]
  }
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "SSH pre-authentication flood from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1046"]
}

# Root logins refused by PermitRootLogin or AllowUsers/DenyUsers (fail2ban's
# sshd jail counts these as failures in every mode).
rule "sshd-root-login-refused" {
  source = "auth"
  match = [
    # auth.c auth_root_allowed: "ROOT LOGIN REFUSED FROM ADDR" (5.x-7.3),
    # "... port N" (7.4-9.9), [preauth] when the child logs it.
    "^ROOT LOGIN REFUSED FROM (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: \\[preauth\\])?$",
    # auth.c allowed_user for root (also a brute-force failure above).
    "^User (?P<user>root) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) not allowed because .*$",
  ]
  where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
  threshold {
    count    = 3
    within   = "10m"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Refused root logins over SSH from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1078.003"]
}

# Failures, then a successful login from the same address: the guess
# worked, or a stolen credential did.
rule "sshd-success-after-failures" {
  source = "auth"
  sequence {
    by     = ["ip"]
    within = "30m"
    step "failures" {
      # The same expressions and condition as sshd-brute-force: breachd
      # evaluates them once per line, whichever rules use them.
      match = [
        "^Failed hostbased for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
        "^Failed gssapi-with-mic for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
        "^Failed publickey for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
        "^Failed publickey for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: \\S+ \\S+)?$",
        "^Failed password for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
        "^Failed rhosts for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
        "^Failed rhosts-rsa for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh1: .*$",
        "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2: .*$",
        "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for invalid user (?P<user>\\S+) from [0-9A-Fa-f:.]+ port \\d+ ssh2: .*$",
        "^Failed (?:password|keyboard-interactive(?:/pam)?|challenge-response|none|unknown|rsa|tis) for (?:invalid user |illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?(?: ssh[12])?$",
        "^Invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
        "^Illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?$",
        "^error: maximum authentication attempts exceeded for invalid user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
        "^error: maximum authentication attempts exceeded for illegal user (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
        "^error: maximum authentication attempts exceeded for (?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh[12](?: \\[preauth\\])?$",
        "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
        "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Too many authentication failures(?: \\[preauth\\])?$",
        "^Disconnecting invalid user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
        "^Disconnecting authenticating user (?P<user>.*?) (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+: Change of username or service not allowed: \\(\\S*\\) -> \\(\\S*\\)(?: \\[preauth\\])?$",
        "^error: PAM: Authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: authentication failure for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: Authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: authentication error for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: User not known to the underlying authentication module for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: Permission denied for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^error: PAM: Maximum number of tries exceeded for (?:illegal user )?(?P<user>.*?) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*)(?: via [0-9A-Fa-f:.]+)?\\s*$",
        "^User (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Za-z:][0-9A-Za-z.:-]*) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)$",
        "^error: Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
        "^Received disconnect from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)(?: port \\d+)?: ?3: .*Auth fail(?: \\[preauth\\])?$",
        "^refused connect from \\S+ \\((?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)\\)$",
        "^User (?P<user>\\S+) not allowed because account is locked$",
        "^User (?P<user>\\S+) not allowed because shell .+ (?:does not exist|is not executable)$",
        "^Disconnecting: Too many authentication failures(?: for (?:invalid user |illegal user )?(?P<user>.*?))?(?: \\[preauth\\])?$",
      ]
      # The brute-force rule's condition too, so the three rules share one
      # evaluation per line; a failure without the address (ip empty) or
      # with a host name never meets a success (whose ip is an address).
      where = "program in ['sshd', 'sshd-session'] && (ip == '' || is_ip(ip) || ip matches '^[0-9A-Za-z-]+([.][0-9A-Za-z-]+)+$')"
      count = 5
    }
    step "success" {
      # auth.c auth_log "Accepted METHOD for USER from ADDR port N ssh2[: KEY]"
      # (5.x-9.9): USER is an account that exists, so it has no spaces.
      match = "^Accepted (?:password|publickey|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic) for (?P<user>\\S+) from (?i:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+) port \\d+ ssh2(?:: .*)?$"
      where = "program in ['sshd', 'sshd-session'] && is_ip(ip)"
    }
  }
  severity  = "critical"
  indicates = ["access"]
  incident {
    title    = "SSH login as ${user} from ${ip} after repeated failures: account likely compromised"
    category = "account-compromise"
  }
  tags = ["T1110", "T1078"]
}
