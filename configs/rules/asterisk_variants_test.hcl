# Variants of every Asterisk message asterisk.hcl reads, one test each, as
# Asterisk 1.8-22 writes them (asterisk/asterisk: channels/chan_sip.c,
# channels/chan_iax2.c, res/res_pjsip/pjsip_distributor.c,
# res/res_pjsip_session.c, main/manager.c, res/res_security_log.c,
# main/logger.c; the log call cited per test) or as real servers logged
# them in fail2ban's asterisk sample (Debian fail2ban 1.0.2, line cited;
# addresses replaced by documentation ones).
#
#   breachd test configs/rules/asterisk_variants_test.hcl

config = ["sources.hcl", "asterisk.hcl"]

# chan_sip.c register_verify "Registration from '%s' failed for '%s' - %s"; fail2ban asterisk line 3
test "chan_sip: wrong password, 1.8 (address without port)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '203.0.113.1' - Wrong password"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.1" }
    fields = { reason = "Wrong password", user = "<sip:301@example.com>" }
  }
}

# chan_sip.c 11+ ast_sockaddr_stringify(addr); fail2ban asterisk line 25
test "chan_sip 11+: address with port (ast_sockaddr_stringify)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1237] chan_sip.c: Registration from '\"100\"sip:100@192.0.2.9' failed for '203.0.113.2:23930' - No matching peer found"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.2" }
    fields = { reason = "No matching peer found" }
  }
}

# ast_sockaddr_stringify of an IPv6 address with a port: [ADDR]:PORT
test "chan_sip: IPv6 peer, bracketed with port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1237] chan_sip.c: Registration from '<sip:301@example.com>' failed for '[2001:db8::3]:5060' - Username/auth name mismatch"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::3" }
  }
}

# ast_sockaddr_stringify of a mapped address on a dual-stack socket
test "chan_sip: IPv4-mapped peer, reported as IPv4" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1237] chan_sip.c: Registration from '<sip:301@example.com>' failed for '[::ffff:203.0.113.4]:5060' - Device does not match ACL"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.4" }
  }
}

# chan_sip.c 1.8 register_verify AUTH_ACL_FAILED; fail2ban asterisk line 13
test "chan_sip: 1.8's ACL error (permit/deny)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '203.0.113.5' - ACL error (permit/deny)"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.5" }
  }
}

# the To header is the client's and comes before the address
test "chan_sip: hostile To header holding another failed-for address" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_sip.c: Registration from '<sip:x@example.com>' failed for '10.9.9.9' - Wrong password' failed for '203.0.113.6:5060' - Wrong password"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.6" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.9" }
  }
}

# chan_sip.c AUTH_RTP_FAILED "RTP initialization failed"
test "chan_sip: a failure of the server's own configuration is not counted" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '203.0.113.7:5060' - RTP initialization failed"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# main/logger.c format_log_plain "[%s] %s[%d]%s: %s:%d %s: %s"; fail2ban asterisk line 50
test "chan_sip [plain] formatter: FILE:LINE FUNC" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[12931]: chan_sip.c:28468 handle_request_register: Registration from 'sip:bob@192.0.2.1' failed for '203.0.113.8:42406' - Wrong password"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.8" }
  }
}

# chan_sip.c handle_request_invite "Call from '%s' (%s) to extension '%s' rejected because extension not found in context '%s'."; fail2ban asterisk line 21
test "chan_sip: call to an unknown extension, with call id" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[436][C-00000fa9] chan_sip.c: Call from '' (203.0.113.9:10836) to extension '0972598285108' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.9" }
    fields = { exten = "0972598285108", context = "default" }
  }
}

# the caller's name comes before the address; the extension is bounded by its quotes
test "chan_sip: hostile caller name holding a fake address" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[436][C-00000fa9] chan_sip.c: Call from 'x' (10.9.9.8:5060) to extension '' (203.0.113.10:10836) to extension '011' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.10" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.8" }
  }
}

# res_pjsip_session.c new_invite "Call from '%s' (%s:%s:%d) …"
test "pjsip 13-20: call to an unknown extension, transport and port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[12049]: res_pjsip_session.c:2337 new_invite: Call from 'anonymous' (UDP:203.0.113.11:61470) to extension '9011442037690237' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.11" }
    fields = { user = "anonymous" }
  }
}

# res_pjsip_session.c: pkt_info.src_name is the bare address, then :PORT
test "pjsip 13-20: IPv6 source, src_name unbracketed" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[12049]: res_pjsip_session.c:2337 new_invite: Call from 'anonymous' (TCP:2001:db8::12:5061) to extension '011' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::12" }
  }
}

# res_pjsip_session.c (21+) "%s: Call (%s:%s) to extension '%s' rejected because extension not found in context '%s'." with pj_sockaddr_print(…, 3)
test "pjsip 21+: ENDPOINT: Call (TRANSPORT:ADDR)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[12049]: res_pjsip_session.c:4011 new_invite: anonymous: Call (UDP:[2001:db8::13]:5060) to extension '011' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "2001:db8::13" }
    fields = { endpoint = "anonymous" }
  }
}

# res_pjsip/pjsip_distributor.c log_failed_request (13.x: no method); fail2ban asterisk line 85
test "pjsip: no matching endpoint" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[19388] res_pjsip/pjsip_distributor.c: Request from '\"1000\" <sip:1000@10.0.0.1>' failed for '203.0.113.14:48336' (callid: 276666022) - No matching endpoint found"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.14" }
    fields = { reason = "No matching endpoint found" }
  }
}

# pjsip_distributor.c log_failed_request "Request '%s' from '%s' failed for '%s' (callid: %s) - %s after %u tries in %.3f ms"
test "pjsip: method, failed to authenticate, after N tries" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[19388] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:100@example.com>' failed for '[2001:db8::15]:5060' (callid: a84b4c76e66710) - Failed to authenticate after 3 tries in 12.500 ms"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "2001:db8::15" }
    fields = { reason = "Failed to authenticate" }
  }
}

# the From URI is the client's; the Call-ID is bounded (no space), so the fake cannot complete a match
test "pjsip: hostile From holding a failed-for address and a call id" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[19388] res_pjsip/pjsip_distributor.c: Request 'INVITE' from '<sip:x' failed for '10.9.9.7:5060' (callid: y@example.com>' failed for '203.0.113.16:43678' (callid: UmOkE9yQ) - No matching endpoint found"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.16" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.7" }
  }
}

# pjsip_distributor.c "Not match Endpoint ACL"; fail2ban asterisk line 87
test "pjsip: endpoint ACL" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[19388] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:100@example.com>' failed for '203.0.113.17:5060' (callid: 1) - Not match Endpoint Contact ACL"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.17" }
  }
}

# chan_iax2.c 1.8 "Host %s failed to authenticate as %s" (ast_inet_ntoa)
test "chan_iax2 1.8: host failed to authenticate (no quotes)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_iax2.c: Host 203.0.113.18 failed to authenticate as Fail2ban"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.18" }
    fields = { user = "Fail2ban" }
  }
}

# chan_iax2.c 13+ ast_sockaddr_stringify(&addr)
test "chan_iax2 13+: host with port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_iax2.c: Host 203.0.113.19:4569 failed to authenticate as 'peer1'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.19" }
  }
}

# chan_iax2.c register_verify "Host %s failed MD5 authentication for '%s' (%s != %s)"; fail2ban asterisk line 17
test "chan_iax2: failed MD5 authentication" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_iax2.c: Host 203.0.113.20 failed MD5 authentication for 'Fail2ban' (e7df7cd2ca07f4f1ab415d457a6e1c13 != 53ac4bc41ee4ec77888ed4aa50677247)"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.20" }
  }
}

# chan_iax2.c register_verify "No registration for peer '%s' (from %s)"
test "chan_iax2: no registration for peer" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_iax2.c: No registration for peer 'Fail2ban' (from 2001:db8::21)"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::21" }
  }
}

# the peer name is the client's; the address is the last on the line
test "chan_iax2: hostile peer name ending in '(from ADDR)'" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[1638] chan_iax2.c: No registration for peer 'x' (from 10.9.9.6)' (from 203.0.113.22)"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.22" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.6" }
  }
}

# main/manager.c authenticate "%s failed to authenticate as '%s'"; fail2ban asterisk line 101
test "AMI: failed to authenticate" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[6772] manager.c: 203.0.113.23 failed to authenticate as 'Admin'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.23" }
    fields = { user = "Admin" }
  }
}

# main/manager.c "%s tried to authenticate with nonexistent user '%s'" (ast_sockaddr_stringify_addr)
test "AMI: nonexistent user, IPv6" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[31554] manager.c: 2001:db8::24 tried to authenticate with nonexistent user 'opennms'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::24" }
  }
}

# main/manager.c "%s failed to pass IP ACL as '%s'"
test "AMI: IP ACL" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[31554] manager.c: 203.0.113.25 failed to pass IP ACL as 'admin'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.25" }
  }
}

# manager.c: the address comes first
test "AMI: hostile user name is after the address" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[31554] manager.c: 203.0.113.26 failed to authenticate as '10.9.9.5 failed to authenticate as 'x'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.26" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.5" }
  }
}

# res_security_log.c security_event_stasis_cb; fail2ban asterisk line 27
test "security event InvalidAccountID, SIP" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"InvalidAccountID\",EventTV=\"1368439853-500975\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"1\",AccountID=\"00972599580679\",SessionID=\"0x7f8ecc0421f8\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/203.0.113.27/5070\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.27" }
    fields = { event = "InvalidAccountID", service = "SIP" }
  }
}

# fail2ban asterisk line 81
test "security event FailedACL, AMI over TCP, SessionTV after" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"FailedACL\",EventTV=\"2016-05-15T22:53:00.203+0300\",Severity=\"Error\",Service=\"AMI\",EventVersion=\"1\",AccountID=\"admin\",SessionID=\"0x7fb580001518\",LocalAddress=\"IPV4/TCP/0.0.0.0/5038\",RemoteAddress=\"IPV4/TCP/203.0.113.28/62389\",SessionTV=\"1970-01-01T03:00:00.000+0300\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.28" }
    fields = { event = "FailedACL" }
  }
}

# security_events.c: RemoteAddress IPV6/TRANSPORT/ADDR/PORT
test "security event InvalidAccountID, IPv6" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"InvalidAccountID\",EventTV=\"2026-11-23T10:00:00.000+0000\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"100\",SessionID=\"abc\",LocalAddress=\"IPV6/UDP/2001:db8::1/5060\",RemoteAddress=\"IPV6/UDP/2001:db8::29/5060\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::29" }
  }
}

# fail2ban asterisk line 64 (SessionID holding a LocalAddress/RemoteAddress pair)
test "security event InvalidAccountID with a hostile Session ID: the last pair is the server's" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"InvalidAccountID\",EventTV=\"2015-05-25T07:21:48.275+0300\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"70000180\",SessionID=\"\",LocalAddress=\"IPV4/UDP/127.0.0.1/5060\",RemoteAddress=\"IPV4/UDP/10.9.9.4/1111\"\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/203.0.113.30/5061\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.30" }
  }
  expect_none {
    rule = "asterisk-auth-failures"
    key  = { ip = "10.9.9.4" }
  }
}

# fail2ban asterisk line 55 (gh-2531)
test "security event ChallengeResponseFailed over TLS" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"ChallengeResponseFailed\",EventTV=\"2019-09-20T19:12:43.659-0500\",Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"<unknown>\",SessionID=\"3686a690-f8ccac10\",LocalAddress=\"IPV4/TLS/192.0.2.1/5062\",RemoteAddress=\"IPV4/TLS/203.0.113.31/30245\",Challenge=\"1569024763/510a7e1ed568b93ce283d1b16bc17a15\",Response=\"8e181448412899ccb20ea585efc8bab0\",ExpectedResponse=\"\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule   = "asterisk-auth-failures"
    key    = { ip = "203.0.113.31" }
    fields = { event = "ChallengeResponseFailed" }
  }
}

# Response and ReceivedHash are the client's, after the addresses: a second RemoteAddress= makes the line ambiguous
test "security event InvalidPassword with a hostile Response: not counted" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"InvalidPassword\",EventTV=\"1373098165-824497\",Severity=\"Error\",Service=\"SIP\",EventVersion=\"2\",AccountID=\"972592891005\",SessionID=\"0x88aab6c\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/203.0.113.32/5084\",Challenge=\"41d26de5\",ReceivedChallenge=\"41d26de5\",ReceivedHash=\"x\",LocalAddress=\"IPV4/UDP/1.1.1.1/5060\",RemoteAddress=\"IPV4/UDP/10.9.9.3/5060\""
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# security_events.c AST_SECURITY_EVENT_SUCCESSFUL_AUTH
test "security event SuccessfulAuth is not a failure" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] SECURITY[1204] res_security_log.c: SecurityEvent=\"SuccessfulAuth\",EventTV=\"2026-11-23T10:00:00.000+0000\",Severity=\"Informational\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"100\",SessionID=\"abc\",LocalAddress=\"IPV4/UDP/192.0.2.1/5060\",RemoteAddress=\"IPV4/UDP/203.0.113.33/5060\",UsingPassword=\"1\""
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# apps/app_verbose.c log_exec ("Ext. %s", priority, "@ %s"); FreePBX from-sip-external; fail2ban asterisk line 39
test "FreePBX dialplan: Rejecting unknown SIP connection, IPv4 with port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] WARNING[8447][C-00000244] Ext. s: \"Rejecting unknown SIP connection from 203.0.113.34:52126\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.34" }
  }
}

# fail2ban asterisk line 41
test "FreePBX dialplan: bare IPv6" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] WARNING[12124][C-00000001] Ext. s: \"Rejecting unknown SIP connection from 2001:db8::35\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::35" }
  }
}

# fail2ban asterisk line 43
test "FreePBX dialplan: bracketed IPv6 with port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] WARNING[12124][C-00000001] Ext. s: \"Rejecting unknown SIP connection from [2001:db8::36]:5060\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::36" }
  }
}

# logger.c syslog format "%s[%d]%s: %s:%d in %s: %s"; fail2ban asterisk line 105
test "FreePBX dialplan through syslog: Ext. EXTEN:PRIORITY in @ CONTEXT" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx asterisk[2350]: WARNING[1195][C-00000b43]: Ext. s:6 in @ from-sip-external: \"Rejecting unknown SIP connection from 203.0.113.37\""
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures-syslog"
    key  = { ip = "203.0.113.37" }
  }
}

# logger.c LOGTYPE_SYSLOG; fail2ban asterisk line 48
test "syslog: chan_sip with FILE:LINE in FUNC" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx asterisk[32229]: NOTICE[32257]: chan_sip.c:23417 in handle_request_register: Registration from '<sip:301@example.com>' failed for '203.0.113.38:36998' - Wrong password"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures-syslog"
    key  = { ip = "203.0.113.38" }
  }
}

# where: program == 'asterisk'
test "syslog: another program writing the same text is not asterisk" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx logger[1]: NOTICE[32257]: chan_sip.c:23417 in handle_request_register: Registration from '<sip:301@example.com>' failed for '203.0.113.39:36998' - Wrong password"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures-syslog" }
}

# logger.c dateformat "%b %e %T"; fail2ban asterisk line 23 (timed at reading)
test "Asterisk's default dateformat (no year)" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[Nov 23 10:00:00] NOTICE[12049]: res_pjsip_session.c:2337 new_invite: Call from 'anonymous' (TCP:[203.0.113.40]:61470) to extension '9011' rejected because extension not found in context 'default'."
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.40" }
  }
}

# a syslog header in /var/log/asterisk/messages
test "rsyslog writing asterisk's lines into its log file" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 localhost asterisk[32229]: NOTICE[32257]: chan_sip.c:23417 in handle_request_register: Registration from '<sip:301@example.com>' failed for '203.0.113.41:36998' - Wrong password"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "203.0.113.41" }
  }
}

# threshold: 10 within 10m, the asterisk jail's maxretry
test "nine failures in ten minutes do not fire" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[6772] manager.c: 203.0.113.42 failed to authenticate as 'admin'"
    repeat = 9
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# chan_sip.c "Registered SIP '%s' at %s" (verbose)
test "a successful registration is not counted" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] VERBOSE[1638] chan_sip.c: Registered SIP '301' at 203.0.113.43:5060"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# "hacking attempt detected '%s'": a patched chan_sip.c on a real server (no
# release from 1.0 to 20 writes it); fail2ban #1000, the reporter's log on
# fail2ban-users 2015-03-16; fail2ban asterisk line 35
test "patched chan_sip: hacking attempt detected" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[3453] chan_sip.c: hacking attempt detected '192.0.2.102'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "192.0.2.102" }
  }
}

# the same message with ast_sockaddr_stringify's port and an IPv6 address, [plain] formatter
test "patched chan_sip: hacking attempt detected, IPv6 with port" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[3453]: chan_sip.c:25000 handle_request_do: hacking attempt detected '[2001:db8::102]:5060'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures"
    key  = { ip = "2001:db8::102" }
  }
}

# the stock line of the same attempt names the From header (the client's, here
# holding the fake text): "Sending fake auth rejection for device %s" is not counted
test "chan_sip: a From header holding 'hacking attempt detected' is not counted" {
  source = "asterisk"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "[2026-11-23 10:00:00] NOTICE[3453] chan_sip.c: Sending fake auth rejection for device hacking attempt detected '10.9.9.9'"
    repeat = 12
    every  = "1s"
  }
  expect_none { rule = "asterisk-auth-failures" }
}

# through syslog (logger.conf syslog.local0)
test "syslog: patched chan_sip's hacking attempt detected" {
  source = "syslog"
  start  = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "Nov 23 10:00:00 pbx asterisk[3453]: NOTICE[3460]: chan_sip.c:25000 in handle_request_do: hacking attempt detected '198.51.100.102'"
    repeat = 10
    every  = "1s"
  }
  expect {
    rule = "asterisk-auth-failures-syslog"
    key  = { ip = "198.51.100.102" }
  }
}
