package account

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

// Where the tools and files are on Debian and most Linux systems.
const (
	usermod    = "/usr/sbin/usermod"
	shadowFile = "/etc/shadow"
	procDir    = "/proc"
)

// Action is a configured account action.
type Action struct {
	spec  *configs.AccountAction
	never []string
}

var _ actions.Containment = (*Action)(nil)

// New returns the action for spec; never are users no action may lock (the
// containment block's), on top of the action's own and root.
func New(spec *configs.Action, never []string) *Action {
	all := append(append([]string{"root"}, spec.Account.Never...), never...)
	return &Action{spec: spec.Account, never: all}
}

// Fields implements actions.Action: the user is checked by Target.
func (a *Action) Fields() []string { return nil }

// Target implements actions.Containment: an existing local account with a
// UID of at least min_uid, not on the never list.
func (a *Action) Target(req actions.Request) (string, error) {
	name, ok := req.Fields[a.spec.Field]
	if !ok {
		return "", fmt.Errorf("field %s is missing", a.spec.Field)
	}
	if !actions.ValidUser(name) {
		return "", fmt.Errorf("field %s: %s is not a valid local user name", a.spec.Field, quote(name))
	}
	if slices.Contains(a.never, name) {
		return "", fmt.Errorf("user %s is never locked: it is on the never list", name)
	}
	u, err := user.Lookup(name)
	if err != nil {
		return "", fmt.Errorf("user %s is not a local account", name)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil || uid < a.spec.MinUID {
		return "", fmt.Errorf("user %s has UID %s, below min_uid %d (system and service accounts are never locked)", name, u.Uid, a.spec.MinUID)
	}
	return name, nil
}

func quote(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "…"
	}
	return strconv.Quote(s)
}

// TTL implements actions.Containment.
func (a *Action) TTL(int) time.Duration { return a.spec.TTL }

// Apply implements actions.Containment: the previous expiry is read from
// the shadow file (it is the undo), the account locked and expired, and
// its processes killed.
func (a *Action) Apply(ctx context.Context, name string, _ time.Duration) (string, string, error) {
	prev, err := shadowExpiry(name)
	if err != nil {
		return "", "", err
	}
	if prev == "1" {
		// Already locked by us (a repeat): keep the first undo.
		prev = ""
	}
	if out, err := run(ctx, usermod, "--lock", "--expiredate", "1", "--", name); err != nil {
		return "", "", fmt.Errorf("usermod --lock: %w: %s", err, out)
	}
	u, err := user.Lookup(name)
	if err != nil {
		return "", "", err
	}
	uid, _ := strconv.Atoi(u.Uid)
	killed, err := killUser(uid)
	detail := fmt.Sprintf("locked %s (password and keys: account expired) and ended %d processes", name, killed)
	if err != nil {
		return detail, "expire=" + prev, fmt.Errorf("ending processes: %w", err)
	}
	return detail, "expire=" + prev, nil
}

// Revert implements actions.Containment: unlock, and restore the expiry
// the account had.
func (a *Action) Revert(ctx context.Context, name, undo string) (string, error) {
	if !actions.ValidUser(name) {
		return "", fmt.Errorf("%s is not a user name", quote(name))
	}
	prev, _ := strings.CutPrefix(undo, "expire=")
	if _, err := strconv.Atoi(prev); prev != "" && err != nil {
		prev = ""
	}
	args := []string{"--unlock", "--expiredate", "", "--", name}
	if prev != "" {
		// Days since 1970 as in the shadow file; usermod takes a date.
		days, _ := strconv.Atoi(prev)
		args[2] = time.Unix(int64(days)*86400, 0).UTC().Format(time.DateOnly)
	}
	if out, err := run(ctx, usermod, args...); err != nil {
		if _, lerr := user.Lookup(name); lerr != nil {
			return "account is gone; nothing to unlock", nil
		}
		return "", fmt.Errorf("usermod --unlock: %w: %s", err, out)
	}
	return fmt.Sprintf("unlocked %s", name), nil
}

// Reconcile implements actions.Containment: every active lock is applied
// again if someone unlocked the account (the undo recorded first stays).
func (a *Action) Reconcile(ctx context.Context, active map[string]time.Duration) (string, error) {
	relocked := 0
	for name := range active {
		exp, err := shadowExpiry(name)
		if err != nil || exp == "1" {
			continue
		}
		if _, err := run(ctx, usermod, "--lock", "--expiredate", "1", "--", name); err == nil {
			relocked++
		}
	}
	if relocked == 0 {
		return "", nil
	}
	return fmt.Sprintf("locked %d accounts again", relocked), nil
}

// Describe implements actions.Describer.
func (a *Action) Describe(req actions.Request) (string, error) {
	t, err := a.Target(req)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("lock account %s and end its processes", t), nil
}

// Run implements actions.Action.
func (a *Action) Run(ctx context.Context, req actions.Request) (string, error) {
	t, err := a.Target(req)
	if err != nil {
		return "", err
	}
	detail, _, err := a.Apply(ctx, t, a.TTL(1))
	return detail, err
}

func run(ctx context.Context, prog string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := osexec.CommandContext(ctx, prog, args...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(bytes.ToValidUTF8(out, nil))), err
}

// shadowExpiry returns the expiry field (days since 1970, or "") of name
// in the shadow file.
func shadowExpiry(name string) (string, error) {
	f, err := os.Open(shadowFile)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", shadowFile, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) >= 8 && fields[0] == name {
			return fields[7], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("user %s has no shadow entry", name)
}

// killUser sends SIGKILL to every process whose real or effective UID is
// uid and returns how many it ended.
func killUser(uid int) (int, error) {
	entries, err := os.ReadDir(procDir)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 1 || pid == os.Getpid() {
			continue
		}
		status, err := os.ReadFile(filepath.Join(procDir, e.Name(), "status"))
		if err != nil {
			continue // gone already
		}
		if !ownedBy(status, uid) {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			errs = append(errs, fmt.Errorf("pid %d: %w", pid, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// ownedBy reports whether a /proc/PID/status has uid as its real or
// effective UID.
func ownedBy(status []byte, uid int) bool {
	for _, line := range bytes.Split(status, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("Uid:"))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		want := strconv.Itoa(uid)
		return len(f) >= 2 && (f[0] == want || f[1] == want)
	}
	return false
}
