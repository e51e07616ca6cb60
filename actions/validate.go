package actions

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFieldBytes is the longest value of an untyped field an action accepts.
const maxFieldBytes = 1024

var (
	userPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,31}$`)
	unitPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9:_.@\\-]{0,255}$`)
)

// ValidUser says whether name is a user name every action accepts: a
// letter or '_' first, then letters, digits, '_', '.' or '-', at most 32
// characters (what shadow's useradd accepts, less a trailing '$').
func ValidUser(name string) bool { return userPattern.MatchString(name) }

// ValidUnit says whether name is a systemd unit name: at most 256
// characters of letters, digits and ":_.@-\\", not starting with one
// that a program would read as an option. Which unit types an action
// takes is its own check.
func ValidUnit(name string) bool { return unitPattern.MatchString(name) }

// protectedUnits are units no action stops or signals, whatever the
// config says: breachd itself, remote access, the bus and the init
// system (with every systemd-* unit).
var protectedUnits = []string{
	"breachd.service", "sshd.service", "ssh.service", "dbus.service", "dbus-broker.service", "init.scope",
}

// ProtectedUnit says whether no action may stop or signal unit.
func ProtectedUnit(unit string) bool {
	return strings.HasPrefix(unit, "systemd-") || slices.Contains(protectedUnits, unit)
}

// FieldKind is how a field's value is validated, chosen from its name.
type FieldKind int

// Field kinds.
const (
	// KindText is any other field: valid UTF-8, at most 1 KiB, no control
	// characters, and no leading '-' (which a program would read as an
	// option).
	KindText FieldKind = iota
	// KindIP is ip, addr, address or a name ending in _ip or _addr: an IP
	// address that net/netip parses, without zone, re-rendered canonically.
	KindIP
	// KindUser is user, username or a name ending in _user: a POSIX-style
	// account name of at most 32 characters.
	KindUser
	// KindUnit is unit or a name ending in _unit: a systemd unit name.
	KindUnit
)

// KindOf returns the kind of the field called name.
func KindOf(name string) FieldKind {
	switch {
	case name == "ip" || name == "addr" || name == "address" || strings.HasSuffix(name, "_ip") || strings.HasSuffix(name, "_addr"):
		return KindIP
	case name == "user" || name == "username" || strings.HasSuffix(name, "_user"):
		return KindUser
	case name == "unit" || strings.HasSuffix(name, "_unit"):
		return KindUnit
	}
	return KindText
}

// ValidateField checks value as the field called name and returns its
// canonical form, or an error saying why it was refused.
func ValidateField(name, value string) (string, error) {
	switch KindOf(name) {
	case KindIP:
		addr, err := netip.ParseAddr(value)
		if err != nil || addr.Zone() != "" {
			return "", fmt.Errorf("field %s: %s is not an IP address", name, quote(value))
		}
		return addr.Unmap().String(), nil
	case KindUser:
		if !userPattern.MatchString(value) {
			return "", fmt.Errorf("field %s: %s is not a valid user name", name, quote(value))
		}
		return value, nil
	case KindUnit:
		if !unitPattern.MatchString(value) {
			return "", fmt.Errorf("field %s: %s is not a valid unit name", name, quote(value))
		}
		return value, nil
	}
	switch {
	case len(value) > maxFieldBytes:
		return "", fmt.Errorf("field %s: value is %d bytes, more than %d", name, len(value), maxFieldBytes)
	case !utf8.ValidString(value):
		return "", fmt.Errorf("field %s: %s is not valid UTF-8", name, quote(value))
	case strings.HasPrefix(value, "-"):
		return "", fmt.Errorf("field %s: %s starts with '-' and would be read as an option", name, quote(value))
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return "", fmt.Errorf("field %s: %s contains control characters", name, quote(value))
	}
	return value, nil
}

// quote renders a hostile value safely for a log or timeline, clipped.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
