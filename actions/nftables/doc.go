// Package nftables blocks addresses and ranges in the kernel through
// netlink (google/nftables), never by running nft. breachd owns one table,
// "inet breachd", holding two interval sets with per-element timeouts
// (block4, block6) and input and forward chains that drop traffic from
// them. Elements carry the block's remaining time, so the kernel lets them
// go on its own even if breachd is gone; Reconcile recreates the table when
// someone flushed the ruleset and makes the kernel's elements match the
// blocks the store says are active.
package nftables
