# The Kubernetes API server's audit log (--audit-log-path, the JSON lines
# backend, audit.k8s.io/v1 Event): requests refused for failed
# authentication (401) or by authorization (403), per source address
# (`ip`). No fail2ban sample or jail exists. Written from
# k8s.io/apiserver: pkg/endpoints/filters/audit.go (events, stages),
# WithFailedAuthenticationAudit (a failed authentication is one event at
# stage ResponseStarted with responseStatus.code 401; a refused request
# that got through authentication ends at stage ResponseComplete with its
# code, 403 for authorization), and k8s.io/utils/net SourceIPs.
#
# Which address: sourceIPs is the X-Forwarded-For list, then X-Real-Ip,
# then the connection's address, which "is always the last IP in the
# returned list". The first entries are whatever the client put in those
# headers when nothing in front of the API server strips them, so the rule
# takes the last entry, the address the connection came from, as `ip`
# (never spoofed; behind a load balancer that does not preserve it, the
# balancer's address: the first entry is kept as `forwarded_for` for the
# incident, not for blocking). The list is what rules match (the source's
# message key), JSON text written by the API server; an address parsed by
# Go's net.ParseIP prints IPv4-mapped as IPv4.
source "file" "kube-audit" {
  paths        = ["/var/log/kubernetes/audit/audit.log", "/var/log/kubernetes/audit.log", "/var/log/kube-apiserver/audit.log"]
  format       = "json"
  message_keys = ["sourceIPs"]
  time_keys    = ["stageTimestamp", "requestReceivedTimestamp"]
  fields = {
    user   = "user.username"
    code   = "responseStatus.code"
    reason = "responseStatus.reason"
    stage  = "stage"
    verb   = "verb"
    uri    = "requestURI"
    agent  = "userAgent"
  }
}

# Twenty refused requests (401 or 403) within a minute from one address:
# a token or password being guessed, or an anonymous scan of the API
# (system:anonymous is refused with 403 by RBAC). Counted once per
# request: only the stage that carries the final code (ResponseStarted for
# a failed authentication, ResponseComplete otherwise; RequestReceived has
# no code).
rule "kube-apiserver-refusals" {
  source = "kube-audit"
  match = [
    "^\\[\"(?P<ip>[0-9A-Fa-f:.]+)\"\\]$",
    "^\\[\"(?P<forwarded_for>[^\"]*)\"(?:,\"[^\"]*\")*,\"(?P<ip>[0-9A-Fa-f:.]+)\"\\]$",
  ]
  where = "code in ['401', '403'] && stage in ['ResponseStarted', 'ResponseComplete'] && is_ip(ip)"
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Kubernetes API requests from ${ip} refused (${code} ${reason}, last user ${user})"
    category = "unauthorized-access"
  }
  tags = ["T1110", "T1613"]
}
