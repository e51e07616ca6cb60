package process

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

func newAction(t *testing.T, body string) *Action {
	t.Helper()
	cfg, diags := configs.Parse("t.hcl", []byte("action \"process\" \"end\" {\n"+body+"\n}"), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return New(cfg.Actions[0], []string{"important.service"}, nil)
}

// cgroupRoot returns a cgroup hierarchy where the test may make groups.
func cgroupRoot(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a cgroup")
	}
	for _, root := range cgroupRoots {
		if _, err := os.Stat(filepath.Join(root, "cgroup.procs")); err == nil {
			probe := filepath.Join(root, "bdprobe-"+suffix())
			if os.Mkdir(probe, 0o755) == nil {
				os.Remove(probe)
				return root
			}
		}
	}
	t.Skip("no writable cgroup hierarchy here")
	return ""
}

func suffix() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// victim starts a process in the cgroup dir and returns a channel that
// reports how it ended.
func victim(t *testing.T, dir string) <-chan *os.ProcessState {
	t.Helper()
	cmd := exec.Command("/bin/sleep", "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan *os.ProcessState, 1)
	go func() { cmd.Wait(); done <- cmd.ProcessState }()
	return done
}

func killed(t *testing.T, done <-chan *os.ProcessState) {
	t.Helper()
	select {
	case st := <-done:
		if ws := st.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("the process ended with %v, want SIGKILL", st)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the process is still running")
	}
}

func TestEndsTheProcessesOfACgroupAndAUnit(t *testing.T) {
	root := cgroupRoot(t)
	// A cgroup named in the config.
	cg := "/bdtest-" + suffix()
	dir := filepath.Join(root, cg)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
	done := victim(t, dir)
	a := newAction(t, `cgroup = "`+cg+`"`)
	a.roots = []string{root}
	detail, err := a.Run(context.Background(), actions.Request{})
	if err != nil || !strings.Contains(detail, "sent SIGKILL to 1 processes of cgroup "+cg) {
		t.Fatalf("run: %q, %v", detail, err)
	}
	killed(t, done)

	// A unit, named by the finding: its cgroup under system.slice.
	unit := "bdtest-" + suffix() + ".service"
	slice := filepath.Join(root, "system.slice")
	made := os.Mkdir(slice, 0o755) == nil
	udir := filepath.Join(slice, unit)
	if err := os.Mkdir(udir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Remove(udir)
		if made {
			os.Remove(slice)
		}
	})
	done = victim(t, udir)
	a = newAction(t, `unit = "${unit}"`)
	a.roots = []string{root}
	if detail, err := a.Run(context.Background(), actions.Request{Fields: map[string]string{"unit": unit}}); err != nil || !strings.Contains(detail, "1 processes of unit "+unit) {
		t.Fatalf("run: %q, %v", detail, err)
	}
	killed(t, done)
}

func TestProtectedAndHostileUnitsAreRefused(t *testing.T) {
	a := newAction(t, `unit = "${unit}"`)
	for _, v := range []string{"breachd.service", "sshd.service", "init.scope", "important.service", "-.slice", "../../etc", "a b.service", "x.service;reboot", "", "nginx"} {
		if _, err := a.Run(context.Background(), actions.Request{Fields: map[string]string{"unit": v}}); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
	u := newAction(t, `user = "${user}"`)
	for _, v := range []string{"root", "daemon", "-rf", "bob;id"} {
		if _, err := u.Run(context.Background(), actions.Request{Fields: map[string]string{"user": v}}); err == nil {
			t.Errorf("user %q accepted", v)
		}
	}
	for _, bad := range []string{`cgroup = "../x"`, `cgroup = "rel/path"`, ``, `user = "${user}"
unit = "x.service"`} {
		if _, diags := configs.Parse("t.hcl", []byte("action \"process\" \"end\" {\n"+bad+"\n}"), "/"); !diags.HasErrors() {
			t.Errorf("config %q accepted", bad)
		}
	}
}
