package rules

import (
	"strings"
	"testing"
)

func TestPacked(t *testing.T) {
	var p packed
	long := strings.Repeat("x", 300) // a two-byte length
	p, buf := p.update([][]byte{[]byte("web1"), nil, []byte(long)}, nil)
	if p.get(0) != "web1" || p.get(1) != "" || p.get(2) != long || p.get(3) != "" {
		t.Fatalf("packed %q", p)
	}
	p, _ = p.update([][]byte{nil, []byte("sshd"), []byte("")}, buf)
	if p.get(0) != "web1" || p.get(1) != "sshd" || p.get(2) != long {
		t.Fatalf("an update lost values: %q", p)
	}
	before := p
	if p, _ = p.update([][]byte{[]byte("web1"), nil, nil}, nil); p != before {
		t.Fatal("an update without changes rewrote the values")
	}
	if n := testing.AllocsPerRun(100, func() { p.update([][]byte{[]byte("web1"), []byte("sshd")}, nil) }); n != 0 {
		t.Errorf("an unchanged update allocates %v times", n)
	}
}
