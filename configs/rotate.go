package configs

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// MaxRotateGrace bounds a file source's rotate_grace: a rotated file is
// never held open longer than this after it last grew.
const MaxRotateGrace = 5 * time.Minute

// decodeRotateGrace parses rotate_grace: a positive duration up to
// MaxRotateGrace.
func decodeRotateGrace(s string, rng hcl.Range) (time.Duration, *hcl.Diagnostic) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > MaxRotateGrace {
		return 0, errorAt(rng.Ptr(), "Invalid rotate_grace",
			fmt.Sprintf("rotate_grace is %q; use a positive duration up to \"5m\", e.g. \"10s\" (the default is \"5s\"): how long a rotated file is still read after it last grew, while its writer has not yet reopened the new file.", s))
	}
	return d, nil
}
