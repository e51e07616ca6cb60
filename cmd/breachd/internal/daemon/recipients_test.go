package daemon_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// mailbox is a real SMTP server (emersion/go-smtp) on loopback that keeps
// every mail it accepted with the RCPT TO addresses it accepted for it.
type mailbox struct {
	mu    sync.Mutex
	mails []accepted
	port  int
}

type accepted struct {
	rcpt      []string
	subject   string
	body      string
	messageID string
}

type mailSession struct {
	b    *mailbox
	rcpt []string
}

func (b *mailbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &mailSession{b: b}, nil }
func (s *mailSession) Mail(string, *gosmtp.MailOptions) error      { return nil }
func (s *mailSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.rcpt = append(s.rcpt, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	// The parts are quoted-printable: read them as text.
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.mails = append(s.b.mails, accepted{rcpt: slices.Clone(s.rcpt), subject: msg.Header.Get("Subject"), body: string(body), messageID: msg.Header.Get("Message-Id")})
	s.b.mu.Unlock()
	return nil
}
func (s *mailSession) Reset()        { s.rcpt = nil }
func (s *mailSession) Logout() error { return nil }

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	b := &mailbox{}
	srv := gosmtp.NewServer(b)
	srv.Domain = "127.0.0.1"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	b.port = ln.Addr().(*net.TCPAddr).Port
	return b
}

// to returns the mails accepted for exactly the one address rcpt.
func (b *mailbox) to(rcpt string) []accepted {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []accepted
	for _, m := range b.mails {
		if len(m.rcpt) == 1 && m.rcpt[0] == rcpt {
			out = append(out, m)
		}
	}
	return out
}

func (b *mailbox) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.mails)
}

// noticeHook is a webhook receiver that answers 202 with a request id
// and keeps the notices it received.
type noticeHook struct {
	mu      sync.Mutex
	notices []string
}

func (h *noticeHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.notices = append(h.notices, string(b))
	n := len(h.notices)
	h.mu.Unlock()
	w.Header().Set("X-Request-Id", fmt.Sprintf("claim-%d", n))
	w.WriteHeader(http.StatusAccepted)
}

// facts every notice of these tests needs.
var fullFacts = map[string]any{
	"nature": "an export endpoint served payroll rows", "consequences": "phishing", "measures": "the endpoint was removed",
	"effects": []string{"accessed"}, "caused_by": "unauthorized persons", "reason": "from the investigation",
}

// obligationsOf returns incident id's obligations by recipient.
func (h *harness) obligationsOf(id int64) map[string]incidents.Obligation {
	h.t.Helper()
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	out := map[string]incidents.Obligation{}
	for _, o := range d.Obligations {
		out[o.Recipient] = o
	}
	return out
}

// openManual reports an incident on host through the API and returns its
// id.
func (h *harness) openManual(title, host string, occurred time.Time) int64 {
	h.t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	h.postInto("/api/v1/incidents", map[string]any{"title": title, "reporter": "a customer", "host": host, "occurred_at": occurred}, &out)
	if out.ID == 0 {
		var list httpapi.IncidentList
		h.get("/api/v1/incidents", &list)
		out.ID = list.Incidents[0].ID
	}
	return out.ID
}

const recipientsTeam = `
organisation {
  name        = "Example Payroll Ltd"
  address     = "1 Data Street, London"
  dpo_name    = "Dora Protector"
  dpo_email   = "dpo@example.com"
  dpo_address = "Example Payroll Ltd, DPO, 1 Data Street, London"
}
team {
  member "dora" {
    role  = "dpo"
    email = "dpo@example.com"
  }
  member "lee" {
    role  = "leader"
    email = "leader@example.com"
  }
}
`

// TestNoticesReachEachRecipient: a processor for two controllers, whose
// assets name two customers, notifies each controller and each customer
// separately, through the SMTP channel, at the address its asset gives;
// the channel's own recipients (the DPO, the leader) get none of them;
// no notice names the other party; each obligation is recorded sent only
// with the delivery's proof (the accepted RCPT TO and the Message-ID);
// the insurer is told of the suspected breach through a webhook, whose
// 2xx and request id are the proof.
func TestNoticesReachEachRecipient(t *testing.T) {
	mb := startMailbox(t)
	hook := &noticeHook{}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	h := start(t, recipientsTeam+fmt.Sprintf(`
incidents {
  policy_packs = ["gdpr", "company"]
}
asset "payroll-acme" {
  hosts              = ["db1"]
  data_categories    = ["name", "email"]
  data_subjects      = 300
  records            = 1200
  role               = "processor"
  controller         = "Acme Corp"
  controller_address = "1 Acme Way, Springfield"
  controller_email   = "privacy@acme.example"
  customer "Acme Corp" {
    address = "1 Acme Way, Springfield"
    email   = "security@acme.example"
  }
}
asset "payroll-globex" {
  hosts              = ["db1"]
  data_categories    = ["name", "email"]
  data_subjects      = 200
  records            = 800
  role               = "processor"
  controller         = "Globex Inc"
  controller_address = "2 Globex Road, Shelbyville"
  controller_email   = "privacy@globex.example"
  customer "Globex Inc" {
    email = "security@globex.example"
  }
}
channel "smtp" "mail" {
  host     = "127.0.0.1"
  port     = %d
  tls      = "none"
  from     = "breachd@example.com"
  to_roles = ["dpo", "leader"]
}
channel "webhook" "claims" {
  url = %q
}
recipient "controller" {
  channels = ["mail"]
}
recipient "customer" {
  channels = ["mail"]
}
recipient "insurer" {
  name     = "Cyber Mutual"
  address  = "9 Claims Street, Hartford"
  channels = ["claims"]
}
`, mb.port, srv.URL))
	occurred := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	id := h.openManual("Payroll rows on a paste site", "db1", occurred)
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.post(fmt.Sprintf("/api/v1/incidents/%d/transition", id), map[string]any{"to": "contained", "reason": "endpoint removed"})

	obs := h.obligationsOf(id)
	want := []string{"controller:Acme Corp", "controller:Globex Inc", "customer:Acme Corp", "customer:Globex Inc", "insurer"}
	var got []string
	for r, o := range obs {
		// (management is told of every incident: TestManagementIsToldAtOnce)
		if o.State != incidents.ObligationNotRequired && !strings.HasPrefix(r, "law_enforcement") && r != "hosting_provider" && r != "supervisory_authority" && r != "management" {
			got = append(got, r)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("obligations %v, want one per controller, one per customer, and the insurer: %v", got, want)
	}
	h.asDPO(func() {
		for _, r := range want {
			h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", obs[r].ID), map[string]any{"state": "approved", "reason": "checked by the DPO"})
		}
	})
	h.waitFor("four mails and the insurer's notice", func() bool {
		hook.mu.Lock()
		n := len(hook.notices)
		hook.mu.Unlock()
		return mb.count() == 4 && n == 1
	})
	for addr, wants := range map[string][]string{
		"privacy@acme.example":    {"To: Acme Corp\n1 Acme Way, Springfield", "name, email.", "around 300 data subjects and 1200 records"},
		"privacy@globex.example":  {"To: Globex Inc\n2 Globex Road, Shelbyville", "around 200 data subjects and 800 records"},
		"security@acme.example":   {"To: Acme Corp\n1 Acme Way, Springfield", "notify them yourselves, or that we notify each of them on your behalf"},
		"security@globex.example": {"To: Globex Inc", "notify them yourselves, or that we notify each of them on your behalf"},
	} {
		mails := mb.to(addr)
		if len(mails) != 1 {
			t.Errorf("%s received %d mails, want 1", addr, len(mails))
			continue
		}
		body := strings.ReplaceAll(mails[0].body, "\r\n", "\n")
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("the mail to %s lacks %q:\n%s", addr, w, body)
			}
		}
		other := "Globex"
		if strings.Contains(addr, "globex") {
			other = "Acme"
		}
		if strings.Contains(body, other) {
			t.Errorf("the mail to %s names %s:\n%s", addr, other, body)
		}
	}
	for _, team := range []string{"dpo@example.com", "leader@example.com"} {
		if n := len(mb.to(team)); n != 0 {
			t.Errorf("the channel's own recipient %s got %d notices meant for others", team, n)
		}
	}
	h.waitFor("every obligation sent", func() bool {
		obs = h.obligationsOf(id)
		for _, r := range want {
			if obs[r].State != incidents.ObligationSent {
				return false
			}
		}
		return true
	})
	for _, r := range want[:4] {
		o := obs[r]
		addr := map[string]string{"controller:Acme Corp": "privacy@acme.example", "controller:Globex Inc": "privacy@globex.example",
			"customer:Acme Corp": "security@acme.example", "customer:Globex Inc": "security@globex.example"}[r]
		if !strings.Contains(o.Proof, "accepted RCPT TO "+addr+"; Message-ID <breachd-obligation-") {
			t.Errorf("%s sent with proof %q, want the accepted RCPT TO %s and the Message-ID", r, o.Proof, addr)
		}
	}
	if p := obs["insurer"].Proof; !strings.Contains(p, "HTTP 202; request id claim-1") {
		t.Errorf("insurer sent with proof %q, want the 202 and the receiver's request id", p)
	}
	hook.mu.Lock()
	if !strings.Contains(hook.notices[0], `To: Cyber Mutual\n9 Claims Street, Hartford`) {
		t.Errorf("the insurer's notice: %s", hook.notices[0])
	}
	// The notice alone: not the incident's scope, evidence or fields.
	for _, internal := range []string{"payroll-acme", "Globex", "a customer"} {
		if strings.Contains(hook.notices[0], internal) {
			t.Errorf("the insurer's webhook carries %q from the incident: %s", internal, hook.notices[0])
		}
	}
	hook.mu.Unlock()
}

// TestUnreachableRecipientIsAConfigError: a recipient whose notices go
// through an smtp channel without an email, and a controller or customer
// without one, are refused at load with file:line:column.
func TestUnreachableRecipientIsAConfigError(t *testing.T) {
	base := `
incidents {
  policy_packs = ["gdpr", "company"]
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = 2525
  tls  = "none"
  from = "breachd@example.com"
}
`
	for name, tc := range map[string]struct {
		src  string
		want []string
	}{
		"authority without email": {`
recipient "supervisory_authority" {
  name     = "ICO"
  channels = ["mail"]
}`, []string{`breachd.hcl:14:14: error: Recipient cannot be mailed`, `Recipient "supervisory_authority"'s notices go to smtp channel "mail", but it has no email: add email`}},
		"controller without email": {`
asset "payroll" {
  data_categories = ["name"]
  role            = "processor"
  controller      = "Acme Corp"
}
recipient "controller" {
  channels = ["mail"]
}`, []string{`breachd.hcl:12:1: error: Controller cannot be mailed`, `Controller "Acme Corp" of asset "payroll" gets its notice through smtp channel "mail", but has no email: add controller_email`}},
		"global controller block": {`
asset "payroll" {
  data_categories  = ["name"]
  role             = "processor"
  controller       = "Acme Corp"
  controller_email = "privacy@acme.example"
}
recipient "controller" {
  name     = "Someone Else Ltd"
  channels = ["mail"]
}`, []string{`breachd.hcl:18:1: error: Recipient of a fan-out obligation`, `goes to each of the incident's controllers, at the name and address its asset gives`}},
		"customer without email": {`
asset "crm" {
  data_categories = ["name"]
  customers       = ["Acme Corp"]
}
recipient "customer" {
  channels = ["mail"]
}`, []string{`breachd.hcl:12:1: error: Customer cannot be mailed`, `Customer "Acme Corp" of asset "crm" gets its notice through smtp channel "mail", but has no email`}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "breachd.hcl")
			if err := os.WriteFile(path, []byte(base+tc.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := daemon.New(context.Background(), daemon.Options{ConfigFile: path, Listen: "127.0.0.1:0", Now: time.Now})
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("load: %v\nwant an error containing %q", err, w)
				}
			}
		})
	}
}

// TestLawEnforcementTwoRecipientsAndInsurerOnSuspicion: the company
// policy's insurer is told of a suspected breach (the risk not yet
// assessed), and law enforcement of a confirmed one at any risk, not only
// high: the San Antonio office of the FBI and the San Antonio Police
// Department, two obligations, each with its own notice.
func TestLawEnforcementTwoRecipientsAndInsurerOnSuspicion(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["company"]
}
asset "crm" {
  hosts           = ["db1"]
  data_categories = ["name", "email"]
  data_subjects   = 300
  records         = 1200
}
channel "file" "police-outbox" {
  dir = "./var/police"
}
recipient "law_enforcement_police" {
  name     = "San Antonio Police Department, Cyber Crimes"
  address  = "315 S Santa Rosa Ave, San Antonio, TX 78207"
  channels = ["police-outbox"]
}
`)
	id := h.openManual("Someone may have read the CRM", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	undecided := func() []string {
		var out []string
		for r, o := range h.obligationsOf(id) {
			if !o.State.Decided() && r != "management" { // TestManagementIsToldAtOnce
				out = append(out, r)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := undecided(); !slices.Equal(got, []string{"insurer"}) {
		t.Fatalf("suspected breach: obligations %v, want the insurer's alone", got)
	}
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "risk", "reason": "rows were read"})
	want := []string{"hosting_provider", "insurer", "law_enforcement_fbi", "law_enforcement_police"}
	if got := undecided(); !slices.Equal(got, want) {
		t.Fatalf("confirmed breach at risk: obligations %v, want %v", got, want)
	}
	for r, to := range map[string]string{
		"law_enforcement_fbi":    "To: Federal Bureau of Investigation, San Antonio Field Office",
		"law_enforcement_police": "To: San Antonio Police Department, Cyber Crimes",
	} {
		var nd httpapi.NoticeDetail
		h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", h.obligationsOf(id)[r].ID), &nd)
		if !strings.Contains(nd.Notice.Text, to) || len(nd.Notice.Missing) != 0 {
			t.Errorf("%s's notice (missing %v):\n%s", r, nd.Notice.Missing, nd.Notice.Text)
		}
	}
	// The police's notice goes to the file outbox, for hand delivery:
	// sent with the file's path and hash as its proof.
	police := h.obligationsOf(id)["law_enforcement_police"]
	h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", police.ID), map[string]any{"state": "approved", "reason": "checked"})
	h.waitFor("the police's notice sent", func() bool { return h.obligationsOf(id)["law_enforcement_police"].State == incidents.ObligationSent })
	path := filepath.Join(h.dir, "var", "police", fmt.Sprintf("breachd-obligation-%d-notice-police-outbox-v1.json", police.ID))
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if proof, want := h.obligationsOf(id)["law_enforcement_police"].Proof, fmt.Sprintf("wrote %s (sha256 %x)", path, sha256.Sum256(written)); proof != want {
		t.Errorf("proof %q, want %q", proof, want)
	}
	if fbi := h.obligationsOf(id)["law_enforcement_fbi"]; fbi.State.Decided() {
		t.Errorf("the FBI's obligation was decided with the police's: %+v", fbi)
	}
	// Risk none with the personal data reached is still a breach under
	// the company policy ("of any breach"): every notice stays owed.
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "none", "reason": "names and emails, already public"})
	if got, want := undecided(), []string{"hosting_provider", "insurer", "law_enforcement_fbi"}; !slices.Equal(got, want) {
		t.Errorf("risk none, personal data reached: undecided %v, want %v", got, want)
	}
	// Ruled no breach after all (no personal data reached): the insurer
	// is no longer owed a notice.
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "none", "personal_data": false, "reason": "the rows were test data"})
	if got := undecided(); len(got) != 0 {
		t.Errorf("risk none: %v still undecided", got)
	}
	if p := h.obligationsOf(id)["law_enforcement_police"]; p.State != incidents.ObligationSent {
		t.Errorf("the sent police notice was changed: %+v", p)
	}
}

// TestContractNoticeWithoutRiskAndByTelephone: the city contract's 24 h
// notice stands when the GDPR risk is "none" and when the asset holds
// Non-Public Data only; the recipient's phone is on the notice; the call
// is recorded through the API (who called, whom, when, what was said) as
// the delivery's proof, and a call without a caller is refused with
// nothing changed.
func TestContractNoticeWithoutRiskAndByTelephone(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["contract-24h", "gdpr"]
}
asset "case-files" {
  hosts           = ["files1"]
  non_public_data = true
  records         = 120
  counterparty    = "City of San Antonio"
}
asset "students" {
  hosts           = ["db1"]
  data_categories = ["name", "library_account"]
  data_subjects   = 40
  records         = 40
  counterparty    = "City of San Antonio"
}
recipient "counterparty" {
  name    = "City of San Antonio, IT Security Office"
  address = "100 W Houston St, San Antonio, TX 78205"
  phone   = "+1 210 555 0100"
}
`)
	aware := time.Now().UTC().Truncate(time.Second)
	npd := h.openManual("Case files copied", "files1", aware.Add(-time.Hour))
	personal := h.openManual("Student records read", "db1", aware.Add(-time.Hour))
	for _, id := range []int64{npd, personal} {
		// The DPO's decision (the authority's notice is the DPO's to rule out).
		h.asDPO(func() {
			h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "none", "reason": "no risk to the data subjects' rights"})
		})
		obs := h.obligationsOf(id)
		cp := obs["counterparty:City of San Antonio"]
		if cp.ID == 0 || cp.State.Decided() || cp.DueAt == nil || cp.DueAt.Sub(obs["counterparty:City of San Antonio"].CreatedAt) > 24*time.Hour+time.Minute {
			t.Fatalf("incident %d, risk none: counterparty obligation %+v, want it undecided, due within 24 h", id, cp)
		}
		// The authority's notice owed on the suggested risk is held for the
		// DPO, never ruled out automatically: the DPO rules it out.
		if sa := obs["supervisory_authority"]; sa.ID != 0 && !sa.State.Decided() {
			h.asDPO(func() {
				h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", sa.ID), map[string]any{"state": "not_required", "reason": "risk none"})
			})
		}
	}
	cp := h.obligationsOf(npd)["counterparty:City of San Antonio"]
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", npd), fullFacts)
	var nd httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", cp.ID), &nd)
	if !strings.Contains(nd.Notice.Text, "By telephone: +1 210 555 0100") || !strings.Contains(nd.Notice.Text, "Non-Public Data (confidential, not personal)") || len(nd.Notice.Missing) != 0 {
		t.Errorf("the counterparty's notice (missing %v):\n%s", nd.Notice.Missing, nd.Notice.Text)
	}

	callPath := fmt.Sprintf("/api/v1/obligations/%d/call", cp.ID)
	called := time.Now().UTC() // after the discovery: aware_at is when the incident opened
	if code, body := h.send(callPath, map[string]any{"callee": "Jane Roe", "at": called, "said": "told her"}); code != http.StatusBadRequest || !strings.Contains(string(body), "who made the call") {
		t.Errorf("a call without a caller: %d %s, want 400 naming the caller", code, body)
	}
	if o := h.obligationsOf(npd)["counterparty:City of San Antonio"]; o.State.Decided() || o.Proof != "" {
		t.Errorf("a refused call changed the obligation: %+v", o)
	}
	var o incidents.Obligation
	h.postInto(callPath, map[string]any{"caller": "alice", "callee": "Jane Roe, IT Security Office", "number": "+1 210 555 0100",
		"at": called, "said": "the case files were copied; the written notice follows"}, &o)
	want := fmt.Sprintf("phone call by alice to Jane Roe, IT Security Office (+1 210 555 0100) at %s: the case files were copied; the written notice follows", called.Format(time.RFC3339))
	if o.State != incidents.ObligationSent || o.Proof != want || o.DecidedBy != "harness" {
		t.Errorf("after the call: %s by %q, proof %q; want sent by harness with %q", o.State, o.DecidedBy, o.Proof, want)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", npd), &d)
	if !onTimeline(d, want) {
		t.Error("the call is not on the timeline")
	}
	if code, _ := h.send(callPath, map[string]any{"caller": "bob", "callee": "Jane Roe", "at": called, "said": "again"}); code != http.StatusConflict {
		t.Errorf("a second call on a sent obligation: %d, want 409", code)
	}
}

// upload sends a CSV list of data subjects for incident id with token.
func (h *harness) upload(id int64, token, csv string) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest("POST", fmt.Sprintf("http://%s/api/v1/incidents/%d/subjects?reason=export+from+the+CRM", h.addr, id), strings.NewReader(csv))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func hashOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func subjectsCSV(n int) string {
	var b strings.Builder
	b.WriteString("name,email,address\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Person %d,person%d@example.org,\"%d Long Road, Springfield\"\n", i, i, i)
	}
	return b.String()
}

// TestDataSubjectsFanOut: the DPO uploads the list of data subjects (only
// the DPO may); a list with malformed rows is refused by row and nothing
// is imported; ten subjects get ten obligations, ten notices, each mailed
// to that subject alone; once every notice is sent the list is purged, on
// the timeline; the list never shows in the API; 100,000 subjects (above
// the pack's 10,000) make one public communication instead.
func TestDataSubjectsFanOut(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken, responderToken = "dora-token", "rita-token"
	// The 100,000-row upload takes 2 s here, and over a minute under the
	// race detector on a loaded machine: longer than the default
	// write_timeout, which this test is not about.
	h := start(t, recipientsTeam+fmt.Sprintf(`
server {
  read_timeout  = "10m"
  write_timeout = "10m"
}
incidents {
  policy_packs = ["gdpr"]
}
asset "shop" {
  hosts           = ["db1"]
  data_categories = ["name", "email", "card_number"]
  data_subjects   = 10
  records         = 10
}
channel "smtp" "mail" {
  host = "127.0.0.1"
  port = %d
  tls  = "none"
  from = "dpo@example.com"
}
recipient "data_subjects" {
  channels = ["mail"]
}
notifications {
  reminder_every = "100ms"
}
token "dora" {
  role   = "dpo"
  sha256 = %q
}
token "rita" {
  role   = "responder"
  sha256 = %q
}
`, mb.port, hashOf(dpoToken), hashOf(responderToken)))
	id := h.openManual("Card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	undecided := func(id int64) []string {
		var out []string
		for r, o := range h.obligationsOf(id) {
			if strings.HasPrefix(r, "data_subjects") && !o.State.Decided() {
				out = append(out, r)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := undecided(id); !slices.Equal(got, []string{"data_subjects"}) {
		t.Fatalf("before the list: %v, want one obligation waiting for it", got)
	}
	var nd httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", h.obligationsOf(id)["data_subjects"].ID), &nd)
	if !slices.Contains(nd.Notice.Missing, "the data subject's name (upload the list of data subjects)") {
		t.Errorf("the notice without a list lacks %v, want the data subject's name", nd.Notice.Missing)
	}

	if code, body := h.upload(id, responderToken, subjectsCSV(10)); code != http.StatusForbidden {
		t.Errorf("a responder uploaded the list: %d %s", code, body)
	}
	bad := "name,email,address\nAnna,anna@example.org,\n,nobody@example.org,1 Road\nBen,ben@example.org,\nCleo,not-an-email,\n"
	code, body := h.upload(id, dpoToken, bad)
	if code != http.StatusBadRequest || !strings.Contains(body, "2 malformed rows, nothing imported: row 3: no name; row 5: the email is not an address") {
		t.Errorf("malformed list: %d %s", code, body)
	}
	if got := undecided(id); !slices.Equal(got, []string{"data_subjects"}) {
		t.Errorf("a refused list changed the obligations: %v", got)
	}
	// (A person with a postal address only is accepted and posted to by
	// hand: TestPostalOnlyDataSubject.)

	if code, body := h.upload(id, dpoToken, subjectsCSV(10)); code != http.StatusOK || !strings.Contains(body, `"subjects": 10`) {
		t.Fatalf("upload: %d %s", code, body)
	}
	got := undecided(id)
	if len(got) != 10 || slices.Contains(got, "data_subjects") {
		t.Fatalf("after the list: %d obligations %v, want 10, one per subject", len(got), got)
	}
	// The API shows each notice with the person masked; the mail names
	// them.
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", h.obligationsOf(id)[got[0]].ID), &nd)
	if strings.Contains(nd.Notice.Text, "Person") || strings.Contains(nd.Notice.Text, "Long Road") || !strings.Contains(nd.Notice.Text, "To: [data subject ") || len(nd.Notice.Missing) != 0 {
		t.Errorf("a data subject's notice as the API shows it (missing %v):\n%s", nd.Notice.Missing, nd.Notice.Text)
	}
	for _, r := range got {
		var o incidents.Obligation
		h.asDPO(func() {
			h.postInto(fmt.Sprintf("/api/v1/obligations/%d/decide", h.obligationsOf(id)[r].ID), map[string]any{"state": "approved", "reason": "checked by the DPO"}, &o)
		})
		if strings.Contains(o.Notice, "Person") || !strings.Contains(o.Notice, "To: [data subject ") {
			t.Errorf("%s: the approved notice kept on the obligation names the person:\n%s", r, o.Notice)
		}
	}
	h.waitFor("ten mails", func() bool { return mb.count() == 10 })
	for i := 1; i <= 10; i++ {
		mails := mb.to(fmt.Sprintf("person%d@example.org", i))
		if len(mails) != 1 || !strings.Contains(strings.ReplaceAll(mails[0].body, "\r\n", "\n"), fmt.Sprintf("To: Person %d\n%d Long Road, Springfield", i, i)) {
			t.Errorf("person %d got %d mails: %+v", i, len(mails), mails)
		}
	}
	h.waitFor("the list purged once every notice is sent", func() bool {
		var d httpapi.IncidentDetail
		h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
		return onTimeline(d, "List of 10 data subjects purged: every notice to the data subjects is decided")
	})
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	for _, e := range d.Timeline {
		if strings.Contains(e.Message, "Person ") || strings.Contains(e.Message, "person") || strings.Contains(e.Message, "Long Road") {
			t.Errorf("the timeline shows the list: %q", e.Message)
		}
	}
	// The proof names the accepted recipient masked, and the message id.
	for r, o := range h.obligationsOf(id) {
		if strings.HasPrefix(r, "data_subjects:") && (o.State != incidents.ObligationSent || !strings.Contains(o.Proof, "accepted RCPT TO p******@example.org; Message-ID <breachd-obligation-")) {
			t.Errorf("%s: %s with proof %q", r, o.State, o.Proof)
		}
	}

	// 100,000 subjects: one public communication, not 100,000 notices.
	big := h.openManual("The whole shop database on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	if code, body := h.upload(big, dpoToken, subjectsCSV(100_000)); code != http.StatusOK {
		t.Fatalf("upload of 100,000: %d %s", code, body)
	}
	if got := undecided(big); !slices.Equal(got, []string{"data_subjects:public"}) {
		t.Fatalf("100,000 subjects: %d obligations (%v), want the public communication alone", len(got), got[:min(len(got), 3)])
	}
	public := h.obligationsOf(big)["data_subjects:public"]
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", public.ID), &nd)
	if !strings.Contains(nd.Notice.Text, "To: the public") {
		t.Errorf("the public communication:\n%s", nd.Notice.Text)
	}
	// Its publication record is the proof; no other obligation takes one.
	at := time.Now().UTC() // after the discovery: aware_at is when the incident opened
	pub := map[string]any{"published_by": "dora", "where": "https://shop.example/breach-notice", "at": at}
	h.bearer = harnessDPOToken // the GDPR pack leaves these notices to the DPO
	// What is published is what was approved: not before its approval.
	if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/publication", public.ID), pub); code != http.StatusConflict ||
		!strings.Contains(string(body), "not approved: approve it first") {
		t.Errorf("a publication before the approval: %d %s, want 409 saying approve it first", code, body)
	}
	h.bearer = ""
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", big), fullFacts)
	h.bearer = harnessDPOToken
	if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", public.ID), map[string]any{"state": "approved", "reason": "text checked"}); code != http.StatusOK {
		t.Fatalf("approve the public communication: %d %s", code, body)
	}
	before := map[string]any{"published_by": "dora", "where": "https://shop.example/breach-notice", "at": at.Add(-2 * time.Hour)}
	if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/publication", public.ID), before); code != http.StatusBadRequest ||
		!strings.Contains(string(body), fmt.Sprintf("the publication is dated %s, before incident %d was discovered", at.Add(-2*time.Hour).Format(time.RFC3339), big)) {
		t.Errorf("a publication before the breach occurred: %d %s, want 400 naming aware_at", code, body)
	}
	if o := h.obligationsOf(big)["data_subjects:public"]; o.State != incidents.ObligationApproved || o.Proof != "" {
		t.Errorf("a refused publication changed the obligation: %+v", o)
	}
	if code, _ := h.send(fmt.Sprintf("/api/v1/obligations/%d/publication", h.obligationsOf(big)["supervisory_authority"].ID), pub); code != http.StatusConflict {
		t.Errorf("a publication record on the authority's notice: %d, want 409", code)
	}
	var o incidents.Obligation
	h.postInto(fmt.Sprintf("/api/v1/obligations/%d/publication", public.ID), pub, &o)
	if want := "published by dora at https://shop.example/breach-notice on " + at.Format(time.RFC3339); o.State != incidents.ObligationSent || o.Proof != want {
		t.Errorf("after the publication: %s, proof %q, want sent with %q", o.State, o.Proof, want)
	}
}

// TestControllerWithoutAddressIsListedMissing: a processor's controller
// whose asset gives no address gets a notice that lists the address as
// missing (Appendix 2 asks for its name and address), and approving it is
// refused until the address is known.
func TestControllerWithoutAddressIsListedMissing(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["gdpr"]
}
asset "payroll" {
  hosts           = ["db1"]
  data_categories = ["name"]
  data_subjects   = 30
  records         = 30
  role            = "processor"
  controller      = "Acme Corp"
}
`)
	id := h.openManual("Payroll read", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	obs := h.obligationsOf(id)
	c, ok := obs["controller:Acme Corp"]
	if !ok || len(obs) != 1 {
		t.Fatalf("obligations %v, want the controller's alone", obs)
	}
	var nd httpapi.NoticeDetail
	h.get(fmt.Sprintf("/api/v1/obligations/%d/notice", c.ID), &nd)
	if !slices.Equal(nd.Notice.Missing, []string{"the controller's address"}) || !strings.Contains(nd.Notice.Text, "To: Acme Corp\n[missing: the controller's address]") {
		t.Errorf("missing %v:\n%s", nd.Notice.Missing, nd.Notice.Text)
	}
	h.bearer = harnessDPOToken
	if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", c.ID), map[string]any{"state": "approved", "reason": "ok"}); code != http.StatusConflict || !strings.Contains(string(body), "the controller's address") {
		t.Errorf("approving without the address: %d %s", code, body)
	}
}

// TestPartyLeavingTheScopeIsNoLongerOwed: when the team narrows the scope
// to one asset, the controller of the other is no longer owed a notice
// once the DPO, who alone decides it, rules it out (a responder's edit
// keeps it owed, saying why); the remaining one stands.
func TestPartyLeavingTheScopeIsNoLongerOwed(t *testing.T) {
	h := start(t, recipientsTeam+`
incidents {
  policy_packs = ["gdpr"]
}
asset "payroll-acme" {
  hosts           = ["db1"]
  data_categories = ["name"]
  role            = "processor"
  controller      = "Acme Corp"
}
asset "payroll-globex" {
  hosts           = ["db1"]
  data_categories = ["name"]
  role            = "processor"
  controller      = "Globex Inc"
}
`)
	id := h.openManual("Payroll read", "db1", time.Now().Add(-time.Hour).UTC())
	obs := h.obligationsOf(id)
	if len(obs) != 2 || obs["controller:Acme Corp"].State != incidents.ObligationPending || obs["controller:Globex Inc"].State != incidents.ObligationPending {
		t.Fatalf("obligations %+v, want one pending per controller", obs)
	}
	h.put(fmt.Sprintf("/api/v1/incidents/%d/scope", id), map[string]any{"assets": []string{"payroll-acme"}, "reason": "only Acme's table was read"})
	obs = h.obligationsOf(id)
	g := obs["controller:Globex Inc"]
	// The responder's edit: the notice the DPO alone decides stays owed,
	// and the timeline says why and how the DPO rules it out.
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	said := false
	for _, e := range d.Timeline {
		said = said || strings.Contains(e.Message, fmt.Sprintf("Obligation gdpr → controller:Globex Inc no longer applies (controller:Globex Inc is no longer among the parties the obligation goes to), but only the dpo rules it out: it stays owed until the dpo decides it (breachd obligations decide %d not_required --reason ...)", g.ID))
	}
	if g.State != incidents.ObligationPending || !said {
		t.Errorf("Globex after a responder narrowed the scope: %+v (said so on the timeline: %v), want pending", g, said)
	}
	h.asDPO(func() {
		h.post(fmt.Sprintf("/api/v1/obligations/%d/decide", g.ID), map[string]any{"state": "not_required", "reason": "only Acme's table was read"})
	})
	if g = h.obligationsOf(id)["controller:Globex Inc"]; g.State != incidents.ObligationNotRequired || g.DecidedBy != "harness-dpo" {
		t.Errorf("Globex after the DPO's decision: %+v", g)
	}
	if a := obs["controller:Acme Corp"]; a.State != incidents.ObligationPending {
		t.Errorf("Acme after the scope narrowed: %+v", a)
	}
}
