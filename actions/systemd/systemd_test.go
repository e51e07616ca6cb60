package systemd

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	sd "github.com/coreos/go-systemd/v22/dbus"
	"github.com/godbus/dbus/v5"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

// TestRealSystemd runs only where systemd is PID 1 (it is not on the
// machines this project is built on: their PID 1 is a process supervisor
// without D-Bus). The D-Bus calls are covered below against a private bus.
func TestRealSystemd(t *testing.T) {
	if _, err := os.Stat("/run/systemd/system"); err != nil {
		t.Skip("systemd is not PID 1 here (no /run/systemd/system); TestPrivateBus covers the D-Bus calls")
	}
	c, err := sd.NewSystemConnectionContext(context.Background())
	if err != nil {
		t.Skipf("no system bus: %v", err)
	}
	defer c.Close()
	p, err := c.GetUnitPropertyContext(context.Background(), "dbus.service", "LoadState")
	if err != nil || !strings.Contains(p.Value.String(), "loaded") {
		t.Errorf("dbus.service LoadState = %v, %v", p, err)
	}
}

// fakeSystemd is systemd's Manager as breachd uses it, served on a private
// dbus-daemon: a fake, because systemd cannot run here as PID 1. It keeps
// each unit's state and records the calls.
type fakeSystemd struct {
	conn   *dbus.Conn
	mu     sync.Mutex
	units  map[string]*unitState
	calls  []string
	result string // the result of the next jobs ("done" by default)
	job    uint32
}

type unitState struct{ active, file string }

// Calls returns the calls so far and forgets them; Unit, Set and Result
// read and change the state under the lock the handlers take.
func (f *fakeSystemd) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func (f *fakeSystemd) Unit(name string) unitState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.units[name]
}

func (f *fakeSystemd) Set(name, active, file string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.units[name].active, f.units[name].file = active, file
}

func (f *fakeSystemd) Result(r string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.result = r
}

func (f *fakeSystemd) record(s string) {
	f.calls = append(f.calls, s)
}

// jobDone is called with f.mu held.
func (f *fakeSystemd) jobDone(unit string) dbus.ObjectPath {
	f.job++
	path := dbus.ObjectPath(fmt.Sprintf("/org/freedesktop/systemd1/job/%d", f.job))
	id, res := f.job, f.result
	go func() {
		// As systemd signals job completion; go-systemd matches it to the
		// job once its call has returned.
		f.conn.Emit("/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager.JobRemoved", id, path, unit, res)
	}()
	return path
}

func (f *fakeSystemd) StopUnit(name, mode string) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("StopUnit " + name)
	if u := f.units[name]; u != nil && f.result == "done" {
		u.active = "inactive"
	}
	return f.jobDone(name), nil
}

func (f *fakeSystemd) StartUnit(name, mode string) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("StartUnit " + name)
	if u := f.units[name]; u != nil {
		if u.file == "masked" {
			return "", dbus.NewError("org.freedesktop.systemd1.UnitMasked", []any{"Unit " + name + " is masked."})
		}
		u.active = "active"
	}
	return f.jobDone(name), nil
}

type change struct{ Type, File, Dest string }

func (f *fakeSystemd) setFiles(call, state string, files []string) []change {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(call + " " + strings.Join(files, ","))
	var out []change
	for _, name := range files {
		if u := f.units[name]; u != nil {
			u.file = state
			out = append(out, change{"symlink", "/etc/systemd/system/" + name, ""})
		}
	}
	return out
}

func (f *fakeSystemd) DisableUnitFiles(files []string, runtime bool) ([]change, *dbus.Error) {
	return f.setFiles("DisableUnitFiles", "disabled", files), nil
}

func (f *fakeSystemd) MaskUnitFiles(files []string, runtime, force bool) ([]change, *dbus.Error) {
	return f.setFiles("MaskUnitFiles", "masked", files), nil
}

func (f *fakeSystemd) UnmaskUnitFiles(files []string, runtime bool) ([]change, *dbus.Error) {
	return f.setFiles("UnmaskUnitFiles", "disabled", files), nil
}

func (f *fakeSystemd) EnableUnitFiles(files []string, runtime, force bool) (bool, []change, *dbus.Error) {
	return false, f.setFiles("EnableUnitFiles", "enabled", files), nil
}

func (f *fakeSystemd) Reload() *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("Reload")
	return nil
}

// unitProps serves org.freedesktop.DBus.Properties.Get of one unit.
type unitProps struct {
	f    *fakeSystemd
	name string
}

func (p unitProps) Get(iface, prop string) (dbus.Variant, *dbus.Error) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	u := p.f.units[p.name]
	switch {
	case prop == "LoadState" && u == nil:
		return dbus.MakeVariant("not-found"), nil
	case prop == "LoadState":
		return dbus.MakeVariant("loaded"), nil
	case u == nil:
		return dbus.MakeVariant(""), nil
	case prop == "ActiveState":
		return dbus.MakeVariant(u.active), nil
	case prop == "UnitFileState":
		return dbus.MakeVariant(u.file), nil
	}
	return dbus.Variant{}, dbus.NewError("org.freedesktop.DBus.Error.UnknownProperty", []any{prop})
}

// privateBus starts a dbus-daemon of the test's own and the fake systemd
// on it, and returns a Dialer to it.
func privateBus(t *testing.T, units map[string]*unitState, names ...string) (*fakeSystemd, Dialer) {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("needs dbus-daemon (Debian's dbus-daemon package) for a private bus")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	addr = strings.TrimSpace(addr)
	dial := func() (*dbus.Conn, error) {
		c, err := dbus.Dial(addr)
		if err != nil {
			return nil, err
		}
		if err := c.Auth(nil); err != nil {
			c.Close()
			return nil, err
		}
		if err := c.Hello(); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
	conn, err := dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeSystemd{conn: conn, units: units, result: "done"}
	if err := conn.Export(f, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if err := conn.Export(unitProps{f, name}, dbus.ObjectPath("/org/freedesktop/systemd1/unit/"+sd.PathBusEscape(name)), "org.freedesktop.DBus.Properties"); err != nil {
			t.Fatal(err)
		}
	}
	if reply, err := conn.RequestName("org.freedesktop.systemd1", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.systemd1: %v %v", reply, err)
	}
	return f, func(ctx context.Context) (*sd.Conn, error) { return sd.NewConnection(dial) }
}

func newAction(t *testing.T, body string, dial Dialer) *Action {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte("action \"systemd\" \"down\" {\n"+body+"\n}"), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return New(cfg.Actions[0], []string{"payments.service"}, dial)
}

// TestPrivateBus masks a service and its socket through go-systemd's calls
// and restores both: the calls, their order and the units' states are
// what systemd would see.
func TestPrivateBus(t *testing.T) {
	units := map[string]*unitState{"shop.service": {"active", "enabled"}, "shop.socket": {"active", "enabled"}}
	f, dial := privateBus(t, units, "shop.service", "shop.socket", "ghost.service", "ghost.socket")
	a := newAction(t, `unit      = "${unit}"
operation = "mask"
ttl       = "4h"`, dial)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	target, err := a.Target(actions.Request{Fields: map[string]string{"unit": "shop.service"}})
	if err != nil {
		t.Fatal(err)
	}
	detail, undo, err := a.Apply(ctx, target, 4*time.Hour)
	if err != nil {
		t.Fatalf("apply: %v (%s)", err, detail)
	}
	want := []string{"StopUnit shop.socket", "StopUnit shop.service", "MaskUnitFiles shop.socket,shop.service", "Reload"}
	if got := f.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
	if svc, sock := f.Unit("shop.service"), f.Unit("shop.socket"); svc.active != "inactive" || svc.file != "masked" || sock.file != "masked" {
		t.Errorf("after apply: %+v %+v", svc, sock)
	}
	// Someone starts it while contained: reconcile stops it again. (A
	// masked unit cannot be started; unmask it behind breachd's back.)
	f.Set("shop.service", "active", "enabled")
	if d, err := a.Reconcile(ctx, map[string]time.Duration{"shop.service": time.Hour}); err != nil || !strings.Contains(d, "stopped 1") {
		t.Errorf("reconcile: %q, %v", d, err)
	}
	f.Set("shop.service", "inactive", "masked")
	f.Calls()
	if _, err := a.Revert(ctx, target, undo); err != nil {
		t.Fatal(err)
	}
	want = []string{"UnmaskUnitFiles shop.socket,shop.service", "EnableUnitFiles shop.socket,shop.service", "Reload", "StartUnit shop.socket", "StartUnit shop.service"}
	if got := f.Calls(); !slices.Equal(got, want) {
		t.Errorf("revert calls = %v, want %v", got, want)
	}
	if svc := f.Unit("shop.service"); svc.active != "active" || svc.file != "enabled" {
		t.Errorf("after revert: %+v", svc)
	}

	// A failed job is a failed action; a unit that does not exist too.
	f.Result("failed")
	if _, _, err := a.Apply(ctx, "shop.service", time.Hour); err == nil || !strings.Contains(err.Error(), "job failed") {
		t.Errorf("failed job: %v", err)
	}
	f.Result("done")
	if _, _, err := a.Apply(ctx, "ghost.service", time.Hour); err == nil {
		t.Error("a missing unit was reported stopped")
	}
}

func TestUnitsAreChecked(t *testing.T) {
	a := newAction(t, `unit = "${unit}"`, func(context.Context) (*sd.Conn, error) {
		t.Fatal("no unit may reach systemd")
		return nil, nil
	})
	for _, v := range []string{"sshd.service", "ssh.service", "breachd.service", "dbus.service", "systemd-journald.service", "payments.service",
		"shop.socket", "-.mount", "../x.service", "shop service", "shop.service;reboot", "", strings.Repeat("a", 300) + ".service"} {
		if got, err := a.Target(actions.Request{Fields: map[string]string{"unit": v}}); err == nil {
			t.Errorf("%q accepted as %q", v, got)
		}
	}
}
