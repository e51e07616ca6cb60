// Command genlog writes a generated sshd auth log and its ground-truth
// JSON file (package authlog) for benchmarks:
//
//	go run ./bench/cmd/genlog -n 1000000 -o /tmp/auth.log
//
// writes /tmp/auth.log and /tmp/auth.log.truth.json.
package main
