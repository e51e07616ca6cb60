// Package logtail follows log files as they grow. It watches each file's
// parent directory with fsnotify (a watch on the file itself is lost at the
// first rename) and treats events only as hints: a stat poll runs all the
// time as the safety net for dropped events, queue overflow and file systems
// without inotify. On rotation by rename it reads the old descriptor to EOF,
// opens the new file, and keeps reading the old one (first, at each pass)
// until it has not grown for Options.RotateGrace, reporting its position
// under RotatedKey(path). On truncation (size below the read offset, or the
// first bytes changed) it reads the rest from the copy a copytruncate left
// next to the file, when one matches the fingerprint, then starts again at 0.
// A partial last line is held until its newline arrives, and a line longer
// than MaxLineBytes is cut, emitted with Truncated set and the position past
// the bytes read, and the rest of it skipped, so memory stays bounded
// whatever the input and a restart does not hand the line out again.
//
// A Tailer runs in the goroutine that calls Run and calls its handler from
// there, so a slow handler slows reading down: the file is the buffer.
package logtail
