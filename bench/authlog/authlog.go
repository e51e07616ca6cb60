package authlog

import (
	"bufio"
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The rule the ground truth is computed for.
const (
	MaxRetry = 5
	FindTime = 60 // seconds, on the printed one-second timestamps
	// Margins that make the boundary convention (< or <=, 60 or 61) never
	// matter: a banned address has 5 failures within banMargin seconds,
	// any other has none within noBanMargin.
	banMargin   = 55
	noBanMargin = 65
)

// Options describes a log. The zero value of a field means its default.
type Options struct {
	Lines int // default 1,000,000
	Seed  uint64
	// AttackRatio is the share of failure lines (default 0.10).
	AttackRatio float64
	// IPv6Ratio is the share of attacker addresses that are IPv6 (default
	// 0.25).
	IPv6Ratio float64
	// EmptyUserRatio is the share of "Invalid user" lines with an empty
	// user name, as sshd writes them (default 0.005).
	EmptyUserRatio float64
	// Duration is the time the log spans (default 24 h, at least 20 min).
	Duration time.Duration
	// Start is the time of the first second (default 2026-11-20 00:00 UTC);
	// only month, day and time are printed, in UTC.
	Start time.Time
	Host  string // default "bastion"
}

func (o *Options) defaults() error {
	if o.Lines == 0 {
		o.Lines = 1_000_000
	}
	if o.Seed == 0 {
		o.Seed = 20261120
	}
	if o.AttackRatio == 0 {
		o.AttackRatio = 0.10
	}
	if o.IPv6Ratio == 0 {
		o.IPv6Ratio = 0.25
	}
	if o.EmptyUserRatio == 0 {
		o.EmptyUserRatio = 0.005
	}
	if o.Duration == 0 {
		o.Duration = 24 * time.Hour
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	}
	if o.Host == "" {
		o.Host = "bastion"
	}
	switch {
	case o.Lines < 1000:
		return errors.New("lines: at least 1000")
	case o.Duration < 20*time.Minute:
		return errors.New("duration: at least 20m (attack episodes need room)")
	case o.AttackRatio <= 0 || o.AttackRatio >= 1:
		return errors.New("attack ratio: between 0 and 1")
	}
	return nil
}

// Categories of attacker addresses. Only Brute and Threshold5 must be
// caught.
const (
	Brute      = "brute"      // 6..200 failures, a few seconds apart
	Threshold5 = "threshold5" // exactly 5 failures within 8..50 s
	NearMiss4  = "nearmiss4"  // 4 within 40 s, maybe a 5th minutes later
	Slow       = "slow"       // 6..40 failures, 16.5..45 s apart
	SlowEdge   = "slowedge"   // 8..20 failures, 16.5..17 s apart (4 a minute)
	SplitBurst = "splitburst" // bursts of 4 in 12 s, 65 s or more apart
	Botnet     = "botnet"     // 1..3 failures each, very many addresses
	Typo       = "typo"       // a real user mistyping, then logging in
)

// mix is each category's share of the failure lines.
var mix = [...]struct {
	cat   string
	share float64
}{
	{Brute, 0.38}, {Threshold5, 0.03}, {NearMiss4, 0.04}, {Slow, 0.14},
	{SlowEdge, 0.02}, {SplitBurst, 0.04}, {Botnet, 0.33}, {Typo, 0.02},
}

// Truth is the ground truth of a generated log.
type Truth struct {
	Rule        string         `json:"rule"`
	Options     TruthOptions   `json:"generator"`
	Lines       int            `json:"total_lines"`
	Failures    int            `json:"failure_lines"`
	Addresses   int            `json:"ips_with_failures"`
	IPv6        int            `json:"ipv6_ips_with_failures"`
	BannedCount int            `json:"banned_count"`
	BannedIPv6  int            `json:"banned_ipv6_count"`
	PerCategory map[string]Cat `json:"per_category"`
	// Banned are the addresses the rule must catch, sorted.
	Banned []string `json:"banned"`
	// FirstBan is the 1-based line of the failure that makes each banned
	// address reach the threshold first.
	FirstBan map[string]int `json:"first_ban_line"`
	// Category is the category of every address with a failure.
	Category map[string]string `json:"ip_category"`
}

// TruthOptions records the options a log was generated with.
type TruthOptions struct {
	Lines       int     `json:"lines"`
	Seed        uint64  `json:"seed"`
	AttackRatio float64 `json:"attack_ratio"`
	IPv6Ratio   float64 `json:"ipv6_ratio"`
	Duration    string  `json:"duration"`
	Start       string  `json:"start"`
	Host        string  `json:"host"`
}

// Cat counts one category.
type Cat struct {
	Addresses int `json:"ips"`
	Failures  int `json:"failure_lines"`
	Banned    int `json:"banned"`
}

var (
	legitUsers = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
		"judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent",
		"victor", "walter", "deploy", "ansible", "backup", "git", "jenkins", "monitor"}
	attackUsers = []string{"admin", "test", "user", "oracle", "postgres", "ubuntu", "ftpuser", "guest", "pi",
		"support", "demo", "mysql", "hadoop", "tomcat", "nagios", "minecraft", "ts3",
		"teamspeak", "ec2-user", "centos", "debian", "kali", "administrator", "ftp",
		"www", "web", "dev", "devops", "test1", "test2", "user1", "sysadmin", "odoo",
		"elastic", "es", "redis", "zabbix", "steam", "vagrant", "docker", "git", "gitlab",
		"jenkins", "sonar", "hdfs", "spark", "kafka", "solr", "wordpress", "wp", "lighthouse",
		"ubnt", "usuario", "operator", "service", "student", "temp", "ali", "sammy", "bitnami"}
	// Users that exist on the host: no "invalid user".
	validAttacked = []string{"root", "root", "root", "root", "git", "backup"}
	sudoCommands  = []string{"/usr/bin/systemctl restart nginx", "/usr/bin/systemctl status nginx",
		"/usr/bin/apt update", "/usr/bin/apt upgrade -y", "/usr/bin/journalctl -u sshd -n 50",
		"/usr/bin/tail -n 100 /var/log/syslog", "/usr/bin/docker ps", "/usr/bin/ls /root",
		"/usr/sbin/reboot", "/usr/bin/vim /etc/nginx/sites-enabled/default"}
	timers = [][2]string{
		{"apt-daily.service", "Daily apt download activities"},
		{"apt-daily-upgrade.service", "Daily apt upgrade and clean activities"},
		{"logrotate.service", "Rotate log files"},
		{"man-db.service", "Daily man-db regeneration"},
		{"phpsessionclean.service", "Clean php session files"},
		{"systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"},
		{"certbot.service", "Certbot"},
		{"e2scrub_all.service", "Online ext4 Metadata Check for All Filesystems"},
		{"fstrim.service", "Discard unused blocks on filesystems from /etc/fstab"},
	}
	// First 16 bits of real RIR IPv6 allocations.
	v6Top16 = []uint16{0x2001, 0x2400, 0x2401, 0x2402, 0x2403, 0x2404, 0x2405, 0x2406, 0x2600, 0x2601,
		0x2602, 0x2603, 0x2604, 0x2605, 0x2606, 0x2607, 0x2800, 0x2801, 0x2803, 0x2a00, 0x2a01,
		0x2a02, 0x2a03, 0x2a04, 0x2a05, 0x2a06, 0x2a0a, 0x2a0e, 0x2c0f}
)

// event is one line before it is written. msg may hold %PID% (the pid of
// connection conn, allocated in time order when written) and %SID% (the
// logind session number of session sid, likewise).
type event struct {
	t    float64 // seconds from the start
	seq  int
	conn int
	sid  int
	msg  string
}

type gen struct {
	o        Options
	r        *rand.Rand
	dur      float64
	events   []event
	conns    int
	sessions int
	used     map[string]bool
	category map[string]string
	legit    [][2]string // user, address
	logind   int
	typoAt   map[string][]float64
}

// Generate writes the log to w and returns its ground truth.
func Generate(w io.Writer, o Options) (*Truth, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	g := &gen{
		o:        o,
		r:        rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
		dur:      o.Duration.Seconds(),
		used:     make(map[string]bool),
		category: make(map[string]string),
		typoAt:   make(map[string][]float64),
	}
	g.build()
	return g.write(w)
}

func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }
func (g *gen) between(lo, hi int) int         { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) expo(mean float64) float64      { return g.r.ExpFloat64() * mean }
func pick[T any](g *gen, s []T) T             { return s[g.r.IntN(len(s))] }

func (g *gen) add(t float64, conn, sid int, msg string) {
	if t >= g.dur { // only benign session tails run past the end
		return
	}
	g.events = append(g.events, event{t: t, seq: len(g.events), conn: conn, sid: sid, msg: msg})
}

func (g *gen) newConn() int { g.conns++; return g.conns }
func (g *gen) port() int    { return g.between(1024, 65535) }

// newAddr returns an address not used before: an IPv6 one with
// probability v6, else IPv4, globally routable when public (no peer's
// default allow-list hides it), else in 10.0.0.0/8.
func (g *gen) newAddr(v6 float64, public bool) string {
	for {
		var a netip.Addr
		if g.r.Float64() < v6 {
			var b [16]byte
			top := pick(g, v6Top16)
			b[0], b[1] = byte(top>>8), byte(top)
			x := g.r.Uint64()
			for i := 2; i < 8; i++ { // 32 bits of /48, 16 of subnet
				b[i] = byte(x >> (8 * (i - 2)))
			}
			if g.r.Float64() < 0.5 {
				iid := g.between(1, 0xffff)
				b[14], b[15] = byte(iid>>8), byte(iid)
			} else {
				y := g.r.Uint64()
				for i := 8; i < 16; i++ {
					b[i] = byte(y >> (8 * (i - 8)))
				}
			}
			a = netip.AddrFrom16(b)
		} else if public {
			a = netip.AddrFrom4([4]byte{byte(g.r.Uint32()), byte(g.r.Uint32()), byte(g.r.Uint32()), byte(g.r.Uint32())})
		} else {
			x := g.r.Uint32()
			a = netip.AddrFrom4([4]byte{10, byte(x >> 16), byte(x >> 8), byte(x)})
		}
		if public && !isGlobal(a) {
			continue
		}
		s := a.String()
		if g.used[s] {
			continue
		}
		g.used[s] = true
		return s
	}
}

var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("2001::/23"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// isGlobal reports whether a is a globally routable unicast address.
func isGlobal(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range special {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// attempt writes one failed login at t; kind is "root", "pair" (Invalid
// user then Failed password for invalid user) or "invalid", or "" for a
// random one. It returns the number of failure lines written.
func (g *gen) attempt(t float64, addr, kind string) int {
	conn, port := g.newConn(), g.port()
	if kind == "" {
		switch x := g.r.Float64(); {
		case x < 0.35:
			kind = "root"
		case x < 0.80:
			kind = "pair"
		default:
			kind = "invalid"
		}
	}
	if kind == "root" {
		g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Failed password for %s from %s port %d ssh2", pick(g, validAttacked), addr, port))
		return 1
	}
	u := pick(g, attackUsers)
	if g.r.Float64() < g.o.EmptyUserRatio {
		u = ""
	}
	g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Invalid user %s from %s port %d", u, addr, port))
	if kind == "invalid" {
		return 1
	}
	g.add(t+g.uniform(0.8, 3.0), conn, 0, fmt.Sprintf("sshd[%%PID%%]: Failed password for invalid user %s from %s port %d ssh2", u, addr, port))
	return 2
}

func (g *gen) rootOrInvalid() string {
	if g.r.IntN(2) == 0 {
		return "root"
	}
	return "invalid"
}

// burst returns the offsets of a burst of inner+2 attempts over span: 0,
// inner sorted random offsets, and span.
func (g *gen) burst(inner int, span float64) []float64 {
	out := make([]float64, inner+2)
	for i := 1; i <= inner; i++ {
		out[i] = g.uniform(0, span)
	}
	slices.Sort(out[1 : inner+1])
	out[inner+1] = span
	return out
}

// series writes attempts from t, lo..hi seconds apart, until n failure
// lines are written (the last attempt for root, a single line), and
// returns the number written.
func (g *gen) series(addr string, t float64, n int, lo, hi float64) int {
	lines := 0
	for lines < n {
		kind := ""
		if n-lines == 1 {
			kind = "root"
		}
		lines += g.attempt(t, addr, kind)
		t += g.uniform(lo, hi)
	}
	return lines
}

// attacker creates one attacker address of category cat and returns the
// failure lines written.
func (g *gen) attacker(cat string) int {
	addr := g.newAddr(g.o.IPv6Ratio, true)
	g.category[addr] = cat
	dur := g.dur
	tail := min(3600, dur/2) // room after an episode starts
	lines := 0
	switch cat {
	case Brute:
		n := 6 + min(int(g.expo(18)), 194, int(tail/10)-6)
		lines = g.series(addr, g.uniform(0, dur-tail), n, 3.2, 6.5)
	case Threshold5, NearMiss4:
		n, span, t0 := 3, g.uniform(8, 50), g.uniform(0, dur-120)
		if cat == NearMiss4 {
			n, span, t0 = 2, g.uniform(3, 40), g.uniform(0, dur-min(1200, tail))
		}
		for _, dt := range g.burst(n, span) {
			lines += g.attempt(t0+dt, addr, g.rootOrInvalid())
		}
		if cat == NearMiss4 && g.r.IntN(2) == 0 {
			lines += g.attempt(t0+span+g.uniform(120, 900), addr, "root")
		}
	case Slow, SlowEdge:
		n, lo, hi := g.between(6, 40), 16.5, 45.0
		if cat == SlowEdge {
			n, lo, hi = g.between(8, 20), 16.5, 17.0
		}
		gap := g.uniform(lo, hi)
		n = max(6, min(n, int(dur*0.8/gap)))
		t0 := g.uniform(0, max(1, dur-float64(n)*gap-30))
		for i := range n {
			lines += g.attempt(t0+float64(i)*gap+g.uniform(-0.2, 0.2), addr, g.rootOrInvalid())
		}
	case SplitBurst:
		bursts := g.between(2, 4)
		t := g.uniform(0, dur-float64(bursts)*200-60)
		for range bursts {
			span := g.uniform(2, 12)
			for _, dt := range g.burst(2, span) {
				lines += g.attempt(t+dt, addr, g.rootOrInvalid())
			}
			t += span + g.uniform(68, 150)
		}
	case Botnet:
		n := pick(g, []int{1, 1, 1, 2, 2, 3})
		lines = g.series(addr, g.uniform(0, dur-60), n, 2, 10)
	}
	return lines
}

// typo writes a legitimate user mistyping the password once or twice, then
// logging in; episodes of one address are 300 s or more apart.
func (g *gen) typo() int {
	var user, addr string
	var t float64
	for {
		l := pick(g, g.legit)
		user, addr = l[0], l[1]
		t = g.uniform(0, g.dur-min(4000, g.dur/2))
		if !slices.ContainsFunc(g.typoAt[addr], func(x float64) bool { return x > t-300 && x < t+300 }) {
			g.typoAt[addr] = append(g.typoAt[addr], t)
			break
		}
	}
	if _, ok := g.category[addr]; !ok {
		g.category[addr] = Typo
	}
	n := g.between(1, 2)
	conn, port := g.newConn(), g.port()
	for range n {
		g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Failed password for %s from %s port %d ssh2", user, addr, port))
		t += g.uniform(2.5, 8)
	}
	g.session(t, user, addr, "password", conn, port)
	return n
}

// session writes a login, its session lines, maybe sudo, and the logout.
func (g *gen) session(t float64, user, addr, method string, conn, port int) {
	if conn == 0 {
		conn, port = g.newConn(), g.port()
	}
	g.sessions++
	sid := g.sessions
	uid := 1000 + slices.Index(legitUsers, user)
	if method == "publickey" {
		var fp [32]byte
		for i := 0; i < 32; i += 8 {
			x := g.r.Uint64()
			for j := range 8 {
				fp[i+j] = byte(x >> (8 * j))
			}
		}
		algo := pick(g, []string{"ED25519", "ED25519", "RSA", "ECDSA"})
		g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Accepted publickey for %s from %s port %d ssh2: %s SHA256:%s",
			user, addr, port, algo, base64.RawStdEncoding.EncodeToString(fp[:])))
	} else {
		g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Accepted password for %s from %s port %d ssh2", user, addr, port))
	}
	t += g.uniform(0.005, 0.05)
	g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)", user, uid))
	t += g.uniform(0.005, 0.05)
	g.add(t, 0, sid, fmt.Sprintf("systemd-logind[%d]: New session %%SID%% of user %s.", g.logind, user))
	g.add(t+0.001, 0, sid, fmt.Sprintf("systemd[1]: Started session-%%SID%%.scope - Session %%SID%% of User %s.", user))
	length := g.expo(900) + 5
	if g.r.Float64() < 0.35 {
		tty := g.between(0, 9)
		for range g.between(1, 4) {
			ts := t + g.uniform(1, length)
			sc := g.newConn()
			g.add(ts, 0, 0, fmt.Sprintf("sudo:%9s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s", user, tty, user, pick(g, sudoCommands)))
			g.add(ts+0.002, sc, 0, fmt.Sprintf("sudo[%%PID%%]: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)", user, uid))
			g.add(ts+g.uniform(0.05, 30), sc, 0, "sudo[%PID%]: pam_unix(sudo:session): session closed for user root")
		}
	}
	t += length
	g.add(t, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Received disconnect from %s port %d:11: disconnected by user", addr, port))
	g.add(t+0.001, conn, 0, fmt.Sprintf("sshd[%%PID%%]: Disconnected from user %s %s port %d", user, addr, port))
	g.add(t+0.003, conn, 0, "sshd[%PID%]: pam_unix(sshd:session): session closed for user "+user)
	g.add(t+0.004, 0, sid, fmt.Sprintf("systemd-logind[%d]: Session %%SID%% logged out. Waiting for processes to exit.", g.logind))
	g.add(t+0.006, 0, sid, "systemd[1]: session-%SID%.scope: Deactivated successfully.")
	g.add(t+0.007, 0, sid, fmt.Sprintf("systemd-logind[%d]: Removed session %%SID%%.", g.logind))
}

func (g *gen) cron(t float64) {
	c := g.newConn()
	g.add(t, c, 0, "CRON[%PID%]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
	g.add(t+g.uniform(0.01, 2), c, 0, "CRON[%PID%]: pam_unix(cron:session): session closed for user root")
}

func (g *gen) timer(t float64) {
	u := pick(g, timers)
	g.add(t, 0, 0, fmt.Sprintf("systemd[1]: Starting %s - %s...", u[0], u[1]))
	g.add(t+g.uniform(0.01, 3), 0, 0, fmt.Sprintf("systemd[1]: %s: Deactivated successfully.", u[0]))
	g.add(t+g.uniform(3.01, 3.1), 0, 0, fmt.Sprintf("systemd[1]: Finished %s - %s.", u[0], u[1]))
}

func (g *gen) build() {
	g.logind = g.between(400, 900)
	for _, u := range legitUsers {
		for range g.between(1, 3) {
			g.legit = append(g.legit, [2]string{u, g.newAddr(0.15, g.r.Float64() < 0.6)})
		}
	}
	target := float64(g.o.Lines) * g.o.AttackRatio
	for _, m := range mix {
		want, got := target*m.share, 0
		for float64(got) < want {
			if m.cat == Typo {
				got += g.typo()
			} else {
				got += g.attacker(m.cat)
			}
		}
	}
	for len(g.events) < g.o.Lines {
		t := g.uniform(0, g.dur)
		switch x := g.r.Float64(); {
		case x < 0.55:
			l := pick(g, g.legit)
			g.session(t, l[0], l[1], "publickey", 0, 0)
		case x < 0.85:
			g.cron(t)
		default:
			g.timer(t)
		}
	}
	slices.SortFunc(g.events, func(a, b event) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	// Trim to exactly Lines, dropping benign lines from the end.
	extra := len(g.events) - g.o.Lines
	for i := len(g.events) - 1; i >= 0 && extra > 0; i-- {
		if _, ok := failureAddr(g.events[i].msg); !ok {
			g.events[i].seq = -1
			extra--
		}
	}
	g.events = slices.DeleteFunc(g.events, func(e event) bool { return e.seq < 0 })
}

// failureAddr returns the address of a failure line's message.
func failureAddr(msg string) (string, bool) {
	if !strings.HasPrefix(msg, "sshd[") || !(strings.Contains(msg, ": Failed password for ") || strings.Contains(msg, ": Invalid user ")) {
		return "", false
	}
	i := strings.LastIndex(msg, " from ")
	rest := msg[i+len(" from "):]
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		rest = rest[:j]
	}
	return rest, true
}

type failure struct{ sec, line int }

func (g *gen) write(w io.Writer) (*Truth, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	pidRand := rand.New(rand.NewPCG(g.o.Seed+1, 0))
	pid := 1000
	pids := make(map[int]int)
	sids := make(map[int]int)
	fails := make(map[string][]failure)
	var order []string
	lastSec := -1
	var stamp string
	for i, e := range g.events {
		msg := e.msg
		if e.conn != 0 {
			p, ok := pids[e.conn]
			if !ok {
				pid += 1 + pidRand.IntN(9)
				if pid > 4194303 {
					pid = 1000
				}
				p, pids[e.conn] = pid, pid
			}
			msg = strings.Replace(msg, "%PID%", strconv.Itoa(p), 1)
		}
		if e.sid != 0 {
			s, ok := sids[e.sid]
			if !ok {
				s = len(sids) + 1
				sids[e.sid] = s
			}
			msg = strings.ReplaceAll(msg, "%SID%", strconv.Itoa(s))
		}
		sec := int(e.t)
		if sec != lastSec {
			lastSec = sec
			stamp = g.o.Start.Add(time.Duration(sec)*time.Second).UTC().Format(time.Stamp) + " " + g.o.Host + " "
		}
		bw.WriteString(stamp)
		bw.WriteString(msg)
		bw.WriteByte('\n')
		if a, ok := failureAddr(msg); ok {
			if _, seen := fails[a]; !seen {
				order = append(order, a)
			}
			fails[a] = append(fails[a], failure{sec, i + 1})
		}
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return g.truth(fails, order)
}

func (g *gen) truth(fails map[string][]failure, order []string) (*Truth, error) {
	tr := &Truth{
		Rule: fmt.Sprintf("banned iff %d failure lines with t%d - t1 <= %d s (printed one-second timestamps); "+
			"banned addresses have such a span <= %d s, the others only spans >= %d s",
			MaxRetry, MaxRetry, FindTime, banMargin, noBanMargin),
		Options: TruthOptions{
			Lines: g.o.Lines, Seed: g.o.Seed, AttackRatio: g.o.AttackRatio, IPv6Ratio: g.o.IPv6Ratio,
			Duration: g.o.Duration.String(), Start: g.o.Start.Format(time.RFC3339), Host: g.o.Host,
		},
		Lines:       len(g.events),
		Addresses:   len(fails),
		PerCategory: make(map[string]Cat),
		FirstBan:    make(map[string]int),
		Category:    make(map[string]string),
		Banned:      []string{},
	}
	var bad []string
	for _, a := range order {
		fs := fails[a]
		cat := g.category[a]
		tr.Category[a] = cat
		tr.Failures += len(fs)
		if strings.Contains(a, ":") {
			tr.IPv6++
		}
		minSpan, first := -1, 0
		for i := 0; i+MaxRetry-1 < len(fs); i++ {
			span := fs[i+MaxRetry-1].sec - fs[i].sec
			if minSpan < 0 || span < minSpan {
				minSpan = span
			}
			if first == 0 && span <= FindTime {
				first = fs[i+MaxRetry-1].line
			}
		}
		banned := minSpan >= 0 && minSpan <= FindTime
		wantBanned := cat == Brute || cat == Threshold5
		if banned != wantBanned || (minSpan > banMargin && minSpan < noBanMargin) {
			bad = append(bad, fmt.Sprintf("%s (%s, shortest span %d s)", a, cat, minSpan))
		}
		c := tr.PerCategory[cat]
		c.Addresses++
		c.Failures += len(fs)
		if banned {
			c.Banned++
			tr.Banned = append(tr.Banned, a)
			tr.FirstBan[a] = first
			if strings.Contains(a, ":") {
				tr.BannedIPv6++
			}
		}
		tr.PerCategory[cat] = c
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("internal error: %d addresses break the safety margin, e.g. %v", len(bad), bad[:min(5, len(bad))])
	}
	slices.Sort(tr.Banned)
	tr.BannedCount = len(tr.Banned)
	return tr, nil
}

// Spray writes n sshd failure lines, each from a distinct IPv4 address
// (from 11.0.0.0 up), spread evenly over span from start: the "memory
// under attack" workload, where every address is a new key for every rule
// that groups by address.
func Spray(w io.Writer, n int, start time.Time, span time.Duration, host string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	base := uint32(11) << 24
	for i := range n {
		t := start.Add(time.Duration(int64(span) * int64(i) / int64(max(n, 1)))).UTC()
		a := base + uint32(i)
		if _, err := fmt.Fprintf(bw, "%s %s sshd[%d]: Failed password for root from %d.%d.%d.%d port %d ssh2\n",
			t.Format(time.Stamp), host, 1000+i%30000, a>>24, a>>16&255, a>>8&255, a&255, 1024+i%60000); err != nil {
			return err
		}
	}
	return bw.Flush()
}
