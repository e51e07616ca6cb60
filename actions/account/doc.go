// Package account locks a local account so that neither its password nor
// its SSH keys work (usermod --lock --expiredate 1: a locked password alone
// leaves keys working), ends its running processes, and unlocks it again
// with its previous expiry date when the containment ends. Programs run
// with an argument vector, never a shell; the user name is checked against
// a strict pattern, the account database and the never list first.
package account
