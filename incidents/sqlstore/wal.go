package sqlstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The write-ahead log, read by hand before SQLite opens the database: on
// opening, SQLite keeps the frames up to the first one that is cut or
// whose checksum fails and silently drops the rest, then checkpoints and
// deletes the file at close, so a cut -wal file would lose acknowledged
// transactions without a trace. The format is SQLite's
// (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header
// (magic, version, page size, checkpoint sequence, two salts, a checksum),
// then frames of a 24-byte header (page number, database size in pages for
// the frame that commits a transaction, else 0, the salts, a cumulative
// checksum) and a page. The wal-index (-shm) a killed process leaves
// behind records how many frames were committed (mxFrame): the expectation
// the log is compared with.

const (
	walHeaderSize      = 32
	walFrameHeaderSize = 24
	walMagicLE         = 0x377f0682 // checksums over little-endian words
	walMagicBE         = 0x377f0683 // over big-endian words
	walIndexHeaderSize = 48
)

// WALReport is what CheckWAL found in a database's -wal file.
type WALReport struct {
	// Path is the -wal file; Size its length (0 when there is none).
	Path string
	Size int64
	// PageSize is from the header; Frames the frames intact from the
	// start (salts and cumulative checksums match); Transactions the
	// transactions they commit; KeptEnd the byte after the last intact
	// commit frame (what SQLite keeps).
	PageSize     int
	Frames       int
	Transactions int
	KeptEnd      int64
	// Expected is the number of committed frames the wal-index (-shm)
	// records, or -1 when there is no valid one for this log.
	Expected int
	// Damaged is set when committed transactions are, or may be, lost:
	// Problem says where the log is cut and what follows ("it" is the
	// file).
	Damaged bool
	Problem string
}

// Clean reports whether the log holds nothing that would be dropped.
func (r WALReport) Clean() bool { return !r.Damaged }

// FirstLost is the number, counted from 1 in this log, of the first
// transaction that is lost.
func (r WALReport) FirstLost() int { return r.Transactions + 1 }

func walChecksum(order binary.ByteOrder, s0, s1 uint32, b []byte) (uint32, uint32) {
	for i := 0; i+8 <= len(b); i += 8 {
		s0 += order.Uint32(b[i:]) + s1
		s1 += order.Uint32(b[i+4:]) + s0
	}
	return s0, s1
}

// CheckWAL reads the -wal (and -shm) files of the database file db and
// reports how much of the log is intact. It reads only; the database must
// not be open in another process for the answer to be stable.
func CheckWAL(db string) (WALReport, error) {
	rep := WALReport{Path: db + "-wal", Expected: -1}
	// A log that is gone or empty while the wal-index a killed process
	// left counts committed frames lost them all (a restore or a copy
	// that missed the -wal file).
	gone := func(what string) (WALReport, error) {
		if n := walIndexFrames(db+"-shm", nil); n > 0 {
			rep.Expected = n
			rep.Damaged = true
			rep.Problem = fmt.Sprintf("it is %s, but the wal-index records %d committed frames: every transaction it held is lost", what, n)
		}
		return rep, nil
	}
	f, err := os.Open(rep.Path)
	if errors.Is(err, os.ErrNotExist) {
		return gone("missing")
	}
	if err != nil {
		return rep, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return rep, err
	}
	rep.Size = st.Size()
	if rep.Size == 0 {
		return gone("empty")
	}
	if rep.Size < walHeaderSize {
		rep.Damaged = true
		rep.Problem = fmt.Sprintf("it is cut inside its %d-byte header (%d bytes): every transaction it held is lost", walHeaderSize, rep.Size)
		return rep, nil
	}
	hdr := make([]byte, walHeaderSize)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		return rep, err
	}
	var order binary.ByteOrder
	switch binary.BigEndian.Uint32(hdr) {
	case walMagicLE:
		order = binary.LittleEndian
	case walMagicBE:
		order = binary.BigEndian
	default:
		rep.Damaged = true
		rep.Problem = "it does not start with a write-ahead log header: every transaction it held is lost"
		return rep, nil
	}
	s0, s1 := walChecksum(order, 0, 0, hdr[:24])
	page := int(binary.BigEndian.Uint32(hdr[8:]))
	if page == 1 {
		page = 65536
	}
	if s0 != binary.BigEndian.Uint32(hdr[24:]) || s1 != binary.BigEndian.Uint32(hdr[28:]) || page < 512 || page > 65536 || page&(page-1) != 0 {
		rep.Damaged = true
		rep.Problem = "its header is damaged (its checksum fails): every transaction it held is lost"
		return rep, nil
	}
	rep.PageSize = page
	salt := hdr[16:24]
	// The index first: the frames it counts were written before it was,
	// so a log still being appended to does not look short.
	rep.Expected = walIndexFrames(db+"-shm", salt)
	frame := walFrameHeaderSize + page
	buf := make([]byte, frame)
	rep.KeptEnd = walHeaderSize
	off := int64(walHeaderSize)
	// cut describes where the intact frames end, or "" when the log ends
	// cleanly (at a frame boundary, or at frames of an earlier generation
	// of the log, which SQLite leaves behind and ignores).
	cut := ""
	for ; off < rep.Size; off += int64(frame) {
		n := rep.Frames + 1
		if off+walFrameHeaderSize > rep.Size {
			cut = fmt.Sprintf("the file ends inside the header of frame %d (byte %d)", n, rep.Size)
			break
		}
		got, err := f.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return rep, err
		}
		h := buf[:walFrameHeaderSize]
		if !bytes.Equal(h[8:16], salt) {
			break // a frame of an earlier generation
		}
		if got < frame {
			cut = fmt.Sprintf("the file ends inside frame %d (byte %d of %d)", n, got, frame)
			break
		}
		s0, s1 = walChecksum(order, s0, s1, h[:8])
		s0, s1 = walChecksum(order, s0, s1, buf[walFrameHeaderSize:])
		if s0 != binary.BigEndian.Uint32(h[16:]) || s1 != binary.BigEndian.Uint32(h[20:]) {
			cut = fmt.Sprintf("frame %d (byte %d) fails its checksum", n, off)
			break
		}
		rep.Frames = n
		if binary.BigEndian.Uint32(h[4:]) != 0 {
			rep.Transactions++
			rep.KeptEnd = off + int64(frame)
		}
	}
	committed := int((rep.KeptEnd - walHeaderSize) / int64(frame))
	switch {
	case rep.Expected > committed:
		rep.Damaged = true
		rep.Problem = fmt.Sprintf("it holds %d intact transactions (%d frames), but the wal-index records %d committed frames: %s; transaction %d and every one after it are lost",
			rep.Transactions, committed, rep.Expected, orEnd(cut, off), rep.FirstLost())
	case rep.Expected >= 0:
		// The index agrees: frames past it belong to a transaction that
		// was being written when the process stopped, never acknowledged.
	case cut != "" || rep.Frames > committed:
		if cut == "" {
			cut = fmt.Sprintf("frames %d to %d commit no transaction", committed+1, rep.Frames)
		}
		rep.Damaged = true
		rep.Problem = fmt.Sprintf("it holds %d intact transactions (%d frames), then %s, and there is no wal-index to say whether more were committed: transaction %d, if it was committed, and any after it are lost",
			rep.Transactions, committed, cut, rep.FirstLost())
	}
	return rep, nil
}

func orEnd(cut string, off int64) string {
	if cut == "" {
		return fmt.Sprintf("the file ends at byte %d", off)
	}
	return cut
}

// walIndexFrames returns the committed frames the wal-index at path
// records for the log with salt (any log when salt is nil), or -1 when it
// has no valid header for it.
func walIndexFrames(path string, salt []byte) int {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	b := make([]byte, 2*walIndexHeaderSize)
	if _, err := io.ReadFull(f, b); err != nil {
		return -1
	}
	h := b[:walIndexHeaderSize]
	if !bytes.Equal(h, b[walIndexHeaderSize:]) || h[12] != 1 || (salt != nil && !bytes.Equal(h[32:40], salt)) {
		return -1
	}
	// Written in the machine's byte order, checksum included.
	order := binary.NativeEndian
	s0, s1 := walChecksum(order, 0, 0, h[:40])
	if s0 != order.Uint32(h[40:]) || s1 != order.Uint32(h[44:]) {
		return -1
	}
	return int(order.Uint32(h[16:]))
}
