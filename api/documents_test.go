package api

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"lingong/domain"
	"lingong/test/testtool"
)

// decodeQR runs zbarimg on a PNG and returns the contents of every QR code it finds; it fails the test
// when there is none.
func decodeQR(t *testing.T, png []byte) []string {
	t.Helper()
	found := qrCodesIn(t, png)
	if len(found) == 0 {
		t.Fatal("zbarimg found no QR code")
	}
	return found
}

// qrCodesIn is decodeQR for an image that may hold no QR code (a page of a longer document).
func qrCodesIn(t *testing.T, png []byte) []string {
	t.Helper()
	bin := testtool.Require(t, "zbarimg")
	f := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(f, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 {
		return nil // zbarimg's "no symbol found"
	}
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.Fields(string(out))
}

// pdfPages renders every page of a PDF to PNG with pdftoppm at dpi and returns the images.
func pdfPages(t *testing.T, pdf []byte, dpi int) [][]byte {
	t.Helper()
	bin := testtool.Require(t, "pdftoppm")
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", fmtInt(dpi), "-png", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(files)
	var pages [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// pdfText is pdftotext's reading of a PDF: proof that its words are real text, not pictures.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := testtool.Require(t, "pdftotext")
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func fmtInt(n int) string { return strconv.Itoa(n) }

func TestStationQRCodeDecodesToTheRegistrationURL(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		for _, tc := range []struct{ code, query string }{{"SPT-M1", ""}, {"ZN-S03", ""}, {"HY-S05", "?size=200"}, {"SPT-S08", "?size=2400"}} {
			t.Run(tc.code+tc.query, func(t *testing.T) {
				status, png, h := env.do("GET", "/api/v1/stations/"+tc.code+"/qrcode.png"+tc.query, "", nil)
				if status != 200 || h.Get("Content-Type") != "image/png" {
					t.Fatalf("%d %s", status, h.Get("Content-Type"))
				}
				got := decodeQR(t, png)
				if want := testPublicURL + "/r/" + tc.code; len(got) != 1 || got[0] != want {
					t.Errorf("QR holds %q, want %q", got, want)
				}
			})
		}
		for _, p := range []string{"/api/v1/stations/XX-S99/qrcode.png", "/api/v1/stations/XX-S99/poster.pdf"} {
			status, b, _ := env.do("GET", p, "", nil)
			if e := apiError(t, b); status != 404 || e.Code != domain.CodeNotFound || !strings.Contains(e.Message, "站点") {
				t.Errorf("GET %s = %d %+v, want 404 in the standard body", p, status, e)
			}
		}
		if status, b, _ := env.do("GET", "/api/v1/stations/SPT-M1/qrcode.png?size=50", "", nil); status != 400 || apiError(t, b).Field != "size" {
			t.Errorf("tiny size: %d %s", status, b)
		}
	})
}

func TestStationPosterPDF(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		status, pdf, h := env.do("GET", "/api/v1/stations/ZN-S03/poster.pdf", "", nil)
		if status != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%d %s", status, h.Get("Content-Type"))
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"新堡镇零工驿站", "新堡镇枸杞种植基地服务点", "扫码", "填手机号和验证码", "选会干的活"} {
			if !strings.Contains(text, want) {
				t.Errorf("poster text lacks %q:\n%s", want, text)
			}
		}
		pages := pdfPages(t, pdf, 100)
		if len(pages) != 1 {
			t.Fatalf("poster has %d pages, want 1", len(pages))
		}
		if got := decodeQR(t, pages[0]); len(got) != 1 || got[0] != testPublicURL+"/r/ZN-S03" {
			t.Errorf("poster QR holds %q", got)
		}
	})
}

func TestWorkerCardPDFCarriesTheSignedCardURL(t *testing.T) {
	eachEnv(t, domain.OTPLimits{}, func(t *testing.T, env *testEnv) {
		r := env.register("13300000001", nil)
		staff, _ := env.createStaff("staff_card", "ZN-S03")
		for who, path := range map[string][2]string{
			"worker": {r.Token, "/api/v1/workers/me/card.pdf"},
			"staff":  {staff, "/api/v1/workers/" + fmtInt(int(r.Worker.ID)) + "/card.pdf"},
		} {
			t.Run(who, func(t *testing.T) {
				status, pdf, h := env.do("GET", path[1], path[0], nil)
				if status != 200 || h.Get("Content-Type") != "application/pdf" {
					t.Fatalf("%d %s", status, pdf)
				}
				text := pdfText(t, pdf)
				for _, want := range []string{"马建国", r.Worker.No, "新堡镇零工驿站"} {
					if !strings.Contains(text, want) {
						t.Errorf("card text lacks %q:\n%s", want, text)
					}
				}
				got := decodeQR(t, pdfPages(t, pdf, 300)[0])
				if len(got) != 1 || got[0] != r.Worker.CardURL {
					t.Fatalf("card QR holds %q, want %q", got, r.Worker.CardURL)
				}
				id, version, err := domain.ParseCardToken(domain.DeriveKey(env.server.opts.SecretKey, "worker-card"), domain.CardTokenFromScan(got[0]))
				if err != nil || id != r.Worker.ID || version != 1 {
					t.Errorf("card token names %d v%d (%v)", id, version, err)
				}
			})
		}
	})
}
