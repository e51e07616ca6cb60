package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the daemon's store, read to see the incident committed

	"github.com/breachd/breachd/actions/nftables"
)

// pollEvery is how often the live measurement looks for the outcome: the
// resolution of the figures, small next to what they measure.
const pollEvery = 100 * time.Microsecond

// liveConfig is the bench's SSH rule (bench/configs/sshd-60s.hcl) on log,
// with a block.
func liveConfig(repo, log, dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(repo, "bench/configs/sshd-60s.hcl"))
	if err != nil {
		return "", err
	}
	cfg := string(b)
	for _, r := range [][2]string{
		// The file is empty at start: a burst written before the tailer
		// opens it is still read.
		{`paths  = ["/var/log/auth.log"]`, fmt.Sprintf("paths    = [%q]\n  start_at = \"beginning\"", log)},
		{`severity = "high"`, "severity = \"high\"\n  actions  = [\"block-ip\"]"},
	} {
		if !strings.Contains(cfg, r[0]) {
			return "", fmt.Errorf("bench/configs/sshd-60s.hcl no longer has %s", r[0])
		}
		cfg = strings.Replace(cfg, r[0], r[1], 1)
	}
	return fmt.Sprintf("server {\n  listen   = \"127.0.0.1:9731\"\n  data_dir = %q\n}\n", dataDir) + cfg +
		"\naction \"nftables\" \"block-ip\" {\n  ttl = \"1h\"\n}\n", nil
}

// burst writes four failures from ip, then the fifth, and returns when the
// fifth was written.
func burst(f *os.File, ip string) (time.Time, error) {
	var b bytes.Buffer
	for i := range 5 {
		fmt.Fprintf(&b, "%s bastion sshd[%d]: Failed password for root from %s port %d ssh2\n", time.Now().Format(time.Stamp), 2000+i, ip, 40000+i)
	}
	lines := b.Bytes()
	cut := bytes.LastIndexByte(lines[:len(lines)-1], '\n') + 1
	if _, err := f.Write(lines[:cut]); err != nil {
		return time.Time{}, err
	}
	if _, err := f.Write(lines[cut:]); err != nil {
		return time.Time{}, err
	}
	return time.Now(), nil
}

func burstAddr(i int) string { return fmt.Sprintf("198.18.%d.%d", i/250, i%250+1) }

// waitUntil polls cond every pollEvery until it holds, up to limit, and
// returns when it first held.
func waitUntil(limit time.Duration, cond func() bool) (time.Time, bool) {
	deadline := time.Now().Add(limit)
	for {
		if cond() {
			return time.Now(), true
		}
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		time.Sleep(pollEvery)
	}
}

type latencies []time.Duration

func (l latencies) q(p float64) time.Duration {
	s := slices.Clone(l)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := int(p*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func live(o options, report io.Writer) error {
	fmt.Fprintf(report, "### Live: from the 5th failure written to the block\n\n")
	fmt.Fprintln(report, "| daemon | bursts | to the incident committed (median / p99) | to the block in force (median / p99) | notes |")
	fmt.Fprintln(report, "| --- | --- | --- | --- | --- |")
	if os.Geteuid() != 0 {
		fmt.Fprintln(report, "| breachd | | | | skipped: needs root for a network namespace and nftables |")
	} else if err := liveBreachd(o, report); err != nil {
		return err
	}
	if err := liveFail2ban(o, report); err != nil {
		return err
	}
	fmt.Fprintln(report)
	return nil
}

func liveBreachd(o options, report io.Writer) error {
	dir := filepath.Join(o.work, "live")
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ns := fmt.Sprintf("bdbench-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns add: %v: %s", err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	exec.Command("ip", "-n", ns, "link", "set", "lo", "up").Run()
	nsFile, err := os.Open("/run/netns/" + ns)
	if err != nil {
		return err
	}
	defer nsFile.Close()
	blocker := nftables.New(nftables.Options{NetNSFd: int(nsFile.Fd())})
	watch, err := watchKernel(int(nsFile.Fd()))
	if err != nil {
		return err
	}
	defer watch.Close()

	logPath := filepath.Join(dir, "auth.log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	config := filepath.Join(dir, "breachd.hcl")
	cfg, err := liveConfig(o.repo, logPath, filepath.Join(dir, "var"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(config, []byte(cfg), 0o644); err != nil {
		return err
	}
	// Not next to the followed file: each of the daemon's own log lines
	// would be a file event in the watched folder.
	daemonLog, err := os.Create(filepath.Join(o.work, "live-breachd.log"))
	if err != nil {
		return err
	}
	defer daemonLog.Close()
	cmd := exec.Command("ip", "netns", "exec", ns, o.breachd, "run", "--config", config)
	cmd.Stdout, cmd.Stderr = daemonLog, daemonLog
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	if _, ok := waitUntil(30*time.Second, func() bool {
		b, _ := os.ReadFile(daemonLog.Name())
		return bytes.Contains(b, []byte("breachd started"))
	}); !ok {
		return fmt.Errorf("breachd did not start: see %s", daemonLog.Name())
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "var", "breachd.db")+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return err
	}
	defer db.Close()
	incidents := func() int {
		var n int
		db.QueryRow("SELECT count(*) FROM incidents").Scan(&n)
		return n
	}
	var toIncident, toBlock latencies
	// The block's time is the kernel's announcement of the element
	// (watchKernel); the incident's is polled in the store. Each burst
	// polls for one outcome, the incident or the block, so that a single
	// poller competes with the daemon for the two cores; the other is
	// awaited untimed. Burst 0 warms up the path (the table is created on
	// the first block).
	for i := 0; i <= 2*o.bursts; i++ {
		ip := burstAddr(i)
		addr := netip.MustParseAddr(ip)
		t0, err := burst(f, ip)
		if err != nil {
			return err
		}
		incident := func() bool { return incidents() >= i+1 }
		block := func() bool { _, ok := watch.at(addr); return ok }
		timed, other := block, incident
		if i%2 == 1 {
			timed, other = incident, block
		}
		at, ok := waitUntil(10*time.Second, timed)
		if ok {
			_, ok = waitUntil(10*time.Second, other)
		}
		if !ok {
			return fmt.Errorf("burst %d from %s: no incident or no block within 10 s; see %s", i, ip, daemonLog.Name())
		}
		switch {
		case i == 0:
		case i%2 == 1:
			toIncident = append(toIncident, at.Sub(t0))
		default:
			added, _ := watch.at(addr)
			toBlock = append(toBlock, added.Sub(t0))
		}
	}
	// The kernel has what its events said: every burst's address is in
	// the set.
	entries, err := blocker.List()
	if err != nil {
		return err
	}
	inSet := map[netip.Prefix]bool{}
	for _, e := range entries {
		inSet[e.Prefix] = true
	}
	for i := 0; i <= 2*o.bursts; i++ {
		if p := netip.MustParsePrefix(burstAddr(i) + "/32"); !inSet[p] {
			return fmt.Errorf("the kernel announced %s but its set does not have it", p)
		}
	}
	// The order as the store has it: each incident's opening commits
	// before its containment's record, which commits before the kernel.
	var ordered, total int
	rows, err := db.Query(`SELECT o.seq < c.seq FROM timeline o JOIN timeline c ON c.incident_id = o.incident_id
		WHERE o.kind = 'opened' AND c.kind = 'containment'`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var before bool
		if err := rows.Scan(&before); err != nil {
			rows.Close()
			return err
		}
		total++
		if before {
			ordered++
		}
	}
	rows.Close()
	fmt.Fprintf(report, "| breachd (fsnotify, nftables over netlink, in a network namespace) | %d | %s / %s | %s / %s | %d bursts timed for each; the timeline has each incident opened before its containment in %d of %d; the incident polled every %s, the block as the kernel announced it |\n",
		o.bursts, ms(toIncident.q(0.5)), ms(toIncident.q(0.99)), ms(toBlock.q(0.5)), ms(toBlock.q(0.99)), o.bursts, ordered, total, pollEvery)
	return nil
}

// liveFail2ban runs fail2ban's server on a file with the stock sshd filter
// and an action that records when it ran, and measures the same way.
func liveFail2ban(o options, report io.Writer) error {
	if _, err := exec.LookPath("fail2ban-server"); err != nil {
		fmt.Fprintln(report, "| fail2ban-server | | | | skipped: fail2ban is not installed |")
		return nil
	}
	bursts := min(o.bursts, 50) // fail2ban takes most of a second per burst
	dir := filepath.Join(o.work, "fail2ban")
	os.RemoveAll(dir)
	for _, d := range []string{dir, filepath.Join(dir, "action.d")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.Symlink("/etc/fail2ban/filter.d", filepath.Join(dir, "filter.d")); err != nil {
		return err
	}
	logPath, bans := filepath.Join(dir, "auth.log"), filepath.Join(dir, "bans")
	files := map[string]string{
		"fail2ban.conf": fmt.Sprintf("[Definition]\nloglevel = INFO\nlogtarget = STDERR\nsocket = %s/fail2ban.sock\npidfile = %s/fail2ban.pid\ndbfile = :memory:\n", dir, dir),
		"jail.conf":     fmt.Sprintf("[DEFAULT]\nbackend = auto\n\n[sshd]\nenabled = true\nfilter = sshd\nport = ssh\nlogpath = %s\nmaxretry = 5\nfindtime = 60\nbantime = 3600\naction = record\n", logPath),
		// fail2ban runs its actions through a shell; this one only records
		// the time.
		"action.d/record.conf": fmt.Sprintf("[Definition]\nactionstart =\nactionstop =\nactioncheck =\nactionban = echo <ip> $(date +%%%%s.%%%%N) >> %s\nactionunban =\n", bans),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	serverLog, err := os.Create(filepath.Join(o.work, "fail2ban-server.log"))
	if err != nil {
		return err
	}
	defer serverLog.Close()
	cmd := exec.Command("fail2ban-server", "-f", "-x", "-c", dir)
	cmd.Stdout, cmd.Stderr = serverLog, serverLog
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	if _, ok := waitUntil(60*time.Second, func() bool {
		b, _ := os.ReadFile(serverLog.Name())
		return bytes.Contains(b, []byte("Jail 'sshd' started"))
	}); !ok {
		fmt.Fprintf(report, "| fail2ban-server | | | | skipped: the sshd jail did not start (see %s) |\n", serverLog.Name())
		return nil
	}
	banned := func(ip string) (time.Time, bool) {
		b, _ := os.ReadFile(bans)
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) == 2 && fields[0] == ip {
				sec, err := strconv.ParseFloat(fields[1], 64)
				if err == nil {
					return time.Unix(0, int64(sec*1e9)), true
				}
			}
		}
		return time.Time{}, false
	}
	var toBan latencies
	for i := 0; i <= bursts; i++ {
		ip := burstAddr(1000 + i)
		t0, err := burst(f, ip)
		if err != nil {
			return err
		}
		var at time.Time
		if _, ok := waitUntil(15*time.Second, func() bool { var ok bool; at, ok = banned(ip); return ok }); !ok {
			return fmt.Errorf("fail2ban did not ban %s within 15 s; see %s", ip, serverLog.Name())
		}
		if i > 0 {
			toBan = append(toBan, at.Sub(t0))
		}
	}
	backend := "auto"
	if b, _ := os.ReadFile(serverLog.Name()); bytes.Contains(b, []byte("pyinotify")) {
		backend = "pyinotify"
	} else if bytes.Contains(b, []byte("polling")) {
		backend = "polling"
	}
	fmt.Fprintf(report, "| fail2ban-server (stock sshd filter, backend %s, an action that records the time) | %d | | %s / %s | no incident or kernel check: the action's own timestamp |\n",
		backend, bursts, ms(toBan.q(0.5)), ms(toBan.q(0.99)))
	return nil
}
