// Command breachd is the breachd daemon and its command-line client.
//
//	breachd run --config FILE          run the daemon
//	breachd validate FILE...           check configs, print every problem
//	breachd incidents list             list incidents (through the HTTP API)
//	breachd incidents show ID          show one incident with its timeline
//	breachd version                    print the version
//
// main stays thin: it parses flags, sets up logging and signals, and hands
// over to the embeddable daemon package.
package main
