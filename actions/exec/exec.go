package exec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/configs"
)

const (
	// maxOutput caps the output kept from a run.
	maxOutput = 16 << 10
	// maxDetail caps the output quoted in the result.
	maxDetail = 512
	// waitDelay bounds how long a killed program's pipes are waited for.
	waitDelay = 2 * time.Second
)

// Exec is a configured exec action.
type Exec struct {
	env     []string
	argv    []*configs.Template
	timeout time.Duration
	dir     string
	fields  []string
	// idempotent is the action's idempotent attribute: a run whose
	// outcome a crash left unknown may be run again.
	idempotent bool
}

var _ actions.Action = (*Exec)(nil)

// New returns the exec action for spec, running programs in dir (the
// config file's folder, against which relative paths resolve).
func New(spec *configs.Action, dir string) *Exec {
	e := &Exec{argv: spec.Exec.Argv, env: spec.Exec.Env, timeout: spec.Timeout, dir: dir, idempotent: spec.Exec.Idempotent}
	seen := map[string]bool{}
	for _, t := range e.argv {
		for _, f := range t.Fields() {
			if !seen[f] {
				seen[f] = true
				e.fields = append(e.fields, f)
			}
		}
	}
	return e
}

// Fields implements actions.Action.
func (e *Exec) Fields() []string { return e.fields }

// Idempotent implements actions.Idempotent: only what the config declares
// (idempotent = true) is run again after a crash left its outcome unknown.
func (e *Exec) Idempotent() bool { return e.idempotent }

// Describe implements actions.Describer: the argument vector as it would
// run.
func (e *Exec) Describe(req actions.Request) (string, error) {
	args := make([]string, len(e.argv))
	for i, t := range e.argv {
		s, err := t.Render(req.Fields)
		if err != nil {
			return "", err
		}
		args[i] = strconv.Quote(s)
	}
	return "run [" + strings.Join(args, " ") + "]", nil
}

// Run implements actions.Action.
func (e *Exec) Run(ctx context.Context, req actions.Request) (string, error) {
	args := make([]string, len(e.argv))
	for i, t := range e.argv {
		s, err := t.Render(req.Fields)
		if err != nil {
			return "", fmt.Errorf("argv[%d]: %w", i, err)
		}
		args[i] = s
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	cmd := osexec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = e.dir
	// The whole environment of a run: breachd passes nothing of its own.
	cmd.Env = []string{
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
		"BREACHD_INCIDENT_ID=" + req.Fields["incident_id"],
		"BREACHD_RULE=" + req.Incident.Rule,
	}
	for _, name := range e.env {
		if v, ok := os.LookupEnv(name); ok {
			cmd.Env = append(cmd.Env, name+"="+v)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// Kill the whole process group, not just the leader.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = waitDelay
	out := &cappedBuffer{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	detail := summary(cmd, out)
	if ctx.Err() == context.DeadlineExceeded {
		return detail, fmt.Errorf("killed after timeout %s", e.timeout)
	}
	var exitErr *osexec.ExitError
	if errors.As(err, &exitErr) {
		return detail, fmt.Errorf("exit status %d", exitErr.ExitCode())
	}
	if err != nil {
		return detail, err
	}
	return detail, nil
}

func summary(cmd *osexec.Cmd, out *cappedBuffer) string {
	var b strings.Builder
	b.WriteString(cmd.Path)
	if cmd.ProcessState != nil {
		fmt.Fprintf(&b, " exited %d", cmd.ProcessState.ExitCode())
	}
	if o := strings.TrimSpace(out.String()); o != "" {
		// Quote first (escapes can grow the text fourfold), then clip.
		q := strconv.Quote(o)
		if len(q) > maxDetail {
			q = strings.ToValidUTF8(q[:maxDetail], "") + "…"
		}
		b.WriteString("; output: " + q)
	}
	return b.String()
}

// cappedBuffer keeps the first max bytes written and counts the rest.
type cappedBuffer struct {
	buf     bytes.Buffer
	max     int
	dropped int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	if len(p) > room {
		c.dropped += len(p) - max(room, 0)
	}
	return len(p), nil
}

func (c *cappedBuffer) String() string {
	if c.dropped > 0 {
		return fmt.Sprintf("%s [%d more bytes dropped]", c.buf.String(), c.dropped)
	}
	return c.buf.String()
}
