package daemon_test

import (
	"fmt"
	"testing"
	"time"
)

// TestManagementNoticeSubject: executive management's notice of an
// incident on Non-Public Data alone, mailed by SMTP, says in its subject
// what it is (a security incident notice to management), not a personal
// data breach notification.
func TestManagementNoticeSubject(t *testing.T) {
	mb := startMailbox(t)
	h := start(t, fmt.Sprintf(`
incidents {
  policy_packs = ["company"]
}
organisation {
  name = "Jivosoft"
}
asset "city-files" {
  hosts                = ["files1"]
  non_public_data      = true
  records              = 120
  counterparty         = "City of Austin"
  counterparty_address = "301 W 2nd St, Austin, TX 78701"
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "breachd@example.com"
}
recipient "management" {
  name     = "Executive management"
  email    = "board@example.com"
  channels = ["mail"]
}
`, mb.port))
	id := h.openManual("City case files copied", "files1", time.Now().Add(-time.Hour).UTC())
	h.waitFor("management's mail", func() bool { return len(mb.to("board@example.com")) == 1 })
	want := fmt.Sprintf("Jivosoft: security incident notice to executive management (company, incident %d)", id)
	if got := mb.to("board@example.com")[0].subject; got != want {
		t.Errorf("management's subject %q, want %q", got, want)
	}
}
