package daemon_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// austinConfig is the city contract's pack on an asset of the City of
// Austin, whose contact gives the city's phone: its 24 h notice is given
// by telephone, to that number.
const austinConfig = `
incidents {
  policy_packs = ["contract-24h"]
}
asset "austin-files" {
  hosts                = ["files1"]
  non_public_data      = true
  records              = 120
  counterparty         = "City of Austin"
  counterparty_address = "301 W 2nd St, Austin, TX 78701"
  counterparty_phone   = "+1 512 555 0200"
}
`

// TestCallReachesTheRecipientAfterDiscovery: through the API, a call
// recorded as the city's notice must be to the city's own number (the
// digits compared, spacing, punctuation and a leading + or 00 ignored;
// a number with letters is refused, letters being other digits):
// another number (San Antonio's), or none, is a 400 naming the number
// expected; a call dated before the incident's discovery (aware_at) is a
// 400 naming aware_at. Each refusal changes nothing; the call to the
// right number after aware_at is the proof, delivered at its own time.
func TestCallReachesTheRecipientAfterDiscovery(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 13, 12, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), recipientsTeam+austinConfig, daemon.Options{Now: clk.Now})
	aware := clk.Now()
	id := h.openManual("Case files copied", "files1", aware.Add(-time.Hour))
	cp := h.obligationsOf(id)["counterparty:City of Austin"]
	if cp.ID == 0 || cp.State.Decided() {
		t.Fatalf("the city's obligation: %+v, want one undecided", cp)
	}
	clk.Add(30 * time.Minute)
	call := fmt.Sprintf("/api/v1/obligations/%d/call", cp.ID)
	called := aware.Add(10 * time.Minute)
	body := func(number string, at time.Time) map[string]any {
		return map[string]any{"caller": "lea", "callee": "John Doe", "number": number, "at": at, "said": "the case files were copied"}
	}
	for _, bad := range []struct {
		name string
		body map[string]any
		says string
	}{
		{"San Antonio's number", body("+1 210 555 0100", called),
			"invalid: the number dialled, +1 210 555 0100, is not the number of City of Austin, +1 512 555 0200: a call to another number does not notify it; call +1 512 555 0200 and record that call"},
		{"the city's number with letters", body("+1 512 555 0200abc", called),
			"invalid: the number dialled, +1 512 555 0200abc, holds 'a': a number is written with digits, spaces and + - ( ) . / only (letters are other digits on a keypad); give the digits dialled"},
		{"no number", body("", called), "invalid: say which number was dialled (number): City of Austin is reached at +1 512 555 0200"},
		{"two days before the discovery", body("+1 512 555 0200", aware.Add(-48*time.Hour)),
			fmt.Sprintf("invalid: the call is dated 2026-11-22T13:12:00Z, before incident %d was discovered (aware_at 2026-11-24T13:12:00Z): nobody can be notified of a breach before it is known; give the time it was made, at or after 2026-11-24T13:12:00Z", id)},
		{"a second before the discovery", body("+1 512 555 0200", aware.Add(-time.Second)),
			fmt.Sprintf("invalid: the call is dated 2026-11-24T13:11:59Z, before incident %d was discovered (aware_at 2026-11-24T13:12:00Z): nobody can be notified of a breach before it is known; give the time it was made, at or after 2026-11-24T13:12:00Z", id)},
	} {
		if code, out := h.send(call, bad.body); code != http.StatusBadRequest || errMessage(string(out)) != bad.says {
			t.Errorf("%s: %d %s\nwant 400 saying %q", bad.name, code, out, bad.says)
		}
		if o := h.obligationsOf(id)["counterparty:City of Austin"]; o.State != cp.State || o.Proof != "" || o.DeliveredAt != nil {
			t.Errorf("%s: the refused call changed the obligation: %+v", bad.name, o)
		}
	}
	// The city's number written another way is the same number; a call
	// at aware_at exactly is allowed.
	var o incidents.Obligation
	h.postInto(call, body("001 (512) 555-0200", aware), &o)
	want := "phone call by lea to John Doe (001 (512) 555-0200) at 2026-11-24T13:12:00Z: the case files were copied"
	if o.State != incidents.ObligationSent || o.Proof != want || o.DeliveredAt == nil || !o.DeliveredAt.Equal(aware) {
		t.Errorf("the call to the city's number: %s, proof %q, delivered %v; want sent with %q, delivered %s", o.State, o.Proof, o.DeliveredAt, want, aware)
	}
}

// TestDetectedIncidentClocksInOrder: a daemon tailing a file reads a line
// stamped 13:12:00 while its clock says 13:11:47 (the log's clock 13 s
// fast): the incident opens with occurred_at at the detection's time,
// not after aware_at, first_seen keeping the line's; setting aware_at to
// its own stored value is accepted.
func TestDetectedIncidentClocksInOrder(t *testing.T) {
	mb := startMailbox(t)
	clk := &clock{now: time.Date(2026, 11, 23, 13, 11, 47, 0, time.UTC)}
	h := startWith(t, t.TempDir(), removalConfig(t, mb.port), daemon.Options{Now: clk.Now})
	h.appendLines("2026-11-23 13:12:00 INFO applicant ssn=078-05-1120 verified")
	var list httpapi.IncidentList
	h.waitFor("the incident", func() bool {
		h.get("/api/v1/incidents", &list)
		return len(list.Incidents) == 1
	})
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", list.Incidents[0].ID), &d)
	inc, detected, line := d.Incident, clk.Now(), time.Date(2026, 11, 23, 13, 12, 0, 0, time.UTC)
	if inc.OccurredAt == nil || !inc.OccurredAt.Equal(detected) || !inc.AwareAt.Equal(detected) || !inc.DetectedAt.Equal(detected) || !inc.FirstSeen.Equal(line) {
		t.Errorf("clocks: occurred %v, detected %v, aware %v, first seen %v; want occurred, detected and aware %v, first seen %v",
			inc.OccurredAt, inc.DetectedAt, inc.AwareAt, inc.FirstSeen, detected, line)
	}
	code, body := h.putStatus(fmt.Sprintf("/api/v1/incidents/%d/clocks/aware_at", inc.ID), map[string]any{"at": inc.AwareAt, "reason": "as detected"})
	if code != http.StatusOK {
		t.Errorf("aware_at set to its own value: %d %s, want 200", code, body)
	}
}
