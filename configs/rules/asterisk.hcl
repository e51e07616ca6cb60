# Asterisk: failed SIP registrations and calls (chan_sip, res_pjsip), IAX2
# and AMI (manager) logins, and the security events of res_security_log,
# per client address (`ip`). Replaces fail2ban's asterisk jail. Written from
# asterisk/asterisk 1.8-22 (channels/chan_sip.c, channels/chan_iax2.c,
# res/res_pjsip/pjsip_distributor.c, res/res_pjsip_session.c,
# main/manager.c, res/res_security_log.c, and main/logger.c for the line
# shapes). The address is ast_sockaddr_stringify[_addr] ("1.2.3.4",
# "1.2.3.4:5060", "[2001:db8::1]:5060") or pjsip's pj_sockaddr_print.
# An IPv4-mapped address (::ffff:a.b.c.d) is reported as a.b.c.d, the
# address the packets came from (the nftables action's IPv4 set).

# Asterisk's own log (logger.conf "messages => notice,warning,error"),
# main/logger.c: "[DATE] LEVEL[LWP][CALLID] FILE: MSG" (the default
# formatter) or "[DATE] LEVEL[LWP][CALLID]: FILE:LINE FUNC: MSG" ([plain]).
# DATE is dateformat: "%F %T" (the ISO form most installations and FreePBX
# set) gives the line's time (local, read as UTC); Asterisk's default
# "%b %e %T" has no year and is timed at reading. Lines rsyslog wrote there
# ("HOST asterisk[PID]: LEVEL[LWP]: FILE:LINE in FUNC: MSG") are read too.
source "file" "asterisk" {
  paths       = ["/var/log/asterisk/messages", "/var/log/asterisk/security", "/var/log/asterisk/full"]
  format      = "regex"
  pattern     = "^(?:\\[(?:(?P<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)|[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)\\] |[A-Z][a-z]{2} [ 0-9]?\\d \\d\\d:\\d\\d:\\d\\d (?:[^\\s:\\[]+ )?asterisk(?:\\[\\d+\\])?: )?(?P<message>.*)$"
  time_layout = "2006-01-02 15:04:05"
}

# Asterisk's log file (the source above). Every expression starts with
# the logger's "LEVEL[LWP][CALLID]" and the source file that wrote it.
# Counted (10 within 10 minutes, the asterisk jail's maxretry):
# - chan_sip.c register_verify(): "Registration from 'TO' failed for 'ADDR'
#   - REASON" for Wrong password, Username/auth name mismatch, No matching
#   peer found, Not a local domain, Peer is not supposed to register,
#   Device does not match ACL (1.8: ACL error (permit/deny)); not "Device not
#   configured to use this transport type", "RTP initialization failed",
#   "Unknown failure" (the server's configuration). TO is the client's.
# - chan_sip.c (11-20) and res_pjsip_session.c (13-20): "Call from 'NAME'
#   (ADDR) to extension 'EXTEN' rejected because extension not found in
#   context 'CONTEXT'." (toll-fraud scans); res_pjsip_session.c 21+:
#   "ENDPOINT: Call (TRANSPORT:ADDR) to extension …".
# - pjsip_distributor.c log_failed_request(): "Request 'METHOD' from 'FROM'
#   failed for 'ADDR' (callid: CALLID) - No matching endpoint found | Not
#   match Endpoint ACL | Not match Endpoint Contact ACL | Failed to
#   authenticate | Error to authenticate[ after N tries in X ms]".
# - chan_iax2.c: "Host ADDR failed to authenticate as USER", "Host ADDR
#   failed MD5 authentication for 'USER' (X != Y)", "No registration for
#   peer 'PEER' (from ADDR)".
# - manager.c: "ADDR failed to authenticate as 'USER'", "ADDR tried to
#   authenticate with nonexistent user 'USER'", "ADDR failed to pass IP ACL
#   as 'USER'".
# - res_security_log.c: SecurityEvent FailedACL, InvalidAccountID,
#   ChallengeResponseFailed, InvalidPassword, with RemoteAddress
#   "IPV4|IPV6/TRANSPORT/ADDR/PORT".
# - FreePBX's dialplan (from-sip-external), through app_verbose's Log():
#   "Ext. EXTEN: \"Rejecting unknown SIP connection from ADDR\"".
# - "hacking attempt detected 'ADDR'" (chan_sip.c): no Asterisk release
#   writes it (not in chan_sip.c of 1.0 to 20), but a patched chan_sip did
#   on a real server (fail2ban #1000, from a user's log on fail2ban-users,
#   2015-03-16, next to the stock "Sending fake auth rejection" of the same
#   attempt). The message holds nothing but the address, which ends the
#   line, so it is counted.
# Safety: where the client's text (TO, FROM, NAME, PEER, USER) precedes the
# address, it is taken lazily and the server's fixed text must follow the
# address through the end of the line; where client text follows it
# (EXTEN, CALLID), that text is bounded ([^'], \S) so an injected
# "failed for '…'" cannot complete a match. res_security_log writes
# AccountID and SessionID (before the addresses) and Response,
# ReceivedChallenge, ReceivedHash (after them) as the client sent them,
# unescaped. FailedACL and InvalidAccountID carry only server fields
# (ACLName, SessionTV, Module) after the addresses, so their last
# RemoteAddress is the real one; an InvalidPassword or
# ChallengeResponseFailed line naming RemoteAddress= more than once is not
# counted (client text on both sides: the other lines of the same attempt,
# chan_sip's or pjsip's, still are). An address is read as Asterisk prints
# it: IPv4 with or without ":PORT", IPv6 bare (no port) or "[ADDR]:PORT",
# so no IPv6 digits are taken for a port; pjsip's "(TRANSPORT:ADDR:PORT)"
# of 13-20 has a bare IPv6 address with a port, always last before ")".
rule "asterisk-auth-failures" {
  source = "asterisk"
  match = [
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_sip\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Registration from '(?P<user>.*?)' failed for '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?' - (?P<reason>Wrong password|Username/auth name mismatch|No matching peer found|Not a local domain|Peer is not supposed to register|Device does not match ACL|ACL error \\(permit/deny\\))$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_sip\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: hacking attempt detected '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?'$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? (?:chan_sip|res_pjsip_session)\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Call from '(?P<user>.*?)' \\((?:(?:UDP|TCP|TLS|WS|WSS):)?\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+\\) to extension '(?P<exten>[^']*)' rejected because extension not found in context '(?P<context>[^']*)'\\.$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_pjsip_session\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: (?P<endpoint>[^\\s:]+): Call \\((?:UDP|TCP|TLS|WS|WSS):\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+\\) to extension '(?P<exten>[^']*)' rejected because extension not found in context '(?P<context>[^']*)'\\.$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? (?:res_pjsip/)?pjsip_distributor\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Request (?:'[A-Za-z]+' )?from '(?P<user>.*?)' failed for '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?' \\(callid: (?P<callid>\\S*)\\) - (?P<reason>No matching endpoint found|Not match Endpoint ACL|Not match Endpoint Contact ACL|Failed to authenticate|Error to authenticate)(?: after \\d+ tries in [0-9.]+ ms)?$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_iax2\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Host \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)? failed (?:to authenticate as|MD5 authentication for) '?(?P<user>.*?)'?(?: \\([0-9a-f]* != [0-9a-f]*\\))?$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_iax2\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: No registration for peer '(?P<user>.*)' \\(from \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?\\)$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? manager\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)? (?:failed to authenticate as|tried to authenticate with nonexistent user|failed to pass IP ACL as) '(?P<user>.*)'$",
    "^SECURITY\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_security_log\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: SecurityEvent=\\\"(?P<event>FailedACL|InvalidAccountID)\\\",EventTV=\\\"[^\\\"]*\\\",Severity=\\\"[A-Za-z]+\\\",Service=\\\"(?P<service>[A-Za-z0-9_]+)\\\",EventVersion=\\\"\\d+\\\",AccountID=\\\"(?P<user>.*)\\\",SessionID=\\\".*\\\",LocalAddress=\\\"IPV[46]/[A-Z]+/[0-9A-Fa-f:.]+/\\d+\\\",RemoteAddress=\\\"IPV[46]/[A-Z]+/(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)/\\d+\\\"(?:,(?:ACLName|SessionTV|Module)=\\\"[^\\\"]*\\\")*$",
    "^SECURITY\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_security_log\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: SecurityEvent=\\\"(?P<event>ChallengeResponseFailed|InvalidPassword)\\\",EventTV=\\\"[^\\\"]*\\\",Severity=\\\"[A-Za-z]+\\\",Service=\\\"(?P<service>[A-Za-z0-9_]+)\\\",EventVersion=\\\"\\d+\\\",AccountID=\\\"(?P<user>.*?)\\\",SessionID=\\\".*?\\\",LocalAddress=\\\"IPV[46]/[A-Z]+/[0-9A-Fa-f:.]+/\\d+\\\",RemoteAddress=\\\"IPV[46]/[A-Z]+/(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)/\\d+\\\"(?:,[A-Za-z]+=\\\"[^\\\"]*\\\")*$",
    "^WARNING\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? Ext\\. (?P<exten>\\S*?)(?::\\d+ in @ [A-Za-z0-9_-]+)?: \\\"Rejecting unknown SIP connection from \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?\\\"$",
  ]
  where = "is_ip(ip) && (!(event in ['ChallengeResponseFailed', 'InvalidPassword']) || indexOf(line, 'RemoteAddress=') == lastIndexOf(line, 'RemoteAddress='))"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "VoIP brute force or toll-fraud scan from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

# The same through syslog (logger.conf "syslog.local0 => notice,warning"):
# program asterisk, message "LEVEL[LWP][CALLID]: FILE:LINE in FUNC: MSG".
rule "asterisk-auth-failures-syslog" {
  source = "syslog"
  match = [
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_sip\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Registration from '(?P<user>.*?)' failed for '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?' - (?P<reason>Wrong password|Username/auth name mismatch|No matching peer found|Not a local domain|Peer is not supposed to register|Device does not match ACL|ACL error \\(permit/deny\\))$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_sip\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: hacking attempt detected '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?'$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? (?:chan_sip|res_pjsip_session)\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Call from '(?P<user>.*?)' \\((?:(?:UDP|TCP|TLS|WS|WSS):)?\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+\\) to extension '(?P<exten>[^']*)' rejected because extension not found in context '(?P<context>[^']*)'\\.$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_pjsip_session\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: (?P<endpoint>[^\\s:]+): Call \\((?:UDP|TCP|TLS|WS|WSS):\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+?)\\]?:\\d+\\) to extension '(?P<exten>[^']*)' rejected because extension not found in context '(?P<context>[^']*)'\\.$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? (?:res_pjsip/)?pjsip_distributor\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Request (?:'[A-Za-z]+' )?from '(?P<user>.*?)' failed for '\\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?' \\(callid: (?P<callid>\\S*)\\) - (?P<reason>No matching endpoint found|Not match Endpoint ACL|Not match Endpoint Contact ACL|Failed to authenticate|Error to authenticate)(?: after \\d+ tries in [0-9.]+ ms)?$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_iax2\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: Host \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)? failed (?:to authenticate as|MD5 authentication for) '?(?P<user>.*?)'?(?: \\([0-9a-f]* != [0-9a-f]*\\))?$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? chan_iax2\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: No registration for peer '(?P<user>.*)' \\(from \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?\\)$",
    "^NOTICE ?\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? manager\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)? (?:failed to authenticate as|tried to authenticate with nonexistent user|failed to pass IP ACL as) '(?P<user>.*)'$",
    "^SECURITY\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_security_log\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: SecurityEvent=\\\"(?P<event>FailedACL|InvalidAccountID)\\\",EventTV=\\\"[^\\\"]*\\\",Severity=\\\"[A-Za-z]+\\\",Service=\\\"(?P<service>[A-Za-z0-9_]+)\\\",EventVersion=\\\"\\d+\\\",AccountID=\\\"(?P<user>.*)\\\",SessionID=\\\".*\\\",LocalAddress=\\\"IPV[46]/[A-Z]+/[0-9A-Fa-f:.]+/\\d+\\\",RemoteAddress=\\\"IPV[46]/[A-Z]+/(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)/\\d+\\\"(?:,(?:ACLName|SessionTV|Module)=\\\"[^\\\"]*\\\")*$",
    "^SECURITY\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? res_security_log\\.c(?::\\d+(?: in)? [A-Za-z0-9_]+)?: SecurityEvent=\\\"(?P<event>ChallengeResponseFailed|InvalidPassword)\\\",EventTV=\\\"[^\\\"]*\\\",Severity=\\\"[A-Za-z]+\\\",Service=\\\"(?P<service>[A-Za-z0-9_]+)\\\",EventVersion=\\\"\\d+\\\",AccountID=\\\"(?P<user>.*?)\\\",SessionID=\\\".*?\\\",LocalAddress=\\\"IPV[46]/[A-Z]+/[0-9A-Fa-f:.]+/\\d+\\\",RemoteAddress=\\\"IPV[46]/[A-Z]+/(?:::ffff:)?(?P<ip>[0-9A-Fa-f:.]+)/\\d+\\\"(?:,[A-Za-z]+=\\\"[^\\\"]*\\\")*$",
    "^WARNING\\[\\d+\\](?:\\[C-[0-9a-f]+\\])?:? Ext\\. (?P<exten>\\S*?)(?::\\d+ in @ [A-Za-z0-9_-]+)?: \\\"Rejecting unknown SIP connection from \\[?(?:::ffff:)?(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|[0-9.]+?)\\]?(?::\\d+)?\\\"$",
  ]
  where = "program == 'asterisk' && is_ip(ip) && (!(event in ['ChallengeResponseFailed', 'InvalidPassword']) || indexOf(line, 'RemoteAddress=') == lastIndexOf(line, 'RemoteAddress='))"
  threshold {
    count    = 10
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "VoIP brute force or toll-fraud scan from ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}
