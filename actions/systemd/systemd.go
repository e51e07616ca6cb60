package systemd

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	sd "github.com/coreos/go-systemd/v22/dbus"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

// Dialer opens a connection to systemd; the default is the system bus.
type Dialer func(ctx context.Context) (*sd.Conn, error)

// Action is a configured systemd action.
type Action struct {
	spec  *configs.SystemdAction
	never []string
	dial  Dialer
}

var _ actions.Containment = (*Action)(nil)

// New returns the action for spec; never are the containment block's
// never_units. dial nil uses the system bus.
func New(spec *configs.Action, never []string, dial Dialer) *Action {
	if dial == nil {
		dial = sd.NewSystemConnectionContext
	}
	return &Action{spec: spec.Systemd, never: append(append([]string{}, spec.Systemd.Never...), never...), dial: dial}
}

// Fields implements actions.Action: Target checks the unit.
func (a *Action) Fields() []string { return nil }

// Target implements actions.Containment: a .service unit name, not a
// systemd one and not on the never list.
func (a *Action) Target(req actions.Request) (string, error) {
	unit := a.spec.Unit
	if a.spec.Field != "" {
		v, ok := req.Fields[a.spec.Field]
		if !ok {
			return "", fmt.Errorf("field %s is missing", a.spec.Field)
		}
		unit = v
	}
	switch {
	case !actions.ValidUnit(unit) || !strings.HasSuffix(unit, ".service"):
		return "", fmt.Errorf("%q is not a service unit name (NAME.service)", unit)
	case actions.ProtectedUnit(unit) || slices.Contains(a.never, unit):
		return "", fmt.Errorf("unit %s is never stopped: it is on the never list", unit)
	}
	return unit, nil
}

// TTL implements actions.Containment.
func (a *Action) TTL(int) time.Duration { return a.spec.TTL }

func (a *Action) units(unit string) []string {
	if !a.spec.Sockets {
		return []string{unit}
	}
	return []string{strings.TrimSuffix(unit, ".service") + ".socket", unit}
}

// state is what the revert restores, as the undo string
// "unit=active,enabled;...".
func (a *Action) state(ctx context.Context, c *sd.Conn, unit string) (string, bool, error) {
	load, err := c.GetUnitPropertyContext(ctx, unit, "LoadState")
	if err != nil {
		return "", false, fmt.Errorf("unit %s: %w", unit, err)
	}
	if strings.Trim(load.Value.String(), `"`) == "not-found" {
		return "", false, nil
	}
	active, err := c.GetUnitPropertyContext(ctx, unit, "ActiveState")
	if err != nil {
		return "", false, err
	}
	file, err := c.GetUnitPropertyContext(ctx, unit, "UnitFileState")
	if err != nil {
		return "", false, err
	}
	return fmt.Sprintf("%s=%s,%s", unit, strings.Trim(active.Value.String(), `"`), strings.Trim(file.Value.String(), `"`)), true, nil
}

func wait(ctx context.Context, what string, start func(chan<- string) (int, error)) error {
	ch := make(chan string, 1)
	if _, err := start(ch); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	select {
	case res := <-ch:
		if res != "done" {
			return fmt.Errorf("%s: job %s", what, res)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

// Apply implements actions.Containment.
func (a *Action) Apply(ctx context.Context, unit string, _ time.Duration) (string, string, error) {
	c, err := a.dial(ctx)
	if err != nil {
		return "", "", fmt.Errorf("systemd: %w", err)
	}
	defer c.Close()
	var undo []string
	var done []string
	for _, u := range a.units(unit) {
		st, exists, err := a.state(ctx, c, u)
		if err != nil {
			return strings.Join(done, "; "), strings.Join(undo, ";"), err
		}
		if !exists {
			continue
		}
		undo = append(undo, st)
		if err := wait(ctx, "stop "+u, func(ch chan<- string) (int, error) { return c.StopUnitContext(ctx, u, "replace", ch) }); err != nil {
			return strings.Join(done, "; "), strings.Join(undo, ";"), err
		}
		done = append(done, "stopped "+u)
	}
	names := make([]string, 0, 2)
	for _, st := range undo {
		names = append(names, st[:strings.IndexByte(st, '=')])
	}
	switch a.spec.Operation {
	case configs.SystemdDisable:
		if _, err := c.DisableUnitFilesContext(ctx, names, false); err != nil {
			return strings.Join(done, "; "), strings.Join(undo, ";"), fmt.Errorf("disable: %w", err)
		}
		done = append(done, "disabled")
	case configs.SystemdMask:
		if _, err := c.MaskUnitFilesContext(ctx, names, false, true); err != nil {
			return strings.Join(done, "; "), strings.Join(undo, ";"), fmt.Errorf("mask: %w", err)
		}
		done = append(done, "masked")
	}
	if a.spec.Operation != configs.SystemdStop {
		if err := c.ReloadContext(ctx); err != nil {
			return strings.Join(done, "; "), strings.Join(undo, ";"), fmt.Errorf("daemon-reload: %w", err)
		}
	}
	if len(undo) == 0 {
		return "", "", fmt.Errorf("unit %s does not exist", unit)
	}
	return strings.Join(done, "; "), strings.Join(undo, ";"), nil
}

// Revert implements actions.Containment: unmask, enable again what was
// enabled, start again what was running (socket first).
func (a *Action) Revert(ctx context.Context, unit, undo string) (string, error) {
	c, err := a.dial(ctx)
	if err != nil {
		return "", fmt.Errorf("systemd: %w", err)
	}
	defer c.Close()
	var done []string
	var masked, enable []string
	type prior struct{ unit, active, file string }
	var priors []prior
	for _, part := range strings.Split(undo, ";") {
		u, rest, ok := strings.Cut(part, "=")
		active, file, _ := strings.Cut(rest, ",")
		if !ok || !actions.ValidUnit(u) || !(strings.HasSuffix(u, ".service") || strings.HasSuffix(u, ".socket")) {
			continue
		}
		priors = append(priors, prior{u, active, file})
		if a.spec.Operation == configs.SystemdMask {
			masked = append(masked, u)
		}
		if a.spec.Operation != configs.SystemdStop && (file == "enabled" || file == "enabled-runtime") {
			enable = append(enable, u)
		}
	}
	if len(masked) > 0 {
		if _, err := c.UnmaskUnitFilesContext(ctx, masked, false); err != nil {
			return "", fmt.Errorf("unmask: %w", err)
		}
		done = append(done, "unmasked")
	}
	if len(enable) > 0 {
		if _, _, err := c.EnableUnitFilesContext(ctx, enable, false, false); err != nil {
			return strings.Join(done, "; "), fmt.Errorf("enable: %w", err)
		}
		done = append(done, "enabled")
	}
	if len(masked)+len(enable) > 0 {
		if err := c.ReloadContext(ctx); err != nil {
			return strings.Join(done, "; "), fmt.Errorf("daemon-reload: %w", err)
		}
	}
	for _, p := range priors {
		if p.active != "active" && p.active != "activating" && p.active != "reloading" {
			continue
		}
		if err := wait(ctx, "start "+p.unit, func(ch chan<- string) (int, error) { return c.StartUnitContext(ctx, p.unit, "replace", ch) }); err != nil {
			return strings.Join(done, "; "), err
		}
		done = append(done, "started "+p.unit)
	}
	if len(done) == 0 {
		return "nothing to restore: " + unit + " was not running", nil
	}
	return strings.Join(done, "; "), nil
}

// Reconcile implements actions.Containment: a unit someone started again
// while its containment is active is stopped again.
func (a *Action) Reconcile(ctx context.Context, active map[string]time.Duration) (string, error) {
	if len(active) == 0 {
		return "", nil
	}
	c, err := a.dial(ctx)
	if err != nil {
		return "", fmt.Errorf("systemd: %w", err)
	}
	defer c.Close()
	stopped := 0
	for unit := range active {
		for _, u := range a.units(unit) {
			st, exists, err := a.state(ctx, c, u)
			if err != nil || !exists || !strings.Contains(st, "=active,") {
				continue
			}
			if wait(ctx, "stop "+u, func(ch chan<- string) (int, error) { return c.StopUnitContext(ctx, u, "replace", ch) }) == nil {
				stopped++
			}
		}
	}
	if stopped == 0 {
		return "", nil
	}
	return fmt.Sprintf("stopped %d units started again while contained", stopped), nil
}

// Describe implements actions.Describer.
func (a *Action) Describe(req actions.Request) (string, error) {
	u, err := a.Target(req)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s", a.spec.Operation, strings.Join(a.units(u), " and ")), nil
}

// Run implements actions.Action.
func (a *Action) Run(ctx context.Context, req actions.Request) (string, error) {
	u, err := a.Target(req)
	if err != nil {
		return "", err
	}
	d, _, err := a.Apply(ctx, u, a.TTL(1))
	return d, err
}
