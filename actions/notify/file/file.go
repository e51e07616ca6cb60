// Package file is the outbox folder channel: one JSON file per message,
// named by its idempotency key, written atomically, for hand delivery
// (a regulator's form sent by post or through a portal).
package file

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/breachd/breachd/actions/notify"
	"github.com/breachd/breachd/configs"
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,200}$`)

// Channel writes messages into a folder.
type Channel struct{ dir string }

var _ notify.Channel = (*Channel)(nil)

// New returns the channel for spec.
func New(spec *configs.Channel) *Channel { return &Channel{dir: spec.Dir} }

// Send implements notify.Channel. Sending the same key again rewrites the
// same file: a retry never makes a second copy.
func (c *Channel) Send(_ context.Context, m notify.Message) (string, error) {
	if !keyPattern.MatchString(m.Key) {
		return "", fmt.Errorf("%w: idempotency key %q cannot name a file", notify.ErrPermanent, m.Key)
	}
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return "", err
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.dir, m.Key+".json")
	tmp, err := os.CreateTemp(c.dir, ".breachd-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(body, '\n')); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	sum := sha256.Sum256(append(body, '\n'))
	return fmt.Sprintf("wrote %s (sha256 %x)", path, sum), nil
}
