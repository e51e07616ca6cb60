package actions_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/breachd/breachd/actions"
	"github.com/breachd/breachd/actions/nftables"
	"github.com/breachd/breachd/actions/nftables/netnstest"
	"github.com/breachd/breachd/configs"
	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/incidents/sqlstore"
)

// containFixture is a runner with one real nftables action acting in a
// namespace pair's host, on a real store, with a clock the test moves.
type containFixture struct {
	t       *testing.T
	store   *sqlstore.Store
	runner  *actions.Runner
	blocker *nftables.Blocker
	now     time.Time
	utmp    string
	// adminSessions reads the utmp file the test writes.
	adminSessions func() ([]netip.Addr, error)
	n             int
}

func newContainFixture(t *testing.T, src string, dryRun bool) *containFixture {
	return newContainFixtureWith(t, src, func(o *actions.RunnerOptions) { o.DryRun = map[string]bool{"block": dryRun} })
}

func newContainFixtureWith(t *testing.T, src string, tune func(*actions.RunnerOptions)) *containFixture {
	t.Helper()
	p := netnstest.New(t)
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg, diags := configs.Parse("t.hcl", []byte(src), t.TempDir())
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	f := &containFixture{t: t, store: store, blocker: nftables.New(nftables.Options{NetNSFd: p.HostFd}),
		now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	f.utmp = filepath.Join(t.TempDir(), "utmp")
	f.adminSessions = actions.AdminSessions(f.utmp, []string{"alice"}, nil)
	never := []netip.Prefix{netip.MustParsePrefix("192.0.2.10/32")} // stands for the host's own address
	opts := actions.RunnerOptions{
		Store: store, Now: func() time.Time { return f.now }, Registerer: prometheus.NewRegistry(),
		Actions:  map[string]actions.Action{"block": nftables.NewAction(cfg.Actions[0], f.blocker, never, nil, f.adminSessions)},
		Policies: map[string]actions.Policy{"block": {RequireApproval: cfg.Actions[0].RequireApproval, MaxPerHour: cfg.Actions[0].MaxPerHour}},
	}
	tune(&opts)
	f.runner = actions.NewRunner(opts)
	return f
}

// attack commits an incident whose finding carries ip and runs its
// pending action once, as the runner's loop would.
func (f *containFixture) attack(ip string) incidents.ActionRun {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	out, err := f.store.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: fmt.Sprintf("ssh/%d", f.n), Rule: "ssh", Fields: map[string]string{"ip": ip},
			FindingCount: 1, FirstSeen: f.now, LastSeen: f.now},
		Actions: []string{"block"},
	}}, incidents.Progress{}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	runs, err := f.store.ActionRuns(ctx, out[0].IncidentID)
	if err != nil || len(runs) != 1 {
		f.t.Fatalf("runs = %+v, %v", runs, err)
	}
	f.runner.RunOnce(ctx, runs[0])
	runs, _ = f.store.ActionRuns(ctx, out[0].IncidentID)
	return runs[0]
}

func (f *containFixture) kernel() []nftables.Entry {
	f.t.Helper()
	list, err := f.blocker.List()
	if err != nil {
		f.t.Fatal(err)
	}
	return list
}

const blockAction = `
action "nftables" "block" {
  ttl = "1h"
  escalate {
    factor = 3
    max    = "5h"
  }
}`

func TestContainmentIsIdempotentAndEscalates(t *testing.T) {
	f := newContainFixture(t, blockAction, false)
	ctx := context.Background()
	run := f.attack("203.0.113.7")
	if run.State != incidents.ActionSucceeded || !strings.Contains(run.Result, "for 1h0m0s") || !strings.Contains(run.Result, "offence 1") {
		t.Fatalf("first run = %+v", run)
	}
	// The same address again while blocked: one containment, extended.
	f.now = f.now.Add(30 * time.Minute)
	run = f.attack("203.0.113.7")
	if run.State != incidents.ActionSucceeded || !strings.Contains(run.Result, "already contained") {
		t.Fatalf("repeat while active = %+v", run)
	}
	active, _ := f.store.ActiveContainments(ctx)
	if len(active) != 1 || !active[0].ExpiresAt.Equal(f.now.Add(time.Hour)) {
		t.Fatalf("active = %+v; want one containment ending an hour after the repeat", active)
	}
	if k := f.kernel(); len(k) != 1 || k[0].Prefix.String() != "203.0.113.7/32" {
		t.Fatalf("kernel = %+v, want one element", k)
	}
	// Due on the clock: reverted, gone from the kernel.
	f.now = f.now.Add(61 * time.Minute)
	f.runner.RevertDue(ctx)
	if k := f.kernel(); len(k) != 0 {
		t.Fatalf("kernel after the TTL = %+v", k)
	}
	// Offences 2 and 3: ×3, then capped at 5h.
	for _, want := range []string{"for 3h0m0s", "for 5h0m0s"} {
		run = f.attack("203.0.113.7")
		if !strings.Contains(run.Result, want) {
			t.Errorf("repeat offender: %q, want %s", run.Result, want)
		}
		f.now = f.now.Add(6 * time.Hour)
		f.runner.RevertDue(ctx)
	}
	// A hand revert of an active one.
	f.attack("198.51.100.9")
	active, _ = f.store.ActiveContainments(ctx)
	if err := f.runner.RevertByHand(ctx, active[0].ID, "customer's NAT", "alice"); err != nil {
		t.Fatal(err)
	}
	if k := f.kernel(); len(k) != 0 {
		t.Errorf("kernel after a hand revert = %+v", k)
	}
	if err := f.runner.RevertByHand(ctx, active[0].ID, "again", "alice"); err == nil {
		t.Error("reverting a reverted containment succeeded")
	}
}

// TestContainmentSurvivesRestart: what expired while breachd was down is
// reverted when the runner starts, and what someone removed is put back.
func TestContainmentSurvivesRestart(t *testing.T) {
	f := newContainFixture(t, blockAction, false)
	ctx := context.Background()
	f.attack("203.0.113.7")
	f.now = f.now.Add(10 * time.Minute)
	f.attack("198.51.100.9")
	// "Down": the first block's time passes, and someone removes the
	// second from the kernel.
	f.now = f.now.Add(55 * time.Minute)
	if err := f.blocker.Unblock("block", netip.MustParsePrefix("198.51.100.9/32")); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.runner.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		k := f.kernel()
		if len(k) == 1 && k[0].Prefix.String() == "198.51.100.9/32" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kernel = %+v; want only the unexpired block, restored", k)
		}
		time.Sleep(10 * time.Millisecond) // polling the kernel
	}
	cancel()
	<-done
	active, _ := f.store.ActiveContainments(ctx)
	if len(active) != 1 || active[0].Target != "198.51.100.9/32" {
		t.Errorf("active after restart = %+v", active)
	}
	// The restored element carries the time left, not a fresh TTL.
	if k := f.kernel(); k[0].Expires > 16*time.Minute {
		t.Errorf("restored element expires in %s, want the 15 minutes left", k[0].Expires)
	}
}

func TestDryRunRecordsWhatWouldRun(t *testing.T) {
	f := newContainFixture(t, blockAction, true)
	run := f.attack("203.0.113.7")
	if run.State != incidents.ActionDryRun || run.Result != "dry run: would contain 203.0.113.7/32 for 1h0m0s (offence 1); nothing was executed" {
		t.Errorf("dry run = %+v", run)
	}
	if k := f.kernel(); len(k) != 0 {
		t.Errorf("kernel in dry run = %+v", k)
	}
}

// TestHostileTargetsAreRefused: values from a log that are not one
// blockable address never reach the kernel.
func TestHostileTargetsAreRefused(t *testing.T) {
	f := newContainFixture(t, blockAction, false)
	for _, v := range []string{
		"203.0.113.7; nft flush ruleset", "$(reboot)", "-rf", "203.0.113.7\n198.51.100.1", "203.0.113.7 ", strings.Repeat("1", 10000),
		"0.0.0.0/0", "::/0", "10.0.0.0/8", "127.0.0.1", "::1", "::ffff:127.0.0.1", "fe80::1%eth0", "169.254.1.1",
		"192.0.2.10", "192.0.2.0/24", "224.0.0.1", "", "198.51.100.77/24", "198.51.100.77/32",
	} {
		run := f.attack(v)
		if run.State != incidents.ActionRejected || !strings.Contains(run.Result, "nothing ran") {
			t.Errorf("%q: %s %q, want rejected", v, run.State, run.Result)
		}
	}
	if k := f.kernel(); len(k) != 0 {
		t.Errorf("kernel after hostile values = %+v", k)
	}
	// What is allowed is canonicalised: an IPv4-mapped address, IPv6.
	for v, want := range map[string]string{"::ffff:203.0.113.9": "203.0.113.9/32", "2001:DB8::1": "2001:db8::1/128"} {
		if run := f.attack(v); run.State != incidents.ActionSucceeded || !strings.Contains(run.Result, "blocked "+want) {
			t.Errorf("%q: %s %q, want %s blocked", v, run.State, run.Result, want)
		}
	}
}

func TestApprovalsGateContainment(t *testing.T) {
	f := newContainFixture(t, `
action "nftables" "block" {
  ttl              = "1h"
  require_approval = true
}`, false)
	ctx := context.Background()
	run := f.attack("203.0.113.7")
	if run.State != incidents.ActionAwaitingApproval || !strings.Contains(run.ApprovalReason, "requires approval to contain 203.0.113.7/32") {
		t.Fatalf("run = %+v, want it waiting for approval", run)
	}
	if k := f.kernel(); len(k) != 0 {
		t.Fatalf("blocked before approval: %+v", k)
	}
	// A responder approves: the run is pending again and acts.
	approved, err := f.runner.Decide(ctx, run.ID, true, "confirmed in the auth log", "alice")
	if err != nil || approved.State != incidents.ActionPending || approved.ApprovedBy != "alice" {
		t.Fatalf("approve: %+v, %v", approved, err)
	}
	f.runner.RunOnce(ctx, approved)
	if k := f.kernel(); len(k) != 1 {
		t.Fatalf("kernel after approval = %+v", k)
	}
	// Denied: nothing runs.
	run = f.attack("198.51.100.9")
	denied, err := f.runner.Decide(ctx, run.ID, false, "our own scanner", "bob")
	if err != nil || denied.State != incidents.ActionDenied {
		t.Fatalf("deny: %+v, %v", denied, err)
	}
	if _, err := f.runner.Decide(ctx, run.ID, true, "changed my mind", "bob"); err == nil {
		t.Error("a denied run was approved")
	}
	// Unanswered: it expires after an hour.
	run = f.attack("192.0.2.99")
	f.now = f.now.Add(61 * time.Minute)
	f.runner.ExpireApprovals(ctx)
	runs, _ := f.store.ActionRuns(ctx, run.IncidentID)
	if runs[0].State != incidents.ActionExpired {
		t.Errorf("unanswered run = %+v, want expired", runs[0])
	}
	if k := f.kernel(); len(k) != 1 {
		t.Errorf("kernel = %+v, want only the approved block", k)
	}
}

func TestRateLimitAndBlastRadius(t *testing.T) {
	f := newContainFixture(t, `
action "nftables" "block" {
  ttl          = "1h"
  max_per_hour = 2
}`, false)
	for i, ip := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		run := f.attack(ip)
		if i < 2 && run.State != incidents.ActionSucceeded {
			t.Errorf("run %d = %+v", i, run)
		}
		if i == 2 && (run.State != incidents.ActionAwaitingApproval || !strings.Contains(run.ApprovalReason, "rate limit")) {
			t.Errorf("third run in the hour = %+v, want it waiting (rate limit)", run)
		}
	}
	// An hour later the limit has room again.
	f.now = f.now.Add(61 * time.Minute)
	if run := f.attack("203.0.113.4"); run.State != incidents.ActionSucceeded {
		t.Errorf("after an hour: %+v", run)
	}

	g := newContainFixtureWith(t, blockAction, func(o *actions.RunnerOptions) { o.MaxTargetsPerHour = 2 })
	for _, ip := range []string{"203.0.113.1", "203.0.113.2"} {
		if run := g.attack(ip); run.State != incidents.ActionSucceeded {
			t.Errorf("%s: %+v", ip, run)
		}
	}
	if run := g.attack("203.0.113.3"); run.State != incidents.ActionAwaitingApproval || !strings.Contains(run.ApprovalReason, "blast radius") {
		t.Errorf("third distinct target = %+v, want it waiting (blast radius)", run)
	}
	if k := g.kernel(); len(k) != 2 {
		t.Errorf("kernel = %+v, want two blocks", k)
	}
}

// writeUtmp writes login records in the glibc utmp format.
func writeUtmp(t *testing.T, path string, sessions ...actions.Session) {
	t.Helper()
	var b []byte
	for i, s := range sessions {
		rec := make([]byte, 384)
		rec[0] = 7 // USER_PROCESS
		binary.LittleEndian.PutUint32(rec[4:], uint32(1000+i))
		copy(rec[8:40], fmt.Sprintf("pts/%d", i))
		copy(rec[44:76], s.User)
		if i%2 == 0 {
			copy(rec[348:364], s.Addr.AsSlice()) // ut_addr_v6
		} else {
			copy(rec[76:332], s.Addr.String()) // only ut_host
		}
		b = append(b, rec...)
	}
	dead := make([]byte, 384) // a DEAD_PROCESS record is skipped
	dead[0] = 8
	copy(dead[44:], "alice")
	copy(dead[348:], netip.MustParseAddr("198.51.100.200").AsSlice())
	b = append(b, dead...)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAdminSessionsAreNeverBlocked(t *testing.T) {
	f := newContainFixture(t, blockAction, false)
	writeUtmp(t, f.utmp,
		actions.Session{User: "alice", Addr: netip.MustParseAddr("203.0.113.7")},
		actions.Session{User: "alice", Addr: netip.MustParseAddr("2001:db8::7")},
		actions.Session{User: "bob", Addr: netip.MustParseAddr("198.51.100.9")},
	)
	got, err := actions.ReadSessions(f.utmp)
	if err != nil || len(got) != 3 || got[1].Addr.String() != "2001:db8::7" {
		t.Fatalf("sessions = %+v, %v", got, err)
	}
	for _, v := range []string{"203.0.113.7", "2001:db8::7"} {
		if run := f.attack(v); run.State != incidents.ActionRejected || !strings.Contains(run.Result, "administrator is logged in") {
			t.Errorf("%s: %s %q, want refused (alice is logged in from it)", v, run.State, run.Result)
		}
	}
	// bob is no administrator; the address alice logged out of is free.
	for _, v := range []string{"198.51.100.9", "198.51.100.200"} {
		if run := f.attack(v); run.State != incidents.ActionSucceeded {
			t.Errorf("%s: %s %q, want blocked", v, run.State, run.Result)
		}
	}
}

// failingRecords is the real store unable to record a containment, as
// when the disk fills between the kernel and the record.
type failingRecords struct{ actions.Store }

func (failingRecords) RecordContainment(context.Context, incidents.Containment, time.Time) (incidents.Containment, bool, error) {
	return incidents.Containment{}, false, fmt.Errorf("disk I/O error")
}

// TestUnrecordedBlockIsTakenBack: a block goes to the kernel before its
// record (the run is committed already); when the record then fails, the
// block is taken back, so that nothing is in force that no revert knows.
func TestUnrecordedBlockIsTakenBack(t *testing.T) {
	f := newContainFixtureWith(t, blockAction, func(o *actions.RunnerOptions) { o.Store = failingRecords{o.Store} })
	run := f.attack("203.0.113.7")
	if run.State != incidents.ActionFailed || !strings.Contains(run.Result, "taken back") {
		t.Fatalf("run = %+v, want failed, taken back", run)
	}
	if k := f.kernel(); len(k) != 0 {
		t.Errorf("kernel = %+v, want the unrecorded block gone", k)
	}
}

// crashingRecords stands for the process dying between the kernel and the
// containment's record: the goroutine applying the block ends there.
type crashingRecords struct{ actions.Store }

func (crashingRecords) RecordContainment(context.Context, incidents.Containment, time.Time) (incidents.Containment, bool, error) {
	runtime.Goexit()
	panic("unreachable")
}

// TestBlockAppliedBeforeACrashIsRecordedAtRestart: killed after the kernel
// took the block but before its record, the next runner finds the run
// still pending and applies and records it: one element, one containment,
// the run succeeded.
func TestBlockAppliedBeforeACrashIsRecordedAtRestart(t *testing.T) {
	var real actions.RunnerOptions
	f := newContainFixtureWith(t, blockAction, func(o *actions.RunnerOptions) {
		real = *o
		o.Store = crashingRecords{o.Store}
	})
	ctx := context.Background()
	out, err := f.store.Record(ctx, []incidents.NewIncident{{
		Incident: incidents.Incident{Fingerprint: "ssh/1", Rule: "ssh", Fields: map[string]string{"ip": "203.0.113.7"},
			FindingCount: 1, FirstSeen: f.now, LastSeen: f.now},
		Actions: []string{"block"},
	}}, incidents.Progress{}, f.now)
	if err != nil || len(out[0].Runs) != 1 {
		t.Fatalf("record: %+v, %v", out, err)
	}
	died := make(chan struct{})
	go func() {
		defer close(died)
		f.runner.RunOnce(ctx, out[0].Runs[0])
	}()
	<-died
	if k := f.kernel(); len(k) != 1 {
		t.Fatalf("kernel at the crash = %+v, want the block", k)
	}
	if active, _ := f.store.ActiveContainments(ctx); len(active) != 0 {
		t.Fatalf("containments at the crash = %+v, want none recorded", active)
	}
	// The next process starts as Run does: reverts and reconcile, then
	// the pending runs.
	real.Registerer = prometheus.NewRegistry()
	next := actions.NewRunner(real)
	next.RevertDue(ctx)
	next.Reconcile(ctx)
	pending, err := f.store.PendingActions(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID != out[0].Runs[0].ID {
		t.Fatalf("pending after the crash = %+v, %v; want the run", pending, err)
	}
	next.RunOnce(ctx, pending[0])
	if runs, _ := f.store.ActionRuns(ctx, out[0].IncidentID); runs[0].State != incidents.ActionSucceeded {
		t.Errorf("run after restart = %+v", runs[0])
	}
	active, _ := f.store.ActiveContainments(ctx)
	if len(active) != 1 || active[0].Target != "203.0.113.7/32" || active[0].Offense != 1 {
		t.Errorf("containments after restart = %+v, want one, offence 1", active)
	}
	if k := f.kernel(); len(k) != 1 || k[0].Prefix.String() != "203.0.113.7/32" {
		t.Errorf("kernel after restart = %+v, want the one block", k)
	}
}
