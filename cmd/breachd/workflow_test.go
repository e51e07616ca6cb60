package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// freeAddr reserves a free loopback port for a config's listen address.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runDaemon writes src as dir/breachd.hcl and runs the daemon on it
// in-process until the returned stop (also run at cleanup); it returns
// once the daemon follows its sources.
func runDaemon(t *testing.T, dir, src string) (config string, stop func()) {
	t.Helper()
	return runDaemonAt(t, dir, src, time.Now)
}

// runDaemonAt is runDaemon on the clock now.
func runDaemonAt(t *testing.T, dir, src string, now func() time.Time) (config string, stop func()) {
	t.Helper()
	config = filepath.Join(dir, "breachd.hcl")
	if err := os.WriteFile(config, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := daemon.New(ctx, daemon.Options{ConfigFile: config, Now: now})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(stop)
	select {
	case <-d.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not become ready")
	}
	return config, stop
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestIncidentWorkflowCommands works a reported incident from open to
// closed with the CLI, as a responder and the DPO, then verifies and
// exports the register from the database file.
func TestIncidentWorkflowCommands(t *testing.T) {
	dir := t.TempDir()
	config, stop := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
incidents {
  cost_per_record = 225
  policy_packs    = ["gdpr"]
}
source "file" "auth" { paths = ["./var/auth.log"] }
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
token "val" {
  role   = "viewer"
  sha256 = %q
}
`, freeAddr(t), hashHex("rita-token"), hashHex("dora-token"), hashHex("val-token")))
	run := func(token string, args ...string) (string, string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append(args, "--config", config)
		if token != "" {
			args = append(args, "--token", token)
		}
		code := cli(context.Background(), args, &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	must := func(token string, args ...string) string {
		t.Helper()
		out, errOut, code := run(token, args...)
		if code != 0 {
			t.Fatalf("breachd %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}

	// No token: refused, and told how to send one.
	if _, errOut, code := run("", "incidents", "list"); code != 1 || !strings.Contains(errOut, "BREACHD_TOKEN") {
		t.Errorf("list without a token: exit %d, %q", code, errOut)
	}
	out := must("rita-token", "incidents", "open", "--title", "Customer found their invoices on a paste site",
		"--reporter", "customer Acme", "--host", "db1", "--json")
	var detail httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(out), &detail); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(detail.Incident.ID)
	if detail.Incident.Origin != "manual" || detail.Incident.SuggestedRisk != incidents.RiskRisk || detail.Incident.CostExposure != 1200*225 {
		t.Errorf("opened = %+v", detail.Incident)
	}
	// Encrypted with safe keys, the records cost nothing under the
	// contract (no "Data Breach" of unencrypted data); with the keys
	// exposed, they count again.
	cost := func(args ...string) float64 {
		t.Helper()
		var d httpapi.IncidentDetail
		out := must("rita-token", append([]string{"incidents", "scope", id, "--reason", "encryption checked", "--json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		return d.Incident.CostExposure
	}
	if got := cost("--encrypted", "true", "--keys-exposed", "false"); got != 0 {
		t.Errorf("cost exposure of encrypted data with safe keys = %v, want 0", got)
	}
	if got := cost("--keys-exposed", "true"); got != 1200*225 {
		t.Errorf("cost exposure with the keys exposed = %v, want %v", got, 1200*225)
	}
	if got := cost("--encrypted", "false", "--keys-exposed", "false"); got != 1200*225 {
		t.Errorf("cost exposure back to unencrypted = %v", got)
	}
	// A viewer may read but not write.
	if _, errOut, code := run("val-token", "incidents", "transition", id, "triaged"); code != 1 || !strings.Contains(errOut, "forbidden") {
		t.Errorf("viewer transition: exit %d, %q", code, errOut)
	}
	must("rita-token", "incidents", "transition", id, "triaged", "--reason", "the paste holds our invoice numbers")
	must("rita-token", "incidents", "note", id, "Take the export endpoint down", "--decision")
	// It occurred before anyone knew: occurred_at first, then aware_at.
	must("rita-token", "incidents", "clock", id, "occurred_at", time.Now().Add(-3*time.Hour).UTC().Format(time.RFC3339), "--reason", "the paste is dated three hours ago")
	must("rita-token", "incidents", "clock", id, "aware_at", time.Now().Add(-2*time.Hour).UTC().Format(time.RFC3339), "--reason", "the customer mailed support two hours ago")
	must("rita-token", "incidents", "scope", id, "--records", "1500", "--reason", "the paste has 1500 rows")
	if _, errOut, code := run("rita-token", "incidents", "transition", id, "closed", "--resolution", "x"); code != 1 || !strings.Contains(errOut, "no confirmed risk") {
		t.Errorf("close before assessment: exit %d, %q", code, errOut)
	}
	must("dora-token", "incidents", "assess", id, "risk", "--reason", "names and emails of 300 customers", "--consequences", "phishing", "--measures", "endpoint removed")
	// The GDPR authority notice is due 72h from awareness and blocks
	// closing until it is recorded as sent.
	out = must("val-token", "obligations", "list")
	if !strings.Contains(out, "gdpr") || !strings.Contains(out, "supervisory_authority") || !strings.Contains(out, "72h from aware_at") {
		t.Errorf("obligations list:\n%s", out)
	}
	if _, errOut, code := run("rita-token", "incidents", "transition", id, "closed", "--resolution", "x"); code != 1 || !strings.Contains(errOut, "undecided obligations") {
		t.Errorf("close with a notice undecided: exit %d, %q", code, errOut)
	}
	var obs httpapi.ObligationList
	if err := json.Unmarshal([]byte(must("val-token", "obligations", "list", "--json")), &obs); err != nil || len(obs.Obligations) != 1 {
		t.Fatalf("obligations: %+v, %v", obs, err)
	}
	oid := fmt.Sprint(obs.Obligations[0].ID)
	out, errOut, _ := run("val-token", "notices", "render", id, oid)
	if !strings.Contains(out, "To: [missing: name and address of the supervisory authority]") || !strings.Contains(errOut, "The notice lacks") {
		t.Errorf("notices render:\n%s\n%s", out, errOut)
	}
	if _, errOut, code := run("dora-token", "obligations", "decide", oid, "approved", "--reason", "ok"); code != 1 || !strings.Contains(errOut, "lacks") {
		t.Errorf("approving an incomplete notice: exit %d, %q", code, errOut)
	}
	must("dora-token", "incidents", "facts", id, "--nature", "invoices copied to a paste site", "--effects", "disclosed", "--caused-by", "unauthorized persons", "--reason", "investigation")
	// Facts are patched: a flag not given keeps its fact; clearing is
	// explicit.
	facts := func() incidents.Facts {
		t.Helper()
		var d httpapi.IncidentDetail
		if err := json.Unmarshal([]byte(must("val-token", "incidents", "show", id, "--json")), &d); err != nil {
			t.Fatal(err)
		}
		return d.Incident.Facts
	}
	must("dora-token", "incidents", "facts", id, "--measures", "endpoint removed", "--reason", "measures taken")
	if f := facts(); f.Nature != "invoices copied to a paste site" || f.CausedBy != "unauthorized persons" || len(f.Effects) != 1 || f.Measures != "endpoint removed" {
		t.Errorf("after setting measures alone: %+v", f)
	}
	must("dora-token", "incidents", "facts", id, "--clear", "measures", "--reason", "not yet")
	if f := facts(); f.Measures != "" || f.Nature != "invoices copied to a paste site" {
		t.Errorf("after clearing measures: %+v", f)
	}
	if _, errOut, code := run("dora-token", "incidents", "facts", id, "--clear", "nature", "--nature", "x", "--reason", "r"); code != 2 || !strings.Contains(errOut, "say one") {
		t.Errorf("--clear nature with --nature: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("dora-token", "incidents", "facts", id, "--reason", "r"); code != 2 || !strings.Contains(errOut, "at least one fact") {
		t.Errorf("facts with nothing to change: exit %d, %q", code, errOut)
	}
	must("dora-token", "incidents", "facts", id, "--measures", "endpoint removed", "--reason", "measures taken")
	must("dora-token", "obligations", "decide", oid, "sent", "--reason", "form of Appendix 3 sent to the authority")
	must("rita-token", "incidents", "transition", id, "contained", "--reason", "endpoint removed")
	// A second report of the same thing is merged in.
	out = must("rita-token", "incidents", "open", "--title", "Second report of the paste", "--reporter", "a journalist", "--host", "db1", "--json")
	var second httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(out), &second); err != nil {
		t.Fatal(err)
	}
	sid := fmt.Sprint(second.Incident.ID)
	if len(second.Obligations) == 0 {
		t.Fatalf("the second report has no obligations to merge: %+v", second.Incident.Scope)
	}
	// The DPO decided the survivor's risk: the merge, which decides the
	// survivor's risk, is the DPO's (docs/incidents.md).
	if _, errOut, code := run("rita-token", "incidents", "merge", id, sid, "--reason", "the same paste"); code == 0 ||
		!strings.Contains(errOut, "the DPO dora decided incident "+id+"'s risk (risk)") || !strings.Contains(errOut, "nothing was merged") {
		t.Errorf("a responder merging into the DPO's decision: exit %d, %q", code, errOut)
	}
	must("dora-token", "incidents", "merge", id, sid, "--reason", "the same paste")
	// The merged report's undecided obligations are closed, naming the
	// survivor; both timelines say so.
	var merged httpapi.IncidentDetail
	if err := json.Unmarshal([]byte(must("val-token", "incidents", "show", sid, "--json")), &merged); err != nil {
		t.Fatal(err)
	}
	for _, o := range merged.Obligations {
		if o.State != incidents.ObligationNotRequired || !strings.Contains(o.Reason, "merged into incident "+id) {
			t.Errorf("merged incident's obligation %s → %s: %s (%s), want not_required naming incident %s", o.Policy, o.Recipient, o.State, o.Reason, id)
		}
	}
	if out := must("val-token", "incidents", "show", id); !strings.Contains(out, "of merged incident "+sid) {
		t.Errorf("the survivor's timeline does not say it took over the obligations:\n%s", out)
	}
	if out := must("val-token", "obligations", "list"); strings.Contains(out, "Second report") {
		t.Errorf("obligations list still shows the merged incident's obligations:\n%s", out)
	}
	must("rita-token", "incidents", "transition", id, "closed", "--resolution", "export endpoint removed; customers and authority notified")
	out = must("val-token", "incidents", "show", id)
	for _, want := range []string{"Status:         closed", "confirmed by dora", "[#2]", "Merged into incident 1", "records", "Cost exposure:  337500.00 USD"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	out = must("val-token", "incidents", "list", "--status", "closed")
	if !strings.Contains(out, "Customer found their invoices") || !strings.Contains(out, "Second report") {
		t.Errorf("closed list:\n%s", out)
	}
	if out := must("val-token", "incidents", "list", "--status", "active"); !strings.Contains(out, "No incidents.") {
		t.Errorf("active list:\n%s", out)
	}
	if out := must("val-token", "actions", "approvals"); !strings.Contains(out, "No action waits for approval.") {
		t.Errorf("actions approvals:\n%s", out)
	}
	if _, errOut, code := run("rita-token", "actions", "approve", "1", "--reason", "x"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("approve of nothing: exit %d, %q", code, errOut)
	}
	if out := must("val-token", "actions", "list"); !strings.Contains(out, "No containment in force.") {
		t.Errorf("actions list:\n%s", out)
	}
	if _, errOut, code := run("rita-token", "actions", "revert", "99", "--reason", "x"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("revert of nothing: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run("val-token", "actions", "revert", "99", "--reason", "x"); code != 1 || !strings.Contains(errOut, "forbidden") {
		t.Errorf("viewer revert: exit %d, %q", code, errOut)
	}
	// A backup while the daemon runs: consistent, and it verifies.
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out := must("", "backup", backup); !strings.Contains(out, "register 2 entries") || !strings.Contains(out, "integrity ok") {
		t.Errorf("backup:\n%s", out)
	}
	if _, errOut, code := run("", "backup", backup); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errOut)
	}
	stop()
	if out := must("", "register", "verify", "--db", backup); !strings.Contains(out, "register: ok, 2 entries") {
		t.Errorf("verify of the backup:\n%s", out)
	}

	// The register, offline, from the database file.
	out = must("", "register", "verify")
	if !strings.Contains(out, "timeline: ok") || !strings.Contains(out, "register: ok, 2 entries") || !strings.Contains(out, "integrity_check: ok") {
		t.Errorf("verify:\n%s", out)
	}
	out = must("", "register", "export", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	// The DPO's entry, then breachd's once the notice to the authority was
	// sent: notified says who, when, how; it supersedes the first.
	if err != nil || len(rows) != 3 || rows[0][0] != "seq" || rows[0][len(rows[0])-1] != "hash" || rows[1][4] != "breach" || rows[1][5] != "dora" ||
		rows[2][5] != "breachd" || !strings.Contains(rows[2][13], "supervisory_authority (gdpr)") || !strings.Contains(rows[2][13], "form of Appendix 3 sent to the authority") || rows[2][15] != rows[1][1] {
		t.Errorf("register csv = %v, %v", rows, err)
	}
	out = must("", "register", "export", "--format", "json", "--chain", "timeline")
	var tl []incidents.TimelineEntry
	if err := json.Unmarshal([]byte(out), &tl); err != nil || len(tl) < 8 || tl[0].PrevHash != incidents.GenesisHash || tl[1].PrevHash != tl[0].Hash {
		t.Errorf("timeline export: %d entries, %v", len(tl), err)
	}
	// Tamper with the file: verify exits 1 and names the entry.
	db := filepath.Join(dir, "var", "breachd.db")
	tamperDB(t, db, `DROP TRIGGER register_no_update`, `UPDATE register SET record = replace(record, '"risk":"risk"', '"risk":"none"')`)
	out, _, code := run("", "register", "verify")
	if code != 1 || !strings.Contains(out, "register: BROKEN: register entry 1 (row 1) was altered") {
		t.Errorf("verify after tampering: exit %d\n%s", code, out)
	}
}

// TestTokenNew: the token goes to a new file of mode 600 (or to the
// terminal), never to standard output, which gets the config block with
// only the hash; added to the running daemon's config, a reload applies
// it without a restart.
func TestTokenNew(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server { listen = %q }
token "ops" {
  role   = "admin"
  sha256 = %q
}
`, addr, hashHex("ops-token")))
	tokenFile := filepath.Join(dir, "alice.token")
	var stdout, stderr bytes.Buffer
	if code := cli(context.Background(), []string{"token", "new", "alice@example.com", "--role", "dpo", "--out", tokenFile}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	if st, _ := os.Stat(tokenFile); !strings.HasPrefix(token, "bd_") || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file %q, mode %v; want a bd_ token, mode 600", token, st.Mode().Perm())
	}
	block := stdout.String()
	if strings.Contains(block+stderr.String(), token) || !strings.Contains(block, hashHex(token)) || !strings.Contains(block, `role   = "dpo"`) ||
		!strings.Contains(stderr.String(), "reload") {
		t.Errorf("stdout:\n%s\nstderr:\n%s\nwant the block with the hash only, and a word on reloading", block, stderr.String())
	}
	// Refused: an existing file is not overwritten; no terminal and no
	// file leaves nowhere safe to put the token.
	if code := cli(context.Background(), []string{"token", "new", "bob", "--out", tokenFile}, &stdout, &stderr); code != 1 {
		t.Errorf("existing --out file: exit %d", code)
	}
	if got, _ := os.ReadFile(tokenFile); string(got) != string(raw) {
		t.Error("the existing token file was changed")
	}
	stdout.Reset()
	stderr.Reset()
	if code := cli(context.Background(), []string{"token", "new", "bob"}, &stdout, &stderr); code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "--out FILE") {
		t.Errorf("no terminal, no file: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if code := cli(context.Background(), []string{"token", "new", "x", "--role", "root", "--out", filepath.Join(dir, "x")}, &stdout, &stderr); code != 2 {
		t.Errorf("bad role: exit %d", code)
	}
	// A principal is a name the config can hold: a newline (or a brace)
	// would write HCL of the caller's choosing into the block.
	bad := filepath.Join(dir, "m.token")
	if code := cli(context.Background(), []string{"token", "new", "m\nrole = \"admin\"", "--out", bad}, &stdout, &stderr); code != 2 {
		t.Errorf("a principal with a newline: exit %d", code)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("the token file was written for a refused principal")
	}
	// The new token works once the block is in the config and breachd
	// reloaded.
	if _, _, code := cliAs(config, token, "incidents", "list"); code == 0 {
		t.Fatal("the token works before it is in the config")
	}
	f, _ := os.OpenFile(config, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(block)
	f.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/-/reload", nil)
	req.Header.Set("Authorization", "Bearer ops-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reload: %s", resp.Status)
	}
	if out, errOut, code := cliAs(config, token, "incidents", "list"); code != 0 {
		t.Errorf("after reload: exit %d\n%s%s", code, out, errOut)
	}
}

// tamperDB runs statements on the database file directly, as an intruder
// with the file would.
func tamperDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "breachd test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// TestTLSAPI serves the API over TLS: the CLI finds https from the config
// and trusts the certificate given with --cacert; plain HTTP is refused.
func TestTLSAPI(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	addr := freeAddr(t)
	config, _ := runDaemon(t, dir, fmt.Sprintf(`
server {
  listen   = %q
  tls_cert = %q
  tls_key  = %q
}
source "file" "auth" { paths = ["./var/auth.log"] }
token "val" {
  role   = "viewer"
  sha256 = %q
}
`, addr, cert, key, hashHex("val-token")))
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"incidents", "list", "--config", config, "--cacert", cert, "--token", "val-token"}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "No incidents.") {
		t.Errorf("list over TLS: exit %d, %s%s", code, stdout.String(), stderr.String())
	}
	stderr.Reset()
	if code := cli(context.Background(), []string{"incidents", "list", "--config", config, "--token", "val-token"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "certificate") {
		t.Errorf("without --cacert: exit %d, %s; want the untrusted certificate refused", code, stderr.String())
	}
	stderr.Reset()
	if code := cli(context.Background(), []string{"incidents", "list", "--server", "http://" + addr, "--token", "val-token"}, &stdout, &stderr); code != 1 {
		t.Errorf("plain http to the TLS API: exit %d, %s", code, stderr.String())
	}
}
