package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Config holds the server's knobs. Like net/http.Server's, every field has a zero
// value that works: Config{} serves on 127.0.0.1:8080 with the defaults below.
type Config struct {
	// Addr is the listen address of ListenAndServe; "" means "127.0.0.1:8080"
	// (loopback: exposing the service is a deliberate choice).
	Addr string
	// BaseURL is the public URL of the service, used for absolute links (Location,
	// Link: rel="next", Digital Link URIs); "" means "http://" + Addr.
	BaseURL string
	// Logger receives access logs and errors; nil means NewLogger(os.Stderr).
	Logger *slog.Logger

	// BodyLimit is the largest request body in bytes; 0 means 16 MiB. Larger bodies
	// get 413 before the handler reads them.
	BodyLimit int64
	// ReadHeaderTimeout bounds reading request headers; 0 means 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request; 0 means 60 s (a capture document
	// of BodyLimit bytes over a slow link).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; 0 means 60 s.
	WriteTimeout time.Duration
	// IdleTimeout bounds keep-alive connections between requests; 0 means 120 s.
	IdleTimeout time.Duration
	// ShutdownTimeout bounds the graceful drain of in-flight requests when Serve's
	// context ends; 0 means 30 s. Requests still running then are cut off, but the
	// store is closed cleanly either way.
	ShutdownTimeout time.Duration

	// PublicRate is the sustained rate of requests per second allowed per client
	// address on requests without an API key; 0 means 20. Negative disables the limit.
	PublicRate float64
	// PublicBurst is how many public requests a client may make at once above the
	// rate; 0 means 40.
	PublicBurst int
	// TrustProxyHeaders makes the client address come from X-Forwarded-For or
	// X-Real-IP (behind a reverse proxy). Off by default: those headers are
	// client-controlled, so trusting them would let anyone dodge the rate limit.
	TrustProxyHeaders bool
	// CORSOrigins lists the origins allowed to read public GET endpoints from a
	// browser; nil means any origin ("*"), which suits public, credential-free reads.
	CORSOrigins []string

	// WebhookRetries are the delays before each retry of a webhook delivery (recall
	// notifications): one attempt plus one per delay. nil means 2 s doubling to 32 s,
	// six attempts over about a minute (webhooks.DefaultSchedule).
	WebhookRetries []time.Duration

	// CaptureLimit is the most events one EPCIS capture document may hold
	// (advertised as GS1-EPCIS-Capture-Limit); 0 means 10000.
	CaptureLimit int
	// CaptureFileSizeLimit is the largest capture document in bytes (advertised as
	// GS1-EPCIS-Capture-File-Size-Limit); 0 means BodyLimit.
	CaptureFileSizeLimit int64
	// MaxEventCount is the most events one query page may return; 0 means 1000.
	MaxEventCount int
}

// Default values of Config's zero fields.
const (
	DefaultAddr              = "127.0.0.1:8080"
	DefaultBodyLimit         = 16 << 20
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultPublicRate        = 20
	DefaultPublicBurst       = 40
	DefaultCaptureLimit      = 10000
	DefaultMaxEventCount     = 1000
)

// withDefaults returns c with every zero field replaced by its default, and checks
// what cannot be defaulted.
func (c Config) withDefaults() (Config, error) {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("server: base URL %q: want an absolute http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Logger == nil {
		c.Logger = NewLogger(os.Stderr)
	}
	if c.BodyLimit < 0 {
		return c, fmt.Errorf("server: body limit %d is negative", c.BodyLimit)
	}
	if c.BodyLimit == 0 {
		c.BodyLimit = DefaultBodyLimit
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	def(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.PublicRate == 0 {
		c.PublicRate = DefaultPublicRate
	}
	if c.PublicBurst <= 0 {
		c.PublicBurst = DefaultPublicBurst
	}
	if c.CaptureLimit <= 0 {
		c.CaptureLimit = DefaultCaptureLimit
	}
	if c.CaptureFileSizeLimit <= 0 || c.CaptureFileSizeLimit > c.BodyLimit {
		c.CaptureFileSizeLimit = c.BodyLimit
	}
	if c.MaxEventCount <= 0 {
		c.MaxEventCount = DefaultMaxEventCount
	}
	return c, nil
}

// NewLogger returns the logger a Config without one gets: JSON lines when w is not
// a terminal (log collectors parse them), human-readable text on a terminal.
func NewLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}
