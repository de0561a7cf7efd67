package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// EPCIS and CBV versions: the GS1-EPCIS-* and GS1-CBV-* headers of the REST
// binding, announced on every answer and checked on every request.

// versionHeaders sets the EPCIS and CBV versions every EPCIS answer carries.
func versionHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("GS1-EPCIS-Version", epcisVersion)
	h.Set("GS1-CBV-Version", cbvVersion)
}

// checkVersions refuses requests for EPCIS or CBV versions other than 2.x (the
// GS1-EPCIS-Version / -Min / -Max and GS1-CBV-* request headers) and EPC formats
// this server cannot write, with 406 NotAcceptableException.
func checkVersions(c echo.Context) error {
	req := c.Request().Header
	for _, name := range []string{"GS1-EPCIS-Version", "GS1-CBV-Version"} {
		if v := req.Get(name); v != "" && !isMajor2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	for _, name := range []string{"GS1-EPCIS-Min", "GS1-CBV-Min"} {
		if v := req.Get(name); v != "" && versionAbove2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	for _, name := range []string{"GS1-EPCIS-Max", "GS1-CBV-Max"} {
		if v := req.Get(name); v != "" && versionBelow2(v) {
			return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
				fmt.Sprintf("%s %q: this server speaks version 2.0.0 only", name, v)).WithField(name)
		}
	}
	if f := req.Get("GS1-EPC-Format"); f == "Always_EPC_URN" {
		return NewProblem(http.StatusNotAcceptable, NotAcceptableException,
			"GS1-EPC-Format Always_EPC_URN: this server writes identifiers as GS1 Digital Link URIs").WithField("GS1-EPC-Format")
	}
	return nil
}

// versionParts reads "2", "2.0" or "2.0.0" as numbers; ok is false for anything else.
func versionParts(v string) (parts [3]int, ok bool) {
	fs := strings.Split(strings.TrimSpace(v), ".")
	if len(fs) == 0 || len(fs) > 3 {
		return parts, false
	}
	for i, f := range fs {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return parts, false
		}
		parts[i] = n
	}
	return parts, true
}

// isMajor2 reports whether a version is 2, 2.x or 2.x.y.
func isMajor2(v string) bool { p, ok := versionParts(v); return ok && p[0] == 2 }

// versionAbove2 reports whether a minimum version excludes 2.0.0.
func versionAbove2(v string) bool {
	p, ok := versionParts(v)
	return !ok || p[0] > 2 || (p[0] == 2 && (p[1] > 0 || p[2] > 0))
}

// versionBelow2 reports whether a maximum version excludes 2.0.0.
func versionBelow2(v string) bool { p, ok := versionParts(v); return !ok || p[0] < 2 }
