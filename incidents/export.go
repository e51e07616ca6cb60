package incidents

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteRegisterCSV writes the register's entries as CSV with their chain
// fields, so that a copy can be verified and a removed entry shows as a
// gap. Cells a spreadsheet would run as a formula are defused.
func WriteRegisterCSV(w io.Writer, entries []RegisterEntry) error {
	header := []string{"seq", "id", "at", "incident_id", "kind", "actor", "nature", "data_categories", "data_subjects",
		"records", "risk", "consequences", "measures", "notified", "reason", "supersedes", "content_hash", "prev_hash", "hash"}
	return writeCSV(w, header, len(entries), func(i int) []string {
		e := entries[i]
		r := e.Record
		return []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.ID, 10), e.At.Format(time.RFC3339Nano),
			optID(e.IncidentID), e.Kind, e.Actor, r.Nature, strings.Join(r.DataCategories, ";"),
			strconv.FormatInt(r.DataSubjects, 10), strconv.FormatInt(r.Records, 10), string(r.Risk), r.Consequences,
			r.Measures, r.Notified, r.Reason, optID(e.Supersedes), e.ContentHash, e.PrevHash, e.Hash}
	})
}

// WriteTimelineCSV writes timeline entries as CSV with their chain fields.
func WriteTimelineCSV(w io.Writer, entries []TimelineEntry) error {
	header := []string{"seq", "id", "incident_id", "at", "actor", "kind", "message", "data", "supersedes", "redacted_at", "content_hash", "prev_hash", "hash"}
	return writeCSV(w, header, len(entries), func(i int) []string {
		e := entries[i]
		data, _ := json.Marshal(e.Data)
		redacted := ""
		if e.RedactedAt != nil {
			redacted = e.RedactedAt.Format(time.RFC3339Nano)
		}
		return []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.IncidentID, 10),
			e.At.Format(time.RFC3339Nano), e.Actor, e.Kind, e.Message, string(data), optID(e.Supersedes), redacted,
			e.ContentHash, e.PrevHash, e.Hash}
	})
}

func writeCSV(w io.Writer, header []string, n int, row func(int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range n {
		if err := cw.Write(csvSafe(row(i))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func optID(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// csvSafe defuses cells a spreadsheet would run as a formula: text from
// logs and reporters may start with = + - @ (or a tab or carriage return
// before one).
func csvSafe(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
