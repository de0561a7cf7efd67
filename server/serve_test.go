package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// A client that never finishes its headers (slowloris) is cut off after
// ReadHeaderTimeout instead of holding a connection forever.
func TestSlowHeadersAreCutOff(t *testing.T) {
	ts := startServer(t, Config{ReadHeaderTimeout: 200 * time.Millisecond})
	c, err := net.Dial("tcp", strings.TrimPrefix(ts.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	// net/http answers a header timeout by closing (possibly after a 408 line).
	r := bufio.NewReader(c)
	for {
		if _, err := r.ReadString('\n'); err != nil {
			break
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("connection held for %v", d)
	}
}

func TestListenAndServeReportsABusyAddressAndClosesTheStore(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	st := &testStore{}
	s, err := New(Config{Addr: ln.Addr().String(), Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}, Deps{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ListenAndServe(context.Background()); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("ListenAndServe on a busy address: %v", err)
	}
	if st.closed != 1 {
		t.Errorf("store closed %d times", st.closed)
	}
	if err := s.Serve(context.Background(), ln); err == nil {
		t.Error("Serve ran after the store was closed")
	}
}
