// Package server is traceledger's HTTP service on Echo: the EPCIS 2.0 REST binding,
// the GS1 Digital Link resolver, the native API, web pages and metrics.
package server
