package actions_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/breachd/breachd/actions"
	execaction "github.com/breachd/breachd/actions/exec"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// TestRunnerResumesPendingRuns: runs committed by a process that died before
// acting are executed by the next one, once.
func TestRunnerResumesPendingRuns(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	item := func(fp, ip string) incidents.NewIncident {
		return incidents.NewIncident{
			Incident: incidents.Incident{Fingerprint: fp, Rule: "r", Status: incidents.StatusOpen, Fields: map[string]string{"ip": ip},
				FindingCount: 1, FirstSeen: now, LastSeen: now},
			Actions: []string{"mark", "gone"},
		}
	}
	if _, err := store.Record(ctx, []incidents.NewIncident{item("a", "192.0.2.1"), item("b", "not-an-ip")}, incidents.Progress{}, now); err != nil {
		t.Fatal(err)
	}

	cfg, diags := configs.Parse("t.hcl", []byte(`action "exec" "mark" { argv = ["/usr/bin/touch", "./blocked-${ip}"] }`), dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	reg := prometheus.NewRegistry()
	r := actions.NewRunner(actions.RunnerOptions{
		Store: store, Actions: map[string]actions.Action{"mark": execaction.New(cfg.Actions[0], dir)},
		Now: func() time.Time { return now }, Registerer: reg,
	})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending, err := store.PendingActions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still pending: %+v", pending)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "blocked-192.0.2.1")); err != nil {
		t.Errorf("valid run did not act: %v", err)
	}
	states := map[string]incidents.ActionState{}
	for id := int64(1); id <= 2; id++ {
		runs, _ := store.ActionRuns(ctx, id)
		for _, run := range runs {
			states[run.Action+"/"+run.Fields["ip"]] = run.State
		}
	}
	want := map[string]incidents.ActionState{
		"mark/192.0.2.1": incidents.ActionSucceeded,
		"mark/not-an-ip": incidents.ActionRejected,
		"gone/192.0.2.1": incidents.ActionSkipped, // no longer in the config
		"gone/not-an-ip": incidents.ActionSkipped,
	}
	for k, v := range want {
		if states[k] != v {
			t.Errorf("%s: %s, want %s", k, states[k], v)
		}
	}
	for res, want := range map[string]float64{"succeeded": 1, "rejected": 1, "failed": 0} {
		if got := testutil.ToFloat64(counter(t, reg, res)); got != want {
			t.Errorf("mark %s = %v, want %v", res, got, want)
		}
	}
}

func counter(t *testing.T, reg *prometheus.Registry, result string) prometheus.Collector {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "breachd_actions_executions_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["action"] == "mark" && labels["result"] == result {
				c := prometheus.NewCounter(prometheus.CounterOpts{Name: "x"})
				c.Add(m.GetCounter().GetValue())
				return c
			}
		}
	}
	t.Fatalf("no series for result %s", result)
	return nil
}
