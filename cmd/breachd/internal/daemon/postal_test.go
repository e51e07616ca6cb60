package daemon_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/incidents"
)

// subjectsConfig is the shipped GDPR pack on a shop whose data subjects'
// notices go by SMTP to port; dora is the DPO.
func subjectsConfig(port int, dpoToken string) string {
	return recipientsTeam + fmt.Sprintf(`
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
token "dora" {
  role   = "dpo"
  sha256 = %q
}
`, port, hashOf(dpoToken))
}

// subjectKeys lists incident id's obligations to data subjects but the
// one a list replaced (ruled not required).
func (h *harness) subjectKeys(id int64) []string {
	h.t.Helper()
	var out []string
	for r, o := range h.obligationsOf(id) {
		if strings.HasPrefix(r, "data_subjects") && o.State != incidents.ObligationNotRequired {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// TestDuplicateSubjectsAndNumbersPerList: a list repeating a person (the
// same email, or the same name and postal address, case and spacing
// aside) is refused by row, naming the first, and nothing is imported;
// the subjects of each incident's list are numbered from 1, whatever
// other incidents' lists hold.
func TestDuplicateSubjectsAndNumbersPerList(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	h := start(t, subjectsConfig(mb.port, dpoToken))
	first := h.openManual("Card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	dup := "name,email,address\nAnna,anna@example.org,\nBen,,\"2 Road, Springfield\"\nAnna Two,Anna@Example.org,\n Ben ,,\"2  road,  springfield\"\nCleo,cleo@example.org,\n"
	code, body := h.upload(first, dpoToken, dup)
	if code != http.StatusBadRequest || !strings.Contains(body,
		"2 malformed rows, nothing imported: row 4: the same email as row 2 (one person, one row); row 5: the same name and postal address as row 3 (one person, one row)") {
		t.Errorf("a list with repeated people: %d %s", code, body)
	}
	if got := h.subjectKeys(first); !slices.Equal(got, []string{"data_subjects"}) {
		t.Errorf("a refused list changed the obligations: %v", got)
	}
	if code, body := h.upload(first, dpoToken, subjectsCSV(3)); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, body)
	}
	if got, want := h.subjectKeys(first), []string{"data_subjects:1", "data_subjects:2", "data_subjects:3"}; !slices.Equal(got, want) {
		t.Errorf("first list: %v, want %v", got, want)
	}
	second := h.openManual("More card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	if code, body := h.upload(second, dpoToken, subjectsCSV(2)); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, body)
	}
	if got, want := h.subjectKeys(second), []string{"data_subjects:1", "data_subjects:2"}; !slices.Equal(got, want) {
		t.Errorf("second list: %v, want %v (numbered on its own list)", got, want)
	}
}

// TestPostalOnlyDataSubject: with the data subjects' notices going by
// SMTP, a person on the list with a postal address and no email is
// accepted; the DPO approves both notices: the one with an email is mailed
// to that address alone, the postal one queues nothing and waits, approved,
// for a person to record its posting (who, when, to the address on the
// list), which is its proof; a posting without who, to another address, or
// dated in the future is refused and changes nothing.
func TestPostalOnlyDataSubject(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	h := start(t, subjectsConfig(mb.port, dpoToken))
	id := h.openManual("Card numbers on a paste site", "db1", time.Now().Add(-time.Hour).UTC())
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	if code, body := h.upload(id, dpoToken, "name,email,address\nAnna,anna@example.org,\nBen Post,,\"2 Road\nSpringfield\"\n"); code != http.StatusOK {
		t.Fatalf("a list with a person reached by post: %d %s", code, body)
	}
	obs := h.obligationsOf(id)
	anna, ben := obs["data_subjects:1"], obs["data_subjects:2"]
	if anna.ID == 0 || ben.ID == 0 {
		t.Fatalf("obligations %v", h.subjectKeys(id))
	}
	h.bearer = harnessDPOToken
	// Not approved yet: no posting (approval is what checks the notice
	// lacks no required fact).
	early := map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": time.Now().UTC()}
	if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/posting", ben.ID), early); code != http.StatusConflict || errMessage(string(body)) !=
		fmt.Sprintf("conflict: obligation %d (gdpr → data_subjects:2) is drafted, not approved: approve it first (obligations decide %d approved), which checks the notice lacks no required fact, then post that notice and record the posting", ben.ID, ben.ID) {
		t.Errorf("a posting before approval: %d %s, want 409 saying approve it first", code, body)
	}
	if o := h.obligationsOf(id)["data_subjects:2"]; o.State != ben.State || o.Proof != "" {
		t.Errorf("a refused posting changed the obligation: %+v", o)
	}
	for _, o := range []incidents.Obligation{ben, anna} {
		if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", o.ID), map[string]any{"state": "approved", "reason": "checked by the DPO"}); code != http.StatusOK {
			t.Fatalf("approve %s: %d %s", o.Recipient, code, body)
		}
	}
	h.waitFor("Anna's mail, Ben's notice not waited for", func() bool { return h.obligationsOf(id)["data_subjects:1"].State == incidents.ObligationSent })
	if got := mb.to("anna@example.org"); len(got) != 1 || mb.count() != 1 {
		t.Errorf("mails: %d to Anna, %d in all; want 1 and 1", len(got), mb.count())
	}
	if o := h.obligationsOf(id)["data_subjects:2"]; o.State != incidents.ObligationApproved {
		t.Errorf("Ben's notice: %s, want approved, waiting for its posting", o.State)
	}

	posting := fmt.Sprintf("/api/v1/obligations/%d/posting", ben.ID)
	at := time.Now().UTC() // after the discovery: aware_at is when the incident opened
	for _, bad := range []struct {
		body map[string]any
		code int
		says string
	}{
		{map[string]any{"address": "2 Road, Springfield", "at": at}, 400, "say who posted the notice"},
		{map[string]any{"posted_by": "dora", "address": "3 Other Road, Springfield", "at": at}, 400, "not data subject 2's postal address on the list (row 3)"},
		{map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": time.Now().Add(time.Hour)}, 400, "in the future"},
		{map[string]any{"posted_by": "dora", "at": at}, 400, "to which postal address"},
		{map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": at.Add(-2 * time.Hour)}, 400,
			fmt.Sprintf("the posting is dated %s, before incident %d was discovered (aware_at ", at.Add(-2*time.Hour).Format(time.RFC3339), id)},
	} {
		code, body := h.send(posting, bad.body)
		if code != bad.code || !strings.Contains(string(body), bad.says) {
			t.Errorf("posting %v: %d %s, want %d saying %q", bad.body, code, body, bad.code, bad.says)
		}
	}
	if code, _ := h.send(fmt.Sprintf("/api/v1/obligations/%d/posting", h.obligationsOf(id)["supervisory_authority"].ID),
		map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": at}); code != http.StatusConflict {
		t.Errorf("a posting on the authority's notice: %d, want 409", code)
	}
	var o incidents.Obligation
	h.postInto(posting, map[string]any{"posted_by": "dora", "address": "2 road springfield", "at": at}, &o)
	want := fmt.Sprintf("posted by dora at %s to data subject 2's postal address on the list (row 3)", at.Format(time.RFC3339))
	if o.State != incidents.ObligationSent || o.Proof != want {
		t.Errorf("after the posting: %s, proof %q, want sent with %q", o.State, o.Proof, want)
	}
	if mb.count() != 1 {
		t.Errorf("%d mails, want 1", mb.count())
	}
}
