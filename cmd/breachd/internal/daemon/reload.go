package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/rules"
)

// Reload reads the config file again and, if it is valid and can be
// applied, swaps it in: see reload. It returns why the config was not
// applied; the running one then stays. It waits for Run to do it.
func (d *Daemon) Reload(ctx context.Context) error {
	req := make(chan error, 1)
	select {
	case d.reloads <- req:
	case <-d.stopped:
		return errors.New("breachd is stopping")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errFatal marks a reload failure that leaves no generation running.
var errFatal = errors.New("no config running")

// reload builds the whole new generation before it touches the running
// one; on any error the running one stays. The swap: the old detector
// stops (its lines committed), the new engine adopts the window state of
// the rules whose detection is unchanged, the new detector starts from the
// committed positions, then the old runner and notifier stop (runs in
// flight finish) and the new ones start. Incidents, pending runs and the
// outbox live in the store and carry over whole.
func (d *Daemon) reload(ctx context.Context) (err error) {
	start := d.opts.Now()
	defer func() {
		if err != nil {
			d.metrics.reloadOK.Set(0)
			d.metrics.reloads.WithLabelValues("failure").Inc()
			d.logger.Error("reload failed; the running config is kept", "config", d.opts.ConfigFile, "err", err)
			return
		}
		d.metrics.reloads.WithLabelValues("success").Inc()
	}()
	old := d.cur.Load()
	cfg, engine, diags := Check(d.opts.ConfigFile, rules.Options{Matcher: d.opts.Matcher})
	if diags.HasErrors() {
		var buf bytes.Buffer
		_ = configs.WriteDiagnostics(&buf, diags, cfg.Files)
		return fmt.Errorf("invalid config %s:\n%s", d.opts.ConfigFile, buf.String())
	}
	if err := d.reloadable(ctx, old.cfg, cfg); err != nil {
		return err
	}
	g, err := d.build(cfg, engine)
	if err != nil {
		return err
	}
	if err := d.stopSources(old); err != nil {
		d.logger.Warn("detector stopped with an error during the reload", "err", err)
	}
	engine.TrackChanges()
	kept := engine.Adopt(old.engine)
	// Syslog sockets the new config keeps stay open; the others close
	// now, so that changed addresses can be bound.
	if err := d.syslog.keepOnly(cfg); err != nil {
		d.logger.Warn("closing syslog sockets the new config does not use", "err", err)
	}
	if err := d.attachDetector(ctx, g); err != nil {
		// The old engine shares the state adopted; it goes on, recording
		// its changes again.
		old.engine.TrackChanges()
		if err2 := d.attachDetector(ctx, old); err2 != nil {
			return fmt.Errorf("%w: the new config's sources: %v; the old config's again: %v", errFatal, err, err2)
		}
		if err := d.syslog.keepOnly(old.cfg); err != nil {
			d.logger.Warn("closing syslog sockets the old config does not use", "err", err)
		}
		d.startDetector(ctx, old)
		return fmt.Errorf("the new config's sources: %w", err)
	}
	if err := d.stopActions(old); err != nil {
		d.logger.Warn("action runner stopped with an error during the reload", "err", err)
	}
	d.commit(g)
	if err := d.store.KeepRuleState(ctx, engine.StateKeys()); err != nil {
		d.logger.Warn("cannot drop the stored state of the rules that changed; it is dropped at the next start", "err", err)
	}
	d.start(ctx, g)
	if d.opts.LevelVar != nil && !d.opts.LevelFixed {
		_ = d.opts.LevelVar.UnmarshalText([]byte(cfg.Server.LogLevel))
	}
	d.logger.Info("config reloaded", "config", d.opts.ConfigFile, "rules", len(cfg.Rules), "rules_kept_state", len(kept),
		"sources", len(cfg.Sources), "actions", len(cfg.Actions), "took", d.opts.Now().Sub(start))
	return nil
}

// reloadable refuses what a reload cannot do, and warns of what needs a
// restart.
func (d *Daemon) reloadable(ctx context.Context, old, cfg *configs.Config) error {
	for _, c := range []*configs.Config{old, cfg} {
		for _, s := range c.Sources {
			if s.Kind == configs.KindStdin {
				return fmt.Errorf("source %q reads standard input, which cannot be read again from where it was; restart breachd to change this config", s.Name)
			}
		}
	}
	if old.Server.Listen != cfg.Server.Listen || old.Server.DataDir != cfg.Server.DataDir ||
		old.Server.TLSCert != cfg.Server.TLSCert || old.Server.TLSKey != cfg.Server.TLSKey || old.Server.LogFormat != cfg.Server.LogFormat ||
		old.Server.HTTP != cfg.Server.HTTP {
		d.logger.Warn("the server block's listen, data_dir, tls_cert, tls_key, log_format, timeouts and max_connections take effect at the next restart; the rest is applied now")
	}
	if err := anonymousOnSocket(cfg, d.listener.Addr()); err != nil {
		return err
	}
	// A containment in force must stay revertible: its action cannot go.
	active, err := d.store.ActiveContainments(ctx)
	if err != nil {
		return fmt.Errorf("read containments in force: %w", err)
	}
	var missing []string
	for _, c := range active {
		a := cfg.ActionByName(c.Action)
		o := old.ActionByName(c.Action)
		if (a == nil || (o != nil && a.Kind != o.Kind)) && !slices.Contains(missing, c.Action) {
			missing = append(missing, c.Action)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("action %s has containments in force that only it can revert; keep it (same kind) until they expire, or revert them first (breachd actions list / revert)", strings.Join(missing, ", "))
	}
	return nil
}
