package daemon_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
)

// TestCustomerContactMustBeListed: a customer block whose name is not in
// its asset's customers (a typo) is a config error at the block's
// file:line:column that names the customers listed; nothing starts.
func TestCustomerContactMustBeListed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "breachd.hcl")
	src := `asset "payroll" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  customers       = ["Acme Corp", "Globex Inc"]
  customer "Acme Crop" {
    email = "security@acme.example"
  }
  customer "Globex Inc" {
    email = "security@globex.example"
  }
}
`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := daemon.New(context.Background(), daemon.Options{ConfigFile: path, Listen: "127.0.0.1:0", Now: time.Now})
	if err == nil {
		t.Fatal("a customer block naming no listed customer loaded")
	}
	for _, w := range []string{`breachd.hcl:5:12: error: Customer not listed`, `Customer "Acme Crop" is not among asset "payroll"'s customers ("Acme Corp", "Globex Inc")`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("load: %v\nwant an error containing %q", err, w)
		}
	}
	if n := strings.Count(err.Error(), "error:"); n != 1 {
		t.Errorf("%d errors, want 1 (Globex Inc is listed):\n%v", n, err)
	}
}
