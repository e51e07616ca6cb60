package account_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/account"
	"github.com/breachd/breachd/configs"
)

// shadow returns name's shadow entry fields.
func shadow(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile("/etc/shadow")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Split(line, ":"); f[0] == name && len(f) >= 8 {
			return f
		}
	}
	t.Fatalf("no shadow entry for %s", name)
	return nil
}

func mustRun(t *testing.T, stdin string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}

// realUser creates a local account with a password and an expiry date,
// removed when the test ends.
func realUser(t *testing.T) (string, *user.User) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create and lock a local account")
	}
	for _, tool := range []string{"/usr/sbin/useradd", "/usr/sbin/usermod", "/usr/sbin/chpasswd", "/usr/sbin/userdel"} {
		if _, err := os.Stat(tool); err != nil {
			t.Skipf("needs %s (Debian's passwd package)", tool)
		}
	}
	b := make([]byte, 3)
	rand.Read(b)
	name := "bdt" + hex.EncodeToString(b)
	mustRun(t, "", "/usr/sbin/useradd", "--no-create-home", "--shell", "/bin/sh", name)
	t.Cleanup(func() { exec.Command("/usr/sbin/userdel", name).Run() })
	mustRun(t, name+":correct horse battery staple\n", "/usr/sbin/chpasswd")
	mustRun(t, "", "/usr/sbin/usermod", "--expiredate", "2030-01-01", name)
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return name, u
}

func newAction(t *testing.T) *account.Action {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte(`
action "account" "lock" {
  ttl   = "4h"
  never = ["deploy"]
}`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return account.New(cfg.Actions[0], []string{"backup"})
}

// TestLockAndUnlockRealAccount locks a real local account: the shadow
// entry shows the password locked and the account expired (so SSH keys are
// refused too), its processes end; the revert restores the same password
// hash and the expiry date it had.
func TestLockAndUnlockRealAccount(t *testing.T) {
	name, u := realUser(t)
	before := shadow(t, name)
	a := newAction(t)
	ctx := context.Background()
	target, err := a.Target(actions.Request{Fields: map[string]string{"user": name}})
	if err != nil || target != name {
		t.Fatalf("target = %q, %v", target, err)
	}
	// A session of the user.
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	sess := exec.Command("/bin/sleep", "300")
	sess.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if err := sess.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()

	detail, undo, err := a.Apply(ctx, target, 4*time.Hour)
	if err != nil {
		t.Fatalf("apply: %v (%s)", err, detail)
	}
	locked := shadow(t, name)
	if !strings.HasPrefix(locked[1], "!") || locked[1][1:] != before[1] {
		t.Errorf("password field %q, want the old hash behind '!'", locked[1])
	}
	if locked[7] != "1" {
		t.Errorf("expiry %q, want 1 (1970-01-02: expired, so key logins are refused too)", locked[7])
	}
	select {
	case err := <-done:
		if ws, ok := sess.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("the session ended with %v, want SIGKILL", err)
		}
	case <-time.After(10 * time.Second):
		sess.Process.Kill()
		t.Fatal("the user's process is still running")
	}
	if !strings.Contains(detail, "ended 1 processes") {
		t.Errorf("detail = %q", detail)
	}

	if _, err := a.Revert(ctx, target, undo); err != nil {
		t.Fatal(err)
	}
	after := shadow(t, name)
	if after[1] != before[1] || after[7] != before[7] {
		t.Errorf("after revert: password %q expiry %q, want %q and %q as before", after[1], after[7], before[1], before[7])
	}
}

func TestAccountTargetsAreChecked(t *testing.T) {
	if _, err := user.Lookup("daemon"); err != nil {
		t.Skip("no daemon account here")
	}
	a := newAction(t)
	for _, v := range []string{"root", "daemon", "deploy", "backup", "no-such-user-x", "-rf", "alice;reboot", "alice\nroot", "Alice", strings.Repeat("a", 40), ""} {
		if got, err := a.Target(actions.Request{Fields: map[string]string{"user": v}}); err == nil {
			t.Errorf("%q accepted as %q", v, got)
		}
	}
}
