//go:build !linux

package emit

import "os"

func swap(tmp, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return swapByRename(tmp, dst)
	}
	return os.Rename(tmp, dst)
}
