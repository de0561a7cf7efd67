package ledger

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// Badger writes the value log (the entries: every event with its links) through a
// shared memory mapping of its files, and every page written stays mapped, and so
// counted in the process's resident set, until the file is closed: Badger shrinks
// a finished file with mremap, which keeps the pages it had. Importing a million
// events leaves about a gigabyte of value log resident, on top of the heap and the
// LSM tree's mapped tables. The pages are clean page cache once their commit has
// returned (writes are synced), so the kernel could drop them under pressure, but
// the process's resident set does not say so.
//
// ReleaseValueLogPages asks the kernel to page out (madvise MADV_PAGEOUT) the
// value log's mapped pages, which leaves the resident set with the heap and the
// tables. A bulk import calls it every few dozen megabytes of events: it writes
// entries once and does not read them back. Serving does not: entries read again
// would come from the disk instead of memory.

// ReleaseValueLogPages pages out the memory-mapped pages of the store's value log
// (see above). It is safe at any time, concurrently with appends and reads: pages
// still dirty are written back first or kept, and a page read again is read from
// the disk. It does nothing on a store that is not Badger's or where the system
// does not support it (only Linux does).
func (l *Log) ReleaseValueLogPages() error {
	if s, ok := l.store.(*badgerStore); ok {
		return pageOut(s.dir, isValueLogFile)
	}
	return nil
}

// isValueLogFile reports whether name, a file in a Badger directory, is a value-log file.
func isValueLogFile(name string) bool { return strings.HasSuffix(name, ".vlog") }

// A mapping is one address range of /proc/self/maps.
type mapping struct{ start, end uintptr }

// fileMappings reads a /proc/PID/maps listing and returns the ranges that map
// files directly inside dir (an absolute, clean path) whose names match.
func fileMappings(r io.Reader, dir string, match func(name string) bool) ([]mapping, error) {
	var ms []mapping
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		// address perms offset dev inode pathname
		line := sc.Bytes()
		i := bytes.IndexByte(line, '/')
		if i < 0 {
			continue
		}
		name, ok := strings.CutPrefix(string(line[i:]), dir+"/")
		if !ok || strings.Contains(name, "/") || !match(name) {
			continue
		}
		rng, _, _ := bytes.Cut(line, []byte(" "))
		lo, hi, _ := bytes.Cut(rng, []byte("-"))
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		ms = append(ms, mapping{uintptr(start), uintptr(end)})
	}
	return ms, sc.Err()
}
