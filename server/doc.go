// Package server is traceledger's HTTP service on Echo: the EPCIS 2.0 REST binding,
// the GS1 Digital Link resolver, the native API, web pages and metrics.
//
// It is built like net/http: New(Config, Deps) takes knobs with working zero values
// and dependencies passed in (the ledger as a Store, a KeyStore, a FirmChecker,
// Metrics); there are no globals. Each resource is one handler type whose routes()
// method returns its Routes: method, Echo path, handler, who may call it (Public,
// Roles) and its OpenAPI Operation. New registers them, so /openapi.json is built
// from what is served, and a test checks Echo's route table against the document.
//
// Handlers return errors; *Problem values (RFC 9457, with the EPCIS exception as the
// problem type and the JSON path at fault) reach the client as
// application/problem+json, anything else as a 500 whose cause is only logged.
// DecodeJSON turns malformed or mistyped bodies into 400 problems naming the path.
//
// Around every request (observe.go outward in): a request ID, the access log and
// metrics; panic recovery; the body size limit; API key authentication (Caller in
// the request context); the per-address rate limit for anonymous callers; CORS for
// public reads; gzip. Serve shuts down gracefully and closes the store last.
package server
