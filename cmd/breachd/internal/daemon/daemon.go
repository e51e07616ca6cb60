package daemon

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/account"
	execaction "github.com/breachd/breachd/actions/exec"
	"github.com/breachd/breachd/actions/nftables"
	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/actions/notify/alertmanager"
	"github.com/breachd/breachd/actions/notify/file"
	"github.com/breachd/breachd/actions/notify/hook"
	"github.com/breachd/breachd/actions/notify/pagerduty"
	"github.com/breachd/breachd/actions/notify/slack"
	smtpchannel "github.com/breachd/breachd/actions/notify/smtp"
	"github.com/breachd/breachd/actions/process"
	"github.com/breachd/breachd/actions/systemd"
	"github.com/breachd/breachd/actions/webhook"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector"
	"github.com/breachd/breachd/detector/logtail"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// DBFile is the name of the database in the data directory.
const DBFile = "breachd.db"

// shutdownTimeout bounds the HTTP server's graceful shutdown.
const shutdownTimeout = 5 * time.Second

// Options configures a Daemon.
type Options struct {
	// ConfigFile is the path of the config to run.
	ConfigFile string
	Logger     *slog.Logger
	// Now is the clock; the daemon never reads the wall clock itself.
	Now func() time.Time
	// Listen overrides the config's listen address when set.
	Listen string
	// PollInterval overrides the file stat-poll period when set.
	PollInterval time.Duration
	// Stdin is read by a stdin source; main passes os.Stdin.
	Stdin io.Reader
	// TickInterval overrides how often absent rules are checked.
	TickInterval time.Duration
	// NetNSFd, when set, is the network namespace nftables actions act
	// in (tests make their own); 0 is the daemon's.
	NetNSFd int
	// RevertEvery overrides how often due containments are reverted.
	RevertEvery time.Duration
}

// Daemon is a configured breachd, ready to Run. It is single-use.
type Daemon struct {
	logger   *slog.Logger
	cfg      *configs.Config
	store    *sqlstore.Store
	listener net.Listener
	server   *http.Server
	detector *detector.Detector
	runner   *actions.Runner
	notifier *notify.Notifier
	manager  *incidents.Manager
	// retentionEvery is how often the retention is applied.
	retentionEvery time.Duration
}

// retentionInterval is how often Run applies the retention.
const retentionInterval = 24 * time.Hour

// New checks the config, opens the store and the listener, and builds every
// component. It starts no goroutine. On error nothing is left open.
func New(ctx context.Context, opts Options) (_ *Daemon, err error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		return nil, errors.New("daemon: Options.Now is required")
	}
	cfg, engine, diags := Check(opts.ConfigFile)
	if diags.HasErrors() {
		var buf bytes.Buffer
		_ = configs.WriteDiagnostics(&buf, diags, cfg.Files)
		return nil, fmt.Errorf("invalid config %s:\n%s", opts.ConfigFile, buf.String())
	}
	if err := os.MkdirAll(cfg.Server.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data_dir: %w", err)
	}
	store, err := sqlstore.Open(ctx, filepath.Join(cfg.Server.DataDir, DBFile))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			store.Close()
		}
	}()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	never, err := neverBlocked(cfg)
	if err != nil {
		return nil, err
	}
	blocker := nftables.New(nftables.Options{NetNSFd: opts.NetNSFd})
	var protected func() ([]netip.Addr, error)
	if c := cfg.Containment; c.ProtectAdminSessions {
		protected = actions.AdminSessions(c.Utmp, c.AdminUsers, c.AdminGroups)
	}
	acts := make(map[string]actions.Action, len(cfg.Actions))
	dryRun := map[string]bool{}
	policies := map[string]actions.Policy{}
	for _, a := range cfg.Actions {
		policies[a.Name] = actions.Policy{RequireApproval: a.RequireApproval, MaxPerHour: a.MaxPerHour}
		mode := a.Mode
		if mode == "" {
			mode = cfg.Containment.Mode
		}
		dryRun[a.Name] = mode == configs.ModeDryRun
		switch a.Kind {
		case configs.KindExec:
			acts[a.Name] = execaction.New(a, cfg.Dir)
		case configs.KindWebhook:
			secret, err := readSecret(cfg, a.Webhook.SecretFile, a.Webhook.SecretEnv, minKey)
			if err != nil {
				return nil, fmt.Errorf("action %q: %w", a.Name, err)
			}
			acts[a.Name] = webhook.New(a, nil, opts.Now, secret)
		case configs.KindNftables:
			acts[a.Name] = nftables.NewAction(a, blocker, never, protected)
		case configs.KindAccount:
			acts[a.Name] = account.New(a, cfg.Containment.NeverUsers)
		case configs.KindSystemd:
			acts[a.Name] = systemd.New(a, cfg.Containment.NeverUnits, nil)
		case configs.KindProcess:
			acts[a.Name] = process.New(a, cfg.Containment.NeverUnits, cfg.Containment.NeverUsers)
		default:
			return nil, fmt.Errorf("action %q: kind %q has no implementation", a.Name, a.Kind)
		}
	}
	runner := actions.NewRunner(actions.RunnerOptions{
		Store:       store,
		Actions:     acts,
		Now:         opts.Now,
		Logger:      logger.With("component", "actions"),
		Registerer:  reg,
		DryRun:      dryRun,
		RevertEvery: opts.RevertEvery,
	})
	ruleNames := make([]string, len(cfg.Rules))
	ruleAssets := make(map[string][]string, len(cfg.Rules))
	for i, r := range cfg.Rules {
		ruleNames[i] = r.Name
		if len(r.Assets) > 0 {
			ruleAssets[r.Name] = r.Assets
		}
	}
	channels := make(map[string]notify.Channel, len(cfg.Channels))
	for _, ch := range cfg.Channels {
		switch ch.Kind {
		case configs.ChannelWebhook:
			secret, err := readSecret(cfg, ch.SecretFile, ch.SecretEnv, minKey)
			if err != nil {
				return nil, fmt.Errorf("channel %q: %w", ch.Name, err)
			}
			channels[ch.Name] = hook.New(ch, secret)
		case configs.ChannelSlack:
			channels[ch.Name] = slack.New(ch)
		case configs.ChannelAlertmanager:
			channels[ch.Name] = alertmanager.New(ch)
		case configs.ChannelFile:
			channels[ch.Name] = file.New(ch)
		case configs.ChannelSMTP:
			var password []byte
			if ch.SecretFile != "" || ch.SecretEnv != "" {
				var err error
				if password, err = readSecret(cfg, ch.SecretFile, ch.SecretEnv, 1); err != nil {
					return nil, fmt.Errorf("channel %q: password: %w", ch.Name, err)
				}
			}
			mc, err := smtpchannel.New(ch, string(password))
			if err != nil {
				return nil, fmt.Errorf("channel %q: %w", ch.Name, err)
			}
			channels[ch.Name] = mc
		case configs.ChannelPagerDuty:
			key, err := readSecret(cfg, ch.SecretFile, ch.SecretEnv, 1)
			if err != nil {
				return nil, fmt.Errorf("channel %q: routing key: %w", ch.Name, err)
			}
			channels[ch.Name] = pagerduty.New(ch, string(key))
		}
	}
	notifier := notify.New(notify.Options{
		Store:       store,
		Channels:    channels,
		Now:         opts.Now,
		Logger:      logger.With("component", "notify"),
		Registerer:  reg,
		MaxAttempts: cfg.Notifications.MaxAttempts,
		RetryBase:   cfg.Notifications.RetryBase,
		RetryMax:    cfg.Notifications.RetryMax,
		DeadLetter:  cfg.Notifications.DeadLetterChannels,
	})
	notices, pdiags := incidents.CompilePolicies(cfg)
	if pdiags.HasErrors() {
		return nil, fmt.Errorf("policies: %s", pdiags.Error())
	}
	manager := incidents.NewManager(incidents.Options{
		Policies:   notices,
		Store:      store,
		Now:        opts.Now,
		Logger:     logger.With("component", "incidents"),
		Registerer: reg,
		Rules:      ruleNames,
		Policy:     cfg.Incidents,
		Assets:     cfg.Assets,
		RuleAssets: ruleAssets,
		OnOpen:     func() { runner.Wake(); notifier.Wake() },
		Routes:     cfg.Routes,
		Config:     cfg,
	})
	stored, err := store.Progress(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source positions: %w", err)
	}
	cursors := make(map[string]string, len(stored.Cursors))
	for _, c := range stored.Cursors {
		cursors[c.Source] = c.Cursor
	}
	det, err := detector.New(detector.Options{
		Sources:   cfg.Sources,
		Engine:    engine,
		Positions: fromStore(stored.Files),
		Cursors:   cursors,
		Sink: func(ctx context.Context, b detector.Batch) error {
			return manager.HandleFindings(ctx, b.Findings, toStore(b))
		},
		Now:          opts.Now,
		Logger:       logger.With("component", "detector"),
		Registerer:   reg,
		PollInterval: opts.PollInterval,
		Stdin:        opts.Stdin,
		TickInterval: opts.TickInterval,
	})
	if err != nil {
		return nil, err
	}

	listen := cfg.Server.Listen
	if opts.Listen != "" {
		listen = opts.Listen
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		det.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	var tlsConfig *tls.Config
	if cfg.Server.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.Server.TLSCert, cfg.Server.TLSKey)
		if err != nil {
			ln.Close()
			det.Close()
			return nil, fmt.Errorf("server tls_cert/tls_key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	server := &http.Server{
		TLSConfig: tlsConfig,
		Handler: httpapi.New(httpapi.Options{
			Manager:       manager,
			Tokens:        cfg.Tokens,
			AnonymousRole: cfg.Server.AnonymousRole,
			Gatherer:      reg,
			Logger:        logger.With("component", "http"),
			Revert:        runner.RevertByHand,
			Decide:        runner.Decide,
			Ready: func() bool {
				select {
				case <-det.Ready():
					return true
				default:
					return false
				}
			},
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return &Daemon{
		logger:   logger,
		cfg:      cfg,
		store:    store,
		listener: ln,
		server:   server,
		detector: det,
		runner:   runner,
		notifier: notifier,
		manager:  manager,

		retentionEvery: retentionInterval,
	}, nil
}

// SyslogAddrs returns the bound UDP and TCP addresses of a syslog source.
func (d *Daemon) SyslogAddrs(source string) (udp, tcp string) { return d.detector.SyslogAddrs(source) }

// Addr is the address the HTTP server listens on.
func (d *Daemon) Addr() string { return d.listener.Addr().String() }

// Ready is closed once every source is followed.
func (d *Daemon) Ready() <-chan struct{} { return d.detector.Ready() }

// Config is the configuration the daemon runs.
func (d *Daemon) Config() *configs.Config { return d.cfg }

// Run runs breachd until ctx ends or a component fails, then shuts down in
// this order: the sources stop reading and the detector finishes the line in
// hand (its findings are committed); the action runner stops taking new runs
// and waits for those in flight, each bounded by its timeout; the HTTP server
// drains; the store closes.
func (d *Daemon) Run(ctx context.Context) error {
	detCtx, stopDetector := context.WithCancel(context.WithoutCancel(ctx))
	runCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDetector()
	defer stopRunner()

	// The retention first, so nothing expired is served, then once a day.
	d.applyRetention(ctx)
	retCtx, stopRetention := context.WithCancel(ctx)
	retDone := make(chan struct{})
	go func() {
		defer close(retDone)
		t := time.NewTicker(d.retentionEvery)
		defer t.Stop()
		// Reminders of obligations nearing their deadline, and notices
		// that need no approval, every minute.
		r := time.NewTicker(time.Minute)
		defer r.Stop()
		for {
			select {
			case <-retCtx.Done():
				return
			case <-t.C:
				d.applyRetention(retCtx)
			case <-r.C:
				if _, err := d.manager.Remind(retCtx); err != nil && retCtx.Err() == nil {
					d.logger.Error("cannot queue reminders", "err", err)
				}
				if _, err := d.manager.AdvanceNotices(retCtx); err != nil && retCtx.Err() == nil {
					d.logger.Error("cannot queue the notices that need no approval", "err", err)
				}
			}
		}
	}()

	detDone := make(chan error, 1)
	runDone := make(chan error, 1)
	httpDone := make(chan error, 1)
	go func() { detDone <- d.detector.Run(detCtx) }()
	go func() { runDone <- d.runner.Run(runCtx) }()
	notifyDone := make(chan error, 1)
	go func() { notifyDone <- d.notifier.Run(runCtx) }()
	go func() {
		if d.server.TLSConfig != nil {
			httpDone <- d.server.ServeTLS(d.listener, "", "")
			return
		}
		httpDone <- d.server.Serve(d.listener)
	}()
	d.logger.Info("breachd started", "listen", d.Addr(), "data_dir", d.cfg.Server.DataDir,
		"sources", len(d.cfg.Sources), "rules", len(d.cfg.Rules), "actions", len(d.cfg.Actions))

	var runErr error
	detRunning, runnerRunning, httpRunning := true, true, true
	select {
	case <-ctx.Done():
	case runErr = <-detDone:
		detRunning = false
		runErr = fmt.Errorf("detector: %w", errOrStopped(runErr))
	case runErr = <-runDone:
		runnerRunning = false
		runErr = fmt.Errorf("action runner: %w", errOrStopped(runErr))
	case runErr = <-httpDone:
		httpRunning = false
		runErr = fmt.Errorf("http server: %w", runErr)
	}

	// 1. Sources and detector.
	stopDetector()
	if detRunning {
		if err := <-detDone; err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("detector: %w", err))
		}
	}
	// 2. The retention, actions in flight and the message in hand; what
	// is not sent stays in the outbox for the next start.
	stopRetention()
	<-retDone
	stopRunner()
	<-notifyDone
	if runnerRunning {
		if err := <-runDone; err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("action runner: %w", err))
		}
	}
	// 3. HTTP, last, so the state stays inspectable until the end.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := d.server.Shutdown(shutdownCtx); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("http shutdown: %w", err))
	}
	if httpRunning {
		if err := <-httpDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
			runErr = errors.Join(runErr, fmt.Errorf("http server: %w", err))
		}
	}
	// 4. Store.
	if err := d.store.Close(); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("store: %w", err))
	}
	d.logger.Info("breachd stopped")
	return runErr
}

// readSecret reads a key or password from its file (which must not be
// readable by others) or its environment variable; nil when neither is
// named. Signing keys need minLen bytes.
func readSecret(cfg *configs.Config, file, env string, minLen int) ([]byte, error) {
	switch {
	case file != "":
		path := cfg.Abs(file)
		st, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("secret_file: %w", err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("secret_file %s is readable by others (mode %v); chmod 600 it", path, st.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secret_file: %w", err)
		}
		b = bytes.TrimSpace(b)
		if len(b) < minLen {
			return nil, fmt.Errorf("secret_file %s holds %d bytes; use at least %d (e.g. openssl rand -hex 32)", path, len(b), minLen)
		}
		return b, nil
	case env != "":
		v := os.Getenv(env)
		if len(v) < minLen || v == "" {
			return nil, fmt.Errorf("secret_env %s is unset or shorter than %d bytes", env, max(minLen, 1))
		}
		return []byte(v), nil
	}
	return nil, nil
}

// minKey is the shortest signing key breachd accepts.
const minKey = 16

// neverBlocked is what no action may block: the containment block's
// never_cidrs and every address of this host.
func neverBlocked(cfg *configs.Config) ([]netip.Prefix, error) {
	never := append([]netip.Prefix{}, cfg.Containment.NeverCIDRs...)
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("list the host's addresses (never blocked): %w", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				ip = ip.Unmap()
				never = append(never, netip.PrefixFrom(ip, ip.BitLen()))
			}
		}
	}
	return never, nil
}

// applyRetention purges what the retention says has expired, and logs it.
func (d *Daemon) applyRetention(ctx context.Context) {
	rep, err := d.manager.Purge(ctx, "breachd")
	switch {
	case err != nil && ctx.Err() == nil:
		d.logger.Error("retention failed; it is tried again in a day", "err", err)
	case rep.Incidents > 0:
		d.logger.Info("retention applied", "incidents", rep.Incidents, "evidence_lines", rep.EvidenceLines, "timeline_entries", rep.TimelineEntries)
	}
}

// toStore and fromStore convert file positions between the detector's type
// and the store's; the two packages do not import each other.
func toStore(b detector.Batch) incidents.Progress {
	var out incidents.Progress
	if len(b.Positions) > 0 {
		out.Files = make([]incidents.FilePosition, len(b.Positions))
		for i, p := range b.Positions {
			out.Files[i] = incidents.FilePosition{Path: p.Path, Dev: p.Dev, Ino: p.Ino, Offset: p.Offset, FPLen: p.FPLen, FP: p.FP[:]}
		}
	}
	for _, c := range b.Cursors {
		out.Cursors = append(out.Cursors, incidents.SourceCursor{Source: c.Source, Cursor: c.Cursor})
	}
	return out
}

func fromStore(ps []incidents.FilePosition) map[string]logtail.Position {
	out := make(map[string]logtail.Position, len(ps))
	for _, p := range ps {
		lp := logtail.Position{Path: p.Path, Dev: p.Dev, Ino: p.Ino, Offset: p.Offset, FPLen: p.FPLen}
		copy(lp.FP[:], p.FP)
		out[p.Path] = lp
	}
	return out
}

func errOrStopped(err error) error {
	if err == nil {
		return errors.New("stopped unexpectedly")
	}
	return err
}
