package configs

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
	// invalidSources are the sources declared with errors.
	invalidSources map[string]bool
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
	// Team is the response team; Channels are where messages go;
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
	cfg := &Config{Filename: strings.Join(names, ","), Dir: dir, Files: map[string]*hcl.File{}}
	// The files are read on every core (the shipped packs are 40 files,
	// and reading them is most of a replay's start); each result keeps
	// its place, so the diagnostics come in the files' order.
	type parsed struct {
		f       *hcl.File
		diags   hcl.Diagnostics
		nesting bool // CheckNesting refused it: not parsed
	}
	out := make([]parsed, len(srcs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Go(func() {
			for i := range next {
				if d := CheckNesting(names[i], srcs[i]); d.HasErrors() {
					out[i] = parsed{diags: d, nesting: true}
					continue
				}
				f, d := hclsyntax.ParseConfig(srcs[i], names[i], hcl.InitialPos)
				out[i] = parsed{f: f, diags: d}
			}
		})
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()
	var diags hcl.Diagnostics
	var files []*hcl.File
	for i, r := range out {
		if r.nesting {
			return cfg, append(diags, r.diags...)
		}
		diags = append(diags, r.diags...)
		if r.f != nil {
			files = append(files, r.f)
			cfg.Files[names[i]] = r.f
		}
	}
	if diags.HasErrors() {
		return cfg, diags
	}
	var raw fileSchema
	diags = append(diags, gohcl.DecodeBody(hcl.MergeFiles(files), nil, &raw)...)
	return cfg, append(diags, cfg.decodeAfter(diags, &raw)...)
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
	return cfg, append(diags, cfg.decodeAfter(diags, &raw)...)
}

// decodeAfter checks what the schema decode produced, so that every
// problem is reported at once: after schema errors (a value of the wrong
// type, an unknown argument), the parts that did decode are still checked
// (an unknown source, an invalid regular expression in the same block),
// except where a schema error already points: what is wrong there is
// said once.
func (c *Config) decodeAfter(schema hcl.Diagnostics, raw *fileSchema) hcl.Diagnostics {
	if !schema.HasErrors() {
		return c.decode(raw)
	}
	var out hcl.Diagnostics
	for _, d := range c.decode(raw) {
		// A subject with no file is an attribute that did not decode.
		if d.Subject == nil || d.Subject.Filename == "" || overlapsAny(*d.Subject, schema) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// overlapsAny says whether r overlaps the subject or context of any of
// diags.
func overlapsAny(r hcl.Range, diags hcl.Diagnostics) bool {
	for _, d := range diags {
		for _, s := range []*hcl.Range{d.Subject, d.Context} {
			if s != nil && s.Filename == r.Filename && s.Overlaps(r) {
				return true
			}
		}
	}
	return false
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
			} else {
				c.invalid(b.Name)
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
		} else {
			c.invalid(b.Name)
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
		if _, port, err := net.SplitHostPort(*b.Listen); err != nil || !validPort(port) {
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

// invalid records a source declared with errors: rules that read it are
// not told it is undeclared (its own errors say what is wrong).
func (c *Config) invalid(name string) {
	if c.invalidSources == nil {
		c.invalidSources = map[string]bool{}
	}
	c.invalidSources[name] = true
}

// validPort says whether port is a TCP port number, 0 to 65535 (0: any
// free port).
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535 && strconv.Itoa(n) == port
}
