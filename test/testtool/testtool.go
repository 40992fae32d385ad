// Package testtool finds the outside programs some tests need (chromium, zbarimg, pdftotext, pdffonts,
// pdftoppm, wrk, pg_dump). On a developer's machine without one, the test is skipped with a message
// naming the Debian package; under CI=true a missing tool fails the test, because CI must run everything.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// packages names the Debian package that provides each tool (.ci/run installs them).
var packages = map[string]string{
	"chromium":  "chromium",
	"zbarimg":   "zbar-tools",
	"pdftotext": "poppler-utils",
	"pdffonts":  "poppler-utils",
	"pdftoppm":  "poppler-utils",
	"wrk":       "wrk",
	"pg_dump":   "postgresql-client",
}

// Require returns the path of the named program, or skips (fails under CI=true) when it is absent.
func Require(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	pkg := packages[name]
	if pkg == "" {
		pkg = name
	}
	if InCI() {
		t.Fatalf("%s is required in CI but not installed (Debian package %s; .ci/run installs it)", name, pkg)
	}
	t.Skipf("skipping: %s is not installed (apt-get install %s); CI runs this test", name, pkg)
	return ""
}

// InCI reports whether the tests run under CI (CI=true), where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// LoadGoals reports whether this run checks latency and throughput goals: only when someone asks for a
// load run with LINGONG_LOADTEST (1, or short where a test has a short form). A plain `go test ./...`,
// CI included, checks correctness only (no errors, nothing lost) and logs the figures, so it passes on a
// machine whose cores are busy with other work. docs/performance.md lists the load commands.
func LoadGoals() bool {
	v := os.Getenv("LINGONG_LOADTEST")
	return v != "" && v != "0"
}
