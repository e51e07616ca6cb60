package daemon

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/detector"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// metrics are the daemon's metrics; the components' own outlive them too.
type metrics struct {
	detector *detector.Metrics
	runner   *actions.RunnerMetrics
	notify   *notify.Metrics
	incident *incidents.Metrics

	reloadOK   prometheus.Gauge
	reloadTime prometheus.Gauge
	hash       prometheus.Gauge
	reloads    *prometheus.CounterVec
	gatherer   prometheus.Gatherer
	catalog    *catalog
}

// catalog is the registry, remembering what was registered so that the
// daemon can list its metrics before they have series.
type catalog struct {
	*prometheus.Registry
	mu         sync.Mutex
	collectors []prometheus.Collector
}

func (c *catalog) Register(col prometheus.Collector) error {
	if err := c.Registry.Register(col); err != nil {
		return err
	}
	c.mu.Lock()
	c.collectors = append(c.collectors, col)
	c.mu.Unlock()
	return nil
}

func (c *catalog) MustRegister(cols ...prometheus.Collector) {
	for _, col := range cols {
		if err := c.Register(col); err != nil {
			panic(err)
		}
	}
}

// fqName finds a metric's name in its description, the one place
// client_golang shows it.
var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// MetricNames lists every metric the daemon exports, by name, whether or
// not it has a series yet (breachd_obligation_due_timestamp_seconds has
// none until an obligation is due).
func (d *Daemon) MetricNames() []string {
	c := d.metrics.catalog
	c.mu.Lock()
	cols := slices.Clone(c.collectors)
	c.mu.Unlock()
	ch := make(chan *prometheus.Desc)
	go func() {
		for _, col := range cols {
			col.Describe(ch)
		}
		close(ch)
	}()
	seen := map[string]bool{}
	for desc := range ch {
		if m := fqName.FindStringSubmatch(desc.String()); m != nil {
			seen[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// newMetrics makes and registers every metric of the process.
func newMetrics(reg *catalog, store *sqlstore.Store, now func() time.Time, logger *slog.Logger) metrics {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	version, revision, goVersion := buildInfo()
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "breachd_build_info",
		Help:        "Always 1; the labels say which breachd runs.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion},
	})
	info.Set(1)
	m := metrics{
		detector: detector.NewMetrics(reg),
		runner:   actions.NewRunnerMetrics(reg, store),
		notify:   notify.NewMetrics(reg),
		incident: incidents.NewMetrics(reg, store, now, logger.With("component", "incidents")),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "breachd_config_last_reload_successful",
			Help: "1 if the last attempt to load the config (at start, SIGHUP or POST /-/reload) succeeded, else 0.",
		}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "breachd_config_last_reload_success_timestamp_seconds",
			Help: "When the config in force was applied (Unix time).",
		}),
		hash: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "breachd_config_hash",
			Help: "The first 48 bits of the SHA-256 of the config files in force, as a number: it changes when the config does.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "breachd_config_reloads_total",
			Help: "Attempts to reload the config, by result (success, failure).",
		}, []string{"result"}),
	}
	m.gatherer, m.catalog = reg, reg
	m.reloads.WithLabelValues("success")
	m.reloads.WithLabelValues("failure")
	reg.MustRegister(info, m.reloadOK, m.reloadTime, m.hash, m.reloads)
	return m
}

// buildInfo is breachd's version, VCS revision and Go version.
func buildInfo() (version, revision, goVersion string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown", "unknown", runtime.Version()
	}
	version, revision = bi.Main.Version, "unknown"
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			revision = s.Value
		}
	}
	return version, revision, bi.GoVersion
}

// configHash is the first 48 bits of the SHA-256 of the config's files, by
// name, as a float64 (which holds 48 bits exactly).
func configHash(cfg *configs.Config) float64 {
	names := slices.Sorted(maps.Keys(cfg.Files))
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%d:%s,%d:", len(n), n, len(cfg.Files[n].Bytes))
		h.Write(cfg.Files[n].Bytes)
	}
	sum := h.Sum(nil)
	var v uint64
	for _, b := range sum[:6] {
		v = v<<8 | uint64(b)
	}
	return float64(v)
}
