package logtail

import (
	"context"
	"errors"
	"io"
)

// ReadStream reads lines from r (standard input of a pipeline) until EOF or
// ctx is done, with the same line handling as files: a partial last line is
// handed out at EOF, lines longer than maxLineBytes (0: the default) are cut
// and flagged. Line positions carry name as the path and the byte offset.
// drained, if set, is called whenever a read returned everything r had
// buffered. A read blocked on r when ctx ends is abandoned.
func ReadStream(ctx context.Context, r io.Reader, name string, maxLineBytes int, h Handler, drained func(context.Context) error) error {
	t := New(Options{MaxLineBytes: maxLineBytes})
	fl := &file{path: name}
	type chunk struct {
		data []byte
		err  error
	}
	// The reader runs apart so that ctx can end a blocked read; it hands
	// over one buffer at a time.
	chunks := make(chan chunk)
	next := make(chan struct{})
	go func() {
		buf := make([]byte, readChunk)
		for {
			n, err := r.Read(buf)
			select {
			case chunks <- chunk{buf[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			select {
			case <-next:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		var c chunk
		select {
		case <-ctx.Done():
			return nil
		case c = <-chunks:
		}
		if err := t.split(ctx, fl, c.data, h); err != nil {
			return err
		}
		if c.err != nil {
			if len(fl.pending) > 0 && !fl.discarding {
				// The last line had no newline: at EOF it is complete.
				if err := h(ctx, Line{Text: fl.pending, Pos: fl.position(fl.pos)}); err != nil {
					return err
				}
			}
			if drained != nil {
				if err := drained(ctx); err != nil {
					return err
				}
			}
			if errors.Is(c.err, io.EOF) {
				return nil
			}
			return c.err
		}
		if drained != nil {
			if err := drained(ctx); err != nil {
				return err
			}
		}
		// The reader may have seen ctx end and be gone.
		select {
		case next <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
	}
}
