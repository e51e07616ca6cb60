package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

func TestParseQuickstart(t *testing.T) {
	cfg, diags := LoadFile("examples/quickstart.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dir, _ := filepath.Abs("examples")
	if cfg.Server.Listen != "127.0.0.1:9731" || cfg.Server.DataDir != filepath.Join(dir, "var") {
		t.Errorf("server = %+v", cfg.Server)
	}
	if len(cfg.Sources) != 1 || cfg.Sources[0].Paths[0] != filepath.Join(dir, "var", "auth.log") {
		t.Errorf("sources = %+v; relative paths must resolve against the config's folder", cfg.Sources)
	}
	r := cfg.Rules[0]
	if r.Threshold.Count != 5 || r.Threshold.Within != time.Minute || r.Severity != SeverityHigh || len(r.Actions) != 2 {
		t.Errorf("rule = %+v", r)
	}
	title, err := r.Title.Render(map[string]string{"ip": "203.0.113.7"})
	if err != nil || title != "SSH brute force from 203.0.113.7" {
		t.Errorf("title = %q, %v", title, err)
	}
	if a := cfg.ActionByName("record-block"); a == nil || a.Timeout != 5*time.Second || len(a.Exec.Argv) != 2 {
		t.Errorf("exec action = %+v", a)
	}
}

// TestRotateGrace: a file source's rotate_grace is decoded; unset, it is 0
// (the tailer's default, 5s).
func TestRotateGrace(t *testing.T) {
	cfg, diags := Parse("x.hcl", []byte(`
source "file" "a" {
  paths        = ["/var/log/a.log"]
  rotate_grace = "30s"
}
source "file" "b" { paths = ["/var/log/b.log"] }
`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if a, b := cfg.Sources[0].RotateGrace, cfg.Sources[1].RotateGrace; a != 30*time.Second || b != 0 {
		t.Errorf("rotate_grace = %v and %v, want 30s and 0 (unset)", a, b)
	}
}

func TestDefaults(t *testing.T) {
	cfg, diags := Parse("x.hcl", []byte(`
source "file" "s" { paths = ["/var/log/x.log"] }
rule "r" {
  source = "s"
  match  = "x"
}
action "webhook" "w" { url = "" }
`), "/etc/breachd")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if cfg.Server.Listen != DefaultListen || cfg.Server.DataDir != "/etc/breachd/var" {
		t.Errorf("server defaults = %+v", cfg.Server)
	}
	r := cfg.Rules[0]
	if r.Severity != DefaultSeverity || r.Category != DefaultCategory || r.Threshold != nil {
		t.Errorf("rule defaults = %+v", r)
	}
	if s, _ := r.Title.Render(nil); s != "r" {
		t.Errorf("default title = %q, want the rule name", s)
	}
	if a := cfg.Actions[0]; a.Timeout != DefaultActionTimeout || a.Webhook.URL != "" {
		t.Errorf("action defaults = %+v", a)
	}
	// A file source without format recognises each file's (auto), with
	// the JSON and logfmt keys of message and time; standard input is raw.
	if s := cfg.Sources[0]; s.Format != FormatAuto || s.Structured == nil ||
		fmt.Sprint(s.Structured.MessageKeys, s.Structured.TimeKeys) != fmt.Sprint(DefaultMessageKeys(), DefaultTimeKeys()) {
		t.Errorf("file source defaults = %+v", s)
	}
	in, diags := Parse("x.hcl", []byte(`source "stdin" "in" {}`), "/")
	if diags.HasErrors() || in.Sources[0].Format != FormatRaw {
		t.Errorf("stdin source: %v %+v", diags, in.Sources)
	}
}

func TestIncidentBlocks(t *testing.T) {
	cfg, diags := Parse("x.hcl", []byte(`
source "file" "s" { paths = ["/var/log/x.log"] }
incidents {
  reopen_within   = "24h"
  cost_per_record = 225
  currency        = "EUR"
  evidence_lines  = 50
  retention       = "7y"
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 12000
  records         = 50000
  role            = "processor"
  controller      = "Acme"
  counterparty    = "City of Springfield"
}
token "alice@example.com" {
  role   = "dpo"
  sha256 = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"
}
rule "r" {
  source = "s"
  match  = "x"
  incident { assets = ["crm"] }
}
`), "/etc/breachd")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	in := cfg.Incidents
	if in.ReopenWithin != 24*time.Hour || in.CostPerRecord != 225 || in.Currency != "EUR" || in.EvidenceLines != 50 || in.Retention != 7*365*24*time.Hour {
		t.Errorf("incidents = %+v", in)
	}
	a := cfg.AssetByName("crm")
	if a == nil || a.Records != 50000 || a.Role != RoleProcessor || a.Controller != "Acme" || a.EncryptedAtRest {
		t.Errorf("asset = %+v", a)
	}
	if len(cfg.Tokens) != 1 || cfg.Tokens[0].Principal != "alice@example.com" || cfg.Tokens[0].Role != RoleDPO || cfg.Tokens[0].SHA256[0] != 0x2b {
		t.Errorf("tokens = %+v", cfg.Tokens)
	}
	if r := cfg.Rules[0]; len(r.Assets) != 1 || r.Assets[0] != "crm" {
		t.Errorf("rule assets = %v", r.Assets)
	}
	def, _ := Parse("y.hcl", []byte(`source "file" "s" { paths = ["/x"] }`), "/")
	if def.Incidents.Retention != DefaultRetention || def.Incidents.ReopenWithin != 0 || def.Incidents.EvidenceLines != DefaultEvidenceLines {
		t.Errorf("defaults = %+v", def.Incidents)
	}
}

func TestJournaldSource(t *testing.T) {
	cfg, diags := Parse("x.hcl", []byte(`
source "journald" "ssh" {
  match    = ["_SYSTEMD_UNIT=ssh.service", "+", "SYSLOG_IDENTIFIER=sshd"]
  start_at = "beginning"
  files    = ["journal/remote.journal"]
}
source "journald" "all" {}
rule "r" {
  source = "ssh"
  match  = "Failed"
  where  = "program == 'sshd' && host != ''"
}
`), "/etc/breachd")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := cfg.Sources[0]
	if s.Kind != KindJournald || s.StartAt != StartAtBeginning || len(s.Fields()) != 3 ||
		len(s.Journald.Matches) != 3 || s.Journald.Files[0] != "/etc/breachd/journal/remote.journal" || s.Journald.Journalctl != DefaultJournalctl {
		t.Errorf("journald source = %+v %+v", s, s.Journald)
	}
	if all := cfg.Sources[1]; all.StartAt != StartAtEnd || len(all.Journald.Matches) != 0 || all.Journald.Directory != "" {
		t.Errorf("defaults = %+v %+v", all, all.Journald)
	}
}

// TestErrors checks that each mistake is reported with a summary that names
// it, on the line where it is, with a detail that says how to fix it.
func TestErrors(t *testing.T) {
	const src = `source "file" "auth" { paths = ["/x"] }
`
	tests := []struct {
		name, body, summary string
		line                int
	}{
		{"syntax", `rule "r" {`, "Unclosed configuration block", 2},
		{"unknown attribute", `rule "r" {
  source = "auth"
  match = "x"
  sevrity = "high"
}`, "Unsupported argument", 5},
		{"unknown source", `rule "r" {
  source = "auht"
  match  = "x"
}`, "Unknown source", 3},
		{"unknown action", `rule "r" {
  source  = "auth"
  match   = "x"
  actions = ["nope"]
}`, "Unknown action", 5},
		{"sensitive value as a key", `rule "r" {
  source    = "auth"
  match     = "card=(?P<card>\\d+)"
  sensitive = true
  threshold {
    count    = 3
    within   = "1h"
    group_by = ["host", "card"]
  }
}`, "Sensitive value as a key", 9},
		{"bad severity", `rule "r" {
  source   = "auth"
  match    = "x"
  severity = "urgent"
}`, "Invalid severity", 5},
		{"bad count", `rule "r" {
  source = "auth"
  match  = "x"
  threshold {
    count  = 0
    within = "1m"
  }
}`, "Invalid threshold count", 6},
		{"negative duration", `rule "r" {
  source = "auth"
  match  = "x"
  threshold {
    count  = 3
    within = "-1m"
  }
}`, "Invalid within duration", 7},
		{"duplicate rule", `rule "r" {
  source = "auth"
  match  = "x"
}
rule "r" {
  source = "auth"
  match  = "y"
}`, "Duplicate rule name", 6},
		{"bad name", `rule "9 lives" {
  source = "auth"
  match  = "x"
}`, "Invalid rule name", 2},
		{"unknown source type", `source "kafka" "k" {}`, "Unsupported source type", 2},
		{"unknown action kind", `action "shell" "s" {}`, "Unsupported action kind", 2},
		{"relative program", `action "exec" "e" { argv = ["touch", "x"] }`, "Program must be an absolute path", 2},
		{"templated program", `action "exec" "e" { argv = ["/usr/bin/${prog}"] }`, "Program must be an absolute path", 2},
		{"function in template", `action "exec" "e" { argv = ["/bin/echo", "${upper(ip)}"] }`, "Function calls not allowed", 2},
		{"empty argv", `action "exec" "e" { argv = [] }`, "Empty argv", 2},
		{"bad webhook url", `action "webhook" "w" { url = "ftp://example.com" }`, "Invalid webhook URL", 2},
		{"bad timeout", `action "webhook" "w" {
  url     = ""
  timeout = "soon"
}`, "Invalid timeout duration", 4},
		{"bad listen", `server { listen = "9731" }`, "Invalid listen address", 2},
		{"two servers", `server {}
server {}`, "Duplicate server block", 3},
		{"bad format", `source "file" "f" {
  paths  = ["/x"]
  format = "json5"
}`, "Unsupported format", 4},
		{"bad timezone", `source "file" "f" {
  paths    = ["/x"]
  timezone = "Mars/Olympus"
}`, "Unknown timezone", 4},
		{"bad start_at", `source "file" "f" {
  paths    = ["/x"]
  start_at = "middle"
}`, "Invalid start_at", 4},
		{"journal match option", `source "journald" "j" {
  match = ["--file=/etc/shadow"]
}`, "Invalid journal match", 3},
		{"journal match lower case", `source "journald" "j" {
  match = ["_systemd_unit=ssh.service"]
}`, "Invalid journal match", 3},
		{"relative journalctl", `source "journald" "j" {
  journalctl = "journalctl"
}`, "journalctl must be an absolute path", 3},
		{"journal files and directory", `source "journald" "j" {
  files     = ["a.journal"]
  directory = "/var/log/journal"
}`, "Both files and directory", 4},
		{"bad path pattern", `source "file" "f" {
  paths = ["/var/log/[app.log"]
}`, "Invalid path pattern", 3},
		{"pattern without regex format", `source "file" "f" {
  paths   = ["/x"]
  pattern = "(?P<a>x)"
}`, "Attribute not used by this format", 4},
		{"fields on an auto source", `source "file" "f" {
  paths  = ["/x"]
  fields = { ip = "ip" }
}`, "Attribute not used by this format", 4},
		{"time_keys on a raw source", `source "file" "f" {
  paths     = ["/x"]
  format    = "raw"
  time_keys = ["t"]
}`, "Attribute not used by this format", 5},
		{"json field name", `source "file" "f" {
  paths  = ["/x"]
  format = "json"
  fields = { "User-Name" = "user.name" }
}`, "Invalid field name", 5},
		{"stdin with paths", `source "stdin" "in" {
  paths = ["/x"]
}`, "Attribute not used by stdin", 2},
		{"two stdin", `source "stdin" "a" {}
source "stdin" "b" {}`, "Second stdin source", 3},
		{"scrape without targets", `source "scrape" "m" {}`, "Scrape source has no targets", 2},
		{"scrape bad url", `source "scrape" "m" {
  targets = ["localhost:9100"]
}`, "Invalid URL", 3},
		{"scrape timeout", `source "scrape" "m" {
  targets  = ["http://127.0.0.1:9100/metrics"]
  interval = "5s"
  timeout  = "10s"
}`, "Timeout longer than interval", 5},
		{"promql without query", `source "promql" "p" {
  url = "http://127.0.0.1:9090"
}`, "PromQL source needs url and query", 2},
		{"label hides a field", `source "scrape" "m" {
  targets = ["http://127.0.0.1:9100/metrics"]
  labels  = ["value"]
}`, "Reserved field name", 4},
		{"tiny max_line_bytes", `source "file" "f" {
  paths          = ["/x"]
  max_line_bytes = 10
}`, "Invalid max_line_bytes", 4},
		{"rotate_grace over the maximum", `source "file" "f" {
  paths        = ["/x"]
  rotate_grace = "6m"
}`, "Invalid rotate_grace", 4},
		{"rotate_grace on stdin", `source "stdin" "in" {
  rotate_grace = "5s"
}`, "Attribute not used by stdin", 2},
		{"distinct in group_by", `rule "r" {
  source = "auth"
  match  = "(?P<ip>x)"
  threshold {
    count    = 3
    within   = "1m"
    group_by = ["ip"]
    distinct = "ip"
  }
}`, "distinct is also in group_by", 9},
		{"match list with a number", `rule "r" {
  source = "auth"
  match  = ["x", 1]
}`, "Invalid match", 4},
		{"empty match list", `rule "r" {
  source = "auth"
  match  = []
}`, "Empty match", 4},
		{"syslog listens nowhere", `source "syslog" "n" {}`, "Syslog source listens nowhere", 2},
		{"syslog bad address", `source "syslog" "n" {
  listen_udp = "514"
}`, "Invalid listen address", 3},
		{"syslog message cap", `source "syslog" "n" {
  listen_tcp        = ":514"
  max_message_bytes = 10
}`, "Invalid max_message_bytes", 4},
		{"syslog connection cap", `source "syslog" "n" {
  listen_tcp      = ":514"
  max_connections = 0
}`, "Invalid max_connections", 4},
		{"variables in match", `rule "r" {
  source = "auth"
  match  = "from ${ip}"
}`, "Variables not allowed", 4},
		{"unknown asset", `rule "r" {
  source = "auth"
  match  = "x"
  incident {
    assets = ["crn"]
  }
}`, "Unknown asset", 6},
		{"bad asset role", `asset "crm" {
  role = "owner"
}`, "Invalid role", 3},
		{"processor without controller", `asset "crm" {
  role = "processor"
}`, "Processor asset without a controller", 3},
		{"bad data category", `asset "crm" {
  data_categories = ["E-Mail"]
}`, "Invalid data category", 3},
		{"negative records", `asset "crm" {
  records = -5
}`, "Invalid records", 3},
		{"bad token role", `token "alice" {
  role   = "root"
  sha256 = "x"
}`, "Invalid token role", 3},
		{"token in clear", `token "alice" {
  role   = "viewer"
  sha256 = "my-secret-token"
}`, "Invalid token hash", 4},
		{"short retention", `incidents {
  retention = "30d"
}`, "Invalid retention", 3},
		{"bad reopen_within", `incidents {
  reopen_within = "soon"
}`, "Invalid reopen_within", 3},
		{"anonymous writer", `server {
  anonymous_role = "responder"
}`, "Anonymous writes", 3},
		{"anonymous off loopback", `server {
  listen         = "0.0.0.0:9731"
  anonymous_role = "viewer"
}`, "Anonymous access off loopback", 4},
		{"nftables target literal", `action "nftables" "b" {
  target = "203.0.113.7"
}`, "Invalid target", 3},
		{"nftables target of two parts", `action "nftables" "b" {
  target = "${ip}/24"
}`, "One field or literal text", 3},
		{"account of two parts", `action "account" "l" {
  user = "${user}x"
}`, "One field or literal text", 3},
		{"process without owner", `action "process" "p" {
}`, "Say whose processes", 2},
		{"escalate below ttl", `action "nftables" "b" {
  ttl = "1h"
  escalate {
    factor = 2
    max    = "30m"
  }
}`, "Invalid escalate max", 6},
		{"containment mode", `containment {
  mode = "yolo"
}`, "Invalid mode", 3},
		{"route to an unknown channel", `channel "slack" "sec" {
  url = "https://hooks.slack.com/services/x"
}
route "r" {
  channels = ["secc"]
}`, "Unknown channel", 6},
		{"slack without url", `channel "slack" "sec" {
}`, "Channel without url", 2},
		{"file channel without dir", `channel "file" "out" {
}`, "Channel without dir", 2},
		{"team role", `team {
  member "alice" {
    role = "boss"
  }
}`, "Invalid team role", 4},
		{"route severity", `route "r" {
  severities = ["urgent"]
  channels   = []
}`, "Invalid severity", 3},
		{"half of TLS", `server {
  tls_cert = "cert.pem"
}`, "TLS needs a certificate and a key", 2},
		{"after an unknown obligation", `policy "p" {
  obligation "request" {
    within = "1d"
  }
  obligation "follow_up" {
    within = "14d"
    after  = "requets"
  }
}`, "Invalid after", 8},
		{"after a fan-out over other parties", `policy "p" {
  obligation "request" {
    for_each = "customers"
    within   = "1d"
  }
  obligation "follow_up" {
    within = "14d"
    after  = "request"
  }
}`, "Invalid after", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("t.hcl", []byte(src+tt.body), "/")
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			d := diags[0]
			if d.Summary != tt.summary || d.Subject == nil || d.Subject.Start.Line != tt.line {
				t.Errorf("got %q at %v (%s), want %q on line %d", d.Summary, d.Subject, d.Detail, tt.summary, tt.line)
			}
		})
	}
}

func TestTemplateRender(t *testing.T) {
	cfg, diags := Parse("t.hcl", []byte(`action "exec" "e" { argv = ["/bin/echo", "ip=${ip} user=${user}", "$${literal}"] }`), "/")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	argv := cfg.Actions[0].Exec.Argv
	if got := argv[1].Fields(); strings.Join(got, ",") != "ip,user" {
		t.Errorf("fields = %v", got)
	}
	s, err := argv[1].Render(map[string]string{"ip": "1.2.3.4", "user": "a b;c"})
	if err != nil || s != "ip=1.2.3.4 user=a b;c" {
		t.Errorf("render = %q, %v", s, err)
	}
	if _, err := argv[1].Render(map[string]string{"ip": "1.2.3.4"}); err == nil {
		t.Error("rendering without a needed field succeeded")
	}
	if s, _ := argv[2].Render(nil); s != "${literal}" || !argv[2].IsLiteral() {
		t.Errorf("escaped template = %q", s)
	}
}

func TestWriteDiagnostics(t *testing.T) {
	src := []byte("rule \"r\" {\n  source = \"nope\"\n  match = \"x\"\n}\n")
	cfg, diags := Parse("t.hcl", src, "/")
	var b strings.Builder
	if err := WriteDiagnostics(&b, diags, cfg.Files); err != nil {
		t.Fatal(err)
	}
	want := `t.hcl:2:12: error: Unknown source
    Rule "r" reads source "nope", which is not declared (none is declared). Declare it with a source block or fix the name.
    2 |   source = "nope"
      |            ^^^^^^
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestLoadFileMissing(t *testing.T) {
	cfg, diags := LoadFile(filepath.Join(t.TempDir(), "none.hcl"))
	if !diags.HasErrors() || cfg == nil || !strings.Contains(diags[0].Detail, "no such file") {
		t.Errorf("diags = %v", diags)
	}
}

// FuzzParse feeds arbitrary bytes to the loader: it must return
// diagnostics, never panic.
func FuzzParse(f *testing.F) {
	// The shipped examples, packs and policies, and a block the schema
	// decodes only in part (its semantic checks still run).
	var seeds []string
	for _, glob := range []string{"examples/*.hcl", "rules/*.hcl", "policies/*.hcl"} {
		m, _ := filepath.Glob(glob)
		seeds = append(seeds, m...)
	}
	f.Add([]byte("rule \"x\" {\n  source = \"nope\"\n  match = \"(\"\n  threshold {\n    count = \"five\"\n  }\n}\n"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`rule "r" { source = "a" match = "${" }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		var cfg *Config
		var diags hcl.Diagnostics
		done := make(chan struct{})
		go func() {
			defer close(done)
			cfg, diags = Parse("fuzz.hcl", src, "/")
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse did not return within 2s on %q", src)
		}
		for _, d := range diags {
			if d.Severity == hcl.DiagError && d.Summary == "" {
				t.Errorf("error without summary: %+v", d)
			}
		}
		if cfg == nil {
			t.Error("nil config")
		}
	})
}

func TestLoadFilesMergesPacks(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "breachd.hcl")
	pack := filepath.Join(dir, "pack.hcl")
	os.WriteFile(main, []byte(`source "file" "auth" { paths = ["auth.log"] }`), 0o600)
	os.WriteFile(pack, []byte(`rule "r" {
  source = "auht"
  match  = "x"
}`), 0o600)
	_, diags := LoadFiles(main, pack)
	if len(diags) != 1 || diags[0].Subject.Filename != pack || diags[0].Summary != "Unknown source" {
		t.Fatalf("diags = %v", diags)
	}
	os.WriteFile(pack, []byte(`rule "r" {
  source = "auth"
  match  = "x"
}`), 0o600)
	cfg, diags := LoadFiles(main, pack)
	if diags.HasErrors() || len(cfg.Rules) != 1 || cfg.Sources[0].Paths[0] != filepath.Join(dir, "auth.log") {
		t.Fatalf("cfg = %+v, %v", cfg, diags)
	}
}

// TestSSHDRulesShareTheirExpressions: the sshd pack's brute-force and
// spraying rules count the same failures (its comment says so, and the
// engine then evaluates the list once per line for both): a line added to
// one list and not the other would make them disagree silently.
func TestSSHDRulesShareTheirExpressions(t *testing.T) {
	cfg, diags := LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	rule := func(name string) *Rule {
		for _, r := range cfg.Rules {
			if r.Name == name {
				return r
			}
		}
		return nil
	}
	brute, spray := rule("sshd-brute-force"), rule("sshd-password-spraying")
	if brute == nil || spray == nil {
		t.Fatal("the sshd pack lacks its brute-force or spraying rule")
	}
	if !slices.Equal(brute.Matches, spray.Matches) || brute.Where != spray.Where {
		t.Errorf("sshd-brute-force and sshd-password-spraying differ:\n%q %q\n%q %q", brute.Matches, brute.Where, spray.Matches, spray.Where)
	}
}

func TestShippedPacksLoad(t *testing.T) {
	cfg, diags := LoadPacks()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if cfg.SourceByName("auth") == nil || len(cfg.Rules) < 5 {
		t.Errorf("packs: %d sources, %d rules", len(cfg.Sources), len(cfg.Rules))
	}
}

// TestShortRetentionSuggestsValidValues: the error for a retention below
// the floor suggests only values at or above it.
func TestShortRetentionSuggestsValidValues(t *testing.T) {
	_, diags := Parse("t.hcl", []byte("incidents {\n  retention = \"30d\"\n}\n"), "/")
	msg := diags.Error()
	if !strings.Contains(msg, `at least 365d such as "365d" or "5y"`) || strings.Contains(msg, `"24h"`) {
		t.Errorf("diagnostic = %s", msg)
	}
	_, diags = Parse("t.hcl", []byte("incidents {\n  reopen_within = \"soon\"\n}\n"), "/")
	if msg := diags.Error(); !strings.Contains(msg, `such as "24h", "30d", "365d" or "5y"`) {
		t.Errorf("diagnostic = %s", msg)
	}
}

// TestMisspeltPolicyPack: a pack name one typo away gets a "did you
// mean"; one far from any gets the list only.
func TestMisspeltPolicyPack(t *testing.T) {
	_, diags := Parse("t.hcl", []byte("incidents {\n  policy_packs = [\"gpdr\"]\n}\n"), "/")
	if msg := diags.Error(); !strings.Contains(msg, `"gpdr" is not a shipped policy pack. Did you mean "gdpr"? The packs are company,`) {
		t.Errorf("diagnostic = %s", msg)
	}
	_, diags = Parse("t.hcl", []byte("incidents {\n  policy_packs = [\"pci\"]\n}\n"), "/")
	if msg := diags.Error(); !strings.Contains(msg, `"pci" is not a shipped policy pack. The packs are`) || strings.Contains(msg, "Did you mean") {
		t.Errorf("diagnostic = %s", msg)
	}
}

// TestListenPortChecked: a listen address whose port is no TCP port is a
// config error, not a failure at start.
func TestListenPortChecked(t *testing.T) {
	for _, listen := range []string{"127.0.0.1:99999", "127.0.0.1:notaport", "127.0.0.1:", "127.0.0.1:-1"} {
		_, diags := Parse("t.hcl", []byte("server {\n  listen = \""+listen+"\"\n}\n"), "/")
		if !diags.HasErrors() || diags[0].Summary != "Invalid listen address" {
			t.Errorf("listen %q: %v", listen, diags)
		}
	}
	if _, diags := Parse("t.hcl", []byte("server {\n  listen = \"127.0.0.1:0\"\n}\n"), "/"); diags.HasErrors() {
		t.Errorf("port 0: %v", diags)
	}
}
