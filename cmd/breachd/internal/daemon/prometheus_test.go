package daemon_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/detector/scrape/promtest"
)

// deployDir holds the deployment files the package ships.
const deployDir = "../../../../configs/deploy"

// metricRef finds the names of breachd's, Go's and the process's metrics
// in PromQL.
var metricRef = regexp.MustCompile(`\b(?:breachd|process|go)_[a-z0-9_]+\b`)

// referencedMetrics returns the metric names the shipped alerting rules
// and dashboard use, with the series suffixes of histograms removed.
func referencedMetrics(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, f := range []string{"breachd-alerts.yml", "grafana-dashboard.json"} {
		b, err := os.ReadFile(filepath.Join(deployDir, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range metricRef.FindAllString(string(b), -1) {
			if !slices.Contains(out[f], name) {
				out[f] = append(out[f], name)
			}
		}
	}
	return out
}

// dashboardExprs returns every PromQL expression of the dashboard's panels,
// with Grafana's variables given values Prometheus accepts.
func dashboardExprs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	var out []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			out = append(out, strings.NewReplacer("$__rate_interval", "1m", "$instance", ".*").Replace(tg.Expr))
		}
	}
	if len(out) < 20 {
		t.Fatalf("the dashboard has %d expressions; expected its panels", len(out))
	}
	return out
}

// TestShippedRulesAndDashboardUseRealMetrics: every metric the alerting
// rules and the dashboard name is one the daemon exports, and every one
// the daemon exports is documented in docs/metrics.md.
func TestShippedRulesAndDashboardUseRealMetrics(t *testing.T) {
	h := start(t, reloadConfig(5, ""))
	names := h.d.MetricNames()
	exported := map[string]bool{}
	for _, n := range names {
		exported[n] = true
	}
	for file, refs := range referencedMetrics(t) {
		for _, ref := range refs {
			base := ref
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if b, ok := strings.CutSuffix(ref, suffix); ok && exported[b] {
					base = b
				}
			}
			if !exported[base] {
				t.Errorf("%s uses %s, which breachd does not export", file, ref)
			}
		}
	}
	doc, err := os.ReadFile("../../../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "breachd_") && !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("docs/metrics.md does not document %s", n)
		}
	}
}

// TestPrometheusScrapesTheDaemon runs Debian's prometheus with the
// shipped scrape config and alerting rules pointed at an in-process
// daemon: up is 1, the lines the test feeds are counted, every alerting
// rule evaluates without error and every dashboard expression is valid
// PromQL.
func TestPrometheusScrapesTheDaemon(t *testing.T) {
	h := start(t, reloadConfig(5, ""))

	dir := t.TempDir()
	conf, err := os.ReadFile(filepath.Join(deployDir, "prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	shipped := string(conf)
	for _, s := range []string{`"localhost:9731"`, "scrape_interval: 15s", "evaluation_interval: 15s"} {
		if !strings.Contains(shipped, s) {
			t.Fatalf("prometheus.yml no longer has %s", s)
		}
	}
	test := strings.NewReplacer(`"localhost:9731"`, fmt.Sprintf("%q", h.addr),
		"scrape_interval: 15s", "scrape_interval: 200ms", "evaluation_interval: 15s", "evaluation_interval: 200ms").Replace(shipped)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(test), 0o600); err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile(filepath.Join(deployDir, "breachd-alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "breachd-alerts.yml"), rules, 0o600); err != nil {
		t.Fatal(err)
	}
	prom := promtest.Start(t, filepath.Join(dir, "prometheus.yml"))
	addr := prom.Addr

	type result struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"`
	}
	query := func(q string) ([]result, error) {
		resp, err := http.Get("http://" + addr + "/api/v1/query?query=" + url.QueryEscape(q))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var body struct {
			Status string `json:"status"`
			Error  string `json:"error"`
			Data   struct {
				Result []result `json:"result"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return nil, err
		}
		if body.Status != "success" {
			return nil, fmt.Errorf("%s: %s", q, body.Error)
		}
		return body.Data.Result, nil
	}
	value := func(q string) string {
		r, err := query(q)
		if err != nil || len(r) != 1 {
			return ""
		}
		s, _ := r[0].Value[1].(string)
		return s
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; prometheus said:\n%s", what, prom.Logs())
			}
			time.Sleep(100 * time.Millisecond) // polling for Prometheus's next scrape, not timing
		}
	}
	waitFor("up == 1", func() bool { return value(`up{job="breachd"}`) == "1" })
	if v := value(`breachd_detector_lines_read_total{source="auth"}`); v != "0" {
		t.Errorf("lines read before any line = %q, want 0 (series exist from start)", v)
	}

	h.appendLines(failuresNow("203.0.113.7", 3)...)
	waitFor("the 3 lines counted", func() bool { return value(`breachd_detector_lines_read_total{source="auth"}`) == "3" })
	waitFor("the pending window key", func() bool {
		return value(`breachd_alerts{rule="ssh",severity="medium",state="pending"}`) == "1"
	})

	for _, e := range dashboardExprs(t) {
		if _, err := query(e); err != nil {
			t.Errorf("dashboard expression does not run: %v", err)
		}
	}
	// Every alerting rule loaded and evaluated without error.
	var ruleBody struct {
		Data struct {
			Groups []struct {
				Rules []struct {
					Name      string `json:"name"`
					Health    string `json:"health"`
					LastError string `json:"lastError"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	waitFor("the alerting rules evaluated", func() bool {
		resp, err := http.Get("http://" + addr + "/api/v1/rules")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		if json.NewDecoder(resp.Body).Decode(&ruleBody) != nil || len(ruleBody.Data.Groups) != 1 {
			return false
		}
		for _, r := range ruleBody.Data.Groups[0].Rules {
			if r.Health != "ok" {
				return false
			}
		}
		return true
	})
	if n := len(ruleBody.Data.Groups[0].Rules); n < 10 {
		t.Errorf("%d alerting rules loaded, want the shipped ones", n)
	}
	if r, err := query(`ALERTS{alertname=~"Breachd.*"}`); err != nil || len(r) != 0 {
		t.Errorf("alerts about a healthy breachd: %v %v", r, err)
	}
}

// TestPromtool checks the shipped scrape config and alerting rules with
// Debian's promtool and runs the rules' unit tests
// (configs/deploy/breachd-alerts_test.yml).
func TestPromtool(t *testing.T) {
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian package prometheus; .ci/run installs it)")
	}
	for _, args := range [][]string{
		{"check", "config", "prometheus.yml"},
		{"check", "rules", "breachd-alerts.yml"},
		{"test", "rules", "breachd-alerts_test.yml"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = deployDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
