package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"traceledger/ledger"
	"traceledger/ledger/lotrecord"
	"traceledger/scanner"
)

// proofsHandler serves what a consumer needs to check a record without trusting the
// server (the gs1:verificationService link): GET /api/v1/proofs?code= answers the
// code's proof bundle (ledger.Bundle, the format `traceledger prove` prints and
// `traceledger verify-proof` checks) and GET /api/v1/checkpoint the latest signed
// checkpoint with the log's verifier key. Both are public.
type proofsHandler struct {
	log *ledger.Log
}

// checkpointInfo is the answer of GET /api/v1/checkpoint.
type checkpointInfo struct {
	Origin string `json:"origin"`
	Size   int64  `json:"size"`
	// RootHash is the tree hash at Size, base64 as in the note.
	RootHash string `json:"rootHash"`
	// Note is the signed checkpoint note (golang.org/x/mod/sumdb/note).
	Note string `json:"note"`
	// VerifierKey is the note verifier key ("name+hash+key") that checks Note and every
	// proof bundle.
	VerifierKey string `json:"verifierKey"`
}

func (h proofsHandler) ledger() (*ledger.Log, error) {
	if h.log == nil {
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException, "this server has no ledger")
	}
	return h.log, nil
}

func (h proofsHandler) checkpoint(c echo.Context) error {
	l, err := h.ledger()
	if err != nil {
		return err
	}
	cp, err := l.Checkpoint()
	if err != nil {
		return Internal(err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	return c.JSON(http.StatusOK, checkpointInfo{Origin: cp.Origin, Size: cp.Size, RootHash: cp.Root.String(),
		Note: string(cp.Note), VerifierKey: l.VerifierKey()})
}

func (h proofsHandler) proof(c echo.Context) error {
	l, err := h.ledger()
	if err != nil {
		return err
	}
	code := c.QueryParam("code")
	if code == "" {
		return BadQuery("code", "code is required: any form of a GS1 code, e.g. https://id.gs1.org/01/09506000134352/10/ABC")
	}
	d, err := scanner.Parse(code, scanner.Options{ZeroSuppressedGTIN: true})
	if err != nil {
		return BadQuery("code", err.Error()).WithCause(err)
	}
	levels := lotrecord.Levels(d)
	if len(levels) == 0 {
		return BadQuery("code", scanner.ErrNoPrimaryKey.Error())
	}
	b, err := l.Prove(levels[0].Code)
	switch {
	case errors.Is(err, ledger.ErrUnknownCode):
		return NotFound(levels[0].Code + " is not on the ledger")
	case err != nil:
		return Internal(err)
	}
	return c.JSON(http.StatusOK, b)
}

func (h proofsHandler) routes() []Route {
	problem := Response{Description: "Bad code", ContentType: ProblemContentType, Schema: Schema{"$ref": "#/components/schemas/Problem"}}
	return []Route{{
		Method: http.MethodGet, Path: "/api/v1/proofs", Handler: h.proof, Public: true,
		Doc: Operation{
			Summary: "Proof bundle of a code", OperationID: "getProof",
			Description: "The code's chain entries newest first, each with its RFC 6962 inclusion proof, and the signed " +
				"checkpoint they are proved against (ledger.Bundle; `traceledger verify-proof` checks it with the verifier key " +
				"from /api/v1/checkpoint).",
			Tags:       []string{"proofs"},
			Parameters: []Parameter{{Name: "code", In: "query", Required: true, Description: "The code, in any form the scanner parses"}},
			Responses: map[string]Response{
				"200": {Description: "The bundle", ContentType: "application/json", Schema: Schema{"type": "object"}},
				"400": problem,
				"404": {Description: "The code is not on the ledger", ContentType: ProblemContentType, Schema: Schema{"$ref": "#/components/schemas/Problem"}},
			},
		},
	}, {
		Method: http.MethodGet, Path: "/api/v1/checkpoint", Handler: h.checkpoint, Public: true,
		Doc: Operation{
			Summary: "The latest signed checkpoint and the verifier key", OperationID: "getCheckpoint",
			Tags: []string{"proofs"},
			Responses: map[string]Response{"200": {Description: "The checkpoint", ContentType: "application/json",
				Schema: Schema{"type": "object", "properties": map[string]any{
					"origin": Schema{"type": "string"}, "size": Schema{"type": "integer"}, "rootHash": Schema{"type": "string"},
					"note": Schema{"type": "string"}, "verifierKey": Schema{"type": "string"}}}}},
		},
	}}
}

// codeResources are the resources about item codes, built together because they share
// the record cache and the scan watch: the resolver, the scan API, the barcode API and
// the proofs.
type codeResources struct {
	resolver *resolverHandler
	scans    *scansHandler
	barcodes *barcodesHandler
	proofs   proofsHandler
}

func newCodeResources(s *Server, deps Deps) codeResources {
	res := newResolverHandler(s, deps)
	s.e.Pre(res.decompressRequests(s))
	return codeResources{resolver: res, scans: newScansHandler(res), barcodes: newBarcodesHandler(s), proofs: proofsHandler{log: deps.Ledger}}
}

func (r codeResources) routes() []Route {
	var rs []Route
	rs = append(rs, r.resolver.routes()...)
	rs = append(rs, r.scans.routes()...)
	rs = append(rs, r.barcodes.routes()...)
	return append(rs, r.proofs.routes()...)
}
