package actions_test

import (
	"strings"
	"testing"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/process"
	"github.com/breachd/breachd/actions/systemd"
	"github.com/breachd/breachd/configs"
)

// TestProtectedUnitsAgree: the systemd action (stop, disable, mask) and
// the process action (SIGKILL a unit's processes) refuse the same units
// whatever the config says; they kept two lists that disagreed
// (dbus-broker and systemd-* were stoppable but not signallable, or the
// reverse).
func TestProtectedUnitsAgree(t *testing.T) {
	stop := systemd.New(&configs.Action{Systemd: &configs.SystemdAction{Field: "unit", Operation: configs.SystemdStop}}, nil, nil)
	kill := process.New(&configs.Action{Process: &configs.ProcessAction{Unit: "${unit}"}}, nil, nil)
	for _, unit := range []string{"breachd.service", "sshd.service", "ssh.service", "dbus.service", "dbus-broker.service",
		"systemd-journald.service", "systemd-logind.service", "systemd-udevd.service"} {
		req := actions.Request{Fields: map[string]string{"unit": unit}}
		if _, err := stop.Target(req); err == nil || !strings.Contains(err.Error(), "never") {
			t.Errorf("systemd stop %s: %v, want refused", unit, err)
		}
		if _, err := kill.Describe(req); err == nil || !strings.Contains(err.Error(), "never") {
			t.Errorf("process kill %s: %v, want refused", unit, err)
		}
		if !actions.ProtectedUnit(unit) {
			t.Errorf("ProtectedUnit(%s) = false", unit)
		}
	}
	req := actions.Request{Fields: map[string]string{"unit": "nginx.service"}}
	if _, err := stop.Target(req); err != nil {
		t.Errorf("systemd stop nginx.service: %v", err)
	}
	if _, err := kill.Describe(req); err != nil {
		t.Errorf("process kill nginx.service: %v", err)
	}
}
