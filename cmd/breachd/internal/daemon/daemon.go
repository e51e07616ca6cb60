package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
	"github.com/breachd/breachd/rules"
)

// DBFile is the name of the database in the data directory.
const DBFile = "breachd.db"

// Options configures a Daemon.
type Options struct {
	// ConfigFile is the path of the config to run.
	ConfigFile string
	// Matcher set to "regexp" runs every rule's expressions on Go's
	// regexp alone (breachd run reads it from BREACHD_MATCHER).
	Matcher string
	Logger  *slog.Logger
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
	// LevelVar, when set, is the logger's level: the config's log_level
	// sets it at start and at every reload, unless LevelFixed (the
	// -log-level flag was given).
	LevelVar   *slog.LevelVar
	LevelFixed bool
}

// Daemon is a configured breachd, ready to Run. It is single-use.
//
// What lives as long as the process: the store, the HTTP listener and
// server, the metrics registry and every metric, and the syslog sockets
// whose addresses a reload leaves unchanged (listeners.go). What a reload replaces,
// as one generation: the config, the rules engine (whose window state is
// carried over), the detector, the action runner, the notifier, the
// incident manager and the API handler.
type Daemon struct {
	opts     Options
	logger   *slog.Logger
	store    *sqlstore.Store
	listener net.Listener
	server   *http.Server
	metrics  metrics
	// blocker is shared by every generation's nftables actions: it
	// serialises their changes to the kernel's table.
	blocker *nftables.Blocker
	// hostAddrs are the host's addresses, never blocked; Run follows them.
	hostAddrs *nftables.HostAddrs
	// syslog holds the syslog sources' sockets across reloads.
	syslog *syslogSockets

	// cur is the generation in force; only Run's goroutine replaces it.
	cur       atomic.Pointer[generation]
	handler   atomic.Pointer[http.Handler]
	reloads   chan chan error
	stopped   chan struct{} // closed when Run returns
	ready     chan struct{} // closed once the first generation follows every source
	readyOnce sync.Once

	// retentionEvery is how often the retention is applied.
	retentionEvery time.Duration
}

// generation is one config in force and the components built from it.
type generation struct {
	cfg      *configs.Config
	engine   *rules.Engine
	runner   *actions.Runner
	notifier *notify.Notifier
	manager  *incidents.Manager
	detector *detector.Detector
	handler  http.Handler
	actions  map[string]actions.Action
	channels map[string]notify.Channel
	compiled *incidents.Policies

	// Set by start.
	stopDetector, stopRunner   context.CancelFunc
	detDone, runDone, noteDone chan error
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
	cfg, engine, diags := Check(opts.ConfigFile, rules.Options{Matcher: opts.Matcher})
	if diags.HasErrors() {
		var buf bytes.Buffer
		_ = configs.WriteDiagnostics(&buf, diags, cfg.Files)
		return nil, fmt.Errorf("invalid config %s:\n%s", opts.ConfigFile, buf.String())
	}
	if opts.LevelVar != nil && !opts.LevelFixed {
		_ = opts.LevelVar.UnmarshalText([]byte(cfg.Server.LogLevel))
	}
	// The API's socket is bound first: a daemon that cannot start (its
	// port taken) leaves no file behind.
	listen := cfg.Server.Listen
	if opts.Listen != "" {
		listen = opts.Listen
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer func() {
		if err != nil {
			ln.Close()
		}
	}()
	if err := checkOwner(cfg.Server.DataDir, os.Geteuid()); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Server.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data_dir: %w", err)
	}
	dbPath := filepath.Join(cfg.Server.DataDir, DBFile)
	_, statErr := os.Stat(dbPath)
	fresh := errors.Is(statErr, fs.ErrNotExist)
	store, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			store.Close()
			if fresh {
				// A daemon that did not start leaves no database of its
				// own behind (run as root, it would be root's).
				for _, f := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
					_ = os.Remove(f)
				}
			}
		}
	}()

	reg := &catalog{Registry: prometheus.NewRegistry()}
	d := &Daemon{
		opts:           opts,
		logger:         logger,
		store:          store,
		reloads:        make(chan chan error),
		stopped:        make(chan struct{}),
		ready:          make(chan struct{}),
		retentionEvery: retentionInterval,
		blocker:        nftables.New(nftables.Options{NetNSFd: opts.NetNSFd}),
		hostAddrs:      nftables.NewHostAddrs(opts.NetNSFd),
		syslog:         newSyslogSockets(),
	}
	defer func() {
		if err != nil {
			_ = d.syslog.closeAll() // the error New returns says what failed
		}
	}()
	d.opts.Logger = logger
	d.metrics = newMetrics(reg, store, opts.Now, logger)
	reg.MustRegister(hostAddrsGauge(d.hostAddrs))
	if err := restoreRuleState(ctx, store, engine, logger); err != nil {
		return nil, err
	}
	g, err := d.build(cfg, engine)
	if err != nil {
		return nil, err
	}
	if err := d.attachDetector(ctx, g); err != nil {
		return nil, err
	}
	d.commit(g)

	if err := d.listenHTTP(cfg, ln); err != nil {
		return nil, err
	}
	return d, nil
}

// checkOwner refuses to run as root on a data_dir that belongs to another
// user (the package's breachd user): the database and its write-ahead log
// root would create there are files that user cannot write, and the
// service would then fail to start.
func checkOwner(dir string, euid int) error {
	st, err := os.Stat(dir)
	if err != nil || euid != 0 {
		return nil // missing: created below; another user: the file system's permissions decide
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok || sys.Uid == 0 {
		return nil
	}
	owner := strconv.FormatUint(uint64(sys.Uid), 10)
	if u, err := user.LookupId(owner); err == nil {
		owner = u.Username
	}
	return fmt.Errorf("data_dir %s belongs to user %s, and this breachd runs as root: the files it would write there could not be written by %s afterwards. "+
		"Run it as that user (systemctl start breachd, or runuser -u %s -- breachd run --config FILE), or name a data_dir of root's in the server block", dir, owner, owner, owner)
}

// build makes a generation's components from a checked config, all but
// the detector (attachDetector), which binds sockets and reads the
// sources' positions. It has no effect outside the generation: a failed
// reload leaves nothing behind.
func (d *Daemon) build(cfg *configs.Config, engine *rules.Engine) (*generation, error) {
	opts, logger := d.opts, d.logger
	store := d.store
	g := &generation{cfg: cfg, engine: engine}
	never := cfg.Containment.NeverCIDRs
	if err := d.hostAddrs.Load(); err != nil {
		return nil, fmt.Errorf("%w (never blocked)", err)
	}
	blocker := d.blocker
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
			acts[a.Name] = nftables.NewAction(a, blocker, never, d.hostAddrs, protected)
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
	g.runner = actions.NewRunner(actions.RunnerOptions{
		Store:       store,
		Actions:     acts,
		Now:         opts.Now,
		Logger:      logger.With("component", "actions"),
		Metrics:     d.metrics.runner,
		DryRun:      dryRun,
		RevertEvery: opts.RevertEvery,
		// The safeguards: each action's approval and rate limit, and the
		// blast radius across all of them.
		Policies:          policies,
		MaxTargetsPerHour: cfg.Containment.MaxTargetsPerHour,
		ApprovalExpires:   cfg.Containment.ApprovalExpires,
		Page: func(inc incidents.Incident) []incidents.Page {
			return incidents.RoutePages(cfg.Routes, inc.Severity, inc.Category)
		},
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
	g.notifier = notify.New(notify.Options{
		Store:       store,
		Channels:    channels,
		Now:         opts.Now,
		Logger:      logger.With("component", "notify"),
		Metrics:     d.metrics.notify,
		MaxAttempts: cfg.Notifications.MaxAttempts,
		RetryBase:   cfg.Notifications.RetryBase,
		RetryMax:    cfg.Notifications.RetryMax,
		DeadLetter:  cfg.Notifications.DeadLetterChannels,
	})
	notices, pdiags := incidents.CompilePolicies(cfg)
	if pdiags.HasErrors() {
		return nil, fmt.Errorf("policies: %s", pdiags.Error())
	}
	runner, notifier := g.runner, g.notifier
	g.manager = incidents.NewManager(incidents.Options{
		Policies:   notices,
		Store:      store,
		Now:        opts.Now,
		Logger:     logger.With("component", "incidents"),
		Metrics:    d.metrics.incident,
		Rules:      ruleNames,
		Policy:     cfg.Incidents,
		Assets:     cfg.Assets,
		RuleAssets: ruleAssets,
		OnQueued:   func(h []incidents.Handoff) { runner.Hand(h); notifier.Wake() },
		Routes:     cfg.Routes,
		Config:     cfg,
	})
	g.handler = httpapi.New(httpapi.Options{
		Manager:       g.manager,
		Tokens:        cfg.Tokens,
		AnonymousRole: cfg.Server.AnonymousRole,
		Gatherer:      d.metrics.gatherer,
		Logger:        logger.With("component", "http"),
		Revert:        runner.RevertByHand,
		Decide:        runner.Decide,
		Settle:        runner.Settle,
		Ready:         d.isReady,
		Reload:        d.Reload,
	})
	g.actions, g.channels, g.compiled = acts, channels, notices
	return g, nil
}

// attachDetector builds g's detector on the positions committed in the
// store. It binds the sockets of syslog sources.
func (d *Daemon) attachDetector(ctx context.Context, g *generation) error {
	stored, err := d.store.Progress(ctx)
	if err != nil {
		return fmt.Errorf("read source positions: %w", err)
	}
	cursors := make(map[string]string, len(stored.Cursors))
	for _, c := range stored.Cursors {
		cursors[c.Source] = c.Cursor
	}
	manager := g.manager
	det, err := detector.New(detector.Options{
		Sources:   g.cfg.Sources,
		Engine:    g.engine,
		Positions: fromStore(stored.Files),
		Cursors:   cursors,
		Sink: func(ctx context.Context, b detector.Batch) error {
			return manager.HandleFindings(ctx, b.Findings, toStore(b))
		},
		Now:          d.opts.Now,
		Logger:       d.logger.With("component", "detector"),
		Metrics:      d.metrics.detector,
		PollInterval: d.opts.PollInterval,
		Stdin:        d.opts.Stdin,
		TickInterval: d.opts.TickInterval,
		Listen:       d.syslog.listen,
	})
	if err != nil {
		return err
	}
	g.detector = det
	return nil
}

// commit makes g the generation in force: the API answers with its
// handler and the metrics follow its config.
func (d *Daemon) commit(g *generation) {
	m := d.metrics
	cfg := g.cfg
	ruleNames := make([]string, len(cfg.Rules))
	for i, r := range cfg.Rules {
		ruleNames[i] = r.Name
	}
	m.detector.Configure(cfg.Sources, g.engine)
	m.detector.Prune(cfg.Sources)
	m.runner.Configure(g.actions)
	m.runner.Prune(slices.Collect(maps.Keys(g.actions)))
	m.notify.Configure(g.channels)
	m.notify.Prune(slices.Collect(maps.Keys(g.channels)))
	m.incident.Configure(ruleNames, cfg, g.compiled)
	m.incident.Prune(ruleNames)
	m.incident.SetPending(pendingKeys(cfg, g.engine))
	m.reloadOK.Set(1)
	m.reloadTime.Set(float64(d.opts.Now().UnixNano()) / 1e9)
	m.hash.Set(configHash(cfg))
	d.handler.Store(&g.handler)
	d.cur.Store(g)
}

// pendingKeys counts, for breachd_alerts{state="pending"}, the group keys
// that threshold and sequence rules hold below their threshold.
func pendingKeys(cfg *configs.Config, engine *rules.Engine) func() map[string]int {
	counted := map[string]bool{}
	for _, r := range cfg.Rules {
		counted[r.Name] = r.Threshold != nil || r.Sequence != nil
	}
	return func() map[string]int {
		out := map[string]int{}
		for _, s := range engine.Stats() {
			if counted[s.Rule] {
				out[s.Rule] = s.Keys
			}
		}
		return out
	}
}

// start runs g's detector, action runner and notifier.
func (d *Daemon) start(ctx context.Context, g *generation) {
	d.startDetector(ctx, g)
	runCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	g.stopRunner = stopRunner
	g.runDone, g.noteDone = make(chan error, 1), make(chan error, 1)
	go func() { g.runDone <- g.runner.Run(runCtx) }()
	go func() { g.noteDone <- g.notifier.Run(runCtx) }()
}

func (d *Daemon) startDetector(ctx context.Context, g *generation) {
	detCtx, stopDetector := context.WithCancel(context.WithoutCancel(ctx))
	g.stopDetector = stopDetector
	g.detDone = make(chan error, 1)
	det := g.detector
	go func() { g.detDone <- det.Run(detCtx) }()
	go func() {
		select {
		case <-det.Ready():
			// Ready once the generation in force follows its sources (a
			// detector stopped by a reload is ready as it ends).
			if d.cur.Load().detector == det {
				d.readyOnce.Do(func() { close(d.ready) })
			}
		case <-d.stopped:
		}
	}()
}

// stopSources stops g's detector: its sources stop reading and the lines
// evaluated are committed, with their positions.
func (d *Daemon) stopSources(g *generation) error {
	g.stopDetector()
	if g.detDone == nil {
		return nil
	}
	err := <-g.detDone
	g.detDone = nil
	return err
}

// stopActions stops g's notifier (the message in hand is finished; the rest
// stays in the outbox) and its runner (runs in flight finish, each under
// its action's timeout).
func (d *Daemon) stopActions(g *generation) error {
	g.stopRunner()
	var errs []error
	if g.noteDone != nil {
		errs = append(errs, <-g.noteDone)
		g.noteDone = nil
	}
	if g.runDone != nil {
		errs = append(errs, <-g.runDone)
		g.runDone = nil
	}
	return errors.Join(errs...)
}

// SyslogAddrs returns the bound UDP and TCP addresses of a syslog source.
func (d *Daemon) SyslogAddrs(source string) (udp, tcp string) {
	return d.cur.Load().detector.SyslogAddrs(source)
}

// Addr is the address the HTTP server listens on.
func (d *Daemon) Addr() string { return d.listener.Addr().String() }

// Ready is closed once the first config is applied and every source is
// followed; /-/ready answers 200 from then on.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

func (d *Daemon) isReady() bool {
	select {
	case <-d.ready:
		return true
	default:
		return false
	}
}

// Config is the configuration in force.
func (d *Daemon) Config() *configs.Config { return d.cur.Load().cfg }

// Run runs breachd until ctx ends or a component fails, then shuts down in
// this order: the sources stop reading and the detector finishes the line in
// hand (its findings and positions are committed); the retention and
// reminder loop stops; the notifier finishes the message in hand (the rest
// stays in the outbox) and the action runner stops taking new runs and waits
// for those in flight, each bounded by its timeout; the HTTP server drains,
// last, so the state stays inspectable until the end; the store closes.
// Reload requests (SIGHUP, POST /-/reload) are carried out here, one at a
// time.
func (d *Daemon) Run(ctx context.Context) error {
	defer close(d.stopped)
	// The retention first, so nothing expired is served, then once a day.
	d.applyRetention(ctx)
	retCtx, stopRetention := context.WithCancel(ctx)
	retDone := make(chan struct{})
	go func() {
		defer close(retDone)
		t := time.NewTicker(d.retentionEvery)
		defer t.Stop()
		// Reminders of obligations nearing their deadline, and notices
		// that need no approval, every reminder_every (a reload may
		// change it).
		every := d.cur.Load().cfg.Notifications.ReminderEvery
		r := time.NewTicker(every)
		defer r.Stop()
		for {
			select {
			case <-retCtx.Done():
				return
			case <-t.C:
				d.applyRetention(retCtx)
			case <-r.C:
				g := d.cur.Load()
				if e := g.cfg.Notifications.ReminderEvery; e != every {
					every = e
					r.Reset(every)
				}
				m := g.manager
				if _, err := m.Remind(retCtx); err != nil && retCtx.Err() == nil {
					d.logger.Error("cannot queue reminders", "err", err)
				}
				if _, err := m.AdvanceNotices(retCtx); err != nil && retCtx.Err() == nil {
					d.logger.Error("cannot queue the notices that need no approval", "err", err)
				}
			}
		}
	}()

	stopHostAddrs := d.followHostAddrs(ctx)
	g := d.cur.Load()
	d.start(ctx, g)
	httpDone := make(chan error, 1)
	go func() {
		if d.server.TLSConfig != nil {
			httpDone <- d.server.ServeTLS(d.listener, "", "")
			return
		}
		httpDone <- d.server.Serve(d.listener)
	}()
	d.logger.Info("breachd started", "listen", d.Addr(), "data_dir", g.cfg.Server.DataDir,
		"sources", len(g.cfg.Sources), "rules", len(g.cfg.Rules), "actions", len(g.cfg.Actions))

	var runErr error
	httpRunning := true
loop:
	for {
		g = d.cur.Load()
		select {
		case <-ctx.Done():
			break loop
		case req := <-d.reloads:
			err := d.reload(ctx)
			req <- err
			if errors.Is(err, errFatal) {
				runErr = err
				break loop
			}
		case err := <-g.detDone:
			g.detDone = nil
			runErr = fmt.Errorf("detector: %w", errOrStopped(err))
			break loop
		case err := <-g.runDone:
			g.runDone = nil
			runErr = fmt.Errorf("action runner: %w", errOrStopped(err))
			break loop
		case err := <-httpDone:
			httpRunning = false
			runErr = fmt.Errorf("http server: %w", err)
			break loop
		}
	}
	g = d.cur.Load()

	// 1. Sources and detector, then the syslog sockets.
	if g.detDone != nil {
		if err := d.stopSources(g); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("detector: %w", err))
		}
	}
	if err := d.syslog.closeAll(); err != nil {
		d.logger.Warn("closing the syslog sockets", "err", err)
	}
	// 2. The retention, the message in hand and actions in flight; what
	// is not sent stays in the outbox for the next start.
	stopRetention()
	<-retDone
	stopHostAddrs()
	if err := d.stopActions(g); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("action runner: %w", err))
	}
	// 3. HTTP, last, so the state stays inspectable until the end.
	if err := d.shutdownHTTP(ctx); err != nil {
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

// applyRetention purges what the retention says has expired, and logs it.
func (d *Daemon) applyRetention(ctx context.Context) {
	g := d.cur.Load()
	rep, err := g.manager.Purge(ctx, "breachd")
	if configured := g.cfg.Incidents.Retention; err == nil && rep.Retention > configured {
		d.logger.Warn("the store keeps records longer than the config says: a recorded retention is never shortened",
			"retention", incidents.FormatRetention(configured), "in_force", incidents.FormatRetention(rep.Retention))
	}
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
	out.Rules = ruleStatesToStore(b.State)
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
