package incidents_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/breachd/breachd/incidents"
)

// TestParseSubjects: a list is read by its header's columns in any order;
// every malformed row is reported by its number, and then nothing is
// returned.
func TestParseSubjects(t *testing.T) {
	list, err := incidents.ParseSubjects(strings.NewReader("\ufeffEmail,Address,Name\nanna@example.org,,Anna\n,\"1 Road, Town\",Ben\n"))
	if err != nil || len(list) != 2 || list[0] != (incidents.DataSubject{Row: 2, Name: "Anna", Email: "anna@example.org"}) ||
		list[1] != (incidents.DataSubject{Row: 3, Name: "Ben", Address: "1 Road, Town"}) {
		t.Fatalf("list %+v, %v", list, err)
	}
	for src, want := range map[string]string{
		"":                                 "the list is empty or not CSV",
		"name,email\nAnna,a@example.org\n": "row 1: the header has no \"address\" column",
		"name,email,address\n":             "a header and no data subject",
		"name,email,address\nAnna,anna@x.org,\nBen,,\"1 Road\nTown\"\nAnn,ANNA@x.org,\n ben ,,\"1  road town\"\nBen,,2 Road\n": "2 malformed rows, nothing imported: row 4: the same email as row 2 (one person, one row); row 5: the same name and postal address as row 3 (one person, one row)",
		"name,email,address\nAnna,a@x.org\nBen\n":                                               "2 malformed rows, nothing imported: row 2: 2 fields, the header has 3; row 3: 1 fields, the header has 3",
		"name,email,address\nAnna,Anna <a@x.org>,\n,b@x.org,\nCleo,,\nDan,d@x.org,\"unclosed\n": "4 malformed rows, nothing imported: row 2: the email is not an address; row 3: no name; row 4: neither an email nor a postal address: the notice cannot reach the person; row 5: extraneous or missing \" in quoted-field",
	} {
		_, err := incidents.ParseSubjects(strings.NewReader(src))
		if !errors.Is(err, incidents.ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
