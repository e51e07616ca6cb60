package journal_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/breachd/breachd/detector/journal"
	"github.com/breachd/breachd/detector/journal/journaltest"
)

func ssh(msg string) []journaltest.Field {
	return journaltest.Syslog("web1", "sshd", "4242", "ssh.service", msg)
}

func cron(msg string) []journaltest.Field {
	return journaltest.Entry("_HOSTNAME", "web1", "_COMM", "cron", "_PID", "1", "_SYSTEMD_UNIT", "cron.service", "MESSAGE", msg)
}

type reading struct {
	entries chan journal.Entry
	stop    func()
}

func follow(t *testing.T, opts journal.Options) *reading {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &reading{entries: make(chan journal.Entry, 100)}
	ready := make(chan struct{})
	opts.OnReady = func() { close(ready) }
	done := make(chan error, 1)
	go func() {
		done <- journal.New(opts).Run(ctx, func(_ context.Context, e journal.Entry) error {
			// Copy: the slices are only valid during the call.
			e.Message, e.Host, e.Program, e.PID = bytes.Clone(e.Message), bytes.Clone(e.Host), bytes.Clone(e.Program), bytes.Clone(e.PID)
			r.entries <- e
			return nil
		}, nil)
	}()
	<-ready
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

func next(t *testing.T, r *reading) journal.Entry {
	t.Helper()
	select {
	case e := <-r.entries:
		return e
	case <-time.After(15 * time.Second):
		t.Fatal("no journal entry")
	}
	return journal.Entry{}
}

func TestFollowRealJournal(t *testing.T) {
	jc := journaltest.Require(t)
	j := journaltest.New(t)
	j.Append(t, ssh("Failed password for root from 203.0.113.7 port 22 ssh2"), cron("session opened"))

	r := follow(t, journal.Options{Journalctl: jc, Files: []string{j.Path}, Matches: []string{"_SYSTEMD_UNIT=ssh.service"}, StartAtBeginning: true})
	e := next(t, r)
	if string(e.Message) != "Failed password for root from 203.0.113.7 port 22 ssh2" || string(e.Host) != "web1" ||
		string(e.Program) != "sshd" || string(e.PID) != "4242" || e.Cursor == "" || time.Since(e.Time) > time.Minute {
		t.Errorf("entry = %+v", e)
	}
	first := e.Cursor
	// Appended later, with a message that is not valid UTF-8 (journalctl
	// prints it as an array of bytes). The cron entry is filtered out.
	binaryMsg := "Failed password for \xff\xfe from 203.0.113.8"
	j.Append(t, cron("ignored"), ssh(binaryMsg))
	if e := next(t, r); string(e.Message) != binaryMsg {
		t.Errorf("binary message = %q, want %q", e.Message, binaryMsg)
	}
	r.stop()

	// Resume after the first entry, without matches: everything after it.
	r = follow(t, journal.Options{Journalctl: jc, Files: []string{j.Path}, Cursor: first})
	for _, want := range []string{"session opened", "ignored", binaryMsg} {
		if e := next(t, r); string(e.Message) != want {
			t.Errorf("after cursor: %q, want %q", e.Message, want)
		}
	}
	r.stop()

	// Start at the end: only new entries.
	r = follow(t, journal.Options{Journalctl: jc, Files: []string{j.Path}})
	j.Append(t, ssh("new one"))
	if e := next(t, r); string(e.Message) != "new one" {
		t.Errorf("from the end: %q, want only the new entry", e.Message)
	}
}

func TestArgsKeepMatchesAfterDoubleDash(t *testing.T) {
	r := journal.New(journal.Options{Matches: []string{"_SYSTEMD_UNIT=ssh.service", "+", "SYSLOG_IDENTIFIER=sshd"}, Directory: "/var/log/journal"})
	got := fmt.Sprint(r.Args("s=abc"))
	want := "[--follow --output=json --no-pager --all --quiet --after-cursor=s=abc --directory=/var/log/journal -- _SYSTEMD_UNIT=ssh.service + SYSLOG_IDENTIFIER=sshd]"
	if got != want {
		t.Errorf("args = %s\nwant %s", got, want)
	}
}

func TestRestartsWhenJournalctlFails(t *testing.T) {
	jc := journaltest.Require(t)
	// A missing journal file makes journalctl exit; the reader keeps
	// trying and picks the file up once it exists.
	j := journaltest.New(t)
	r := follow(t, journal.Options{Journalctl: jc, Files: []string{j.Path}, StartAtBeginning: true})
	j.Append(t, ssh("arrived later"))
	if e := next(t, r); string(e.Message) != "arrived later" {
		t.Errorf("got %q", e.Message)
	}
}
