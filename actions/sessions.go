package actions

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"os/user"
	"slices"
)

// DefaultUtmp is where logins are recorded on Linux.
const DefaultUtmp = "/run/utmp"

// The glibc utmp record on Linux (x86-64, arm64, ...): 384 bytes.
const (
	utmpSize       = 384
	utmpUserProc   = 7 // USER_PROCESS: a logged-in session
	utmpOffType    = 0
	utmpOffUser    = 44
	utmpLenUser    = 32
	utmpOffHost    = 76
	utmpLenHost    = 256
	utmpOffAddrV6  = 348
	maxUtmpRecords = 1 << 16
)

// Session is a logged-in session and where it comes from.
type Session struct {
	User string
	Addr netip.Addr
}

// ReadSessions returns the remote sessions recorded in a utmp file.
func ReadSessions(path string) ([]Session, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) > utmpSize*maxUtmpRecords {
		return nil, fmt.Errorf("%s: %d bytes is not a utmp file", path, len(b))
	}
	var out []Session
	for off := 0; off+utmpSize <= len(b); off += utmpSize {
		rec := b[off : off+utmpSize]
		if int16(binary.LittleEndian.Uint16(rec[utmpOffType:])) != utmpUserProc {
			continue
		}
		name := cstring(rec[utmpOffUser : utmpOffUser+utmpLenUser])
		addr, ok := utmpAddr(rec)
		if !ok {
			if a, err := netip.ParseAddr(cstring(rec[utmpOffHost : utmpOffHost+utmpLenHost])); err == nil {
				addr, ok = a.Unmap(), true
			}
		}
		if name != "" && ok && !addr.IsUnspecified() {
			out = append(out, Session{User: name, Addr: addr})
		}
	}
	return out, nil
}

// utmpAddr reads ut_addr_v6: an IPv4 address in the first word and zeros
// after it, or an IPv6 address in all four.
func utmpAddr(rec []byte) (netip.Addr, bool) {
	raw := rec[utmpOffAddrV6 : utmpOffAddrV6+16]
	if bytes.Equal(raw, make([]byte, 16)) {
		return netip.Addr{}, false
	}
	if bytes.Equal(raw[4:], make([]byte, 12)) {
		return netip.AddrFrom4([4]byte(raw[:4])), true
	}
	return netip.AddrFrom16([16]byte(raw)).Unmap(), true
}

func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// AdminSessions returns a function listing the addresses of the logged-in
// administrators' remote sessions: users named in admins, or members of
// one of groups. breachd never blocks them, so that an attack cannot make
// it lock out the people answering it.
func AdminSessions(utmp string, admins, groups []string) func() ([]netip.Addr, error) {
	return func() ([]netip.Addr, error) {
		sessions, err := ReadSessions(utmp)
		if err != nil {
			if os.IsNotExist(err) {
				return nil, nil
			}
			return nil, err
		}
		var out []netip.Addr
		for _, s := range sessions {
			if isAdmin(s.User, admins, groups) {
				out = append(out, s.Addr)
			}
		}
		return out, nil
	}
}

func isAdmin(name string, admins, groups []string) bool {
	if slices.Contains(admins, name) {
		return true
	}
	if len(groups) == 0 {
		return false
	}
	u, err := user.Lookup(name)
	if err != nil {
		return false
	}
	ids, err := u.GroupIds()
	if err != nil {
		return false
	}
	for _, g := range groups {
		if grp, err := user.LookupGroup(g); err == nil && slices.Contains(ids, grp.Gid) {
			return true
		}
	}
	return false
}
