package api

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Pages speak Chinese: a status, a unit, a kind or a method is shown by its label (domain's Label),
// never by its code. Every GET page of the route table (the authorization matrix's rows) is opened by
// every caller who may open it (anonymous, a worker, an employer, staff here and there, an admin) in
// a world with a record in every state, and the text a person sees (text, button and field labels,
// placeholders, titles) must hold no code word.

// codeWords are the codes of the domain's values, and placeholders a template prints by mistake.
var codeWords = regexp.MustCompile(`\b(active|inactive|suspended|pending_review|pending|draft|open|filled|closed|expired|rejected|` +
	`accepted|declined|withdrawn|completed|terminated|applied|invited|job_push|piece|hour|day|job|daily|weekly|on_completion|` +
	`market|station|company|individual|work|payment|correction|cash|wechat|alipay|bank|social_security_card|sms_code|api_key|` +
	`staff_witnessed|confirm|dispute|worker|employer|staff|true|false|nil|NaN)\b|<no value>|%!|\b[a-z]+_[a-z_]+\b`)

// urlish are links and paths written out on a page (a gig's address to share, a card's URL): their
// letters are not words.
var urlish = regexp.MustCompile(`(https?://|/)[^\s，。、）)]*`)

// visibleText is what a person reads on the page: the text outside scripts and styles, and the
// attributes a browser shows (placeholders, titles, alternative text, button values).
func visibleText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return b.String()
			}
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte('\n')
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "script" || string(name) == "style" {
				skip++
			}
			inputType := ""
			var value string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "placeholder", "title", "alt", "aria-label":
					b.Write(v)
					b.WriteByte('\n')
				case "type":
					inputType = string(v)
				case "value":
					value = string(v)
				}
			}
			if string(name) == "input" && (inputType == "submit" || inputType == "button") {
				b.WriteString(value + "\n")
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip--
			}
		}
	}
}

func TestVisibleTextFindsCodeWords(t *testing.T) {
	page := `<html><head><title>岗位</title><style>.open{color:red}</style></head><body>
		<p>状态 active</p><input placeholder="待审核"><script>var pending = 1</script>
		<a href="/jobs?status=open">招工中</a> <span title="piece">件</span> 分享 http://lg.test/r/ZN_S03</body></html>`
	var found []string
	for _, m := range codeWords.FindAllString(urlish.ReplaceAllString(visibleText(page), " "), -1) {
		found = append(found, m)
	}
	if got := strings.Join(found, ","); got != "active,piece" {
		t.Errorf("code words found %q, want active,piece (not the style, the script, the link or the URL)", got)
	}
}

func TestPagesShowLabelsNotCodes(t *testing.T) {
	eachConsoleEnv(t, func(t *testing.T, env *testEnv) {
		f := newAuthzFixture(t, env)
		// Records in the states the fixture lacks: a dispute, an arrears alert, a rejected gig, a
		// closed one, a declined application, a draft contract.
		f.disputed()
		f.alert()
		rejected := f.pendingJob()
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/review", rejected), env.admin, map[string]string{"decision": "reject", "reason": "工钱写得不清楚"}, 200, nil)
		closed := f.openJob()
		env.mustJSON("POST", fmt.Sprintf("/api/v1/jobs/%d/close", closed), f.employerKey, map[string]string{"reason": "招够了"}, 200, nil)
		env.mustJSON("POST", fmt.Sprintf("/api/v1/applications/%d/decline", f.ownApplication()), f.employerKey, nil, 200, nil)
		f.contract()

		pages := 0
		for _, row := range authzRows() {
			if row.method != "GET" || strings.HasPrefix(row.route, "/api/") || row.route == "/static/*file" {
				continue
			}
			for who := anonymous; who < callers; who++ {
				path := row.target(f, who)
				req, _ := http.NewRequest("GET", env.http.URL+path, nil)
				if f.tokens[who] != "" {
					req.Header.Set("Authorization", "Bearer "+f.tokens[who])
				}
				resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					continue
				}
				pages++
				text := urlish.ReplaceAllString(visibleText(string(body)), " ")
				if found := codeWords.FindAllString(text, -1); len(found) > 0 {
					t.Errorf("%s as %s shows codes %q", path, callerNames[who], dedupe(found))
				}
			}
		}
		if pages < 60 {
			t.Errorf("only %d pages rendered: the fixture or the routes changed", pages)
		}
		t.Logf("%d pages × callers checked", pages)
	})
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
