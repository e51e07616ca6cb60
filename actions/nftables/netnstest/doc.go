// Package netnstest builds a pair of network namespaces joined by a veth
// link for tests of containment: a "host" namespace where breachd acts, and
// a "peer" namespace playing the attacker, each with IPv4 and IPv6
// addresses. Tests that use it need root and iproute2; Require skips them
// with the reason otherwise.
package netnstest
