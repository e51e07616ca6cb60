// Package daemon wires breachd together and runs it: it loads and checks
// the config, opens the store, builds the rules engine, the detector, the
// incident manager, the action runner and the HTTP server, and runs them
// until its context ends, then shuts them down in a stated order (sources
// first, HTTP last). It never touches signals or exits the process, so tests
// embed it.
package daemon
