package rules

import "testing"

func TestMaskValue(t *testing.T) {
	for in, want := range map[string]string{
		"078-05-1120":         "***-**-1120",
		"078":                 "***",
		"4111 1111 1111 1111": "**** **** **** 1111",
		"abcdefgh":            "****efgh",
		"":                    "",
	} {
		if got := MaskValue(in); got != want {
			t.Errorf("MaskValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskSensitiveKeyAndEvidence(t *testing.T) {
	fields := map[string]string{"ssn": "078-05-1120", "area": "078", "host": "web1", "rule": "r"}
	line, key := maskSensitive(fields, "web1 app: ssn=078-05-1120 area 078", "host=web1,ssn=078-05-1120")
	if line != "web1 app: ssn=***-**-1120 area ***" {
		t.Errorf("evidence = %q", line)
	}
	if key != "host=web1,ssn=***-**-1120" {
		t.Errorf("key = %q", key)
	}
	if fields["host"] != "web1" || fields["rule"] != "r" || fields["area"] != "***" {
		t.Errorf("fields = %v", fields)
	}
}
