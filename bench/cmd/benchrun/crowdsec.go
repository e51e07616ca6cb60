package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"

	"github.com/breachd/breachd/bench/authlog"
)

// crowdsecHub is where Debian's crowdsec package puts its hub snapshot:
// the parsers and scenarios install from it without the network.
const crowdsecHub = "/usr/share/crowdsec/hub"

// crowdsec replays the log through CrowdSec's stock sshd parsers and
// scenarios (ssh-bf, ssh-slow-bf) in a config of its own, with a local API
// it starts for the agent to push to (the agent refuses to start without
// one), and scores the addresses its scenarios flagged. It returns why it
// could not run instead, when it cannot.
func crowdsec(o options, log string, truth *authlog.Truth) (row, string) {
	if _, err := exec.LookPath("crowdsec"); err != nil {
		return row{}, "crowdsec is not installed (Debian package crowdsec; its postinst fails offline, the binary is enough)"
	}
	if _, err := os.Stat(filepath.Join(crowdsecHub, "scenarios/crowdsecurity/ssh-bf.yaml")); err != nil {
		return row{}, "the crowdsec package's hub snapshot (" + crowdsecHub + ") has no ssh-bf scenario"
	}
	dir := filepath.Join(o.work, "crowdsec")
	os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return row{}, err.Error()
	}
	lapi := ln.Addr().String()
	ln.Close()
	links := map[string]string{
		"parsers/s00-raw/syslog-logs.yaml":         "parsers/s00-raw/crowdsecurity/syslog-logs.yaml",
		"parsers/s01-parse/sshd-logs.yaml":         "parsers/s01-parse/crowdsecurity/sshd-logs.yaml",
		"parsers/s02-enrich/dateparse-enrich.yaml": "parsers/s02-enrich/crowdsecurity/dateparse-enrich.yaml",
		"scenarios/ssh-bf.yaml":                    "scenarios/crowdsecurity/ssh-bf.yaml",
		"scenarios/ssh-slow-bf.yaml":               "scenarios/crowdsecurity/ssh-slow-bf.yaml",
	}
	for dst, src := range links {
		p := filepath.Join(dir, "etc", dst)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return row{}, err.Error()
		}
		if err := os.Symlink(filepath.Join(crowdsecHub, src), p); err != nil {
			return row{}, err.Error()
		}
	}
	files := map[string]string{
		"etc/acquis.yaml":                "",
		"etc/simulation.yaml":            "simulation: off\n",
		"etc/profiles.yaml":              "name: default_ip_remediation\nfilters:\n - Alert.Remediation == true && Alert.GetScope() == \"Ip\"\ndecisions:\n - type: ban\n   duration: 4h\non_success: break\n",
		"etc/local_api_credentials.yaml": fmt.Sprintf("url: http://%s/\nlogin: bench\npassword: benchbenchbench\n", lapi),
		"config.yaml": fmt.Sprintf(`common:
  daemonize: false
  log_media: stdout
  log_level: info
  working_dir: .
config_paths:
  config_dir: %[1]s/etc/
  data_dir: %[1]s/data/
  simulation_path: %[1]s/etc/simulation.yaml
  hub_dir: %[2]s/
  index_path: %[2]s/.index.json
crowdsec_service:
  acquisition_path: %[1]s/etc/acquis.yaml
  parser_routines: 1
db_config:
  type: sqlite
  db_path: %[1]s/data/crowdsec.db
prometheus:
  enabled: false
api:
  client:
    credentials_path: %[1]s/etc/local_api_credentials.yaml
  server:
    log_level: info
    listen_uri: %[3]s
    profiles_path: %[1]s/etc/profiles.yaml
`, dir, crowdsecHub, lapi),
	}
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return row{}, err.Error()
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "etc", "patterns"), os.DirFS("/etc/crowdsec/patterns")); err != nil {
		return row{}, "no grok patterns in /etc/crowdsec/patterns: " + err.Error()
	}
	config := filepath.Join(dir, "config.yaml")
	if out, err := exec.Command("cscli", "-c", config, "machines", "add", "bench", "--password", "benchbenchbench", "--force", "-f", os.DevNull).CombinedOutput(); err != nil {
		return row{}, fmt.Sprintf("cscli machines add: %v: %s", err, tail(string(out), 500))
	}
	server := exec.Command("crowdsec", "-c", config, "-no-cs")
	serverLog, _ := os.Create(filepath.Join(dir, "lapi.log"))
	server.Stdout, server.Stderr = serverLog, serverLog
	if err := server.Start(); err != nil {
		return row{}, "start the local API: " + err.Error()
	}
	defer func() {
		server.Process.Kill()
		server.Wait()
		serverLog.Close()
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", lapi)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return row{}, "crowdsec's local API did not start: see " + serverLog.Name()
		}
		time.Sleep(50 * time.Millisecond)
	}
	performed := regexp.MustCompile(`Ip (\S+) performed 'crowdsecurity/(ssh-bf|ssh-slow-bf)'`)
	r := row{name: "CrowdSec replay (`-dsn file://… -type syslog -no-api`), sshd scenarios", lines: truth.Lines}
	for i := range o.slowRuns {
		logf("%s (run %d of %d)", r.name, i+1, o.slowRuns)
		m, err := measure(nil, dir, "crowdsec", "-c", config, "-dsn", "file://"+log, "-type", "syslog", "-no-api")
		if err != nil {
			return row{}, err.Error()
		}
		r.runs = append(r.runs, m)
	}
	caught := map[string]bool{}
	// It logs to standard error, whatever log_media says.
	for _, m := range performed.FindAllSubmatch(append(r.runs[0].stdout, r.runs[0].stderr...), -1) {
		caught[string(m[1])] = true
	}
	r.correct = score(truth, caught) + " (ssh-bf or ssh-slow-bf; the agent's RSS, its local API apart)"
	return r, ""
}
