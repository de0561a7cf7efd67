package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

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
	// TODO(integrator): open the ledger in o.data (ledger.Open), pass it as
	// Deps.Store, its key-value space as the KeyStore's KV and server.Metrics to its
	// appender; with --demo, load fixtures' demo chain into an empty store and print
	// the demo API keys once.
	log.Warn("the ledger is not wired into serve yet: --data and --demo are accepted but unused; "+
		"only /healthz, /readyz, /metrics and /openapi.json answer",
		"data", o.data, "demo", o.demo)
	srv, err := server.New(server.Config{Addr: o.addr, BaseURL: o.baseURL, Logger: log}, server.Deps{})
	if err != nil {
		return exitCode(2, err)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx); err != nil {
		return exitCode(2, fmt.Errorf("serve: %w", err))
	}
	return nil
}
