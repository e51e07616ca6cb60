package incidents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The hash chains. Every timeline entry and every register entry has
//
//	content_hash = SHA-256(canonical encoding of its content)
//	hash         = SHA-256("breachd-chain-v1" ‖ chain ‖ seq ‖ prev_hash ‖ content_hash)
//
// where the canonical encoding is each field as a netstring
// ("<length>:<bytes>,") in a fixed order, times as Unix nanoseconds in
// decimal, maps as JSON with sorted keys, and prev_hash is the previous
// entry's hash (64 zeros for the first). A purge removes an entry's content
// but keeps its content_hash, so the chain still verifies and shows that
// the entry existed.
//
// Timeline entries written since schema 16 are linked with
//
//	hash = SHA-256("breachd-chain-v2" ‖ chain ‖ seq ‖ prev_hash ‖ content_hash ‖ incident ‖ at)
//
// so that an entry's incident and time stay covered by the chain once its
// content is redacted: the retention check (retention.go) reads the time
// of redacted entries, and an intruder who back-dates one to blank it
// breaks the chain. The verifier accepts either link.

// GenesisHash is the prev_hash of a chain's first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Chain names.
const (
	ChainTimeline = "timeline"
	ChainRegister = "register"
)

func netstrings(fields ...string) []byte {
	var b []byte
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ',')
	}
	return b
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func optInt(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func nanoString(t time.Time) string { return strconv.FormatInt(t.UTC().UnixNano(), 10) }

// TimelineContentHash is the content hash of a timeline entry: incident,
// time, actor, kind, message, data and supersedes.
func TimelineContentHash(e TimelineEntry) string {
	data, _ := json.Marshal(e.Data) // map keys sorted; cannot fail
	if e.Data == nil {
		data = []byte("{}")
	}
	return hexSum(netstrings("timeline-v1", strconv.FormatInt(e.IncidentID, 10), nanoString(e.At),
		e.Actor, e.Kind, e.Message, string(data), optInt(e.Supersedes)))
}

// RegisterContentHash is the content hash of a register entry: incident,
// time, kind, actor, record (JSON in field order) and supersedes.
func RegisterContentHash(e RegisterEntry) string {
	rec, _ := json.Marshal(e.Record) // struct field order; cannot fail
	return hexSum(netstrings("register-v1", optInt(e.IncidentID), nanoString(e.At), e.Kind, e.Actor,
		string(rec), optInt(e.Supersedes)))
}

// ChainHash links an entry into chain after prev.
func ChainHash(chain string, seq int64, prev, content string) string {
	return hexSum(netstrings("breachd-chain-v1", chain, strconv.FormatInt(seq, 10), prev, content))
}

// TimelineHash links a timeline entry of incident, written at at, after
// prev, binding its incident and time outside its content (v2).
func TimelineHash(seq int64, prev, content string, incident int64, at time.Time) string {
	return hexSum(netstrings("breachd-chain-v2", ChainTimeline, strconv.FormatInt(seq, 10), prev, content,
		strconv.FormatInt(incident, 10), nanoString(at)))
}

// linked reports whether r's hash links it with either encoding.
func linked(chain string, r ChainRow) bool {
	if ChainHash(chain, r.Seq, r.PrevHash, r.ContentHash) == r.Hash {
		return true
	}
	return chain == ChainTimeline && TimelineHash(r.Seq, r.PrevHash, r.ContentHash, r.IncidentID, r.At) == r.Hash
}

// ChainRow is one stored entry as the verifier sees it: Content is the
// recomputed content hash, or "" when the content was purged.
type ChainRow struct {
	Row         int64
	Seq         int64
	ContentHash string
	Recomputed  string
	PrevHash    string
	Hash        string
	// IncidentID and At are a timeline entry's, bound by its v2 link.
	IncidentID int64
	At         time.Time
}

// VerifyChain walks rows in storage order and reports the first entry that
// was altered, removed or reordered. headSeq and headHash are the chain
// head recorded with the last append (0 and "" when none was recorded).
func VerifyChain(chain string, rows []ChainRow, headSeq int64, headHash string) ChainReport {
	rep := ChainReport{Chain: chain, OK: true, Head: GenesisHash}
	bad := func(r ChainRow, format string, args ...any) ChainReport {
		rep.OK, rep.BadSeq, rep.BadRow = false, r.Seq, r.Row
		rep.Problem = fmt.Sprintf(format, args...)
		return rep
	}
	seqAt := make(map[int64]bool, len(rows))
	for _, r := range rows {
		seqAt[r.Seq] = true
	}
	prev, want := GenesisHash, int64(1)
	for i, r := range rows {
		switch {
		case r.Seq < want:
			return bad(r, "%s entry %d (row %d) comes after entry %d: entries were reordered", chain, r.Seq, r.Row, want-1)
		case r.Seq > want && seqAt[want]:
			return bad(r, "%s entry %d (row %d) stands where entry %d belongs: entries were reordered", chain, r.Seq, r.Row, want)
		case r.Seq > want:
			rep.BadSeq, rep.BadRow = want, r.Row
			rep.OK = false
			if want == r.Seq-1 {
				rep.Problem = fmt.Sprintf("%s entry %d was removed (entry %d follows entry %d)", chain, want, r.Seq, want-1)
			} else {
				rep.Problem = fmt.Sprintf("%s entries %d to %d were removed (entry %d follows entry %d)", chain, want, r.Seq-1, r.Seq, want-1)
			}
			return rep
		}
		if r.Recomputed == "" {
			rep.Redacted++
		} else if r.Recomputed != r.ContentHash {
			return bad(r, "%s entry %d (row %d) was altered: its content no longer matches its content hash", chain, r.Seq, r.Row)
		}
		if r.PrevHash != prev {
			return bad(r, "%s entry %d (row %d) does not follow entry %d: one of them was altered or replaced", chain, r.Seq, r.Row, r.Seq-1)
		}
		if !linked(chain, r) {
			// The content and its hash were changed together, or the
			// link itself was edited.
			return bad(r, "%s entry %d (row %d) was altered: its hash does not match its content", chain, r.Seq, r.Row)
		}
		if n := i + 1; n < len(rows) && rows[n].Seq == r.Seq+1 && rows[n].PrevHash != r.Hash && linked(chain, rows[n]) {
			// This entry was rewritten and rehashed: the next one still
			// holds its old hash.
			return bad(r, "%s entry %d (row %d) was altered and rehashed: entry %d holds a different hash for it", chain, r.Seq, r.Row, r.Seq+1)
		}
		prev, want = r.Hash, r.Seq+1
		rep.Entries++
	}
	rep.Head = prev
	if headSeq > 0 && (headSeq != want-1 || headHash != prev) {
		rep.OK = false
		rep.BadSeq = want
		if headSeq > want-1 {
			rep.Problem = fmt.Sprintf("%s entries %d to %d were removed from the end (the chain head records entry %d)", chain, want, headSeq, headSeq)
		} else {
			rep.Problem = fmt.Sprintf("%s head records entry %d, but the chain ends at entry %d with another hash", chain, headSeq, want-1)
		}
	}
	return rep
}
