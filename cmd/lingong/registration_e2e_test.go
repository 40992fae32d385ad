package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"lingong/store/storetest"
	"lingong/test/testtool"
)

// freeAddr finds a free local port, so the server's public URL (printed in its QR codes) can be known
// before it starts: the browser must be able to open what the QR code says.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// apiClient talks JSON to a running server.
type apiClient struct {
	t    *testing.T
	base string
}

func (a apiClient) call(method, path, token string, body any, out any) int {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, a.base+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func (a apiClient) adminToken(password string) string {
	a.t.Helper()
	var login struct{ Token string }
	if code := a.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": password}, &login); code != 200 {
		a.t.Fatalf("admin login: %d", code)
	}
	return login.Token
}

var otpInBody = regexp.MustCompile(`\d{6}`)

// codeFromOutbox reads the newest SMS code sent to phone, as an admin would in the console.
func (a apiClient) codeFromOutbox(admin, phone string) string {
	a.t.Helper()
	var out struct {
		Items []struct{ Body string } `json:"items"`
	}
	if code := a.call("GET", "/api/v1/admin/sms-outbox?per_page=1&phone="+phone, admin, nil, &out); code != 200 || len(out.Items) == 0 {
		a.t.Fatalf("outbox for %s: %d %+v", phone, code, out)
	}
	return otpInBody.FindString(out.Items[0].Body)
}

// zbar decodes the QR codes in a PNG.
func zbar(t *testing.T, png []byte) []string {
	t.Helper()
	bin := testtool.Require(t, "zbarimg")
	f := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(f, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.Fields(string(out))
}

// newChromium starts Debian's headless Chromium with a phone-sized window and a throw-away profile.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	bin := testtool.Require(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(360, 740),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first Run starts the browser; it must not carry a timeout (see chromedp.Run).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// byteCounter adds up the bytes the browser received over the network (Network.loadingFinished's
// encodedDataLength: headers and body as transferred).
type byteCounter struct {
	mu    sync.Mutex
	bytes float64
	urls  []string
}

func (b *byteCounter) reset() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.bytes
	b.bytes, b.urls = 0, nil
	return n
}

func countBytes(t *testing.T, ctx context.Context) *byteCounter {
	t.Helper()
	bc := &byteCounter{}
	urls := map[network.RequestID]string{}
	err := chromedp.Listen(ctx, func(ev any) {
		bc.mu.Lock()
		defer bc.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls[e.RequestID] = e.Request.URL
		case *network.EventLoadingFinished:
			bc.bytes += e.EncodedDataLength
			bc.urls = append(bc.urls, urls[e.RequestID])
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return bc
}

// The acceptance of issue 3, as a new user does it: start the service, fetch a station's QR code and
// decode it, open that URL in Chromium at 360×740, register with the code from the outbox (making a
// mistake on the way), see the card, and decode the card's QR code.
func TestRegistrationInChromium(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := newChromium(t)
			addr := freeAddr(t)
			public := "http://" + addr
			env := map[string]string{"LINGONG_DATA_DIR": e.Dir, "LINGONG_ADDR": addr, "LINGONG_PUBLIC_URL": public,
				"LINGONG_ADMIN_PASSWORD": "e2e-admin-password"}
			if e.Name == "postgres" {
				env["DATABASE_URL"] = e.URL
			}
			srv := startServer(t, env)
			api := apiClient{t: t, base: srv.URL}
			admin := api.adminToken("e2e-admin-password")

			// The poster's QR code, decoded, is the registration page.
			resp, err := http.Get(srv.URL + "/api/v1/stations/ZN-S03/qrcode.png")
			if err != nil {
				t.Fatal(err)
			}
			png, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			scanned := zbar(t, png)
			if len(scanned) != 1 || scanned[0] != public+"/r/ZN-S03" {
				t.Fatalf("station QR holds %q", scanned)
			}

			bytes := countBytes(t, ctx)
			step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				if err := chromedp.Do(sctx, actions...); err != nil {
					var html string
					html, _ = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
					t.Fatalf("%s: %v\npage: %.3000s", name, err, html)
				}
			}
			fitsPhone := func(where string) {
				t.Helper()
				w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
				if err != nil || w > 360 {
					t.Errorf("%s is %d px wide (%v): a 360 px phone would scroll sideways", where, w, err)
				}
			}

			step("open the scanned URL", chromedp.Navigate(scanned[0]), chromedp.WaitVisible(chromedp.ID("phone")))
			time.Sleep(200 * time.Millisecond) // let the last loadingFinished events arrive
			if n := bytes.reset(); n <= 0 || n >= 100*1024 {
				t.Errorf("the registration page transferred %.0f bytes, want under 100 KB", n)
			} else {
				t.Logf("registration page: %.0f bytes transferred", n)
			}
			fitsPhone("the phone step")
			title, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
			if title != "新堡镇零工驿站" {
				t.Errorf("page heading %q", title)
			}

			step("send the code",
				chromedp.SendKeys(chromedp.ID("phone"), "138 1234 5678"),
				chromedp.Click(chromedp.ID("send-code")),
				chromedp.WaitVisible(chromedp.ID("code")))
			code := api.codeFromOutbox(admin, "13812345678")
			step("type the code", chromedp.SendKeys(chromedp.ID("code"), code), chromedp.Click(chromedp.ID("verify-code")),
				chromedp.WaitVisible(chromedp.ID("profile-form")))
			fitsPhone("the profile step")

			// A mistake first: a digit in the name. The error shows next to the field; the skills
			// chosen stay chosen.
			step("fill the profile with a mistake",
				chromedp.SendKeys(chromedp.ID("name"), "马建国2"),
				chromedp.Click(chromedp.CSS(`input[name=skills][value="枸杞采摘"] + span`)),
				chromedp.Click(chromedp.CSS(`input[name=skills][value="搬运"] + span`)),
				chromedp.SetValue(chromedp.ID("place"), "中宁县/新堡镇"),
				chromedp.SendKeys(chromedp.ID("wage"), "150"),
				chromedp.Click(chromedp.ID("submit-profile")),
				chromedp.WaitVisible(chromedp.ID("name-error")))
			msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("name-error")))
			checked, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=skills]:checked').length`))
			if !strings.Contains(msg, "数字") || checked != 2 {
				t.Errorf("after the mistake: error %q, %d skills still checked", msg, checked)
			}
			// A reload keeps what was typed (the draft in localStorage).
			step("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("profile-form")))
			name, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("name")))
			if name != "马建国2" {
				t.Errorf("after a reload the name field holds %q", name)
			}
			step("correct and submit",
				chromedp.Clear(chromedp.ID("name")),
				chromedp.SendKeys(chromedp.ID("name"), "马建国"),
				chromedp.SetValue(chromedp.ID("place"), "中宁县/新堡镇"),
				chromedp.Clear(chromedp.ID("wage")),
				chromedp.SendKeys(chromedp.ID("wage"), "150"),
				chromedp.Click(chromedp.ID("submit-profile")),
				chromedp.WaitVisible(chromedp.ID("worker-no")))
			fitsPhone("the card")
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			no, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("worker-no")))
			if !strings.HasSuffix(loc, "/me?registered=1") || no != "LG00000001" {
				t.Fatalf("landed on %s with worker number %q", loc, no)
			}

			// The card's QR code, as shown on the phone, is the signed card URL the staff look-up knows.
			src, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("img.qr"), "src"))
			raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src.Value, "data:image/png;base64,"))
			if err != nil {
				t.Fatalf("card image: %v", err)
			}
			cardQR := zbar(t, raw)
			var worker struct {
				CardURL string `json:"card_url"`
				Name    string `json:"name"`
				Skills  []string
			}
			if code := api.call("GET", "/api/v1/workers/lookup?q="+url.QueryEscape(cardQR[0]), admin, nil, &worker); code != 200 {
				t.Fatalf("staff look-up of the scanned card: %d", code)
			}
			if cardQR[0] != worker.CardURL || !strings.HasPrefix(worker.CardURL, public+"/c/") || worker.Name != "马建国" || len(worker.Skills) != 2 {
				t.Errorf("card QR %q; worker %+v", cardQR, worker)
			}
			// Opening the card's URL on a phone shows that the card is valid, without personal data.
			step("open the card URL", chromedp.Navigate(cardQR[0]), chromedp.WaitVisible(chromedp.CSS(".valid")))
			page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			if !strings.Contains(page, "LG00000001") || !strings.Contains(page, "马**") || strings.Contains(page, "13812345678") {
				t.Errorf("public card page: %s", page)
			}
			fmt.Fprint(io.Discard, bytes.reset())
		})
	}
}

// The SMS limits come from the environment (so a load test or a station behind one shared address can
// change them), and the built-in SMS driver logs each message with the phone masked and never the code.
func TestSMSLimitsFromTheEnvironmentAndMaskedLogs(t *testing.T) {
	srv := startServer(t, map[string]string{"LINGONG_OTP_PHONE_INTERVAL": "0s", "LINGONG_OTP_PHONE_PER_HOUR": "2",
		"LINGONG_ADMIN_PASSWORD": "limits-admin-password"})
	api := apiClient{t: t, base: srv.URL}
	for i, want := range []int{202, 202, 429} {
		if code := api.call("POST", "/api/v1/auth/otp", "", map[string]string{"phone": "13812345678"}, nil); code != want {
			t.Errorf("send %d: %d, want %d", i+1, code, want)
		}
	}
	code := api.codeFromOutbox(api.adminToken("limits-admin-password"), "13812345678")
	queued := srv.Logs.find("sms queued in outbox")
	if len(queued) != 2 || queued[0]["phone"] != "138****5678" {
		t.Errorf("sms log lines: %v", queued)
	}
	srv.Logs.mu.Lock()
	defer srv.Logs.mu.Unlock()
	for _, line := range srv.Logs.lines {
		b, _ := json.Marshal(line)
		if strings.Contains(string(b), "13812345678") || strings.Contains(string(b), code) {
			t.Errorf("a log line holds the phone or the code: %s", b)
		}
	}
}
