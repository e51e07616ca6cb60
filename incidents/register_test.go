package incidents_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/breachd/breachd/incidents"
)

func TestCheckWriteCarriesForward(t *testing.T) {
	one, two := int64(1), int64(2)
	prev := incidents.RegisterEntry{ID: 7, IncidentID: &one, Kind: incidents.RegisterBreach, Record: incidents.Record{
		Nature: "invoices on a paste site", DataCategories: []string{"email", "name"}, DataSubjects: 300, Records: 1200,
		Risk: incidents.RiskRisk, Consequences: "phishing", Measures: "endpoint removed", Notified: "supervisory_authority (gdpr) on ...", Reason: "rows read",
	}}
	measures, empty := "endpoint removed; passwords reset", ""
	e, err := incidents.CheckWrite(incidents.RegisterWrite{Kind: incidents.RegisterCorrection, Supersedes: &prev.ID,
		Record: incidents.RecordPatch{Measures: &measures, Consequences: &empty}}, &prev, "passwords reset too")
	want := prev.Record
	want.Measures, want.Consequences, want.Reason = measures, "", "passwords reset too"
	if err != nil || e.IncidentID == nil || *e.IncidentID != one || e.Record.Nature != want.Nature || !slices.Equal(e.Record.DataCategories, want.DataCategories) ||
		e.Record.DataSubjects != 300 || e.Record.Records != 1200 || e.Record.Risk != incidents.RiskRisk || e.Record.Consequences != "" ||
		e.Record.Measures != measures || e.Record.Notified != want.Notified || e.Record.Reason != want.Reason {
		t.Errorf("correction = %+v, %v; want %+v", e.Record, err, want)
	}
	minus := int64(-1)
	for name, tc := range map[string]struct {
		w    incidents.RegisterWrite
		want string
	}{
		"another incident": {incidents.RegisterWrite{Kind: incidents.RegisterCorrection, IncidentID: &two, Supersedes: &prev.ID,
			Record: incidents.RecordPatch{Measures: &measures}}, "register entry 7 belongs to incident 1, not to incident 2"},
		"nothing changed": {incidents.RegisterWrite{Kind: incidents.RegisterCorrection, Supersedes: &prev.ID,
			Record: incidents.RecordPatch{Measures: &prev.Record.Measures}}, "changes nothing"},
		"a negative count": {incidents.RegisterWrite{Kind: incidents.RegisterCorrection, Supersedes: &prev.ID,
			Record: incidents.RecordPatch{Records: &minus}}, "record.records is -1; give a count, 0 or more"},
		"notified by hand": {incidents.RegisterWrite{Kind: incidents.RegisterCorrection, Supersedes: &prev.ID,
			Record: incidents.RecordPatch{Notified: &measures}}, "written from its notices' deliveries"},
	} {
		if _, err := incidents.CheckWrite(tc.w, &prev, "r"); !errors.Is(err, incidents.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrInvalid with %q", name, err, tc.want)
		}
	}
	if _, err := incidents.CheckWrite(incidents.RegisterWrite{Kind: incidents.RegisterCorrection, Supersedes: &prev.ID,
		Record: incidents.RecordPatch{Measures: &measures}}, &prev, ""); err == nil || !strings.Contains(err.Error(), "say why") {
		t.Errorf("a correction without a reason: %v", err)
	}
}

func TestUpdateKeys(t *testing.T) {
	for key, want := range map[string]struct {
		base string
		n    int
	}{
		incidents.UpdateKey(1, "supervisory_authority"): {"supervisory_authority", 1},
		incidents.UpdateKey(12, "controller:Acme Corp"): {"controller:Acme Corp", 12},
		"supervisory_authority":                         {"supervisory_authority", 0},
		"update x of supervisory_authority":             {"update x of supervisory_authority", 0},
		"customer:update 1 of the things":               {"customer:update 1 of the things", 0},
	} {
		if base, n := incidents.UpdateBase(key); base != want.base || n != want.n {
			t.Errorf("UpdateBase(%q) = %q, %d; want %q, %d", key, base, n, want.base, want.n)
		}
	}
}

func TestCheckRegistered(t *testing.T) {
	inc := &incidents.Incident{ID: 7, Status: incidents.StatusNotifying}
	if err := incidents.CheckRegistered(inc, true, false); !errors.Is(err, incidents.ErrConflict) || !strings.Contains(err.Error(), "until then it stays notifying") {
		t.Errorf("an undocumented breach: %v", err)
	}
	if incidents.CheckRegistered(inc, true, true) != nil || incidents.CheckRegistered(inc, false, false) != nil {
		t.Error("a documented breach or a near miss was refused")
	}
}
