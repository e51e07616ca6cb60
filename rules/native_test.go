package rules

import (
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// whereFields are the fields the native-condition tests give an event.
var whereFields = []string{"program", "ip", "user", "card", "area"}

// bothWheres compiles where with expr and natively over whereFields; nat
// is nil when it has no native form.
func bothWheres(t *testing.T, where string) (*vm.Program, cond) {
	t.Helper()
	env := map[string]any{}
	for _, f := range whereFields {
		env[f] = ""
	}
	opts := append([]expr.Option{expr.Env(env), expr.AsBool(), expr.MaxNodes(maxWhereNodes)}, functions()...)
	prog, err := expr.Compile(where, opts...)
	if err != nil {
		return nil, nil
	}
	return prog, nativeWhere(where, whereFields)
}

// sameAnswer evaluates where both ways on values (by whereFields).
func sameAnswer(t *testing.T, where string, prog *vm.Program, nat cond, values []string) {
	t.Helper()
	env := map[string]any{}
	m := &matcher{slots: whereFields}
	for i, f := range whereFields {
		env[f] = values[i]
		m.src = append(m.src, []byte(values[i]))
	}
	res, err := expr.Run(prog, env)
	want, _ := res.(bool)
	if got := nat(m); err == nil && got != want {
		t.Errorf("%q on %q: native %v, expr %v", where, values, got, want)
	}
}

func TestNativeWhere(t *testing.T) {
	wheres := []string{
		"program in ['sshd', 'sshd-session'] && is_ip(ip)",
		"program == 'sudo'",
		"'sudo' == program",
		"status in ['401', '403'] || program != 'x'",
		"program matches '^postfix(-[a-z0-9]+)?/(smtpd|postscreen)$' && is_ip(ip)",
		"luhn(card)",
		"area != '000' && area != '666' && !(area startsWith '9') && user endsWith 'x' or user contains 'adm'",
		"not (program in ['su', 'su-l'])",
		"is_private_ip(ip) || is_loopback_ip(ip)",
		"true && !false",
	}
	values := [][]string{
		{"sshd", "203.0.113.7", "root", "4111111111111111", "123"},
		{"sshd-session", "2001:db8::1", "xadm", "4111111111111112", "000"},
		{"sudo", "10.0.0.1", "admx", "", "912"},
		{"postfix/smtpd", "127.0.0.1", "", "5500 0055 5555 5559", "666"},
		{"su-l", "not an ip", "adm", "x", ""},
		{"", "::ffff:192.168.1.1", "x", "0", "9"},
		{"postfix-out/postscreen", "fe80::1%eth0", "a", "", "100"},
	}
	native := 0
	for _, w := range wheres {
		prog, nat := bothWheres(t, w)
		if prog == nil {
			continue // status is not a field here
		}
		if nat == nil {
			t.Errorf("%q has no native form", w)
			continue
		}
		native++
		for _, v := range values {
			sameAnswer(t, w, prog, nat, v)
		}
	}
	if native < len(wheres)-1 {
		t.Errorf("only %d conditions compiled both ways", native)
	}
	// What it does not handle is left to expr.
	for _, w := range []string{"lower(user) == 'root'", "ip == user", "time.Hour() > 3", "len(user) > 3", "ip_in(ip, '10.0.0.0/8')"} {
		if _, nat := bothWheres(t, w); nat != nil {
			t.Errorf("%q compiled natively", w)
		}
	}
}

// FuzzNativeWhere checks native conditions against expr on arbitrary
// conditions and values.
func FuzzNativeWhere(f *testing.F) {
	f.Add("program in ['sshd', 'sshd-session'] && is_ip(ip)", "sshd", "203.0.113.7", "root")
	f.Add("!(user startsWith 'a') || user contains 'b' and ip endsWith '1'", "x", "1.1.1.1", "ab")
	f.Add("user matches '^[a-z]+$' && not is_private_ip(ip)", "su", "10.1.1.1", "abc")
	f.Add("card != '' && luhn(card) || is_iban(user)", "", "", "DE89370400440532013000")
	f.Fuzz(func(t *testing.T, where, a, b, c string) {
		if len(where) > 300 {
			return
		}
		prog, nat := bothWheres(t, where)
		if nat == nil {
			return
		}
		sameAnswer(t, where, prog, nat, []string{a, b, c, c, a})
	})
}
