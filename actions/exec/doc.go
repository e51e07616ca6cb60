// Package exec is the `exec` action kind: it runs a program given as an
// argument vector, never through a shell. Each argument is a template
// rendered separately, so a value taken from a log becomes exactly one
// argument however many spaces, quotes or metacharacters it holds. The
// program runs in its own process group with a minimal environment and a
// timeout that kills the whole group; its output is captured, capped, and
// kept in the action's result.
package exec
