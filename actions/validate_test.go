package actions

import (
	"strings"
	"testing"
)

func TestValidateField(t *testing.T) {
	tests := []struct {
		name, value, want string
		ok                bool
	}{
		{"ip", "203.0.113.7", "203.0.113.7", true},
		{"ip", "2001:DB8::1", "2001:db8::1", true},
		{"ip", "::ffff:192.0.2.1", "192.0.2.1", true},
		{"src_ip", "192.0.2.1", "192.0.2.1", true},
		{"ip", "fe80::1%eth0", "", false},
		{"ip", "192.0.2.1; rm -rf /", "", false},
		{"ip", "192.0.2.1/24", "", false},
		{"ip", "-1", "", false},
		{"user", "deploy", "deploy", true},
		{"user", "svc.backup-1", "svc.backup-1", true},
		{"user", "root;id", "", false},
		{"user", "-oProxyCommand=x", "", false},
		{"user", "$(id)", "", false},
		{"user", strings.Repeat("a", 33), "", false},
		{"target_user", "a b", "", false},
		{"unit", "nginx.service", "nginx.service", true},
		{"unit", "getty@tty1.service", "getty@tty1.service", true},
		{"unit", "../../etc/passwd", "", false},
		{"note", `a "b" $(c) ; | & > <`, `a "b" $(c) ; | & > <`, true},
		{"note", "-rf", "", false},
		{"note", "line\nbreak", "", false},
		{"note", "nul\x00byte", "", false},
		{"note", "\xff\xfe", "", false},
		{"note", strings.Repeat("x", 1025), "", false},
	}
	for _, tt := range tests {
		got, err := ValidateField(tt.name, tt.value)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ValidateField(%q, %q) = %q, %v; want %q, ok=%v", tt.name, tt.value, got, err, tt.want, tt.ok)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n\x00") {
			t.Errorf("error message carries raw control characters: %q", err)
		}
	}
}
