package epcis

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// hashVector is one official row of ../shared/testdata/epcis/hash-vectors.tsv.
type hashVector struct {
	file    string
	index   int
	hash    string
	prehash string
}

func readHashVectors(t *testing.T) (string, []hashVector) {
	t.Helper()
	dir := testenv.Shared(t, "testdata/epcis")
	f, err := os.Open(filepath.Join(dir, "hash-vectors.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []hashVector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("hash-vectors.tsv: %d columns in %q", len(cols), line)
		}
		i, err := strconv.Atoi(cols[1])
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, hashVector{cols[0], i, cols[2], cols[3]})
	}
	return filepath.Join(dir, "hash-vectors-RalphTro"), vs
}

// readAny reads a JSON-LD or XML EPCIS document from a file.
func readAny(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".xml") {
		return ParseXMLDocument(data)
	}
	return ParseDocument(data)
}

func TestHashVectors(t *testing.T) {
	base, vs := readHashVectors(t)
	docs := map[string]*Document{}
	pass := 0
	for _, v := range vs {
		doc, ok := docs[v.file]
		if !ok {
			var err error
			doc, err = readAny(filepath.Join(base, v.file))
			if err != nil {
				t.Errorf("%s: %v", v.file, err)
			}
			docs[v.file] = doc
		}
		if doc == nil {
			continue
		}
		if v.index >= len(doc.Events) {
			t.Errorf("%s[%d]: document has %d events", v.file, v.index, len(doc.Events))
			continue
		}
		ev := doc.Events[v.index]
		pre, hash := ev.PreHash(), ev.HashID()
		if pre != v.prehash || hash != v.hash {
			t.Errorf("%s[%d]:\n got pre-hash %s\nwant pre-hash %s\n got %s\nwant %s", v.file, v.index, pre, v.prehash, hash, v.hash)
			continue
		}
		pass++
	}
	t.Logf("%d of %d official hash vectors match (hash and pre-hash)", pass, len(vs))
}
