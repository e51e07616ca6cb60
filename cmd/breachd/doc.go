// Command breachd is the breachd daemon and its command-line client.
//
//	breachd run          run the daemon on a config
//	breachd validate     check configs, print every problem
//	breachd test         run rule tests (*_test.hcl)
//	breachd fmt          lay out HCL files
//	breachd replay       run the rules over past logs, by their timestamps
//	breachd incidents    work incidents through the HTTP API
//	breachd actions      containments in force, runs awaiting approval
//	breachd obligations  the notices the policies require, by due time
//	breachd notices      a notice as it would be sent, and what it lacks
//	breachd register     verify, export and correct the Data Breach Register
//	breachd backup       copy the database consistently while breachd runs
//	breachd store        check or recover the write-ahead log
//	breachd token        make an API token and its config block
//	breachd version      print the version
//	breachd completion   the shell's completion script
//
// The commands are a spf13/cobra tree (commands.go): each command declares
// its flags once, and its help, the man pages (the hidden "breachd docs
// --dir DIR", run when the .deb is built) and the completion come from
// those declarations. "breachd COMMAND --help" prints a command's usage.
//
// main stays thin: it parses flags, sets up logging and signals, and hands
// over to the embeddable daemon package.
package main
