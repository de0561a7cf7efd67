package server

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestConfigZeroValueWorks(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || c.Logger == nil ||
		c.BodyLimit != 16<<20 || c.ReadTimeout != 60*time.Second || c.ShutdownTimeout != 30*time.Second ||
		c.PublicRate != 20 || c.PublicBurst != 40 || c.CaptureLimit != 10000 ||
		c.CaptureFileSizeLimit != c.BodyLimit || c.MaxEventCount != 1000 {
		t.Errorf("defaults: %+v", c)
	}
	s, err := New(Config{}, Deps{})
	if err != nil || s.Handler() == nil || s.Metrics() == nil {
		t.Fatalf("New(Config{}, Deps{}): %v", err)
	}
}

func TestConfigChecks(t *testing.T) {
	for _, c := range []Config{
		{BaseURL: "example.org"},
		{BaseURL: "ftp://example.org"},
		{BaseURL: "http://"},
		{BodyLimit: -1},
	} {
		if _, err := New(c, Deps{}); err == nil {
			t.Errorf("New accepted %+v", c)
		}
	}
	c, err := Config{BaseURL: "https://trace.example.org/", BodyLimit: 1 << 20, CaptureFileSizeLimit: 2 << 20}.withDefaults()
	if err != nil || c.BaseURL != "https://trace.example.org" || c.CaptureFileSizeLimit != 1<<20 {
		t.Errorf("base URL %q, capture file size limit %d, %v", c.BaseURL, c.CaptureFileSizeLimit, err)
	}
	if c, _ := (Config{PublicRate: -1}).withDefaults(); c.PublicRate != -1 {
		t.Error("a negative rate (no limit) was overridden")
	}
}

func TestNewLoggerWritesJSONOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	NewLogger(&buf).Info("hello", "k", "v")
	if !strings.HasPrefix(buf.String(), "{") || !strings.Contains(buf.String(), `"k":"v"`) {
		t.Errorf("log line %q is not JSON", buf.String())
	}
}
