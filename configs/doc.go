// Package configs is breachd's configuration language: it parses HCL files,
// decodes them into typed specs that keep the hcl.Range of every value, applies
// defaults, resolves relative paths against the config file's folder and
// validates references between blocks, reporting every problem at once as
// hcl.Diagnostics that carry file:line:column and a sentence on how to fix it.
//
// The Go package lives here; the shipped example configs live beside it in
// configs/examples.
//
// configs is a leaf: it imports no other breachd package. It compiles nothing
// (regular expressions and expr conditions are compiled by package rules) and
// evaluates nothing except the small field templates (Template) that rules and
// actions render.
package configs
