package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeeplyNestedConfig: a config nested 60,000 deep (enough to overflow
// the parser's stack, which is fatal) is refused by breachd validate, fmt
// and test with a clear error at the file:line:column where it passes
// 128 levels; no process crashes and fmt leaves the file as it was.
func TestDeeplyNestedConfig(t *testing.T) {
	const depth = 60000
	dir := t.TempDir()
	prefix := `  match  = `
	deep := fmt.Sprintf("source \"file\" \"a\" {\n  paths = [\"/var/log/a.log\"]\n}\nrule \"r\" {\n  source = \"a\"\n%s%s\"x\"%s\n}\n",
		prefix, strings.Repeat("[", depth), strings.Repeat("]", depth))
	path := filepath.Join(dir, "deep.hcl")
	if err := os.WriteFile(path, []byte(deep), 0o600); err != nil {
		t.Fatal(err)
	}
	// The rule's brace is the first level, so the 128th bracket of line 6
	// is where the nesting passes the bound.
	where := fmt.Sprintf("%s:6:%d: error: Nesting too deep", path, len(prefix)+128)
	suite := filepath.Join(dir, "deep_test.hcl")
	if err := os.WriteFile(suite, []byte(`config = ["deep.hcl"]`+"\n"+`test "t" { lines = `+strings.Repeat("[", depth)+strings.Repeat("]", depth)+" }\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		args   []string
		want   string
		stdout bool
	}{
		{[]string{"validate", path}, where, true},
		{[]string{"fmt", path}, where, false},
		{[]string{"fmt", "--check", path}, where, false},
		{[]string{"test", suite}, suite + ":2:", true},
	} {
		code, stdout, stderr := runBreachd(t, tc.args...)
		out := stderr
		if tc.stdout {
			out = stdout
		}
		if code != 1 || !strings.Contains(out, tc.want) || !strings.Contains(out, "more than 128 levels deep") || strings.Contains(stderr, "stack overflow") {
			t.Errorf("breachd %s: exit %d, want 1 and %q\nstdout: %.2000s\nstderr: %.2000s", strings.Join(tc.args, " "), code, tc.want, stdout, stderr)
		}
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != deep {
		t.Errorf("fmt changed the file (%v)", err)
	}
}
