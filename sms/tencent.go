package sms

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lingong/app"
)

// Tencent is Tencent Cloud 短信 (API 3.0, SendSms 2021-01-11), signed with TC3-HMAC-SHA256.
type Tencent struct {
	SecretID  string
	SecretKey string
	Endpoint  string // https://sms.tencentcloudapi.com
	Region    string // ap-guangzhou
	AppID     string // SmsSdkAppId
	SignName  string
	Templates Templates
	Client    *http.Client
	now       func() time.Time // fixed in tests
}

// Name is "tencent".
func (t *Tencent) Name() string { return "tencent" }

type tencentAnswer struct {
	Response struct {
		Error         *struct{ Code, Message string }
		SendStatusSet []struct {
			SerialNo, PhoneNumber, Code, Message, SessionContext string
		}
		RequestId string
	}
}

// Send calls SendSms with the template id, the variables in template order (TemplateParamSet) and
// our reference as SessionContext, which Tencent Cloud hands back in receipts.
func (t *Tencent) Send(ctx context.Context, m app.OutgoingSMS) (app.SMSAccepted, error) {
	id := t.Templates[m.Template.Kind]
	if id == "" {
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: "no_template", Message: string(m.Template.Kind), Class: Down}
	}
	payload, _ := json.Marshal(map[string]any{
		"PhoneNumberSet": []string{"+86" + m.Phone}, "SmsSdkAppId": t.AppID, "SignName": t.SignName,
		"TemplateId": id, "TemplateParamSet": m.Template.Ordered(m.Params), "SessionContext": m.Ref,
	})
	u, err := url.Parse(t.Endpoint)
	if err != nil {
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: "endpoint", Message: err.Error(), Class: Down}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Endpoint, bytes.NewReader(payload))
	if err != nil {
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: "request", Message: err.Error(), Class: Down}
	}
	now := time.Now
	if t.now != nil {
		now = t.now
	}
	ts := now().Unix()
	const contentType = "application/json; charset=utf-8"
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-TC-Action", "SendSms")
	req.Header.Set("X-TC-Version", "2021-01-11")
	req.Header.Set("X-TC-Region", t.Region)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	auth, _ := TC3Authorization(t.SecretID, t.SecretKey, "sms", u.Host, contentType, payload, ts)
	req.Header.Set("Authorization", auth)
	client := t.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return app.SMSAccepted{}, transportError("tencent", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return app.SMSAccepted{}, transportError("tencent", err)
	}
	var ans tencentAnswer
	if json.Unmarshal(body, &ans) != nil || (ans.Response.Error == nil && len(ans.Response.SendStatusSet) == 0) {
		if res.StatusCode != http.StatusOK {
			return app.SMSAccepted{}, httpStatusError("tencent", res.StatusCode)
		}
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: "bad_answer", Class: Unknown}
	}
	if e := ans.Response.Error; e != nil {
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: e.Code, Message: e.Message, Class: tencentClass(e.Code)}
	}
	st := ans.Response.SendStatusSet[0]
	if !strings.EqualFold(st.Code, "Ok") {
		return app.SMSAccepted{}, &Error{Provider: "tencent", Code: st.Code, Message: st.Message, Class: tencentClass(st.Code)}
	}
	return app.SMSAccepted{Provider: "tencent", ProviderID: st.SerialNo, Code: "Ok"}, nil
}

// tencentClass sorts Tencent Cloud's codes: the API's request limit and internal errors are worth a
// retry; a number's own limits (LimitExceeded.PhoneNumber...) are not; keys, balance, signature and
// template problems stop this provider.
func tencentClass(code string) Class {
	switch {
	case code == "RequestLimitExceeded", strings.HasPrefix(code, "InternalError"), code == "FailedOperation.ServiceBusy":
		return Retryable
	case strings.HasPrefix(code, "AuthFailure"), code == "FailedOperation.InsufficientBalanceInSmsPackage",
		strings.HasPrefix(code, "FailedOperation.SignatureIncorrectOrUnapproved"),
		strings.HasPrefix(code, "FailedOperation.TemplateIncorrectOrUnapproved"), code == "UnauthorizedOperation.SmsSdkAppIdVerifyFail":
		return Down
	}
	return Final
}

// TC3Authorization is Tencent Cloud's API 3.0 signature (TC3-HMAC-SHA256) of a POST to "/" with the
// signed headers content-type and host: the canonical request hashed into the string to sign, signed
// with a key derived from the secret, the day (UTC), the service and "tc3_request". It returns the
// Authorization header and the canonical request.
func TC3Authorization(secretID, secretKey, service, host, contentType string, payload []byte, ts int64) (string, string) {
	canonical := "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\ncontent-type;host\n" + sha256Hex(payload)
	day := time.Unix(ts, 0).UTC().Format("2006-01-02")
	scope := day + "/" + service + "/tc3_request"
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	k := hmacSHA256([]byte("TC3"+secretKey), day)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	sig := hex.EncodeToString(hmacSHA256(k, toSign))
	return "TC3-HMAC-SHA256 Credential=" + secretID + "/" + scope + ", SignedHeaders=content-type;host, Signature=" + sig, canonical
}
