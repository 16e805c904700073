package emit

import "github.com/otelgen/otelgen/internal/lockfile"

// The overlay written from a committed tree: see package lockfile.
type (
	// Places are the machine's directories that logical paths resolve against.
	Places = lockfile.Places
	// StaleError lists originals that no longer match the lock.
	StaleError = lockfile.StaleError
)

// MarshalOverlay renders the overlay JSON, keys sorted.
func MarshalOverlay(m map[string]string) ([]byte, error) { return lockfile.MarshalOverlay(m) }
