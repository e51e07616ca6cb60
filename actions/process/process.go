package process

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

// Roots where a unit's cgroup may be: pure cgroup v2, the hybrid layout's
// unified and systemd hierarchies.
var cgroupRoots = []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd"}

// Action is a configured process action.
type Action struct {
	spec  *configs.ProcessAction
	never []string
	// procDir and cgroupRoots are /proc and the cgroup roots; tests keep
	// them.
	procDir string
	roots   []string
}

var _ actions.Action = (*Action)(nil)

// New returns the action for spec; neverUnits and neverUsers are the
// containment block's.
func New(spec *configs.Action, neverUnits, neverUsers []string) *Action {
	never := append(append([]string{"root"}, neverUnits...), neverUsers...)
	return &Action{spec: spec.Process, never: never, procDir: "/proc", roots: cgroupRoots}
}

// Fields implements actions.Action: the user and unit fields are checked
// by their names (strict patterns) before Run.
func (a *Action) Fields() []string {
	var out []string
	if f, ok := field(a.spec.User); ok {
		out = append(out, f)
	}
	if f, ok := field(a.spec.Unit); ok {
		out = append(out, f)
	}
	return out
}

// field returns the field name of "${name}".
func field(tmpl string) (string, bool) {
	name, ok := strings.CutPrefix(tmpl, "${")
	name, ok2 := strings.CutSuffix(name, "}")
	return name, ok && ok2
}

func resolve(tmpl string, fields map[string]string) string {
	if f, ok := field(tmpl); ok {
		return fields[f]
	}
	return tmpl
}

// Describe implements actions.Describer.
func (a *Action) Describe(req actions.Request) (string, error) {
	what, _, err := a.targets(req)
	if err != nil {
		return "", err
	}
	return "send SIGKILL to every process of " + what, nil
}

// targets returns what is targeted and the cgroup.procs files or the UID.
func (a *Action) targets(req actions.Request) (string, func() ([]int, error), error) {
	switch {
	case a.spec.User != "":
		name := resolve(a.spec.User, req.Fields)
		if !actions.ValidUser(name) {
			return "", nil, fmt.Errorf("%q is not a valid local user name", name)
		}
		if slices.Contains(a.never, name) {
			return "", nil, fmt.Errorf("user %s is on the never list", name)
		}
		u, err := user.Lookup(name)
		if err != nil {
			return "", nil, fmt.Errorf("user %s is not a local account", name)
		}
		uid, _ := strconv.Atoi(u.Uid)
		if uid < a.spec.MinUID {
			return "", nil, fmt.Errorf("user %s has UID %d, below min_uid %d", name, uid, a.spec.MinUID)
		}
		return "user " + name, func() ([]int, error) { return a.pidsOfUID(uid) }, nil
	case a.spec.Unit != "":
		unit := resolve(a.spec.Unit, req.Fields)
		if !actions.ValidUnit(unit) || !(strings.HasSuffix(unit, ".service") || strings.HasSuffix(unit, ".scope")) {
			return "", nil, fmt.Errorf("%q is not a service or scope unit name", unit)
		}
		if actions.ProtectedUnit(unit) || slices.Contains(a.never, unit) {
			return "", nil, fmt.Errorf("unit %s is never signalled", unit)
		}
		return "unit " + unit, func() ([]int, error) { return a.pidsOfUnit(unit) }, nil
	default:
		cg := a.spec.Cgroup
		return "cgroup " + cg, func() ([]int, error) { return a.pidsOfCgroup(cg) }, nil
	}
}

// Run implements actions.Action: SIGKILL to every process found, none of
// them breachd itself or PID 1.
func (a *Action) Run(_ context.Context, req actions.Request) (string, error) {
	what, pids, err := a.targets(req)
	if err != nil {
		return "", err
	}
	list, err := pids()
	if err != nil {
		return "", err
	}
	n := 0
	var errs []error
	for _, pid := range list {
		if pid <= 1 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			if !errors.Is(err, syscall.ESRCH) {
				errs = append(errs, fmt.Errorf("pid %d: %w", pid, err))
			}
			continue
		}
		n++
	}
	detail := fmt.Sprintf("sent SIGKILL to %d processes of %s", n, what)
	return detail, errors.Join(errs...)
}

func (a *Action) pidsOfUID(uid int) ([]int, error) {
	entries, err := os.ReadDir(a.procDir)
	if err != nil {
		return nil, err
	}
	var out []int
	want := strconv.Itoa(uid)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		status, err := os.ReadFile(filepath.Join(a.procDir, e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(status, []byte("\n")) {
			if rest, ok := bytes.CutPrefix(line, []byte("Uid:")); ok {
				if f := strings.Fields(string(rest)); len(f) >= 2 && (f[0] == want || f[1] == want) {
					out = append(out, pid)
				}
				break
			}
		}
	}
	return out, nil
}

// pidsOfUnit reads the unit's cgroup under system.slice in each root.
func (a *Action) pidsOfUnit(unit string) ([]int, error) {
	var out []int
	found := false
	for _, root := range a.roots {
		pids, err := readProcs(filepath.Join(root, "system.slice", unit, "cgroup.procs"))
		if err != nil {
			continue
		}
		found = true
		out = append(out, pids...)
	}
	if !found {
		return nil, fmt.Errorf("unit %s has no cgroup (not running?)", unit)
	}
	return out, nil
}

func (a *Action) pidsOfCgroup(cg string) ([]int, error) {
	var out []int
	found := false
	for _, root := range a.roots {
		pids, err := readProcs(filepath.Join(root, cg, "cgroup.procs"))
		if err != nil {
			continue
		}
		found = true
		out = append(out, pids...)
	}
	if !found {
		return nil, fmt.Errorf("cgroup %s does not exist", cg)
	}
	return out, nil
}

func readProcs(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			out = append(out, pid)
		}
	}
	return out, nil
}
