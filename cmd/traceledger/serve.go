package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/server"
)

func init() { commands = append(commands, newServeCmd) }

// serveOptions are the flags of traceledger serve.
type serveOptions struct {
	data    string
	addr    string
	baseURL string
	demo    bool
}

func newServeCmd() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--data DIR] [--addr 127.0.0.1:8080] [--base-url URL] [--demo]",
		Short: "Serve the ledger over HTTP: EPCIS 2.0 capture and query, Digital Link resolver, native API",
		Long: `serve runs traceledger's HTTP service on the embedded store in --data, which it holds
locked while it runs. SIGINT or SIGTERM shut it down gracefully: it stops accepting
connections, finishes the requests in flight and closes the store cleanly.

Operations endpoints: /healthz (process up), /readyz (store open, appender alive),
/metrics (Prometheus), /openapi.json (the OpenAPI 3.1 document of every route).

--demo loads the demo supply chain (a dairy chain in Hohhot: firms, sites, products,
lots, shipments, inspections, a transformation chain four levels deep) into an empty
store and prints the API keys it made for it, once, to standard output: one producer
key per producing firm, an inspector key for the lab, a regulator and an admin key for
the market regulator. On a store that has entries it loads and prints nothing.

Exit status: 0 after a clean shutdown, 2 when the address or store cannot be used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.data, "data", "./data", "directory of the embedded store")
	f.StringVar(&o.addr, "addr", server.DefaultAddr, "listen address (host:port)")
	f.StringVar(&o.baseURL, "base-url", "", "public URL of the service for absolute links (default http://ADDR)")
	f.BoolVar(&o.demo, "demo", false, "load the demo supply chain when the store is empty and print its API keys once")
	return cmd
}

func runServe(cmd *cobra.Command, o serveOptions) error {
	log := server.NewLogger(cmd.ErrOrStderr())
	cfg := server.Config{Addr: o.addr, BaseURL: o.baseURL, Logger: log}
	// Check the flags and take the address before touching the store: a usage error
	// creates no store, and the demo's keys, printed once, are never printed by a
	// server that then cannot serve.
	if _, err := server.New(cfg, server.Deps{}); err != nil {
		return exitCode(2, err)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return exitCode(2, fmt.Errorf("serve: %w", err))
	}
	// The appender reports each group commit to /metrics: appends, batch sizes and
	// the ledger's size.
	metrics := server.NewMetrics()
	var l *ledger.Log
	opts := serveStoreOptions()
	opts.OnCommit = func(entries int, size int64) {
		metrics.ObserveBatch(entries)
		metrics.SetLedgerSize(uint64(size), l.DiskSize())
	}
	// Value-log garbage (rows at the end of the log that every commit rewrites) is
	// collected every ten minutes; the log reports each collection here.
	opts.OnGC = func(files int, err error) {
		switch {
		case err != nil:
			log.Error("value-log garbage collection failed", "files", files, "err", err)
		case files > 0:
			log.Info("value-log garbage collected", "files", files)
		}
	}
	l, err = ledger.Open(o.data, opts)
	if err != nil {
		ln.Close()
		return exitCode(2, fmt.Errorf("serve: %w", err))
	}
	metrics.SetLedgerSize(uint64(l.Size()), l.DiskSize())
	reg := registry.New(l)
	keys := server.NewKVKeyStore(l.Meta())
	srv, err := server.New(cfg, server.Deps{Store: l, Ledger: l, Registry: reg, Keys: keys, Firms: reg, Metrics: metrics})
	if err != nil {
		ln.Close()
		return exitCode(2, errors.Join(err, l.Close()))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.demo {
		if err := serveDemo(ctx, cmd.OutOrStdout(), log, l, reg, keys, o, ln.Addr().String()); err != nil {
			ln.Close()
			return exitCode(2, errors.Join(err, l.Close()))
		}
	}
	// Serve owns the store from here: it closes it after the graceful drain.
	if err := srv.Serve(ctx, ln); err != nil {
		return exitCode(2, fmt.Errorf("serve: %w", err))
	}
	return nil
}

// serveDemo loads the demo chain when the store is empty and prints its keys to
// the command's output; on a store with entries it loads and prints nothing.
func serveDemo(ctx context.Context, out io.Writer, log *slog.Logger, l *ledger.Log, reg *registry.Registry,
	keys server.KeyStore, o serveOptions, addr string) error {
	if n := l.Size(); n > 0 {
		log.Info("--demo: the store is not empty; loading nothing", "entries", n)
		return nil
	}
	start := time.Now()
	demoKeys, err := loadDemo(ctx, l, reg, keys)
	if err != nil {
		return err
	}
	log.Info("--demo: loaded the demo supply chain", "entries", l.Size(), "keys", len(demoKeys),
		"took", time.Since(start).Round(time.Millisecond).String())
	base := o.baseURL
	if base == "" {
		base = "http://" + addr
	}
	return printDemoKeys(out, demoKeys, base)
}
