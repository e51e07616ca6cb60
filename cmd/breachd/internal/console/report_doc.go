package console

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/breachd/breachd/incidents"
)

// Limits of what the report's page, PDF and Markdown show; the JSON
// download holds everything.
const (
	// maxValue cuts a value (an evidence line, a message) at this many
	// characters, with a note.
	maxValue = 4000
	// maxRows caps the entries of a list (decisions, notices, runs).
	maxRows = 500
)

// reportDoc is a report as the page, the PDF and the Markdown show it:
// the same sections in the same order, every value a string (times in the
// report's zone, long values cut with a note). Values hold what the store
// holds, raw: each format makes them safe for where it puts them.
type reportDoc struct {
	ID int64
	// At is when the report was made.
	At time.Time
	// Title is the incident's title; Lead the lines under it.
	Title    string
	Lead     []string
	Sections []docSection
	// Head is the chain head's line, on every PDF page.
	Head string
}

// docSection is one part of the report.
type docSection struct {
	ID, Title string
	Facts     []docFact
	Items     []docItem
	Table     *docTable
	// Empty is said when the section holds nothing else; Note after it
	// (what was left out).
	Empty, Note string
}

// docFact is a labelled value; Code marks a hash (one word, shown whole).
type docFact struct {
	Label, Value string
	Code         bool
}

// docItem is one containment, action run or notice: a heading and its
// facts.
type docItem struct {
	Head  string
	Facts []docFact
}

// docTable is a list of rows (the decisions, the related incidents).
type docTable struct {
	Columns []string
	Rows    [][]string
}

// fact is a labelled value, cut when it is long.
func fact(label, value string) docFact { return docFact{Label: label, Value: cutLong(value)} }

// factIf appends the fact when its value is not empty.
func factIf(facts []docFact, label, value string) []docFact {
	if value == "" {
		return facts
	}
	return append(facts, fact(label, value))
}

// document lays the report out.
func (rep *report) document() reportDoc {
	d := reportDoc{ID: rep.Incident, At: rep.GeneratedAt, Title: cutLong(rep.What.Title)}
	d.Lead = []string{
		cutLong(fmt.Sprintf("Incident #%d: %s, severity %s, risk %s.", rep.Incident, rep.What.Status, rep.What.Severity, rep.What.Risk)),
		cutLong(fmt.Sprintf("Report made %s by %s; times in %s.", stamp(rep.GeneratedAt), rep.GeneratedBy, rep.TimeZone)),
	}
	d.Sections = []docSection{rep.whatSection(), rep.whenSection(), rep.doneSection(), rep.decisionsSection(), rep.noticesSection()}
	if len(rep.Related) > 0 {
		d.Sections = append(d.Sections, rep.relatedSection())
	}
	d.Sections = append(d.Sections, rep.chainSection())
	d.Head = fmt.Sprintf("breachd incident #%d · chain head seq %d %s", rep.Incident, rep.Chain.HeadSeq, rep.Chain.HeadHash)
	return d
}

// whatSection is what happened.
func (rep *report) whatSection() docSection {
	w := rep.What
	facts := []docFact{fact("Title", w.Title), fact("Status", statusLine(w)),
		fact("Severity", w.Severity+" ("+ifEmpty(w.Category, "no category")+")"), fact("Rule", ifEmpty(w.Rule, "none: reported by hand"))}
	facts = factIf(facts, "Reported by", w.Reporter)
	facts = factIf(facts, "Description", w.Description)
	facts = factIf(facts, "Host", w.Host)
	facts = append(facts, fact("Risk", riskLine(w)), fact("Personal data breach", yesNo(w.PersonalDataBreach, "yes, confirmed by a person", "not confirmed")))
	facts = append(facts, noticeFacts(w.Facts)...)
	facts = append(facts, scopeFacts(w.Scope)...)
	facts = append(facts, fact("Findings", fmt.Sprintf("%d, %d evidence lines kept", w.Findings, w.EvidenceKept)))
	facts = factIf(facts, "First evidence line", w.Evidence)
	facts = factIf(facts, "Resolution", w.Resolution)
	if w.Reopened > 0 {
		facts = append(facts, fact("Reopened", fmt.Sprintf("%d times", w.Reopened)))
	}
	return docSection{ID: "what", Title: "What happened", Facts: facts}
}

// statusLine is the status, and what it was merged into.
func statusLine(w reportWhat) string {
	if w.MergedInto != nil {
		return fmt.Sprintf("%s, merged into incident #%d", w.Status, *w.MergedInto)
	}
	return string(w.Status)
}

// riskLine is the risk a person decided, with who and why, or breachd's
// suggestion while none did.
func riskLine(w reportWhat) string {
	if w.Risk == incidents.RiskUnassessed || w.Risk == "" {
		return fmt.Sprintf("not decided yet (breachd suggests %s)", w.SuggestedRisk)
	}
	return fmt.Sprintf("%s, decided by %s: %s (breachd suggested %s)", w.Risk, ifEmpty(w.RiskBy, "unknown"), ifEmpty(w.RiskReason, "no reason given"), w.SuggestedRisk)
}

// noticeFacts are the facts the notices state.
func noticeFacts(f incidents.Facts) []docFact {
	effects := strings.Join(f.Effects, ", ")
	if f.EffectsOther != "" {
		effects = strings.TrimPrefix(effects+", other: "+f.EffectsOther, ", ")
	}
	facts := []docFact{fact("Nature", ifEmpty(f.Nature, "not stated yet")), fact("Likely consequences", ifEmpty(f.Consequences, "not stated yet")),
		fact("Measures", ifEmpty(f.Measures, "not stated yet")), fact("What happened to the data", ifEmpty(effects, "not stated yet")),
		fact("Caused by", ifEmpty(f.CausedBy, "not known yet"))}
	return factIf(facts, "Why a notice is late", f.DelayReason)
}

// scopeFacts are the scope: assets, data, how many, encryption.
func scopeFacts(s incidents.Scope) []docFact {
	enc := yesNo(s.Encrypted, "yes", "no")
	if s.KeysExposed {
		enc += ", keys may be exposed"
	}
	facts := []docFact{fact("Assets", ifEmpty(strings.Join(s.Assets, ", "), "none")),
		fact("Data categories", ifEmpty(strings.Join(s.DataCategories, ", "), "no personal data known")),
		fact("Data subjects, records", fmt.Sprintf("%d, %d", s.DataSubjects, s.Records)), fact("Encrypted", enc)}
	facts = factIf(facts, "Jurisdictions", strings.Join(s.Jurisdictions, ", "))
	return factIf(facts, "Customers", strings.Join(s.Customers, ", "))
}

// whenSection is when: the clocks.
func (rep *report) whenSection() docSection {
	w := rep.When
	facts := []docFact{fact("Occurred", stampOr(w.OccurredAt, "not known")), fact("Detected", stamp(w.DetectedAt)),
		fact("Aware (the deadlines run from it)", stamp(w.AwareAt))}
	if w.DeterminedAt != nil {
		facts = append(facts, fact("Determined", stamp(*w.DeterminedAt)))
	}
	facts = append(facts, fact("First seen", stamp(w.FirstSeen)), fact("Last seen", stamp(w.LastSeen)),
		fact("Contained", stampOr(w.ContainedAt, "not contained")), fact("Closed", stampOr(w.ClosedAt, "not closed")))
	return docSection{ID: "when", Title: "When", Facts: facts}
}

// doneSection is what was done: containments, then action runs.
func (rep *report) doneSection() docSection {
	sec := docSection{ID: "done", Title: "What was done", Empty: "Nothing was run and nothing contained."}
	for _, c := range rep.Done.Containments {
		sec.Items = append(sec.Items, containmentItem(c))
	}
	for _, run := range rep.Done.Runs {
		sec.Items = append(sec.Items, runItem(run))
	}
	sec.Items, sec.Note = capRows(sec.Items, "containments and action runs")
	return sec
}

// containmentItem is a containment: what, on what, and whether it was
// reverted.
func containmentItem(c reportContainment) docItem {
	reverted := "no: in force until " + stamp(c.ExpiresAt)
	switch {
	case c.EndedAt != nil:
		reverted = fmt.Sprintf("%s at %s: %s", yesNo(c.Reverted, "yes", string(c.State)), stamp(*c.EndedAt), ifEmpty(c.EndReason, "no reason recorded"))
	case c.State != incidents.ContainmentActive:
		reverted = "no: " + string(c.State)
	}
	return docItem{Head: cutLong(fmt.Sprintf("Containment #%d: %s on %s: %s", c.ID, c.Action, c.Target, c.State)),
		Facts: []docFact{fact("Applied", stamp(c.AppliedAt)), fact("Reverted", reverted),
			fact("Offence", strconv.Itoa(c.Offense)), fact("By run", fmt.Sprintf("#%d", c.RunID))}}
}

// runItem is an action run with its outcome and who approved it.
func runItem(run incidents.ActionRun) docItem {
	facts := []docFact{fact("Queued", stamp(run.CreatedAt)), fact("Finished", stampOr(run.FinishedAt, "not finished")),
		fact("Attempts", strconv.Itoa(run.Attempts))}
	facts = factIf(facts, "Outcome", run.Result)
	facts = factIf(facts, "Why it waited for approval", run.ApprovalReason)
	facts = factIf(facts, "Approved by", run.ApprovedBy)
	facts = factIf(facts, "Settled by", run.SettledBy)
	return docItem{Head: cutLong(fmt.Sprintf("Action run #%d: %s: %s", run.ID, run.Action, run.State)), Facts: facts}
}

// decisionsSection is who decided what: a person's entries of the
// timeline, with their sequence numbers.
func (rep *report) decisionsSection() docSection {
	sec := docSection{ID: "decisions", Title: "Who decided what", Empty: "No person has decided anything on this incident yet."}
	if len(rep.Decisions) == 0 {
		return sec
	}
	t := &docTable{Columns: []string{"Seq", "When", "By", "Kind", "What"}}
	for _, e := range rep.Decisions {
		msg := e.Message
		if e.Redacted {
			msg = "(redacted by the retention)"
		}
		if e.Incident != rep.Incident {
			msg = fmt.Sprintf("[merged incident #%d] %s", e.Incident, msg)
		}
		t.Rows = append(t.Rows, []string{strconv.FormatInt(e.Seq, 10), stamp(e.At), cutLong(e.Actor), cutLong(e.Kind), cutLong(msg)})
	}
	t.Rows, sec.Note = capRows(t.Rows, "decisions (the incident's timeline has them all)")
	sec.Table = t
	return sec
}

// noticesSection is the notices: each obligation, its state, due time,
// who decided it and the proof of its delivery.
func (rep *report) noticesSection() docSection {
	sec := docSection{ID: "notices", Title: "Notices", Empty: "No notice is owed."}
	for _, n := range rep.Notices {
		sec.Items = append(sec.Items, noticeItem(n))
	}
	sec.Items, sec.Note = capRows(sec.Items, "notices")
	return sec
}

// noticeItem is one obligation: "sent" only with the proof the store
// holds.
func noticeItem(n reportNotice) docItem {
	state := string(n.State)
	switch {
	case n.State == incidents.ObligationSent && !n.Sent:
		state = "marked sent, but NO PROOF of delivery is held"
	case n.Overdue && !n.State.Decided():
		state += ", OVERDUE"
	}
	due := "no due time"
	if n.DueAt != nil {
		due = stamp(*n.DueAt)
		if n.Deadline != "" {
			due += " (" + n.Deadline + ")"
		}
	}
	facts := []docFact{fact("Due", due)}
	if n.Approval {
		facts = append(facts, fact("Approval", "a person approves it before it is sent"))
	}
	if n.DecidedAt != nil {
		facts = append(facts, fact("Decided", fmt.Sprintf("%s by %s: %s", stamp(*n.DecidedAt), ifEmpty(n.DecidedBy, "unknown"), ifEmpty(n.Reason, "no reason given"))))
	}
	facts = append(facts, fact("Proof", ifEmpty(n.Proof, "none held")))
	if n.DeliveredAt != nil {
		facts = append(facts, fact("Delivered", stamp(*n.DeliveredAt)))
	}
	for _, m := range n.Deliveries {
		facts = append(facts, fact(fmt.Sprintf("Message #%d", m.ID), deliveryLine(m)))
	}
	return docItem{Head: cutLong(fmt.Sprintf("Notice #%d: %s → %s: %s", n.ID, n.Policy, n.Recipient, state)), Facts: facts}
}

// deliveryLine is an outbox message carrying a notice: channel, state,
// when it was sent, the last error.
func deliveryLine(m incidents.Message) string {
	s := fmt.Sprintf("%s, %s", ifEmpty(m.Channel, "no channel"), m.State)
	if m.SentAt != nil {
		s += " " + stamp(*m.SentAt)
	}
	s += fmt.Sprintf(", %d %s", m.Attempts, yesNo(m.Attempts == 1, "attempt", "attempts"))
	if m.LastError != "" {
		s += "; last error: " + m.LastError
	}
	if m.ResendOf != 0 {
		s += fmt.Sprintf("; sends message #%d again", m.ResendOf)
	}
	return s
}

// relatedSection is the incidents that share an address or a user.
func (rep *report) relatedSection() docSection {
	t := &docTable{Columns: []string{"Incident", "Same", "Since", "Value"}}
	for _, l := range rep.Related {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("#%d", l.IncidentID), cutLong(l.Kind), stamp(l.At), cutLong(l.Value)})
	}
	sec := docSection{ID: "related", Title: "Related incidents", Table: t}
	t.Rows, sec.Note = capRows(t.Rows, "related incidents")
	return sec
}

// chainSection is the chain head, and whether the chains verify.
func (rep *report) chainSection() docSection {
	ch := rep.Chain
	facts := []docFact{fact("Entries on this incident's timeline", strconv.Itoa(ch.Entries))}
	if ch.HeadHash != "" {
		facts = append(facts, fact("Chain head (its last entry)", fmt.Sprintf("seq %d at %s", ch.HeadSeq, stamp(ch.HeadAt))),
			docFact{Label: "Chain head hash", Value: ch.HeadHash, Code: true})
	}
	facts = append(facts, fact("Verification", verificationLine(ch, rep.GeneratedAt)))
	if v := ch.Verification; v != nil && v.Timeline.Head != "" {
		facts = append(facts, docFact{Label: "The whole timeline's head", Value: v.Timeline.Head, Code: true})
	}
	return docSection{ID: "chain", Title: "Chain", Facts: facts,
		Note: "Record the chain head elsewhere (a ticket, the review's minutes): a later verification that no longer reaches it shows the chain was cut."}
}

// verificationLine says what the API's walk of the chains found.
func verificationLine(ch reportChain, at time.Time) string {
	v := ch.Verification
	switch {
	case v == nil:
		return "not verified: " + ifEmpty(ch.VerifyError, "the API did not answer")
	case v.OK():
		return fmt.Sprintf("the timeline and register chains verified at %s: %d timeline entries, %d register entries",
			stamp(at), v.Timeline.Entries, v.Register.Entries)
	}
	var broken []string
	for _, c := range []incidents.ChainReport{v.Timeline, v.Register} {
		if !c.OK {
			broken = append(broken, fmt.Sprintf("the %s chain at seq %d: %s", ifEmpty(c.Chain, "?"), c.BadSeq, c.Problem))
		}
	}
	return "CHAIN BROKEN: " + strings.Join(broken, "; ")
}

// capRows keeps the first maxRows of rows and says how many were left
// out, of what.
func capRows[T any](rows []T, what string) ([]T, string) {
	if len(rows) <= maxRows {
		return rows, ""
	}
	return rows[:maxRows], fmt.Sprintf("%d more %s are left out here; the JSON download lists them all.", len(rows)-maxRows, what)
}

// cutLong shortens a value longer than maxValue characters, saying so.
func cutLong(s string) string {
	if utf8.RuneCountInString(s) <= maxValue {
		return s
	}
	r := []rune(s)
	return fmt.Sprintf("%s … [cut here: %d more characters; the JSON download has the whole value]", string(r[:maxValue]), len(r)-maxValue)
}

// stamp is a time as the report shows it (in the report's zone, set by
// buildReport); "-" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

// stampOr is stamp for an optional time, none when there is none.
func stampOr(t *time.Time, none string) string {
	if t == nil || t.IsZero() {
		return none
	}
	return stamp(*t)
}

// ifEmpty is s, or otherwise when s is empty.
func ifEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// yesNo is yes when b holds, else no.
func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
