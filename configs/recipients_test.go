package configs

import (
	"strings"
	"testing"
)

// TestRecipientErrors: bad recipient addresses and fan-out settings are
// errors at their line, saying how to fix them.
func TestRecipientErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		src, summary, detail string
		line                 int
	}{
		"customer email": {`asset "a" {
  customer "Acme" {
    email = "Acme <x@acme.example>"
  }
}`, "Invalid email", "write it bare", 3},
		"recipient phone": {`recipient "counterparty" {
  name  = "City"
  phone = "call me"
}`, "Invalid phone", "digits with an optional leading +", 3},
		"for_each": {`policy "p" {
  obligation "x" {
    within   = "1h"
    for_each = "employees"
  }
}`, "Invalid for_each", "customers, controllers, counterparties, data_subjects", 4},
		"public without subjects": {`policy "p" {
  obligation "x" {
    within                     = "1h"
    for_each                   = "customers"
    public_communication_above = 100
  }
}`, "public_communication_above without data subjects", `for_each = "data_subjects"`, 5},
		"controller contact on a controller's asset": {`asset "a" {
  controller_address = "1 Road"
}`, "Controller contact on a controller's asset", `set role = "processor"`, 1},
		"held_as": {`policy "p" {
  obligation "x" {
    within  = "1h"
    held_as = "owner"
  }
}`, "Invalid held_as", `use "controller"`, 4},
		"held_as controller on the controllers' notice": {`policy "p" {
  obligation "controller" {
    within   = "1h"
    for_each = "controllers"
    held_as  = "controller"
  }
}`, "Invalid held_as", "the controllers of the data held as processor", 5},
		"counterparty contact without a counterparty": {`asset "a" {
  counterparty_email = "x@city.example"
}`, "Counterparty contact without a counterparty", `add counterparty = "..."`, 1},
		"counterparty phone": {`asset "a" {
  counterparty       = "City"
  counterparty_phone = "call me"
}`, "Invalid phone", "digits with an optional leading +", 3},
		"team mail without to": {`channel "smtp" "m" {
  host = "127.0.0.1"
  tls  = "none"
  from = "b@example.com"
}
route "r" {
  channels = ["m"]
}`, "Channel has no one to mail", "Add to = [", 6},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := Parse("t.hcl", []byte(tc.src), "/")
			found := false
			for _, d := range diags {
				if d.Summary == tc.summary && strings.Contains(d.Detail, tc.detail) && d.Subject != nil && d.Subject.Start.Line == tc.line {
					found = true
				}
			}
			if !found {
				t.Errorf("diagnostics %v, want %q (%q) at line %d", diags, tc.summary, tc.detail, tc.line)
			}
		})
	}
}
