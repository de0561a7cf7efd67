//go:build unix

package ledger

import (
	"io/fs"
	"syscall"
)

// diskUsage is the space a file takes on disk: its allocated blocks, not its
// apparent size (Badger preallocates value-log files of 2 GiB that are mostly holes).
func diskUsage(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}
