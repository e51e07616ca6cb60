package configs

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// ActionKind names an action kind.
type ActionKind string

// The action kinds breachd knows.
const (
	KindExec     ActionKind = "exec"
	KindWebhook  ActionKind = "webhook"
	KindNftables ActionKind = "nftables"
	KindAccount  ActionKind = "account"
	KindProcess  ActionKind = "process"
	KindSystemd  ActionKind = "systemd"
)

// Systemd operations.
const (
	SystemdStop    = "stop"
	SystemdDisable = "disable"
	SystemdMask    = "mask"
)

// SystemdAction takes the unit (Unit, or the value of Field) down for TTL.
type SystemdAction struct {
	Unit, Field string
	Operation   string
	Sockets     bool
	TTL         time.Duration
	Never       []string
}

// ProcessAction ends every process of a user, a unit or a cgroup. Exactly
// one of User, Unit (each a literal or "${field}") and Cgroup (a literal
// path under the cgroup root) is set.
type ProcessAction struct {
	User, Unit, Cgroup string
	MinUID             int
}

// AccountAction locks the local account named by field Field for TTL.
type AccountAction struct {
	Field string
	TTL   time.Duration
	// MinUID: accounts below it (system and service accounts) are never
	// locked.
	MinUID int
	Never  []string
}

// Mode says whether actions act.
type Mode string

// Modes; the empty mode inherits (action from containment, containment
// enforces).
const (
	ModeEnforce Mode = "enforce"
	ModeDryRun  Mode = "dry_run"
)

// DefaultBlockTTL is how long an nftables block lasts when the action does
// not say.
const DefaultBlockTTL = time.Hour

// NftablesAction blocks the address (or range) in field Target in the
// kernel for TTL, growing by EscalateFactor for repeat offenders up to
// EscalateMax.
type NftablesAction struct {
	Target                 string
	TargetRange            hcl.Range
	TTL                    time.Duration
	IPv4Prefix, IPv6Prefix int
	// Never are prefixes this action never blocks, on top of the
	// containment block's and the host's own.
	Never          []netip.Prefix
	EscalateFactor float64
	EscalateMax    time.Duration
}

// Action is an `action "KIND" "NAME"` block. Exactly one of Exec and Webhook is
// set, according to Kind.
type Action struct {
	Kind     ActionKind
	Name     string
	Timeout  time.Duration
	Exec     *ExecAction
	Webhook  *WebhookAction
	Nftables *NftablesAction
	Account  *AccountAction
	Process  *ProcessAction
	Systemd  *SystemdAction
	// Mode is the action's own mode; "" inherits the containment mode.
	Mode Mode
	// RequireApproval makes every run wait for a responder; MaxPerHour,
	// when set, makes runs past that many in an hour wait.
	RequireApproval bool
	MaxPerHour      int
	NameRange       hcl.Range
	DeclRange       hcl.Range
}

// ExecAction runs a program with an argument vector; never a shell.
type ExecAction struct {
	// Argv[0] is an absolute path with no template in it.
	Argv      []*Template
	ArgvRange hcl.Range
	// Env names variables of breachd's environment passed to the
	// program (an allow-list; nothing else of breachd's is passed).
	Env []string
	// Idempotent declares that running the program twice has the effect
	// of running it once: after a crash left a run's outcome unknown, it
	// is run again instead of waiting for a person.
	Idempotent bool
}

// WebhookAction POSTs the incident as JSON to URL. An empty URL means the
// webhook is configured but not pointed anywhere yet: it is recorded as
// skipped.
type WebhookAction struct {
	URL      string
	URLRange hcl.Range
	// SecretFile or SecretEnv holds the key the body is signed with
	// (HMAC-SHA256); neither: unsigned. SecretFile is as written; the
	// daemon resolves it against the config's folder.
	SecretFile, SecretEnv string
	// Retries of a POST that failed with a network error, 429 or 5xx,
	// waiting RetryBackoff, doubled each time (at most 30s), with jitter.
	Retries      int
	RetryBackoff time.Duration
}

// Webhook action retries: the default (a minute and a half of outage is
// ridden out: 1+2+4+8+16+30+30 s of waits at the default retry_backoff)
// and the most allowed.
const (
	DefaultWebhookRetries = 7
	MaxWebhookRetries     = 20
)

type actionBlock struct {
	Kind      string    `hcl:"kind,label"`
	Name      string    `hcl:"name,label"`
	KindRange hcl.Range `hcl:"kind,label_range"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
	Body      hcl.Body  `hcl:",remain"`
}

// commonBody holds the attributes every action kind takes.
type commonBody struct {
	Timeout         *string   `hcl:"timeout,optional"`
	TimeoutRange    hcl.Range `hcl:"timeout,attr_value_range"`
	Mode            *string   `hcl:"mode,optional"`
	ModeRange       hcl.Range `hcl:"mode,attr_value_range"`
	RequireApproval *bool     `hcl:"require_approval,optional"`
	MaxPerHour      *int      `hcl:"max_per_hour,optional"`
	MaxPerHourRange hcl.Range `hcl:"max_per_hour,attr_value_range"`
	// Idempotent is an exec action's; other kinds are told why not.
	Idempotent      *bool     `hcl:"idempotent,optional"`
	IdempotentRange hcl.Range `hcl:"idempotent,attr_range"`
	Remain          hcl.Body  `hcl:",remain"`
}

type execBody struct {
	Argv     hcl.Expression `hcl:"argv"`
	Env      []string       `hcl:"env,optional"`
	EnvRange hcl.Range      `hcl:"env,attr_value_range"`
}

// envName is what a passed-through environment variable may be called.
var envName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,63}$`)

type nftablesBody struct {
	Target       hcl.Expression `hcl:"target,optional"`
	TTL          *string        `hcl:"ttl,optional"`
	TTLRange     hcl.Range      `hcl:"ttl,attr_value_range"`
	IPv4Prefix   *int           `hcl:"ipv4_prefix,optional"`
	IPv4Range    hcl.Range      `hcl:"ipv4_prefix,attr_value_range"`
	IPv6Prefix   *int           `hcl:"ipv6_prefix,optional"`
	IPv6Range    hcl.Range      `hcl:"ipv6_prefix,attr_value_range"`
	Never        []string       `hcl:"never,optional"`
	NeverRange   hcl.Range      `hcl:"never,attr_value_range"`
	Mode         *string        `hcl:"mode,optional"`
	ModeRange    hcl.Range      `hcl:"mode,attr_value_range"`
	Escalate     *escalateBlock `hcl:"escalate,block"`
	Timeout      *string        `hcl:"timeout,optional"`
	TimeoutRange hcl.Range      `hcl:"timeout,attr_value_range"`
}

type accountBody struct {
	User      hcl.Expression `hcl:"user,optional"`
	TTL       *string        `hcl:"ttl,optional"`
	TTLRange  hcl.Range      `hcl:"ttl,attr_value_range"`
	MinUID    *int           `hcl:"min_uid,optional"`
	MinUIDRng hcl.Range      `hcl:"min_uid,attr_value_range"`
	Never     []string       `hcl:"never,optional"`
}

type processBody struct {
	User      hcl.Expression `hcl:"user,optional"`
	Unit      hcl.Expression `hcl:"unit,optional"`
	Cgroup    *string        `hcl:"cgroup,optional"`
	MinUID    *int           `hcl:"min_uid,optional"`
	MinUIDRng hcl.Range      `hcl:"min_uid,attr_value_range"`
}

type systemdBody struct {
	Unit      hcl.Expression `hcl:"unit"`
	Operation *string        `hcl:"operation,optional"`
	OpRange   hcl.Range      `hcl:"operation,attr_value_range"`
	Sockets   *bool          `hcl:"sockets,optional"`
	TTL       *string        `hcl:"ttl,optional"`
	TTLRange  hcl.Range      `hcl:"ttl,attr_value_range"`
	Never     []string       `hcl:"never,optional"`
}

type escalateBlock struct {
	Factor      float64   `hcl:"factor"`
	FactorRange hcl.Range `hcl:"factor,attr_value_range"`
	Max         string    `hcl:"max"`
	MaxRange    hcl.Range `hcl:"max,attr_value_range"`
}

type webhookBody struct {
	URL          string    `hcl:"url"`
	URLRange     hcl.Range `hcl:"url,attr_value_range"`
	SecretFile   *string   `hcl:"secret_file,optional"`
	SecretEnv    *string   `hcl:"secret_env,optional"`
	SecretRange  hcl.Range `hcl:"secret_env,attr_value_range"`
	Retries      *int      `hcl:"retries,optional"`
	RetriesRange hcl.Range `hcl:"retries,attr_value_range"`
	Backoff      *string   `hcl:"retry_backoff,optional"`
	BackoffRange hcl.Range `hcl:"retry_backoff,attr_value_range"`
}

func decodeAction(b *actionBlock) (*Action, hcl.Diagnostics) {
	a := &Action{Kind: ActionKind(b.Kind), Name: b.Name, Timeout: DefaultActionTimeout, NameRange: b.NameRange, DeclRange: b.DefRange}
	var diags hcl.Diagnostics
	timeout := func(s *string, rng hcl.Range) {
		if s == nil {
			return
		}
		d, diag := parseDuration("timeout", *s, rng)
		if diag != nil {
			diags = append(diags, diag)
			return
		}
		a.Timeout = d
	}
	var common commonBody
	if d := gohcl.DecodeBody(b.Body, nil, &common); d.HasErrors() {
		return nil, d
	}
	timeout(common.Timeout, common.TimeoutRange)
	if common.Mode != nil {
		m, d := decodeMode(*common.Mode, common.ModeRange)
		if d != nil {
			diags = append(diags, d)
		}
		a.Mode = m
	}
	a.RequireApproval = common.RequireApproval != nil && *common.RequireApproval
	if common.MaxPerHour != nil {
		if *common.MaxPerHour < 1 {
			diags = append(diags, errorAt(common.MaxPerHourRange.Ptr(), "Invalid max_per_hour", fmt.Sprintf("max_per_hour is %d; it is how many runs of this action act in an hour before the next ones wait for approval: use 1 or more, or remove it.", *common.MaxPerHour)))
		}
		a.MaxPerHour = *common.MaxPerHour
	}
	if common.Idempotent != nil && a.Kind != KindExec {
		diags = append(diags, errorAt(common.IdempotentRange.Ptr(), "idempotent is for exec actions",
			fmt.Sprintf("A %s action needs no idempotent: webhook runs carry one Idempotency-Key on every attempt and are sent again after a crash, and containments (nftables, account, systemd, process) are applied again by nature. Remove it.", a.Kind)))
	}
	switch a.Kind {
	case KindExec:
		var body execBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		e, d := decodeArgv(body.Argv)
		diags = append(diags, d...)
		if e != nil {
			for _, name := range body.Env {
				switch {
				case !envName.MatchString(name):
					diags = append(diags, errorAt(body.EnvRange.Ptr(), "Invalid env name",
						fmt.Sprintf("%q is not an environment variable name (upper-case letters, digits and _).", name)))
				case name == "PATH" || strings.HasPrefix(name, "LD_") || strings.HasPrefix(name, "BREACHD_") || name == "IFS" || name == "BASH_ENV" || name == "ENV":
					diags = append(diags, errorAt(body.EnvRange.Ptr(), "Environment variable not passed",
						fmt.Sprintf("%s changes how programs are found or loaded; breachd sets PATH itself and never passes LD_*, BREACHD_*, IFS, ENV or BASH_ENV.", name)))
				default:
					e.Env = append(e.Env, name)
				}
			}
		}
		if e != nil && common.Idempotent != nil {
			e.Idempotent = *common.Idempotent
		}
		a.Exec = e
	case KindWebhook:
		var body webhookBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		if body.URL != "" {
			u, err := url.Parse(body.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				diags = append(diags, errorAt(body.URLRange.Ptr(), "Invalid webhook URL", fmt.Sprintf("%q is not an http:// or https:// URL with a host; write e.g. url = \"https://hooks.example.com/breachd\", or url = \"\" to leave the webhook unconfigured.", body.URL)))
			}
		}
		wh := &WebhookAction{URL: body.URL, URLRange: body.URLRange, Retries: DefaultWebhookRetries, RetryBackoff: time.Second}
		if body.SecretFile != nil && body.SecretEnv != nil {
			diags = append(diags, errorAt(body.SecretRange.Ptr(), "Two secrets", "Give the HMAC secret once: secret_file (a file only breachd reads) or secret_env (an environment variable's name)."))
		}
		if body.SecretFile != nil {
			wh.SecretFile = *body.SecretFile
		}
		if body.SecretEnv != nil {
			wh.SecretEnv = *body.SecretEnv
		}
		if body.Retries != nil {
			if *body.Retries < 0 || *body.Retries > MaxWebhookRetries {
				diags = append(diags, errorAt(body.RetriesRange.Ptr(), "Invalid retries", fmt.Sprintf("retries is %d; retry a failed POST (network error, 429, 5xx) 0 to %d times (default %d), waiting retry_backoff doubled each time (at most 30s, plus jitter).", *body.Retries, MaxWebhookRetries, DefaultWebhookRetries)))
			} else {
				wh.Retries = *body.Retries
			}
		}
		if body.Backoff != nil {
			d, diag := parseDuration("retry_backoff", *body.Backoff, body.BackoffRange)
			if diag != nil {
				diags = append(diags, diag)
			} else {
				wh.RetryBackoff = d
			}
		}
		a.Webhook = wh
	case KindNftables:
		var body nftablesBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		n, d := decodeNftables(&body, b.DefRange)
		diags = append(diags, d...)
		a.Nftables = n
	case KindAccount:
		var body accountBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		acc := &AccountAction{Field: "user", TTL: 24 * time.Hour, MinUID: 1000, Never: body.Never}
		if f, lit, set, d := fieldOrLiteral(body.User); set {
			diags = append(diags, d...)
			if !d.HasErrors() && f == "" {
				diags = append(diags, errorAt(body.User.Range().Ptr(), "Invalid user", fmt.Sprintf("user is %q; name the field holding the account to lock, e.g. user = \"${user}\" (the default).", lit)))
			} else if f != "" {
				acc.Field = f
			}
		}
		if d := decodeTTL(body.TTL, body.TTLRange, time.Minute, "the account stays locked", &acc.TTL); d != nil {
			diags = append(diags, d)
		}
		if body.MinUID != nil {
			if *body.MinUID < 1 {
				diags = append(diags, errorAt(body.MinUIDRng.Ptr(), "Invalid min_uid", "min_uid is the lowest UID that may be locked; root (0) never is: use 1 or more (default 1000)."))
			} else {
				acc.MinUID = *body.MinUID
			}
		}
		a.Account = acc
	case KindSystemd:
		var body systemdBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		sa := &SystemdAction{Operation: SystemdStop, Sockets: body.Sockets == nil || *body.Sockets, TTL: time.Hour, Never: body.Never}
		f, lit, _, d := fieldOrLiteral(body.Unit)
		diags = append(diags, d...)
		sa.Field, sa.Unit = f, lit
		if lit != "" && !strings.HasSuffix(lit, ".service") {
			diags = append(diags, errorAt(body.Unit.Range().Ptr(), "Invalid unit",
				fmt.Sprintf("unit is %q; name a service, e.g. \"shop.service\", or the field that holds one (\"${unit}\").", lit)))
		}
		if body.Operation != nil {
			switch *body.Operation {
			case SystemdStop, SystemdDisable, SystemdMask:
				sa.Operation = *body.Operation
			default:
				diags = append(diags, errorAt(body.OpRange.Ptr(), "Invalid operation",
					fmt.Sprintf("operation is %q; use \"stop\", \"disable\" (stop and keep it from starting at boot) or \"mask\" (stop and keep anything from starting it).", *body.Operation)))
			}
		}
		if d := decodeTTL(body.TTL, body.TTLRange, time.Minute, "the service stays down", &sa.TTL); d != nil {
			diags = append(diags, d)
		}
		a.Systemd = sa
	case KindProcess:
		var body processBody
		if d := gohcl.DecodeBody(common.Remain, nil, &body); d.HasErrors() {
			return nil, d
		}
		pa := &ProcessAction{MinUID: 1000}
		set := 0
		for _, e := range []struct {
			expr hcl.Expression
			dst  *string
		}{{body.User, &pa.User}, {body.Unit, &pa.Unit}} {
			f, lit, ok, d := fieldOrLiteral(e.expr)
			diags = append(diags, d...)
			if !ok {
				continue
			}
			set++
			if f != "" {
				*e.dst = "${" + f + "}"
			} else {
				*e.dst = lit
			}
		}
		if body.Cgroup != nil {
			set++
		}
		if set != 1 {
			diags = append(diags, errorAt(b.DefRange.Ptr(), "Say whose processes", "Set exactly one of user (\"$${user}\" or a name), unit (\"$${unit}\" or e.g. \"nginx.service\") and cgroup (a path such as \"/system.slice/app.service\"). Processes are never chosen by a name taken from a log."))
		}
		if body.Cgroup != nil {
			cg := *body.Cgroup
			if !strings.HasPrefix(cg, "/") || strings.Contains(cg, "..") || strings.Contains(cg, "${") {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "Invalid cgroup", fmt.Sprintf("cgroup is %q; write a literal path from the cgroup root, e.g. \"/system.slice/app.service\" (no .., no fields).", cg)))
			}
			pa.Cgroup = cg
		}
		if body.MinUID != nil {
			if *body.MinUID < 1 {
				diags = append(diags, errorAt(body.MinUIDRng.Ptr(), "Invalid min_uid",
					"min_uid is the lowest UID whose processes may be ended; root (0) never: use 1 or more (default 1000)."))
			} else {
				pa.MinUID = *body.MinUID
			}
		}
		a.Process = pa
	default:
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported action kind",
			Detail:   fmt.Sprintf("Action kind %q is not known; use %q, %q, %q, %q, %q or %q.", b.Kind, KindExec, KindWebhook, KindNftables, KindAccount, KindProcess, KindSystemd),
			Subject:  b.KindRange.Ptr(),
		}}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return a, diags
}

func decodeArgv(expr hcl.Expression) (*ExecAction, hcl.Diagnostics) {
	elems, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	e := &ExecAction{ArgvRange: expr.Range()}
	if len(elems) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Empty argv",
			Detail:   "argv lists the program and its arguments, e.g. argv = [\"/usr/bin/touch\", \"blocked-${ip}\"].",
			Subject:  expr.Range().Ptr(),
		}}
	}
	for i, el := range elems {
		t, d := NewTemplate(el)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if i == 0 {
			prog, _ := t.Render(nil)
			if !t.IsLiteral() || !filepath.IsAbs(prog) {
				diags = append(diags, errorAt(el.Range().Ptr(), "Program must be an absolute path", "argv[0] names the program to run as a literal absolute path, e.g. \"/usr/bin/touch\"; breachd never searches PATH and never runs a shell."))
				continue
			}
		}
		e.Argv = append(e.Argv, t)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return e, diags
}

// decodeMode reads a mode attribute.
func decodeMode(s string, rng hcl.Range) (Mode, *hcl.Diagnostic) {
	switch Mode(s) {
	case ModeEnforce, ModeDryRun:
		return Mode(s), nil
	}
	return "", errorAt(rng.Ptr(), "Invalid mode", fmt.Sprintf("mode is %q; use \"enforce\" (act) or \"dry_run\" (record exactly what would run, run nothing).", s))
}

// decodeCIDRs reads a list of addresses or prefixes.
func decodeCIDRs(attr string, list []string, rng hcl.Range) ([]netip.Prefix, hcl.Diagnostics) {
	var out []netip.Prefix
	var diags hcl.Diagnostics
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil || a.Zone() != "" {
				diags = append(diags, errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s entry", attr), fmt.Sprintf("%q is neither an IP address nor a CIDR prefix; write e.g. \"10.0.0.0/8\", \"2001:db8::/32\" or \"192.0.2.10\".", s)))
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, diags
}

func decodeNftables(body *nftablesBody, def hcl.Range) (*NftablesAction, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	n := &NftablesAction{Target: "ip", TTL: DefaultBlockTTL, IPv4Prefix: 32, IPv6Prefix: 128, TargetRange: def}
	if f, lit, set, d := fieldOrLiteral(body.Target); set {
		diags = append(diags, d...)
		if !d.HasErrors() && f == "" {
			diags = append(diags, errorAt(body.Target.Range().Ptr(), "Invalid target", fmt.Sprintf("target is %q; name the field holding the address to block, e.g. target = \"${ip}\" (the default). A fixed address belongs in a firewall rule, not a detection.", lit)))
		} else if f != "" {
			n.Target, n.TargetRange = f, body.Target.Range()
		}
	}
	if d := decodeTTL(body.TTL, body.TTLRange, time.Second, "a block lasts (the kernel drops it on its own too)", &n.TTL); d != nil {
		diags = append(diags, d)
	}
	prefixLen := func(attr string, v *int, rng hcl.Range, lo, hi int, dst *int) {
		if v == nil {
			return
		}
		if *v < lo || *v > hi {
			diags = append(diags, errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s", attr), fmt.Sprintf("%s is %d; block the address's network of %d to %d bits (the default blocks the address alone).", attr, *v, lo, hi)))
			return
		}
		*dst = *v
	}
	prefixLen("ipv4_prefix", body.IPv4Prefix, body.IPv4Range, 16, 32, &n.IPv4Prefix)
	prefixLen("ipv6_prefix", body.IPv6Prefix, body.IPv6Range, 32, 128, &n.IPv6Prefix)
	never, d := decodeCIDRs("never", body.Never, body.NeverRange)
	diags = append(diags, d...)
	n.Never = never
	if e := body.Escalate; e != nil {
		max, err := ParseLongDuration(e.Max)
		switch {
		case e.Factor < 1 || e.Factor > 100:
			diags = append(diags, errorAt(e.FactorRange.Ptr(), "Invalid escalate factor", fmt.Sprintf("factor is %g; each repeat offence multiplies the ttl by it: use a number from 1 to 100, e.g. 2.", e.Factor)))
		case err != nil || max < n.TTL:
			diags = append(diags, errorAt(e.MaxRange.Ptr(), "Invalid escalate max", fmt.Sprintf("max is %q; the longest ttl a repeat offender gets, at least the ttl (%s), e.g. \"7d\".", e.Max, n.TTL)))
		default:
			n.EscalateFactor, n.EscalateMax = e.Factor, max
		}
	}
	return n, diags
}
