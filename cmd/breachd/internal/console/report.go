package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/incidents"
)

// fontFiles are the TrueType fonts the PDF report embeds (fonts/README.md
// says where they come from).
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fontFiles embed.FS

// systemActor is the actor of what breachd itself writes on a timeline;
// every other actor is a person (a token's name).
const systemActor = "breachd"

// report is an incident's report for management and the post-incident
// review: what happened, when, what was done, who decided what, the
// notices sent with their proof, and the chain head. It is built from the
// API's answers alone, as the signed-in person reads them; its JSON is
// the .json download, and document() is what the page, the PDF and the
// Markdown show. Times are in the console's time zone.
type report struct {
	Incident    int64     `json:"incident_id"`
	GeneratedAt time.Time `json:"generated_at"`
	// GeneratedBy is who asked for it: "rita (responder)".
	GeneratedBy string           `json:"generated_by"`
	TimeZone    string           `json:"time_zone"`
	What        reportWhat       `json:"what_happened"`
	When        reportWhen       `json:"when"`
	Done        reportDone       `json:"what_was_done"`
	Decisions   []reportDecided  `json:"decisions"`
	Notices     []reportNotice   `json:"notices"`
	Related     []incidents.Link `json:"related"`
	Chain       reportChain      `json:"chain"`
}

// reportWhat is what happened: the incident, its risk, the facts the
// notices state and its scope.
type reportWhat struct {
	Title       string           `json:"title"`
	Status      incidents.Status `json:"status"`
	Rule        string           `json:"rule"`
	Category    string           `json:"category"`
	Severity    string           `json:"severity"`
	Origin      string           `json:"origin"`
	Reporter    string           `json:"reporter,omitempty"`
	Description string           `json:"description,omitempty"`
	Host        string           `json:"host,omitempty"`
	// Risk is what a person decided (RiskBy, RiskReason); SuggestedRisk
	// breachd's suggestion.
	Risk               incidents.Risk  `json:"risk"`
	RiskBy             string          `json:"risk_by,omitempty"`
	RiskReason         string          `json:"risk_reason,omitempty"`
	SuggestedRisk      incidents.Risk  `json:"suggested_risk"`
	PersonalDataBreach bool            `json:"personal_data_breach"`
	Facts              incidents.Facts `json:"facts"`
	Scope              incidents.Scope `json:"scope"`
	// Findings counts the matches; Evidence is the first line (masked as
	// the API masks it), EvidenceKept how many lines are kept.
	Findings     int64  `json:"findings"`
	Evidence     string `json:"evidence"`
	EvidenceKept int    `json:"evidence_kept"`
	Resolution   string `json:"resolution,omitempty"`
	MergedInto   *int64 `json:"merged_into,omitempty"`
	Reopened     int    `json:"reopened"`
}

// reportWhen is when: the incident's clocks.
type reportWhen struct {
	OccurredAt   *time.Time `json:"occurred_at"`
	DetectedAt   time.Time  `json:"detected_at"`
	AwareAt      time.Time  `json:"aware_at"`
	DeterminedAt *time.Time `json:"determined_at"`
	FirstSeen    time.Time  `json:"first_seen"`
	LastSeen     time.Time  `json:"last_seen"`
	ContainedAt  *time.Time `json:"contained_at"`
	ClosedAt     *time.Time `json:"closed_at"`
}

// reportDone is what was done: the containments (reverted or not) and the
// action runs with their outcomes.
type reportDone struct {
	Containments []reportContainment   `json:"containments"`
	Runs         []incidents.ActionRun `json:"action_runs"`
}

// reportContainment is a containment; Reverted says whether it was lifted
// (by hand or when it expired).
type reportContainment struct {
	incidents.Containment
	Reverted bool `json:"reverted"`
}

// reportDecided is a timeline entry a person wrote: a decision, a
// transition, a risk decision, an approval, a notice's decision, a clock
// or scope change. Plain notes are on the incident's timeline, not here.
type reportDecided struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Kind     string    `json:"kind"`
	Message  string    `json:"message"`
	Incident int64     `json:"incident_id"`
	Hash     string    `json:"hash"`
	Redacted bool      `json:"redacted,omitempty"`
}

// reportNotice is an obligation with its deliveries. Sent is true only
// for a notice sent with proof (what the store holds: SMTP's accepted
// recipient and message id, a webhook's answer, a file's hash, a call a
// person recorded).
type reportNotice struct {
	incidents.Obligation
	Sent       bool                `json:"sent"`
	Deliveries []incidents.Message `json:"deliveries"`
}

// reportChain is the incident's place in the timeline's hash chain: its
// last entry (the head), and the API's verification of the chains.
type reportChain struct {
	Entries  int       `json:"entries"`
	HeadSeq  int64     `json:"head_seq"`
	HeadHash string    `json:"head_hash"`
	HeadAt   time.Time `json:"head_at"`
	// Verification is the API's walk of the chains when the report was
	// made; VerifyError says why there is none.
	Verification *incidents.Verification `json:"verification,omitempty"`
	VerifyError  string                  `json:"verify_error,omitempty"`
}

// showReport is the incident's report as a page, designed for print,
// with its downloads.
func (c *Console) showReport(w http.ResponseWriter, r *http.Request) {
	s, id, ok := c.signedInAt(w, r)
	if !ok {
		return
	}
	verify := r.URL.Query().Get("verify") != ""
	rep, ok := c.reportOf(w, r, s, id, verify)
	if !ok {
		return
	}
	c.render(w, "report.html", reportPage{who: whoOf(s), ID: id, Doc: rep.document(), Verified: verify})
}

// reportPage is the report page's content.
type reportPage struct {
	who
	ID  int64
	Doc reportDoc
	// Verified says the chains were walked for this page (on request,
	// as on the incident screen; a download always walks them).
	Verified bool
}

// reportFile is the report as a download: PDF, Markdown or JSON, by the
// path's suffix.
func (c *Console) reportFile(w http.ResponseWriter, r *http.Request) {
	s, id, ok := c.signedInAt(w, r)
	if !ok {
		return
	}
	rep, ok := c.reportOf(w, r, s, id, true)
	if !ok {
		return
	}
	format := path.Ext(r.URL.Path)
	body, contentType, err := rep.file(format)
	if err != nil {
		c.opts.Logger.Error("console report", "incident", id, "format", format, "err", err)
		http.Error(w, "the report could not be rendered", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="breachd-incident-%d%s"`, id, format))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// file renders the report in a download's format (".pdf", ".md",
// ".json") and says its content type.
func (rep *report) file(format string) ([]byte, string, error) {
	switch format {
	case ".pdf":
		b, err := rep.document().pdf()
		return b, "application/pdf", err
	case ".md":
		return rep.document().markdown(), "text/markdown; charset=utf-8", nil
	case ".json":
		b, err := rep.json()
		return b, "application/json", err
	}
	return nil, "", fmt.Errorf("no report format %q", format)
}

// json is the report as indented JSON; the characters a reader must not
// be shown raw (bidirectional formatting and C1 controls, which
// encoding/json leaves as they are) are written as \uXXXX escapes, so
// the text decodes to the same strings and reads as what it is.
func (rep *report) json() ([]byte, error) {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return nil, err
	}
	if !bytes.ContainsFunc(b, hidden) {
		return append(b, '\n'), nil
	}
	out := make([]byte, 0, len(b)+32)
	for _, r := range string(b) {
		if hidden(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
			continue
		}
		out = append(out, string(r)...)
	}
	return append(out, '\n'), nil
}

// reportOf reads incident id, and when verify the chains' verification,
// through the API as s and builds the report; it answers the refusal
// itself.
func (c *Console) reportOf(w http.ResponseWriter, r *http.Request, s *session, id int64, verify bool) (*report, bool) {
	var d httpapi.IncidentDetail
	code, err := c.call(r.Context(), s, "GET", fmt.Sprintf("/api/v1/incidents/%d", id), nil, &d)
	if err != nil {
		if code == http.StatusNotFound {
			http.NotFound(w, r)
			return nil, false
		}
		http.Error(w, "the incident could not be read: "+err.Error(), http.StatusBadGateway)
		return nil, false
	}
	// The chains are walked (every entry: 0.2 s at 10,000) for a
	// download, a record of the case, and for the page when asked.
	var v *incidents.Verification
	verr := errors.New("not asked for on this page (Verify the chains; every download verifies them)")
	if verify {
		var check chainCheck
		if check, verr = c.verify(r, s); verr == nil {
			v = &check.Verified
		}
	}
	return buildReport(d, v, verr, c.opts.Now(), c.loc(), whoOf(s)), true
}

// buildReport makes the report of incident detail d, with the chains'
// verification v (or the error verr that stood in its way), made at now
// for person by, its times in loc.
func buildReport(d httpapi.IncidentDetail, v *incidents.Verification, verr error, now time.Time, loc *time.Location, by who) *report {
	rep := &report{
		Incident:    d.Incident.ID,
		GeneratedAt: now.In(loc),
		GeneratedBy: by.Who,
		TimeZone:    loc.String(),
		What:        whatOf(d),
		When:        whenOf(d.Incident, loc),
		Done:        doneOf(d, loc),
		Decisions:   decisionsOf(d.Timeline, loc),
		Notices:     noticesOf(d.Obligations, d.Messages, loc),
		Related:     relatedOf(d.Related, loc),
		Chain:       chainOf(d.Timeline, v, verr, loc),
	}
	if by.Role != "" {
		rep.GeneratedBy += " (" + by.Role + ")"
	}
	return rep
}

// whatOf is what happened, from the incident detail.
func whatOf(d httpapi.IncidentDetail) reportWhat {
	inc := d.Incident
	return reportWhat{
		Title: inc.Title, Status: inc.Status, Rule: inc.Rule, Category: inc.Category, Severity: inc.Severity,
		Origin: inc.Origin, Reporter: inc.Reporter, Description: inc.Description, Host: inc.Host,
		Risk: inc.Risk, RiskBy: inc.RiskBy, RiskReason: inc.RiskReason, SuggestedRisk: inc.SuggestedRisk,
		PersonalDataBreach: inc.PersonalDataBreach, Facts: inc.Facts, Scope: inc.Scope,
		Findings: inc.FindingCount, Evidence: inc.Evidence, EvidenceKept: len(d.Evidence),
		Resolution: inc.Resolution, MergedInto: inc.MergedInto, Reopened: inc.Reopened,
	}
}

// whenOf is the incident's clocks in loc.
func whenOf(inc incidents.Incident, loc *time.Location) reportWhen {
	return reportWhen{
		OccurredAt: inZoneP(inc.OccurredAt, loc), DetectedAt: inZone(inc.DetectedAt, loc), AwareAt: inZone(inc.AwareAt, loc),
		DeterminedAt: inZoneP(inc.DeterminedAt, loc), FirstSeen: inZone(inc.FirstSeen, loc), LastSeen: inZone(inc.LastSeen, loc),
		ContainedAt: inZoneP(inc.ContainedAt, loc), ClosedAt: inZoneP(inc.ClosedAt, loc),
	}
}

// doneOf is what was done: containments and action runs, times in loc.
func doneOf(d httpapi.IncidentDetail, loc *time.Location) reportDone {
	done := reportDone{Containments: []reportContainment{}, Runs: []incidents.ActionRun{}}
	for _, c := range d.Containments {
		c.AppliedAt, c.ExpiresAt, c.EndedAt = inZone(c.AppliedAt, loc), inZone(c.ExpiresAt, loc), inZoneP(c.EndedAt, loc)
		done.Containments = append(done.Containments, reportContainment{Containment: c, Reverted: c.State == incidents.ContainmentReverted})
	}
	for _, run := range d.Actions {
		run.CreatedAt, run.FinishedAt, run.StartedAt = inZone(run.CreatedAt, loc), inZoneP(run.FinishedAt, loc), inZoneP(run.StartedAt, loc)
		run.ApprovalExpiresAt = inZoneP(run.ApprovalExpiresAt, loc)
		done.Runs = append(done.Runs, run)
	}
	return done
}

// decisionsOf are the timeline's entries a person wrote, but plain notes,
// in chain order (the API's).
func decisionsOf(timeline []incidents.TimelineEntry, loc *time.Location) []reportDecided {
	out := []reportDecided{}
	for _, e := range timeline {
		if e.Actor == systemActor || e.Kind == "note" {
			continue
		}
		out = append(out, reportDecided{Seq: e.Seq, At: inZone(e.At, loc), Actor: e.Actor, Kind: e.Kind, Message: e.Message,
			Incident: e.IncidentID, Hash: e.Hash, Redacted: e.RedactedAt != nil})
	}
	return out
}

// noticesOf are the obligations with the outbox messages that carry
// their notices; a notice is sent when the store holds its proof.
func noticesOf(obligations []incidents.Obligation, messages []incidents.Message, loc *time.Location) []reportNotice {
	out := []reportNotice{}
	for _, o := range obligations {
		o.DueAt, o.DecidedAt, o.DeliveredAt, o.CreatedAt = inZoneP(o.DueAt, loc), inZoneP(o.DecidedAt, loc), inZoneP(o.DeliveredAt, loc), inZone(o.CreatedAt, loc)
		n := reportNotice{Obligation: o, Sent: o.State == incidents.ObligationSent && o.Proof != "", Deliveries: []incidents.Message{}}
		for _, m := range messages {
			if m.ObligationID == o.ID {
				m.CreatedAt, m.NextAttemptAt, m.SentAt = inZone(m.CreatedAt, loc), inZone(m.NextAttemptAt, loc), inZoneP(m.SentAt, loc)
				n.Deliveries = append(n.Deliveries, m)
			}
		}
		out = append(out, n)
	}
	return out
}

// relatedOf are the related incidents, times in loc.
func relatedOf(links []incidents.Link, loc *time.Location) []incidents.Link {
	out := make([]incidents.Link, 0, len(links))
	for _, l := range links {
		l.At = inZone(l.At, loc)
		out = append(out, l)
	}
	return out
}

// chainOf is the incident's chain head (its entry with the highest
// sequence number) and the verification.
func chainOf(timeline []incidents.TimelineEntry, v *incidents.Verification, verr error, loc *time.Location) reportChain {
	ch := reportChain{Entries: len(timeline), Verification: v}
	for _, e := range timeline {
		if e.Seq >= ch.HeadSeq {
			ch.HeadSeq, ch.HeadHash, ch.HeadAt = e.Seq, e.Hash, inZone(e.At, loc)
		}
	}
	if verr != nil {
		ch.VerifyError = verr.Error()
	}
	return ch
}

// inZone is t in loc (the zero time stays zero).
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// inZoneP is inZone for an optional time.
func inZoneP(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	u := inZone(*t, loc)
	return &u
}
