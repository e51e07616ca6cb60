package parse

import (
	"bufio"
	"os"
	"testing"
	"time"
)

func TestNetworkSyslog(t *testing.T) {
	p := NewNetworkSyslogParser(time.UTC)
	tests := []struct {
		in                         string
		ok                         bool
		host, prog, pid, msg, when string
	}{
		{"<38>1 2026-11-23T10:00:01.5+01:00 web1 sshd 4242 - - Failed password for root", true,
			"web1", "sshd", "4242", "Failed password for root", "2026-11-23T09:00:01.5Z"},
		{`<38>1 2026-11-23T10:00:01Z web1 sshd - ID47 [origin ip="192.0.2.1"] hello`, true,
			"web1", "sshd", "", "hello", "2026-11-23T10:00:01Z"},
		{"<38>1 - - - - - -", true, "", "", "", "", ref.Format(time.RFC3339Nano)},
		// RFC 3164 goes to the file-line parser, with its year inference.
		{"<38>Nov 23 10:00:01 web1 sshd[4242]: Failed password", true,
			"web1", "sshd", "4242", "Failed password", "2026-11-23T10:00:01Z"},
		{"<13>1 garbage", false, "", "", "", "", ""},
		{"\x00\xff binary", false, "", "", "", "", ""},
	}
	for _, tt := range tests {
		h, ok := p.Parse([]byte(tt.in), ref)
		if ok != tt.ok {
			t.Errorf("%q: ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if string(h.Host) != tt.host || string(h.Program) != tt.prog || string(h.PID) != tt.pid || string(h.Message) != tt.msg ||
			h.Time.UTC().Format(time.RFC3339Nano) != tt.when {
			t.Errorf("%q: got host %q prog %q pid %q msg %q time %v", tt.in, h.Host, h.Program, h.PID, h.Message, h.Time.UTC())
		}
	}
}

func TestIsRFC5424(t *testing.T) {
	for in, want := range map[string]bool{"<38>1 x": true, "<0>1 ": true, "<191>1 -": true, "<38>Nov": false, "<38>12 x": false, "38>1 x": false, "<>1 x": false} {
		if IsRFC5424([]byte(in)) != want {
			t.Errorf("IsRFC5424(%q) = %v", in, !want)
		}
	}
}

// FuzzNetworkSyslog: no message panics either parser, and the message
// returned is never longer than the input.
func FuzzNetworkSyslog(f *testing.F) {
	file, err := os.Open("testdata/network.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	file.Close()
	p := NewNetworkSyslogParser(time.UTC)
	f.Fuzz(func(t *testing.T, msg string) {
		h, ok := p.Parse([]byte(msg), ref)
		if ok && len(h.Message) > len(msg) {
			t.Errorf("message longer than the input: %q", h.Message)
		}
	})
}
