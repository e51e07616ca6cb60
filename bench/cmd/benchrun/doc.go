// Command benchrun runs breachd side by side with the tools users compare
// it with, on one generated auth log, and prints the table that
// docs/performance.md keeps: median lines/s, peak RSS and correctness
// against the log's ground truth for breachd replay (the SSH rule alone and
// every shipped pack), fail2ban-regex, CrowdSec in replay mode, grep and
// ripgrep; the live latency from the 5th failure written to the nftables
// element in the kernel (and to the incident committed), against
// fail2ban's server; memory under a one-million-address spray; and
// throughput with 1 to 1,000 rules on one and two cores; and, first, the
// detection benchmark: recall, false matches and injected addresses of the
// shipped packs on fail2ban's annotated sample logs, beside fail2ban-regex
// with the stock filters (detection.go). bench/run installs
// the peers and runs it; a peer that cannot run is skipped with the reason.
package main
