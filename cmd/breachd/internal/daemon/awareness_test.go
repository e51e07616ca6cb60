package daemon_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
)

// TestAwarenessStaysBeforeWhatFollowsIt: through the API, moving aware_at
// later is a 403 for all but the DPO (the deadlines run from it); even
// the DPO may not move it after a notice of the incident was delivered (a call
// here), nor after contained_at: a 400 naming the delivery or the clock
// in the way, nothing changed; moved to the delivery's time exactly, it
// is set.
func TestAwarenessStaysBeforeWhatFollowsIt(t *testing.T) {
	clk := &clock{now: time.Date(2026, 11, 24, 13, 12, 0, 0, time.UTC)}
	h := startWith(t, t.TempDir(), recipientsTeam+austinConfig, daemon.Options{Now: clk.Now})
	aware := clk.Now()
	id := h.openManual("Case files copied", "files1", aware.Add(-time.Hour))
	cp := h.obligationsOf(id)["counterparty:City of Austin"]
	clk.Add(30 * time.Minute)
	called := aware.Add(10 * time.Minute)
	h.post(fmt.Sprintf("/api/v1/obligations/%d/call", cp.ID), map[string]any{"caller": "lea", "callee": "John Doe", "number": "+1 512 555 0200", "at": called, "said": "the case files were copied"})

	awarePath := fmt.Sprintf("/api/v1/incidents/%d/clocks/aware_at", id)
	// Later, by the admin: the DPO's alone.
	code, body := h.putStatus(awarePath, map[string]any{"at": aware.Add(5 * time.Minute), "reason": "later"})
	want := "forbidden: moving aware_at later (from 2026-11-24T13:12:00Z to 2026-11-24T13:17:00Z) moves the GDPR 72-hour deadline and every deadline running from awareness later with it: only the DPO may; harness holds the role admin; ask the DPO, or give an aware_at at or before 2026-11-24T13:12:00Z"
	if code != http.StatusForbidden || errMessage(body) != want {
		t.Errorf("aware_at later by the admin: %d %s\nwant 403 saying %q", code, body, want)
	}
	h.asDPO(func() {
		code, body = h.putStatus(awarePath, map[string]any{"at": aware.Add(18 * time.Minute), "reason": "later"})
	})
	want = fmt.Sprintf("invalid: aware_at 2026-11-24T13:30:00Z is after the delivery of the notice %s → counterparty:City of Austin (obligation %d) at 2026-11-24T13:22:00Z: a notice is sent by someone aware of the breach; give an aware_at at or before 2026-11-24T13:22:00Z", cp.Policy, cp.ID)
	if code != http.StatusBadRequest || errMessage(body) != want {
		t.Errorf("aware_at after the call: %d %s\nwant 400 saying %q", code, body, want)
	}
	var d httpapi.IncidentDetail
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if !d.Incident.AwareAt.Equal(aware) || h.timelineKinds(id, "clock") != 0 {
		t.Errorf("the refusal changed aware_at to %v (%d clock entries), want %v and none", d.Incident.AwareAt, h.timelineKinds(id, "clock"), aware)
	}
	h.asDPO(func() {
		h.put(awarePath, map[string]any{"at": called, "reason": "the customer told us at the time of the call"})
	})
	h.get(fmt.Sprintf("/api/v1/incidents/%d", id), &d)
	if !d.Incident.AwareAt.Equal(called) {
		t.Errorf("aware_at at the call's time: %v, want %v", d.Incident.AwareAt, called)
	}

	// Contained at 13:42: awareness may not follow it.
	other := h.openManual("More case files copied", "files1", aware.Add(-time.Hour))
	h.post(fmt.Sprintf("/api/v1/incidents/%d/transition", other), map[string]any{"to": "contained", "reason": "share closed"})
	clk.Add(10 * time.Minute)
	h.asDPO(func() {
		code, body = h.putStatus(fmt.Sprintf("/api/v1/incidents/%d/clocks/aware_at", other), map[string]any{"at": clk.Now().Add(-5 * time.Minute), "reason": "later"})
	})
	want = "invalid: aware_at 2026-11-24T13:47:00Z is after contained_at 2026-11-24T13:42:00Z: the breach was contained by someone aware of it; give an aware_at at or before 2026-11-24T13:42:00Z"
	if code != http.StatusBadRequest || errMessage(body) != want {
		t.Errorf("aware_at after containment: %d %s\nwant 400 saying %q", code, body, want)
	}
	if h.timelineKinds(other, "clock") != 0 {
		t.Errorf("the refusal after containment set a clock")
	}
}
