package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/ledger/webhooks"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// A Store is what the server needs from the store it owns while it runs (the
// ledger): whether it can work, and closing it cleanly after the last request.
type Store interface {
	// Ready returns nil when the store is open and its appender alive, else why not.
	Ready() error
	// Close finishes pending appends and closes the store.
	Close() error
}

// Deps are the server's dependencies, passed in rather than reached for. Every field
// may be nil: the server then serves what does not need it (probes, metrics,
// OpenAPI) and answers the rest with a problem.
type Deps struct {
	// Store is the ledger: probed by /readyz, closed by Serve after the drain.
	Store Store
	// Keys resolves and manages API keys; nil means no request can authenticate.
	Keys KeyStore
	// Firms vets the firm of a new API key; nil accepts any non-empty code.
	Firms FirmChecker
	// Metrics is the instrumentation to serve at /metrics; nil means a fresh one
	// (pass your own to share it with the ledger).
	Metrics *Metrics
	// Ledger is the open log the EPCIS binding, resolver and native API read and
	// append to; nil serves only the operational endpoints.
	Ledger *ledger.Log
	// Registry is the register of firms and products on the ledger, with the
	// ownership policy of captures; nil serves no firm or product routes.
	Registry *registry.Registry
}

// A Server is traceledger's HTTP service. Build it with New; serve it with Serve,
// or mount Handler in a server of your own.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	e       *echo.Echo
	keys    KeyStore
	metrics *Metrics
	limiter *RateLimiter
	openapi *openAPIHandler
	// captures are the EPCIS capture jobs, which run after their request has been
	// answered: Serve waits for them before it closes the store.
	captures *captureJobs
	// webhooks delivers recall notifications in the background: Serve stops it
	// (deliveries left pending) before it closes the store they are recorded in.
	webhooks *webhooks.Sender

	routes map[string]*Route // by Route.key
	order  []*Route          // registration order, for the OpenAPI document

	draining  atomic.Bool // set when shutdown starts: /readyz then answers 503
	serving   atomic.Bool // Serve may run once: it closes the store
	closeOnce sync.Once
	closeErr  error
}

// New builds the server: Echo with the middleware chain and every route.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, deps: deps, log: cfg.Logger, keys: deps.Keys, metrics: deps.Metrics,
		e: echo.New(), routes: map[string]*Route{}, openapi: newOpenAPIHandler(),
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if cfg.PublicRate > 0 {
		s.limiter = NewRateLimiter(cfg.PublicRate, cfg.PublicBurst)
	}
	e := s.e
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxyHeaders {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	origins := cfg.CORSOrigins
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	// Order matters: observe sees every outcome; recovery sits inside it so a panic
	// is logged and counted; CORS comes before anything that can refuse, so browsers
	// can read 401, 413 and 429 problems (and preflights are not rate limited); the
	// size limit applies before any handler reads; the caller is known before the
	// rate limit (keyed callers are not limited).
	e.Use(
		s.observe,
		s.recoverPanics,
		middleware.CORSWithConfig(middleware.CORSConfig{
			Skipper:       func(c echo.Context) bool { return !s.publicRead(c) },
			AllowOrigins:  origins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodOptions},
			AllowHeaders:  []string{echo.HeaderAccept, echo.HeaderAuthorization, HeaderRequestID},
			ExposeHeaders: []string{HeaderRequestID, "Link", "Location", "Retry-After"},
			MaxAge:        86400,
		}),
		limitBody(cfg.BodyLimit),
		s.authenticate,
		s.limitRate,
		middleware.GzipWithConfig(middleware.GzipConfig{
			Skipper: func(c echo.Context) bool {
				r := s.route(c)
				return r != nil && r.Compressed
			},
			MinLength: 1024, // below one packet gzip saves nothing
		}),
	)

	epcisAPI := newEPCISHandler(cfg, deps)
	s.captures = epcisAPI.jobs
	recalls := newRecallsHandler(s, cfg, deps)
	s.webhooks = recalls.sender
	for _, h := range []interface{ routes() []Route }{
		healthHandler{s},
		newMetricsHandler(s.metrics),
		s.openapi,
		keysHandler{keys: deps.Keys, firms: deps.Firms},
		newNativeAPI(cfg, deps),
		newCodeResources(s, deps),
		epcisAPI,
		newFirmsHandler(deps),
		recalls,
		// New resources: add their handler here; their routes() carry their OpenAPI docs.
	} {
		for _, r := range h.routes() {
			s.add(r)
		}
	}
	if err := s.openapi.render(cfg.BaseURL, s.order); err != nil {
		return nil, fmt.Errorf("server: rendering the OpenAPI document: %w", err)
	}
	return s, nil
}

// publicRead reports whether c is a GET or HEAD of a public route, or the CORS
// preflight for one: what browsers on other origins may read.
func (s *Server) publicRead(c echo.Context) bool {
	m := c.Request().Method
	if m == http.MethodOptions && s.routes[m+" "+c.Path()] != nil {
		// A route that answers OPTIONS itself (the resolver, whose answer carries the
		// Link header) sets its own CORS headers: the middleware would answer for it.
		return false
	}
	if m == http.MethodOptions || m == http.MethodHead {
		m = http.MethodGet
	}
	if m != http.MethodGet {
		return false
	}
	r := s.routes[m+" "+c.Path()]
	return r != nil && r.Public
}

// Handler returns the server's HTTP handler, with every middleware.
func (s *Server) Handler() http.Handler { return s.e }

// Config returns the configuration in effect, defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// Metrics returns the server's instrumentation, for the ledger to feed.
func (s *Server) Metrics() *Metrics { return s.metrics }

// ListenAndServe listens on the configured address and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		// The server owns the store: it closes it on the way out, and cannot serve after.
		s.serving.Store(true)
		return errors.Join(fmt.Errorf("server: %w", err), s.closeStore())
	}
	return s.Serve(ctx, ln)
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully: it stops
// accepting connections, lets in-flight requests finish (up to ShutdownTimeout),
// then the EPCIS capture jobs already accepted (up to ShutdownTimeout again), and
// only then closes the store, so acknowledged appends are durable and Badger
// closes cleanly. It returns nil after a clean shutdown. Serve may be called once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !s.serving.CompareAndSwap(false, true) {
		return errors.New("server: Serve called twice")
	}
	hs := &http.Server{
		Handler:           s.e,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("baseURL", s.cfg.BaseURL))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	var serveErr error
	select {
	case serveErr = <-errc:
		serveErr = fmt.Errorf("server: %w", serveErr)
	case <-ctx.Done():
		s.draining.Store(true)
		s.log.Info("shutting down: draining in-flight requests", slog.Duration("timeout", s.cfg.ShutdownTimeout))
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
		if err := hs.Shutdown(sctx); err != nil {
			serveErr = fmt.Errorf("server: graceful shutdown: %w", err)
			_ = hs.Close()
		}
		cancel()
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr = errors.Join(serveErr, fmt.Errorf("server: %w", err))
		}
	}
	// Capture jobs accepted before the drain are still appending in the background.
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	if err := s.captures.drain(dctx); err != nil {
		serveErr = errors.Join(serveErr, err)
	}
	cancel()
	if s.webhooks != nil {
		s.webhooks.Stop()
	}
	if err := s.closeStore(); err != nil {
		serveErr = errors.Join(serveErr, err)
	}
	if serveErr == nil {
		s.log.Info("stopped cleanly")
	}
	return serveErr
}

// closeStore closes the store once.
func (s *Server) closeStore() error {
	s.closeOnce.Do(func() {
		if s.deps.Store != nil {
			if err := s.deps.Store.Close(); err != nil {
				s.closeErr = fmt.Errorf("server: closing the store: %w", err)
			}
		}
	})
	return s.closeErr
}
