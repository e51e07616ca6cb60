// Package console is the response team's web console, served by breachd
// run at / on the API's listener: the queue of active incidents by the
// nearest deadline, updated live over Server-Sent Events; the incident
// screen with its forms; the notices, containment and register screens.
//
// Every page reads, and every form changes, through the HTTP API itself
// (an in-process request with the signed-in person's token), so the
// console and the API check the same roles, refuse the same moves and ask
// for the same reasons. Pages are html/template, with htmx and its SSE
// extension vendored (static/VENDOR.md); no script is inline and a strict
// Content-Security-Policy is sent with every response.
package console
