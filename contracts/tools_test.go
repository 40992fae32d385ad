package contracts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"lingong/test/testtool"
)

// Helpers that check our output with the real tools a user would use: poppler's pdftotext, pdffonts and
// pdftoppm, and zbar's zbarimg.

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	path := testtool.Require(t, name)
	out, err := exec.Command(path, args...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v %s", name, args, err, msg)
	}
	return string(out)
}

// pdfText is what pdftotext reads from pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return runTool(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, "doc.pdf", pdf), "-")
}

// pdfPageSizes returns each page's size in points as pdftotext -bbox reports it, e.g. "595.28x841.89".
func pdfPageSizes(t *testing.T, pdf []byte) []string {
	t.Helper()
	out := runTool(t, "pdftotext", "-bbox", writeTemp(t, "doc.pdf", pdf), "-")
	var sizes []string
	for _, m := range pageTag.FindAllStringSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		sizes = append(sizes, strconv.FormatFloat(w, 'f', 2, 64)+"x"+strconv.FormatFloat(h, 'f', 2, 64))
	}
	return sizes
}

var pageTag = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)

// pdfQRCodes rasterises every page at dpi and returns the sorted QR payloads zbarimg finds.
func pdfQRCodes(t *testing.T, pdf []byte, dpi int) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", in, filepath.Join(dir, "page"))
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) == 0 {
		t.Fatal("pdftoppm made no images")
	}
	var codes []string
	for _, p := range pages {
		codes = append(codes, zbar(t, p)...)
	}
	sort.Strings(codes)
	return codes
}

// zbar returns the QR payloads in an image file (none is not an error).
func zbar(t *testing.T, image string) []string {
	t.Helper()
	path := testtool.Require(t, "zbarimg")
	// -q: no statistics; --raw: payloads only, one per line; exit status 4 means "nothing found".
	out, err := exec.Command(path, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", image).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 4 {
			return nil
		}
		t.Fatalf("zbarimg %s: %v", image, err)
	}
	var codes []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if l != "" {
			codes = append(codes, l)
		}
	}
	return codes
}

// noSpace removes all white space, so text can be compared regardless of where lines were broken.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}
