package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Text is pdf's text as pdftotext extracts it, its runs of white space
// as one space and the directional embeddings pdftotext adds around
// right-to-left text left out. Without pdftotext the test is skipped,
// except under CI (CI set), where it fails: .ci/run installs it.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext is not installed (Debian package poppler-utils; .ci/run installs it)")
		}
		t.Fatal("pdftotext is not installed (Debian package poppler-utils): .ci/run installs it")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Map(func(r rune) rune {
		if r >= 0x202A && r <= 0x202C {
			return -1
		}
		return r
	}, string(out))
	return strings.Join(strings.Fields(text), " ")
}
