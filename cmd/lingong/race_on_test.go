//go:build race

package main

// raceEnabled: the race detector slows every request several times over, so latency limits are
// reported but not enforced under it.
const raceEnabled = true
