package ledger

import (
	"strings"
	"testing"
)

// TestFileMappingsFindsTheStoreFiles: only mappings of matching files directly in
// the store's directory are found, with their address ranges.
func TestFileMappingsFindsTheStoreFiles(t *testing.T) {
	maps := strings.Join([]string{
		"7f0000000000-7f0080000000 rw-s 00000000 fd:00 1234     /data/store/000001.vlog",
		"7f0080000000-7f0080400000 r--s 00000000 fd:00 1235     /data/store/000007.sst",
		"7f0090000000-7f0090001000 rw-s 00000000 fd:00 1236     /data/store/000002.vlog",
		"7f00a0000000-7f00a0001000 rw-s 00000000 fd:00 1237     /data/store/sub/000003.vlog",
		"7f00b0000000-7f00b0001000 rw-s 00000000 fd:00 1238     /data/store2/000004.vlog",
		"7f00c0000000-7f00c0001000 rw-p 00000000 00:00 0 ",
		"7f00d0000000-7f00d0001000 rw-p 00000000 00:00 0        [heap]",
		"zz-7f00e0001000 rw-s 00000000 fd:00 1239     /data/store/000005.vlog",
		"7f00f0001000-7f00f0000000 rw-s 00000000 fd:00 1240     /data/store/000006.vlog",
	}, "\n")
	for _, tc := range []struct {
		name  string
		match func(string) bool
		want  []mapping
	}{
		{"value log", isValueLogFile, []mapping{{0x7f0000000000, 0x7f0080000000}, {0x7f0090000000, 0x7f0090001000}}},
		{"tables", func(n string) bool { return strings.HasSuffix(n, ".sst") }, []mapping{{0x7f0080000000, 0x7f0080400000}}},
		{"none", func(string) bool { return false }, nil},
	} {
		got, err := fileMappings(strings.NewReader(maps), "/data/store", tc.match)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %x, want %x", tc.name, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%s: %x, want %x", tc.name, got, tc.want)
			}
		}
	}
}
