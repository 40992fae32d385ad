package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestBlindDebug prints what the API answers for the dev subjects named in GIGS, WORKERS and QUERIES
// (";"-separated), for diagnosis; without them it does nothing.
func TestBlindDebug(t *testing.T) {
	if os.Getenv("GIGS")+os.Getenv("WORKERS")+os.Getenv("QUERIES") == "" {
		t.Skip("name dev subjects in GIGS, WORKERS or QUERIES")
	}
	set := loadBlind(t)
	p := startProduct(t, set)
	for _, ref := range strings.Fields(os.Getenv("GIGS")) {
		_, b := p.call("GET", fmt.Sprintf("/api/v1/jobs/%d/candidates?limit=10", p.jobID[ref]), p.jobKey[ref], nil, nil)
		t.Logf("%s: %s", ref, b)
		_, b = p.call("GET", fmt.Sprintf("/api/v1/jobs/%d", p.jobID[ref]), p.jobKey[ref], nil, nil)
		t.Logf("%s: %.600s", ref, b)
	}
	for _, ref := range strings.Fields(os.Getenv("WORKERS")) {
		_, b := p.call("GET", "/api/v1/workers/me/matches?limit=10", p.wToken[ref], nil, nil)
		t.Logf("%s: %.3000s", ref, b)
	}
	for _, q := range strings.Split(os.Getenv("QUERIES"), ";") {
		if q != "" {
			r, reading := p.searchTop10(q)
			t.Logf("%q %q %v", q, reading, r)
		}
	}
}
