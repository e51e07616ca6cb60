package daemon_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/daemon"
	"github.com/breachd/breachd/incidents"
)

// TestRegisterNotifiedCountsEveryDataSubject: of ten people on the list,
// two mailed, one posted and seven not yet decided, the register says 3
// of 10 were notified, and the posting is counted "by post".
func TestRegisterNotifiedCountsEveryDataSubject(t *testing.T) {
	mb := startMailbox(t)
	const dpoToken = "dora-token"
	t0 := time.Now().UTC().Truncate(time.Minute)
	clk := &clock{now: t0}
	h := startWith(t, t.TempDir(), subjectsConfig(mb.port, dpoToken), daemon.Options{Now: clk.Now})
	id := h.openManual("Card numbers on a paste site", "db1", t0.Add(-time.Hour))
	h.bearer = harnessDPOToken
	h.put(fmt.Sprintf("/api/v1/incidents/%d/facts", id), fullFacts)
	h.post(fmt.Sprintf("/api/v1/incidents/%d/assess", id), map[string]any{"risk": "high", "reason": "card numbers in clear"})
	csv := "name,email,address\nAnna,anna@example.org,\nBea,bea@example.org,\nBen Post,,\"2 Road\nSpringfield\"\n"
	for i := 4; i <= 10; i++ {
		csv += fmt.Sprintf("Person %d,person%d@example.org,\n", i, i)
	}
	if code, body := h.upload(id, dpoToken, csv); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, body)
	}
	obs := h.obligationsOf(id)
	for _, r := range []string{"data_subjects:1", "data_subjects:2", "data_subjects:3"} {
		if code, body := h.send(fmt.Sprintf("/api/v1/obligations/%d/decide", obs[r].ID), map[string]any{"state": "approved", "reason": "checked by the DPO"}); code != http.StatusOK {
			t.Fatalf("approve %s: %d %s", r, code, body)
		}
	}
	h.waitFor("the two mails", func() bool {
		o := h.obligationsOf(id)
		return o["data_subjects:1"].State == incidents.ObligationSent && o["data_subjects:2"].State == incidents.ObligationSent
	})
	var o incidents.Obligation
	h.postInto(fmt.Sprintf("/api/v1/obligations/%d/posting", obs["data_subjects:3"].ID),
		map[string]any{"posted_by": "dora", "address": "2 Road, Springfield", "at": t0}, &o)
	if o.State != incidents.ObligationSent {
		t.Fatalf("after the posting: %s", o.State)
	}
	entries := h.registerOf(id)
	got := entries[len(entries)-1].Record.Notified
	want := fmt.Sprintf("data subjects (data_subjects, gdpr): 3 of 10 notified individually on %s (by email 2, by post 1)", t0.Format("2006-01-02 15:04 UTC"))
	if !strings.Contains(got, want) {
		t.Errorf("notified:\n%s\nwant it to say\n%s", got, want)
	}
}
