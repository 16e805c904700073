package emit

import "os"

// swapByRename moves dst aside and tmp into its place, then moves the old
// tree to tmp for the caller to remove. If the second rename fails, the old
// tree is put back.
func swapByRename(tmp, dst string) error {
	old := tmp + ".old"
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.Rename(old, tmp)
}
