package main

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"

	"lingong/api/v1/spectest"
)

// Every answer the tests of this package receive through Go's default HTTP client (the API helpers,
// http.Get of pages, PDFs and metrics) is checked against api/v1/openapi.yaml; a drift fails the run,
// naming each request. (The default transport has no *testing.T to report to, so the check reports
// after the tests.)
var specViolations struct {
	sync.Mutex
	seen map[string]bool
	list []string
}

func TestMain(m *testing.M) {
	http.DefaultTransport = spectest.Transport(http.DefaultTransport, func(err error) {
		specViolations.Lock()
		defer specViolations.Unlock()
		if specViolations.seen == nil {
			specViolations.seen = map[string]bool{}
		}
		if msg := err.Error(); !specViolations.seen[msg] {
			specViolations.seen[msg] = true
			specViolations.list = append(specViolations.list, msg)
		}
	})
	code := m.Run()
	if len(specViolations.list) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d answers broke api/v1/openapi.yaml:\n", len(specViolations.list))
		for _, v := range specViolations.list {
			fmt.Fprintf(os.Stderr, "  %s\n", v)
		}
		code = 1
	}
	os.Exit(code)
}
