package incidents

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/breachd/breachd/configs"
)

// DataSubject is one person on the list of an incident's data subjects the
// DPO uploads: the list is personal data, kept only while the notices to
// them need it.
type DataSubject struct {
	ID      int64  `json:"id"`
	Row     int    `json:"row"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Address string `json:"address"`
}

// MaxSubjects caps one uploaded list.
const MaxSubjects = 1_000_000

// ParseSubjects reads a CSV list of data subjects: a header naming the
// columns name, email and address (in any order), then one row each. A
// row needs a name and an email or a postal address; a malformed row, and
// a row repeating an earlier one's email or name and postal address (case
// and spacing aside), is reported by its row number (the header is row 1),
// and any error means nothing is imported.
func ParseSubjects(r io.Reader) ([]DataSubject, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: the list is empty or not CSV: give a header row name,email,address", ErrInvalid)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range []string{"name", "email", "address"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%w: row 1: the header has no %q column; the list's columns are name, email, address (postal)", ErrInvalid, c)
		}
	}
	var out []DataSubject
	var bad []string
	badRows := 0
	// The first row of each email and of each name with postal address:
	// a person listed twice would get two notices.
	byEmail, byPostal := map[string]int{}, map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		report := func(msg string) {
			badRows++
			if len(bad) < 20 {
				bad = append(bad, fmt.Sprintf("row %d: %s", row, msg))
			}
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				report(pe.Err.Error())
				continue
			}
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if len(rec) != len(head) {
			report(fmt.Sprintf("%d fields, the header has %d", len(rec), len(head)))
			continue
		}
		s := DataSubject{Row: row, Name: strings.TrimSpace(rec[col["name"]]), Email: strings.TrimSpace(rec[col["email"]]), Address: strings.TrimSpace(rec[col["address"]])}
		switch {
		case !utf8.ValidString(s.Name + s.Email + s.Address):
			report("not UTF-8")
			continue
		case strings.ContainsFunc(s.Name+s.Email, func(r rune) bool { return r < 0x20 || r == 0x7f }):
			report("a control character in the name or email")
			continue
		case strings.ContainsFunc(s.Address, func(r rune) bool { return (r < 0x20 && r != '\n') || r == 0x7f }):
			report("a control character in the address (only line breaks may separate its lines)")
			continue
		case s.Name == "":
			report("no name")
			continue
		case s.Email == "" && s.Address == "":
			report("neither an email nor a postal address: the notice cannot reach the person")
			continue
		case len(s.Name)+len(s.Email)+len(s.Address) > 2048:
			report("longer than 2048 bytes")
			continue
		}
		if s.Email != "" {
			if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
				report("the email is not an address")
				continue
			}
		}
		if s.Email != "" {
			k := strings.ToLower(s.Email)
			if first, ok := byEmail[k]; ok {
				report(fmt.Sprintf("the same email as row %d (one person, one row)", first))
				continue
			}
			byEmail[k] = row
		}
		if s.Address != "" {
			k := strings.ToLower(strings.Join(strings.Fields(s.Name), " ") + "\x00" + strings.Join(strings.Fields(s.Address), " "))
			if first, ok := byPostal[k]; ok {
				report(fmt.Sprintf("the same name and postal address as row %d (one person, one row)", first))
				continue
			}
			byPostal[k] = row
		}
		if len(out) >= MaxSubjects {
			return nil, fmt.Errorf("%w: more than %d data subjects in one list", ErrInvalid, MaxSubjects)
		}
		out = append(out, s)
	}
	if badRows > 0 {
		more := ""
		if badRows > len(bad) {
			more = fmt.Sprintf("; and %d more", badRows-len(bad))
		}
		return nil, fmt.Errorf("%w: %d malformed rows, nothing imported: %s%s", ErrInvalid, badRows, strings.Join(bad, "; "), more)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the list has a header and no data subject", ErrInvalid)
	}
	return out, nil
}

// UploadSubjects stores the list of data subjects of incident id (CSV, see
// ParseSubjects), all rows or none, and fans the data-subject notices out
// over it: one obligation each, or one public communication above the
// policy's threshold. It returns how many were stored. The list is not
// logged; only its size is.
func (m *Manager) UploadSubjects(ctx context.Context, id int64, r io.Reader, reason, actor string) (int, error) {
	if strings.TrimSpace(reason) == "" {
		return 0, fmt.Errorf("%w: say where the list comes from (reason)", ErrInvalid)
	}
	list, err := ParseSubjects(r)
	if err != nil {
		return 0, err
	}
	// A person with a postal address and no email is accepted whatever
	// channel the notices go through: that notice is posted by a person
	// (RecordPosting), and the others go out without waiting for it.
	if err := m.store.AddSubjects(ctx, id, list, Change{Actor: actor, Reason: clip(reason, maxTextBytes), At: m.now()}); err != nil {
		return 0, err
	}
	m.syncObligations(ctx, id)
	return len(list), nil
}

// PurgeSubjectLists purges the lists of data subjects no notice needs any
// more: every obligation that fans out over an incident's list is decided
// (sent, or not required). The daemon calls it with AdvanceNotices, every
// minute; it returns how many lists it purged.
func (m *Manager) PurgeSubjectLists(ctx context.Context) (int, error) {
	ids, err := m.store.ListedIncidents(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	purged := 0
	for _, id := range ids {
		obs, err := m.store.Obligations(ctx, id)
		if err != nil {
			return purged, err
		}
		open, fanned := 0, 0
		for _, ob := range obs {
			_, o := m.policies.compiled(ob.Policy, ob.Recipient)
			if o == nil || o.spec.ForEach != configs.ForEachDataSubjects {
				continue
			}
			fanned++
			if !ob.State.Decided() {
				open++
			}
		}
		if fanned == 0 || open > 0 {
			continue
		}
		n, err := m.store.PurgeSubjects(ctx, id, Change{Actor: "breachd", At: m.now(),
			Reason: "every notice to the data subjects is decided; the list is no longer needed"})
		if err != nil {
			return purged, err
		}
		if n > 0 {
			purged++
			m.logger.Info("list of data subjects purged", "incident", id, "subjects", n)
		}
	}
	return purged, nil
}
