package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"lingong/app"
)

// Aliyun is Alibaba Cloud 短信服务 (Dysmsapi 2017-05-25, SendSms), signed with ACS3-HMAC-SHA256.
type Aliyun struct {
	AccessKeyID     string
	AccessKeySecret string
	Endpoint        string // https://dysmsapi.aliyuncs.com
	SignName        string
	Templates       Templates
	Client          *http.Client
	// now and nonce are fixed in tests.
	now   func() time.Time
	nonce func() string
}

// Name is "aliyun".
func (a *Aliyun) Name() string { return "aliyun" }

type aliyunAnswer struct {
	Code, Message, BizId, RequestId string
}

// Send calls SendSms with the template's code, the variables as TemplateParam (JSON) and our
// reference as OutId, which Alibaba Cloud hands back in the delivery receipt.
func (a *Aliyun) Send(ctx context.Context, m app.OutgoingSMS) (app.SMSAccepted, error) {
	code := a.Templates[m.Template.Kind]
	if code == "" {
		return app.SMSAccepted{}, &Error{Provider: "aliyun", Code: "no_template", Message: string(m.Template.Kind), Class: Down}
	}
	params, _ := json.Marshal(m.Params)
	q := map[string]string{"PhoneNumbers": m.Phone, "SignName": a.SignName, "TemplateCode": code,
		"TemplateParam": string(params), "OutId": m.Ref}
	body, status, err := a.call(ctx, "SendSms", "2017-05-25", q)
	if err != nil {
		return app.SMSAccepted{}, err
	}
	var ans aliyunAnswer
	if json.Unmarshal(body, &ans) != nil || ans.Code == "" {
		if status != http.StatusOK {
			return app.SMSAccepted{}, httpStatusError("aliyun", status)
		}
		return app.SMSAccepted{}, &Error{Provider: "aliyun", Code: "bad_answer", Class: Unknown}
	}
	if ans.Code != "OK" {
		return app.SMSAccepted{}, &Error{Provider: "aliyun", Code: ans.Code, Message: ans.Message, Class: aliyunClass(ans.Code, status)}
	}
	return app.SMSAccepted{Provider: "aliyun", ProviderID: ans.BizId, Code: "OK"}, nil
}

// aliyunClass sorts Alibaba Cloud's codes (SendSms error codes): the gateway's throttling and system
// errors are worth a retry; a phone's own frequency limit (BUSINESS_LIMIT_CONTROL) is not (it lasts
// minutes to a day); account, signature and template problems stop this provider altogether.
func aliyunClass(code string, status int) Class {
	switch {
	case strings.HasPrefix(code, "Throttling"), code == "isp.SYSTEM_ERROR", code == "ServiceUnavailable",
		code == "InternalError", status == http.StatusServiceUnavailable:
		return Retryable
	case code == "isv.AMOUNT_NOT_ENOUGH", code == "isv.ACCOUNT_ABNORMAL", code == "isv.ACCOUNT_NOT_EXISTS",
		strings.HasPrefix(code, "isv.SMS_SIGNATURE"), strings.HasPrefix(code, "isv.SMS_TEMPLATE"),
		code == "InvalidAccessKeyId.NotFound", code == "SignatureDoesNotMatch", code == "isv.OUT_OF_SERVICE",
		code == "Forbidden.RAM", code == "isv.PRODUCT_UN_SUBSCRIPT":
		return Down
	}
	return Final
}

// call makes one signed RPC-style request: the parameters in the query string, an empty body.
func (a *Aliyun) call(ctx context.Context, action, version string, params map[string]string) ([]byte, int, error) {
	u, err := url.Parse(a.Endpoint)
	if err != nil {
		return nil, 0, &Error{Provider: "aliyun", Code: "endpoint", Message: err.Error(), Class: Down}
	}
	query := canonicalQuery(params)
	u.Path, u.RawQuery = "/", query
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(nil))
	if err != nil {
		return nil, 0, &Error{Provider: "aliyun", Code: "request", Message: err.Error(), Class: Down}
	}
	now, nonce := time.Now, randomNonce
	if a.now != nil {
		now, nonce = a.now, a.nonce
	}
	payloadHash := sha256Hex(nil)
	headers := map[string]string{
		"host": u.Host, "x-acs-action": action, "x-acs-version": version,
		"x-acs-date": now().UTC().Format("2006-01-02T15:04:05Z"), "x-acs-signature-nonce": nonce(),
		"x-acs-content-sha256": payloadHash,
	}
	auth, _ := ACS3Authorization(http.MethodPost, "/", query, headers, payloadHash, a.AccessKeyID, a.AccessKeySecret)
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Header.Set("Authorization", auth)
	client := a.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, transportError("aliyun", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, res.StatusCode, transportError("aliyun", err)
	}
	return body, res.StatusCode, nil
}

// ACS3Authorization is Alibaba Cloud's V3 signature (ACS3-HMAC-SHA256) of a request: the canonical
// request (method, path, sorted query, the signed headers lowercased and sorted, the payload's
// SHA-256), hashed, signed with the secret. It returns the Authorization header and the canonical
// request (tests compare both with the documentation's example).
func ACS3Authorization(method, path, query string, headers map[string]string, payloadHash, keyID, secret string) (string, string) {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	var ch strings.Builder
	for _, k := range names {
		ch.WriteString(k + ":" + strings.TrimSpace(headers[k]) + "\n")
	}
	signed := strings.Join(names, ";")
	canonical := method + "\n" + path + "\n" + query + "\n" + ch.String() + "\n" + signed + "\n" + payloadHash
	toSign := "ACS3-HMAC-SHA256\n" + sha256Hex([]byte(canonical))
	sig := hex.EncodeToString(hmacSHA256([]byte(secret), toSign))
	return "ACS3-HMAC-SHA256 Credential=" + keyID + ",SignedHeaders=" + signed + ",Signature=" + sig, canonical
}

// canonicalQuery is the sorted, RFC 3986 percent-encoded query (space as %20, ~ kept).
func canonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = percentEncode(k) + "=" + percentEncode(params[k])
	}
	return strings.Join(parts, "&")
}

func percentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func randomNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

var _ = fmt.Sprint
