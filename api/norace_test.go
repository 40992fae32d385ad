//go:build !race

package api

// raceEnabled tells timing assertions that the race detector slows everything several times over.
const raceEnabled = false
