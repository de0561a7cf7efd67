package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthHandler answers the probes: /healthz says the process is up and serving,
// /readyz says it can do its work (the store is open and its appender alive) and is
// not shutting down, so a load balancer stops sending requests while it drains.
type healthHandler struct{ s *Server }

// healthStatus is the body of a successful probe.
type healthStatus struct {
	Status string `json:"status"`
}

func (h healthHandler) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, healthStatus{Status: "ok"})
}

func (h healthHandler) readyz(c echo.Context) error {
	if h.s.draining.Load() {
		return NewProblem(http.StatusServiceUnavailable, NoException, "the server is shutting down")
	}
	if st := h.s.deps.Store; st != nil {
		if err := st.Ready(); err != nil {
			return NewProblem(http.StatusServiceUnavailable, NoException, "not ready: "+err.Error()).WithCause(err)
		}
	}
	return c.JSON(http.StatusOK, healthStatus{Status: "ready"})
}

func (h healthHandler) routes() []Route {
	ok := Schema{"type": "object", "properties": map[string]any{"status": Schema{"type": "string"}}}
	return []Route{{
		Method: http.MethodGet, Path: "/healthz", Handler: h.healthz, Public: true, Unlimited: true,
		Doc: Operation{
			Summary: "Liveness: the process is up",
			Tags:    []string{"operations"},
			Responses: map[string]Response{"200": {Description: `Always {"status":"ok"} while the process serves.`,
				ContentType: "application/json", Schema: ok}},
		},
	}, {
		Method: http.MethodGet, Path: "/readyz", Handler: h.readyz, Public: true, Unlimited: true,
		Doc: Operation{
			Summary:     "Readiness: the store is open and the appender alive",
			Description: "503 with a problem saying why while the store is not ready or the server is shutting down.",
			Tags:        []string{"operations"},
			Responses: map[string]Response{
				"200": {Description: "Ready", ContentType: "application/json", Schema: ok},
				"503": {Description: "Not ready", ContentType: ProblemContentType,
					Schema: Schema{"$ref": "#/components/schemas/Problem"}},
			},
		},
	}}
}
