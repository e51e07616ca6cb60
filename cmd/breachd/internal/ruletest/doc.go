// Package ruletest runs rule test files (breachd test): input lines with
// times, through the production line parser and rule engine with an
// injected clock, against expected findings and expected absences.
package ruletest
