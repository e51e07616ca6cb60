// Package nftables blocks addresses and ranges in the kernel through
// netlink (google/nftables), never by running nft. breachd owns one table,
// "inet breachd", holding one interval set with per-element timeouts per
// action, address family and prefix length in use (block4_32_block-ip,
// block4_24_block-net, block6_128_block-ip...), each looked up by a rule
// in the input and forward chains that drops traffic from it, so that a
// range and an address inside it, or two actions' blocks of one address,
// are blocked, timed and lifted independently. Elements carry the block's
// remaining time, so the kernel lets them go on its own even if breachd is
// gone; Reconcile recreates the table when someone flushed the ruleset and
// makes an action's elements match the blocks the store says are active.
// HostAddrs follows the host's addresses (rtnetlink), so that none is ever
// blocked, including one the host gains while breachd runs.
package nftables
