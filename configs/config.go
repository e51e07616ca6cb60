package configs

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Defaults applied when a config leaves a value out.
const (
	DefaultListen        = "127.0.0.1:9731"
	DefaultDataDir       = "./var"
	DefaultActionTimeout = 10 * time.Second
	// DefaultPath is where the CLI looks for a config when none is named.
	DefaultPath = "/etc/breachd/breachd.hcl"
)

// Config is one decoded, validated configuration file.
type Config struct {
	// Filename is the path the config was read from, as given.
	Filename string
	// Dir is the absolute folder of the config file; relative paths in the
	// config were resolved against it.
	Dir     string
	Server  Server
	Sources []*Source
	Rules   []*Rule
	Actions []*Action
	// Incidents says how findings become incidents and how long records
	// are kept; Assets are what incidents are scoped to; Tokens are the
	// API's principals.
	Incidents Incidents
	Assets    []*Asset
	Tokens    []*Token
	// Containment holds the safeguards every action obeys.
	Containment Containment
	// Policies say which notices incidents require, by when.
	Policies []*Policy
	// Team is the response team (P3); Channels are where messages go;
	// Routes say which new incidents page which channels.
	Team          []*Member
	Channels      []*Channel
	Routes        []*Route
	Notifications Notifications
	Organisation  Organisation
	Recipients    []*Recipient

	// Files holds the parsed sources by filename, for printing diagnostics
	// with snippets.
	Files map[string]*hcl.File
}

// Server is the server block: where the HTTP API listens and where breachd
// keeps its state.
type Server struct {
	Listen string
	// DataDir is absolute.
	DataDir string
	// AnonymousRole is the role of requests without a token; "" refuses
	// them. Only allowed when listening on loopback. AnonymousRange is
	// where the config sets it, for diagnostics.
	AnonymousRole  string
	AnonymousRange hcl.Range
	// TLSCert and TLSKey, both set, serve the API over TLS; absolute.
	TLSCert, TLSKey string
	// LogLevel is debug, info, warn or error; LogFormat text or json.
	// The run command's -log-level and -log-format flags win.
	LogLevel, LogFormat string
	// HTTP bounds the API's connections.
	HTTP      HTTPLimits
	DeclRange hcl.Range
}

// SourceKind names a kind of source.
type SourceKind string

// The source kinds breachd knows.
const (
	KindFile     SourceKind = "file"
	KindJournald SourceKind = "journald"
	KindSyslog   SourceKind = "syslog"
	KindStdin    SourceKind = "stdin"
)

// Source is a `source "KIND" "NAME"` block.
type Source struct {
	Kind SourceKind
	Name string
	// Paths are the files of a file source, absolute.
	Paths []string
	// Journald is set for a journald source, Syslog for a syslog
	// receiver.
	Journald *JournaldSource
	Syslog   *SyslogSource
	// Metrics is set for scrape and promql sources.
	Metrics *MetricsSource
	// StartAt says where to read a file that exists when breachd first
	// sees it (with no stored position).
	StartAt StartAt
	// Format says how lines are parsed.
	Format Format
	// MaxLineBytes caps a line of a file or stdin source; 0 means the
	// default (256 KiB).
	MaxLineBytes int
	// RotateGrace is how long a file source still reads a file rotated
	// away after it last grew; 0 means the default (5s).
	RotateGrace time.Duration
	// Structured is set for the json, logfmt and regex formats.
	Structured *Structured
	// Location is the zone of timestamps written without one.
	Location  *time.Location
	DeclRange hcl.Range
}

// JournaldSource says which journal to follow and what to select from it.
type JournaldSource struct {
	// Matches are journalctl matches: "FIELD=value", or "+" between groups
	// for OR.
	Matches []string
	// Journalctl is the absolute path of the journalctl program.
	Journalctl string
	// Files and Directory select journal files instead of the system
	// journal; absolute. At most one of them is set.
	Files     []string
	Directory string
	// MatchesRange points at the match attribute and JournalctlRange at
	// the journalctl attribute (or the block when it is not set), for
	// diagnostics.
	MatchesRange, JournalctlRange hcl.Range
}

// DefaultJournalctl is where journalctl is on Debian and most systems.
const DefaultJournalctl = "/usr/bin/journalctl"

// Fields the sources provide to rules, next to the rules' captures.
const (
	FieldHost    = "host"
	FieldProgram = "program"
	FieldPID     = "pid"
	FieldSender  = "sender"
	// FieldSeenIn is where a line was seen, for group_by and distinct
	// of every rule: the host the line names (its host field) when it
	// names one, else the file it was read from (a file source), else
	// the source.
	FieldSeenIn = "seen_in"
)

// Fields returns the names of the fields the source's events carry, in the
// order the detector fills rules.Event.Fields.
func (s *Source) Fields() []string {
	switch {
	case s.Kind == KindSyslog:
		return []string{FieldHost, FieldProgram, FieldPID, FieldSender}
	case s.Metrics != nil:
		return append([]string{FieldMetric, FieldValue, FieldTarget}, s.Metrics.Labels...)
	case s.Kind == KindJournald || s.Format == FormatSyslog || s.Format == FormatAuto:
		return []string{FieldHost, FieldProgram, FieldPID}
	case s.Structured != nil && s.Structured.Pattern != nil:
		var out []string
		for _, name := range s.Structured.Pattern.SubexpNames() {
			if name != "" && name != "message" && name != "time" {
				out = append(out, name)
			}
		}
		return out
	case s.Structured != nil:
		return s.Structured.FieldNames
	}
	return nil
}

// Format is how a source's lines are parsed.
type Format string

// Formats.
const (
	// FormatRaw: the whole line is the message; events are stamped with
	// the time they were read.
	FormatRaw Format = "raw"
	// FormatSyslog: lines as syslog daemons write them to files; the
	// header gives the event's time and the fields host, program and pid.
	FormatSyslog Format = "syslog"
)

// StartAt is where a file source starts reading a file it has no position
// for.
type StartAt string

// StartAt values.
const (
	StartAtEnd       StartAt = "end"
	StartAtBeginning StartAt = "beginning"
)

// Rule is a `rule "NAME"` block as written; package rules compiles it.
type Rule struct {
	Name        string
	Source      string
	SourceRange hcl.Range
	// Matches are the rule's regular expressions; a line matches the rule
	// when it matches one of them, tried in order.
	Matches    []string
	MatchRange hcl.Range
	// Where is the expr-lang condition, empty when absent.
	Where      string
	WhereRange hcl.Range
	Threshold  *Threshold
	// Sequence is set for a sequence rule, which has no Matches of its
	// own.
	Sequence *Sequence
	// Absent is set for a rule that fires when its events stop.
	Absent *Absent
	// Metric is set for a rule over samples of a metrics source.
	Metric *MetricRule
	// Connection is set for a rule whose lines are tied by connection.
	Connection *Connection
	Severity   Severity
	// Title and Category describe the incident the rule opens.
	Title         *Template
	Category      string
	Actions       []string
	ActionsRange  hcl.Range
	NameRange     hcl.Range
	DeclRange     hcl.Range
	IncidentRange hcl.Range
	// Enabled is false for a rule that is checked but not run.
	Enabled bool
	// DryRun records the actions the rule would run instead of running
	// them.
	DryRun bool
	// Sensitive says the rule's captures are themselves sensitive data
	// (card numbers, SSNs, secrets): its findings carry them masked, and
	// its titles, group keys and evidence are built from the masked
	// values.
	Sensitive bool
	// Tags label the rule, e.g. MITRE ATT&CK technique ids.
	Tags []string
	// Assets are the assets the rule's incidents concern; when empty,
	// incidents are scoped by the assets whose hosts match.
	Assets []string
	// Indicates is what a match of the rule shows (Indication values):
	// the suggested risk follows from it. Empty: the rule does not say.
	Indicates      []string
	IndicatesRange hcl.Range
}

// MetricRule is a rule's `metric` block: per series of metric Name whose
// labels match Labels (anchored regular expressions), fire when When (an
// expr condition over value, rate and increase, the last two over Window)
// has held for For, and resolve when it stops holding.
type MetricRule struct {
	Name        string
	Labels      map[string]string
	LabelsRange hcl.Range
	Window      time.Duration
	When        string
	WhenRange   hcl.Range
	For         time.Duration
	DeclRange   hcl.Range
}

// Absent is a rule's `absent` block: fire when no matching event (per
// GroupBy key) has been seen for Within.
type Absent struct {
	Within       time.Duration
	GroupBy      []string
	GroupByRange hcl.Range
	DeclRange    hcl.Range
}

// Sequence is a rule's `sequence` block: its steps must happen in order,
// for the same By values, within Within of the first.
type Sequence struct {
	By        []string
	ByRange   hcl.Range
	Within    time.Duration
	Steps     []*Step
	DeclRange hcl.Range
}

// Step is one `step "NAME"` of a sequence.
type Step struct {
	Name string
	// Source is the step's source: its own, else the rule's.
	Source      string
	SourceRange hcl.Range
	Matches     []string
	MatchRange  hcl.Range
	Where       string
	WhereRange  hcl.Range
	// Count is how many matching events the step takes before the next
	// step can follow.
	Count     int
	DeclRange hcl.Range
}

// Threshold is a rule's `threshold` block: fire when Count events with the
// same GroupBy values fall within Within of each other.
type Threshold struct {
	Count        int
	Within       time.Duration
	GroupBy      []string
	GroupByRange hcl.Range
	// Distinct, when set, counts distinct values of this field instead of
	// events: Count different users from one address.
	Distinct      string
	DistinctRange hcl.Range
	// Cooldown is how long a key that fired stays silent; 0 means it fires
	// on every event at or over the threshold.
	Cooldown  time.Duration
	DeclRange hcl.Range
}

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

// ActionByName returns the action with the given name, or nil.
func (c *Config) ActionByName(name string) *Action {
	for _, a := range c.Actions {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// SourceByName returns the source with the given name, or nil.
func (c *Config) SourceByName(name string) *Source {
	for _, s := range c.Sources {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// LoadFile reads and decodes the config at path. The returned Config is
// never nil, so its Files can print the diagnostics.
func LoadFile(path string) (*Config, hcl.Diagnostics) {
	empty := &Config{Filename: path, Files: map[string]*hcl.File{}}
	src, err := os.ReadFile(path)
	if err != nil {
		return empty, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read config file",
			Detail:   fmt.Sprintf("%v. Check the path and its permissions.", err),
		}}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return empty, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot resolve config path", Detail: err.Error()}}
	}
	return Parse(path, src, filepath.Dir(abs))
}

// LoadFiles reads several files as one config, as if they were
// concatenated (a config and the rule packs it uses). Relative paths
// resolve against the first file's folder.
func LoadFiles(paths ...string) (*Config, hcl.Diagnostics) {
	if len(paths) == 1 {
		return LoadFile(paths[0])
	}
	srcs := make([][]byte, len(paths))
	dir := ""
	for i, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			return &Config{Filename: path, Files: map[string]*hcl.File{}}, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Cannot read config file",
				Detail:   fmt.Sprintf("%v. Check the path and its permissions.", err),
			}}
		}
		srcs[i] = src
		if i == 0 {
			abs, err := filepath.Abs(path)
			if err != nil {
				return &Config{Filename: path, Files: map[string]*hcl.File{}}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot resolve config path", Detail: err.Error()}}
			}
			dir = filepath.Dir(abs)
		}
	}
	return ParseFiles(paths, srcs, dir)
}

// ParseFiles decodes several sources as one config; names are used in
// diagnostics, dir resolves relative paths.
func ParseFiles(names []string, srcs [][]byte, dir string) (*Config, hcl.Diagnostics) {
	p := hclparse.NewParser()
	cfg := &Config{Filename: strings.Join(names, ","), Dir: dir, Files: p.Files()}
	var diags hcl.Diagnostics
	var files []*hcl.File
	for i, src := range srcs {
		if d := CheckNesting(names[i], src); d.HasErrors() {
			return cfg, append(diags, d...)
		}
		f, d := p.ParseHCL(src, names[i])
		diags = append(diags, d...)
		if f != nil {
			files = append(files, f)
		}
	}
	cfg.Files = p.Files()
	if diags.HasErrors() {
		return cfg, diags
	}
	var raw fileSchema
	diags = append(diags, gohcl.DecodeBody(hcl.MergeFiles(files), nil, &raw)...)
	if diags.HasErrors() {
		return cfg, diags
	}
	diags = append(diags, cfg.decode(&raw)...)
	return cfg, diags
}

// Parse decodes src, named filename in diagnostics, resolving relative paths
// against dir.
func Parse(filename string, src []byte, dir string) (*Config, hcl.Diagnostics) {
	p := hclparse.NewParser()
	if diags := CheckNesting(filename, src); diags.HasErrors() {
		return &Config{Filename: filename, Dir: dir, Files: p.Files()}, diags
	}
	f, diags := p.ParseHCL(src, filename)
	cfg := &Config{Filename: filename, Dir: dir, Files: p.Files()}
	if diags.HasErrors() {
		return cfg, diags
	}
	var raw fileSchema
	diags = append(diags, gohcl.DecodeBody(f.Body, nil, &raw)...)
	if diags.HasErrors() {
		return cfg, diags
	}
	diags = append(diags, cfg.decode(&raw)...)
	return cfg, diags
}

// Abs resolves p against the config's folder.
func (c *Config) Abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.Dir, p)
}

type fileSchema struct {
	Servers     []*serverBlock        `hcl:"server,block"`
	Sources     []*sourceBlock        `hcl:"source,block"`
	Rules       []*ruleBlock          `hcl:"rule,block"`
	Actions     []*actionBlock        `hcl:"action,block"`
	Incidents   []*incidentsBlock     `hcl:"incidents,block"`
	Assets      []*assetBlock         `hcl:"asset,block"`
	Tokens      []*tokenBlock         `hcl:"token,block"`
	Containment []*containmentBlock   `hcl:"containment,block"`
	Policies    []*policyBlock        `hcl:"policy,block"`
	Team        []*teamBlock          `hcl:"team,block"`
	ChannelBlks []*channelBlock       `hcl:"channel,block"`
	RouteBlks   []*routeBlock         `hcl:"route,block"`
	NotifyBlks  []*notificationsBlock `hcl:"notifications,block"`
	OrgBlks     []*organisationBlock  `hcl:"organisation,block"`
	RecBlks     []*recipientBlock     `hcl:"recipient,block"`
}

type serverBlock struct {
	Listen       *string   `hcl:"listen,optional"`
	ListenRange  hcl.Range `hcl:"listen,attr_value_range"`
	DataDir      *string   `hcl:"data_dir,optional"`
	DataDirRange hcl.Range `hcl:"data_dir,attr_value_range"`
	Anonymous    *string   `hcl:"anonymous_role,optional"`
	AnonRange    hcl.Range `hcl:"anonymous_role,attr_value_range"`
	TLSCert      *string   `hcl:"tls_cert,optional"`
	TLSCertRange hcl.Range `hcl:"tls_cert,attr_value_range"`
	TLSKey       *string   `hcl:"tls_key,optional"`
	LogLevel     *string   `hcl:"log_level,optional"`
	LogLevelRng  hcl.Range `hcl:"log_level,attr_value_range"`
	LogFormat    *string   `hcl:"log_format,optional"`
	LogFormatRng hcl.Range `hcl:"log_format,attr_value_range"`
	// The API's connection limits (httplimits.go).
	ReadHeaderTimeout   *string   `hcl:"read_header_timeout,optional"`
	ReadHeaderRange     hcl.Range `hcl:"read_header_timeout,attr_value_range"`
	ReadTimeout         *string   `hcl:"read_timeout,optional"`
	ReadTimeoutRange    hcl.Range `hcl:"read_timeout,attr_value_range"`
	WriteTimeout        *string   `hcl:"write_timeout,optional"`
	WriteTimeoutRange   hcl.Range `hcl:"write_timeout,attr_value_range"`
	IdleTimeout         *string   `hcl:"idle_timeout,optional"`
	IdleTimeoutRange    hcl.Range `hcl:"idle_timeout,attr_value_range"`
	MaxConnections      *int      `hcl:"max_connections,optional"`
	MaxConnectionsRange hcl.Range `hcl:"max_connections,attr_value_range"`
	DefRange            hcl.Range `hcl:",def_range"`
}

type sourceBlock struct {
	Type      string    `hcl:"type,label"`
	Name      string    `hcl:"name,label"`
	TypeRange hcl.Range `hcl:"type,label_range"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
	Body      hcl.Body  `hcl:",remain"`
}

type fileSourceBody struct {
	Paths            []string          `hcl:"paths,optional"`
	PathsRange       hcl.Range         `hcl:"paths,attr_value_range"`
	StartAt          *string           `hcl:"start_at,optional"`
	StartAtRange     hcl.Range         `hcl:"start_at,attr_value_range"`
	Format           *string           `hcl:"format,optional"`
	FormatRange      hcl.Range         `hcl:"format,attr_value_range"`
	Fields           map[string]string `hcl:"fields,optional"`
	FieldsRange      hcl.Range         `hcl:"fields,attr_value_range"`
	MessageKeys      []string          `hcl:"message_keys,optional"`
	MessageKeysRange hcl.Range         `hcl:"message_keys,attr_value_range"`
	TimeKeys         []string          `hcl:"time_keys,optional"`
	TimeKeysRange    hcl.Range         `hcl:"time_keys,attr_value_range"`
	Pattern          *string           `hcl:"pattern,optional"`
	TimeLayout       *string           `hcl:"time_layout,optional"`
	PatternRange     hcl.Range         `hcl:"pattern,attr_value_range"`
	MaxLineBytes     *int              `hcl:"max_line_bytes,optional"`
	MaxLineRange     hcl.Range         `hcl:"max_line_bytes,attr_value_range"`
	RotateGrace      *string           `hcl:"rotate_grace,optional"`
	RotateGraceRange hcl.Range         `hcl:"rotate_grace,attr_value_range"`
	Timezone         *string           `hcl:"timezone,optional"`
	TimezoneRange    hcl.Range         `hcl:"timezone,attr_value_range"`
}

// decodeTimezone loads the zone named by tz; it returns nil, nil when tz is
// not set.
func decodeTimezone(tz *string, rng hcl.Range) (*time.Location, *hcl.Diagnostic) {
	if tz == nil {
		return nil, nil
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil || *tz == "" {
		return nil, errorAt(rng.Ptr(), "Unknown timezone", fmt.Sprintf("timezone is %q; write an IANA zone name such as \"Europe/Berlin\" or \"UTC\", or \"Local\" for the host's zone.", *tz))
	}
	return loc, nil
}

// Bounds of max_line_bytes.
const (
	minLineBytes = 1 << 10
	maxLineBytes = 64 << 20
)

// defaultFormat is the format of a file or stdin source that sets none: a
// file's is recognised from its first lines; standard input stays raw.
func defaultFormat(kind SourceKind) Format {
	if kind == KindFile {
		return FormatAuto
	}
	return FormatRaw
}

// decodeFile decodes a file or stdin source.
func (c *Config) decodeFile(b *sourceBlock) (*Source, hcl.Diagnostics) {
	var body fileSourceBody
	if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
		return nil, d
	}
	kind := SourceKind(b.Type)
	if kind == KindFile && len(body.Paths) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Source has no paths",
			Detail:   "List at least one log file to follow, e.g. paths = [\"/var/log/auth.log\"].",
			Subject:  body.PathsRange.Ptr(),
		}}
	}
	if kind == KindStdin && (body.Paths != nil || body.StartAt != nil || body.RotateGrace != nil) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Attribute not used by stdin",
			Detail:   "A stdin source reads breachd's standard input; remove paths, start_at and rotate_grace, or use source \"file\".",
			Subject:  b.DefRange.Ptr(),
		}}
	}
	var diags hcl.Diagnostics
	s := &Source{Kind: kind, Name: b.Name, StartAt: StartAtEnd, Format: FormatRaw, Location: time.Local, DeclRange: b.DefRange}
	diags = append(diags, decodeFormat(s, formatAttrs{
		format: body.Format, formatRange: body.FormatRange,
		fields: body.Fields, fieldsRange: body.FieldsRange, hasFields: body.Fields != nil,
		messageKeys: body.MessageKeys, messageKeysRange: body.MessageKeysRange, hasMessageKeys: body.MessageKeys != nil,
		timeKeys: body.TimeKeys, timeKeysRange: body.TimeKeysRange, hasTimeKeys: body.TimeKeys != nil,
		pattern: body.Pattern, patternRange: body.PatternRange, timeLayout: body.TimeLayout,
		declRange: b.DefRange, def: defaultFormat(kind),
	})...)
	if loc, d := decodeTimezone(body.Timezone, body.TimezoneRange); d != nil {
		diags = append(diags, d)
	} else if loc != nil {
		s.Location = loc
	}
	if body.StartAt != nil {
		switch v := StartAt(*body.StartAt); v {
		case StartAtEnd, StartAtBeginning:
			s.StartAt = v
		default:
			diags = append(diags, errorAt(body.StartAtRange.Ptr(), "Invalid start_at", fmt.Sprintf("start_at is %q; use \"end\" (read only what is written from now on) or \"beginning\" (read the file's existing lines too).", *body.StartAt)))
		}
	}
	if body.MaxLineBytes != nil {
		if n := *body.MaxLineBytes; n < minLineBytes || n > maxLineBytes {
			diags = append(diags, errorAt(body.MaxLineRange.Ptr(), "Invalid max_line_bytes", fmt.Sprintf("max_line_bytes is %d; use %d to %d (the default is 262144, 256 KiB). Longer lines are cut, never buffered whole.", n, minLineBytes, maxLineBytes)))
		}
		s.MaxLineBytes = *body.MaxLineBytes
	}
	if body.RotateGrace != nil {
		d, diag := decodeRotateGrace(*body.RotateGrace, body.RotateGraceRange)
		if diag != nil {
			diags = append(diags, diag)
		}
		s.RotateGrace = d
	}
	for _, p := range body.Paths {
		if strings.TrimSpace(p) == "" {
			diags = append(diags, errorAt(body.PathsRange.Ptr(), "Empty path", "Each entry of paths must name a file."))
			continue
		}
		if _, err := filepath.Match(p, ""); err != nil {
			diags = append(diags, errorAt(body.PathsRange.Ptr(), "Invalid path pattern", fmt.Sprintf("%q is not a valid pattern (%v); * matches any run of characters within a folder name, ? one character, [a-z] one of a set.", p, err)))
			continue
		}
		s.Paths = append(s.Paths, c.Abs(p))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return s, diags
}

func (c *Config) decode(raw *fileSchema) hcl.Diagnostics {
	var diags hcl.Diagnostics
	diags = append(diags, c.decodeServer(raw.Servers)...)
	diags = append(diags, c.decodePolicies(raw.Policies)...)
	diags = append(diags, c.decodeIncidents(raw.Incidents)...)
	diags = append(diags, c.decodeAssets(raw.Assets)...)
	diags = append(diags, c.decodeTokens(raw.Tokens)...)
	diags = append(diags, c.decodeContainment(raw.Containment)...)
	diags = append(diags, c.decodeNotify(raw.Team, raw.ChannelBlks, raw.RouteBlks)...)
	diags = append(diags, c.decodeNotifications(raw.NotifyBlks)...)
	diags = append(diags, c.decodeOrganisation(raw.OrgBlks)...)
	diags = append(diags, c.decodeRecipients(raw.RecBlks)...)
	diags = append(diags, c.checkReachable()...)

	seenSources := map[string]hcl.Range{}
	var stdin *sourceBlock
	for _, b := range raw.Sources {
		if d := checkName("source", b.Name, b.NameRange, seenSources); d != nil {
			diags = append(diags, d)
			continue
		}
		switch SourceKind(b.Type) {
		case KindFile, KindStdin:
		case KindJournald, KindSyslog, KindScrape, KindPromQL:
			decode := c.decodeJournald
			switch SourceKind(b.Type) {
			case KindSyslog:
				decode = c.decodeSyslog
			case KindScrape, KindPromQL:
				decode = c.decodeMetrics
			}
			s, d := decode(b)
			diags = append(diags, d...)
			if s != nil {
				c.Sources = append(c.Sources, s)
			}
			continue
		default:
			diags = append(diags, errorAt(b.TypeRange.Ptr(), "Unsupported source type", fmt.Sprintf("Source type %q is not known; use \"file\" (source \"file\" %q { paths = [...] }), \"journald\", \"syslog\", \"stdin\", \"scrape\" or \"promql\".", b.Type, b.Name)))
			continue
		}
		if SourceKind(b.Type) == KindStdin {
			if stdin != nil {
				diags = append(diags, errorAt(b.DefRange.Ptr(), "Second stdin source", fmt.Sprintf("breachd has one standard input, already read by source %q (%s).", stdin.Name, stdin.DefRange)))
				continue
			}
		}
		s, d := c.decodeFile(b)
		diags = append(diags, d...)
		if s != nil {
			c.Sources = append(c.Sources, s)
			if s.Kind == KindStdin {
				stdin = b
			}
		}
	}

	seenActions := map[string]hcl.Range{}
	for _, b := range raw.Actions {
		if d := checkName("action", b.Name, b.NameRange, seenActions); d != nil {
			diags = append(diags, d)
			continue
		}
		a, d := decodeAction(b)
		diags = append(diags, d...)
		if a != nil {
			c.Actions = append(c.Actions, a)
		}
	}

	seenRules := map[string]hcl.Range{}
	for _, b := range raw.Rules {
		if d := checkName("rule", b.Name, b.NameRange, seenRules); d != nil {
			diags = append(diags, d)
			continue
		}
		r, d := c.decodeRule(b)
		diags = append(diags, d...)
		if r != nil {
			c.Rules = append(c.Rules, r)
		}
	}
	return diags
}

func (c *Config) decodeServer(blocks []*serverBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	c.Server = Server{Listen: DefaultListen, DataDir: c.Abs(DefaultDataDir), LogLevel: "info", LogFormat: "text", HTTP: DefaultHTTPLimits()}
	if len(blocks) == 0 {
		return nil
	}
	for _, extra := range blocks[1:] {
		diags = append(diags, duplicateBlock("server", blocks[0].DefRange, extra.DefRange))
	}
	b := blocks[0]
	c.Server.DeclRange = b.DefRange
	if b.Listen != nil {
		if _, port, err := net.SplitHostPort(*b.Listen); err != nil || port == "" {
			diags = append(diags, errorAt(b.ListenRange.Ptr(), "Invalid listen address", fmt.Sprintf("%q is not a host:port address; write e.g. listen = %q.", *b.Listen, DefaultListen)))
		} else {
			c.Server.Listen = *b.Listen
		}
	}
	if b.DataDir != nil {
		if strings.TrimSpace(*b.DataDir) == "" {
			diags = append(diags, errorAt(b.DataDirRange.Ptr(), "Empty data_dir", fmt.Sprintf("data_dir names the folder for breachd's database; remove it for the default %q or name a folder.", DefaultDataDir)))
		} else {
			c.Server.DataDir = c.Abs(*b.DataDir)
		}
	}
	if b.Anonymous != nil {
		switch {
		case !slices.Contains(TokenRoles(), *b.Anonymous):
			diags = append(diags, errorAt(b.AnonRange.Ptr(), "Invalid anonymous_role", fmt.Sprintf("anonymous_role is %q; use %q (read without a token) or remove it so every request needs a token.", *b.Anonymous, RoleViewer)))
		case *b.Anonymous != RoleViewer:
			diags = append(diags, errorAt(b.AnonRange.Ptr(), "Anonymous writes", fmt.Sprintf("anonymous_role %q would let anyone change incidents without being named; only %q is allowed. Give writers a token block.", *b.Anonymous, RoleViewer)))
		case !isLoopbackListen(c.Server.Listen):
			diags = append(diags, errorAt(b.AnonRange.Ptr(), "Anonymous access off loopback", fmt.Sprintf("anonymous_role is only allowed when listen is a loopback address (it is %q); give readers a viewer token instead.", c.Server.Listen)))
		default:
			c.Server.AnonymousRole, c.Server.AnonymousRange = *b.Anonymous, b.AnonRange
		}
	}
	if (b.TLSCert == nil) != (b.TLSKey == nil) {
		diags = append(diags, errorAt(b.DefRange.Ptr(), "TLS needs a certificate and a key", "Set both tls_cert and tls_key (PEM files) to serve the API over TLS, or neither."))
	} else if b.TLSCert != nil {
		c.Server.TLSCert, c.Server.TLSKey = c.Abs(*b.TLSCert), c.Abs(*b.TLSKey)
	}
	if b.LogLevel != nil {
		if !slices.Contains(LogLevels(), *b.LogLevel) {
			diags = append(diags, errorAt(b.LogLevelRng.Ptr(), "Invalid log_level", fmt.Sprintf("log_level is %q; use debug, info, warn or error.", *b.LogLevel)))
		} else {
			c.Server.LogLevel = *b.LogLevel
		}
	}
	diags = append(diags, c.decodeHTTPLimits(b)...)
	if b.LogFormat != nil {
		if *b.LogFormat != "text" && *b.LogFormat != "json" {
			diags = append(diags, errorAt(b.LogFormatRng.Ptr(), "Invalid log_format", fmt.Sprintf("log_format is %q; use \"text\" or \"json\".", *b.LogFormat)))
		} else {
			c.Server.LogFormat = *b.LogFormat
		}
	}
	return diags
}

// LogLevels are the values of the server block's log_level.
func LogLevels() []string { return []string{"debug", "info", "warn", "error"} }

// checkName reports an invalid or duplicate block name, and records it.
func checkName(kind, name string, rng hcl.Range, seen map[string]hcl.Range) *hcl.Diagnostic {
	if !validName(name) {
		return errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s name", kind), fmt.Sprintf("%q is not a valid name: use letters, digits, '-' and '_', starting with a letter, at most 64 characters.", name))
	}
	if first, ok := seen[name]; ok {
		return errorAt(rng.Ptr(), fmt.Sprintf("Duplicate %s name", kind), fmt.Sprintf("A %s named %q is already declared at %s; give this one another name.", kind, name, first))
	}
	seen[name] = rng
	return nil
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// parseDuration parses a Go duration that must be positive.
func parseDuration(attr, s string, rng hcl.Range) (time.Duration, *hcl.Diagnostic) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errorAt(rng.Ptr(), fmt.Sprintf("Invalid %s duration", attr), fmt.Sprintf("%q is not a positive duration; write a number with a unit, e.g. \"90s\", \"5m\" or \"1h\".", s))
	}
	return d, nil
}

// didYouMean returns a hint naming the known names, closest first.
func didYouMean(name string, known []string) string {
	if len(known) == 0 {
		return "none is declared"
	}
	if c := closest(name, known); c != "" {
		return fmt.Sprintf("did you mean %q? Declared: %s", c, strings.Join(known, ", "))
	}
	return "declared: " + strings.Join(known, ", ")
}

// closest returns the known name within two edits of name, the nearest
// first; "" when none is.
func closest(name string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if d := levenshtein.Distance(name, k, nil); d < dist {
			best, dist = k, d
		}
	}
	return best
}
