package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// madvPageout is Linux's MADV_PAGEOUT (5.4 and later): reclaim the range's pages,
// writing dirty ones back. Unlike MADV_DONTNEED it never discards data, so a range
// that Badger unmapped and something else mapped in the meantime (a race between
// reading /proc/self/maps and the call) loses nothing either: anonymous memory is
// only swapped out, where there is swap.
const madvPageout = 21

// pageOut pages out every mapping of the files directly in dir that match.
func pageOut(dir string, match func(name string) bool) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return err
	}
	ms, err := fileMappings(f, abs, match)
	f.Close()
	if err != nil {
		return fmt.Errorf("ledger: reading /proc/self/maps: %w", err)
	}
	for _, m := range ms {
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, madvPageout)
		switch errno {
		case 0, syscall.ENOMEM: // ENOMEM: unmapped since maps was read
		case syscall.EINVAL:
			return nil // a kernel before 5.4: nothing to do
		default:
			return fmt.Errorf("ledger: madvise(MADV_PAGEOUT) %#x-%#x: %w", m.start, m.end, errno)
		}
	}
	return nil
}
