// Package pdftest reads a PDF back as text for tests, with Debian's
// pdftotext (poppler-utils), as a reader copying from the document would.
package pdftest
