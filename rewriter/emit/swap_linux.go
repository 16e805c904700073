package emit

import (
	"os"

	"golang.org/x/sys/unix"
)

// swap puts the directory tmp in place of dst. On Linux an existing dst is
// exchanged with tmp in one step, so no reader ever sees dst missing; the old
// tree is left at tmp for the caller to remove.
func swap(tmp, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE); err == nil {
			return nil
		}
		return swapByRename(tmp, dst)
	}
	return os.Rename(tmp, dst)
}
