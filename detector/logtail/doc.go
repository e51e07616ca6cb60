// Package logtail follows log files as they grow. It watches each file's
// parent directory with fsnotify (a watch on the file itself is lost at the
// first rename) and treats events only as hints: a stat poll runs all the
// time as the safety net for dropped events, queue overflow and file systems
// without inotify. On rotation by rename it drains the old descriptor to EOF
// before opening the new file; on truncation (size below the read offset) it
// starts again at 0. A partial last line is held until its newline arrives,
// and a line longer than MaxLineBytes is cut, emitted with Truncated set, and
// the rest of it skipped, so memory stays bounded whatever the input.
//
// A Tailer runs in the goroutine that calls Run and calls its handler from
// there, so a slow handler slows reading down: the file is the buffer.
package logtail
