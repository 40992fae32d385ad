// Package smstest is a fake SMS provider for tests: an HTTP server that speaks Alibaba Cloud's or
// Tencent Cloud's SendSms, checks each request's signature the way the provider does, records what it
// was asked to send, answers as scripted (success, throttling, retryable and final errors, no answer)
// and posts delivery receipts and replies to our callbacks as the provider would.
package smstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/domain"
	"lingong/sms"
)

// Keys the fake checks signatures with.
const (
	KeyID  = "fake-key-id"
	Secret = "fake-key-secret"
	AppID  = "1400000000"
)

// Sent is one message the fake accepted.
type Sent struct {
	Phone, Template, Sign, Ref, ID string
	Params                         map[string]string // by name (Aliyun) or "1", "2" ... (Tencent)
}

// Answer is what the fake says to one request: "" = success; a provider code = that error; "hang" =
// no answer until the client gives up; "http503" = a bare 503.
type Answer string

// Provider is a fake provider.
type Provider struct {
	Kind string // aliyun | tencent
	*httptest.Server

	mu      sync.Mutex
	script  []Answer // answers to come, one per request; then success
	sent    []Sent
	calls   int
	badSigs int
	// Throttle, when > 0, refuses (with the provider's throttling code) a request past Throttle
	// accepted ones in the last second (the providers' QPS limit).
	Throttle  float64
	recent    []time.Time
	throttled int
	seq       int
}

// NewAliyun starts a fake Alibaba Cloud; NewTencent a fake Tencent Cloud.
func NewAliyun(t testing.TB) *Provider  { return start(t, "aliyun") }
func NewTencent(t testing.TB) *Provider { return start(t, "tencent") }

func start(t testing.TB, kind string) *Provider {
	p := &Provider{Kind: kind}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

// Script queues answers for the next requests.
func (p *Provider) Script(a ...Answer) {
	p.mu.Lock()
	p.script = append(p.script, a...)
	p.mu.Unlock()
}

// Sent returns the messages accepted so far; Calls the requests made (accepted or not); BadSignatures
// the requests whose signature did not verify; Throttled the requests refused by Throttle.
func (p *Provider) Sent() []Sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Sent(nil), p.sent...)
}
func (p *Provider) Calls() int         { p.mu.Lock(); defer p.mu.Unlock(); return p.calls }
func (p *Provider) BadSignatures() int { p.mu.Lock(); defer p.mu.Unlock(); return p.badSigs }
func (p *Provider) Throttled() int     { p.mu.Lock(); defer p.mu.Unlock(); return p.throttled }

// Driver returns our driver for this fake, with every kind's template code "T-<kind>".
func (p *Provider) Driver() sms.Provider {
	tpl := sms.Templates{}
	for _, k := range kinds() {
		tpl[k] = "T-" + string(k)
	}
	if p.Kind == "aliyun" {
		return &sms.Aliyun{AccessKeyID: KeyID, AccessKeySecret: Secret, Endpoint: p.URL, SignName: "中卫零工", Templates: tpl}
	}
	return &sms.Tencent{SecretID: KeyID, SecretKey: Secret, Endpoint: p.URL, Region: "ap-guangzhou", AppID: AppID, SignName: "中卫零工", Templates: tpl}
}

func (p *Provider) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.calls++
	ok := p.verify(r, body)
	if !ok {
		p.badSigs++
	}
	var a Answer
	if len(p.script) > 0 {
		a, p.script = p.script[0], p.script[1:]
	}
	if a == "" && p.Throttle > 0 {
		cut := 0
		for cut < len(p.recent) && time.Since(p.recent[cut]) >= time.Second {
			cut++
		}
		p.recent = p.recent[cut:]
		if float64(len(p.recent)) >= p.Throttle {
			a = p.throttleCode()
			p.throttled++
		}
	}
	p.mu.Unlock()
	switch {
	case !ok:
		p.fail(w, map[string]string{"aliyun": "SignatureDoesNotMatch", "tencent": "AuthFailure.SignatureFailure"}[p.Kind])
		return
	case a == "hang":
		<-r.Context().Done()
		return
	case a == "http503":
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case a != "":
		p.fail(w, string(a))
		return
	}
	s := p.parse(r, body)
	p.mu.Lock()
	p.seq++
	s.ID = fmt.Sprintf("%s-%06d", p.Kind, p.seq)
	p.sent = append(p.sent, s)
	p.recent = append(p.recent, time.Now())
	p.mu.Unlock()
	if p.Kind == "aliyun" {
		json.NewEncoder(w).Encode(map[string]string{"Code": "OK", "Message": "OK", "BizId": s.ID, "RequestId": "req"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{"RequestId": "req", "SendStatusSet": []map[string]any{{
		"SerialNo": s.ID, "PhoneNumber": "+86" + s.Phone, "Code": "Ok", "Message": "send success", "SessionContext": s.Ref}}}})
}

func (p *Provider) throttleCode() Answer {
	if p.Kind == "aliyun" {
		return "Throttling.User"
	}
	return "RequestLimitExceeded"
}

func (p *Provider) fail(w http.ResponseWriter, code string) {
	if p.Kind == "aliyun" {
		json.NewEncoder(w).Encode(map[string]string{"Code": code, "Message": "fake " + code, "RequestId": "req"})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{"RequestId": "req", "Error": map[string]string{"Code": code, "Message": "fake " + code}}})
}

// verify recomputes the request's signature from what arrived, as the provider does.
func (p *Provider) verify(r *http.Request, body []byte) bool {
	if p.Kind == "aliyun" {
		if r.Header.Get("x-acs-action") != "SendSms" || r.Header.Get("x-acs-version") != "2017-05-25" {
			return false
		}
		headers := map[string]string{"host": r.Host}
		for _, h := range []string{"x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
			headers[h] = r.Header.Get(h)
		}
		sum := sha256.Sum256(body)
		if hex.EncodeToString(sum[:]) != headers["x-acs-content-sha256"] {
			return false
		}
		want, _ := sms.ACS3Authorization(r.Method, "/", r.URL.RawQuery, headers, headers["x-acs-content-sha256"], KeyID, Secret)
		return r.Header.Get("Authorization") == want
	}
	if r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" {
		return false
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return false
	}
	want, _ := sms.TC3Authorization(KeyID, Secret, "sms", r.Host, r.Header.Get("Content-Type"), body, ts)
	return r.Header.Get("Authorization") == want
}

func (p *Provider) parse(r *http.Request, body []byte) Sent {
	if p.Kind == "aliyun" {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		s := Sent{Phone: q.Get("PhoneNumbers"), Template: q.Get("TemplateCode"), Sign: q.Get("SignName"), Ref: q.Get("OutId")}
		json.Unmarshal([]byte(q.Get("TemplateParam")), &s.Params)
		return s
	}
	var in struct {
		PhoneNumberSet   []string
		TemplateId       string
		SignName         string
		SessionContext   string
		TemplateParamSet []string
	}
	json.Unmarshal(body, &in)
	s := Sent{Template: in.TemplateId, Sign: in.SignName, Ref: in.SessionContext, Params: map[string]string{}}
	if len(in.PhoneNumberSet) > 0 {
		s.Phone = strings.TrimPrefix(in.PhoneNumberSet[0], "+86")
	}
	for i, v := range in.TemplateParamSet {
		s.Params[strconv.Itoa(i+1)] = v
	}
	return s
}

// ReceiptBody is the provider's delivery receipt of a sent message, as it would post it.
func (p *Provider) ReceiptBody(s Sent, delivered bool, code string) []byte {
	at := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
	var v any
	if p.Kind == "aliyun" {
		v = []map[string]any{{"phone_number": s.Phone, "send_time": at, "report_time": at, "success": delivered,
			"err_code": code, "err_msg": code, "sms_size": "1", "biz_id": s.ID, "out_id": s.Ref}}
	} else {
		st := "SUCCESS"
		if !delivered {
			st = "FAIL"
		}
		v = []map[string]any{{"user_receive_time": at, "nationcode": "86", "mobile": s.Phone, "report_status": st,
			"errmsg": code, "description": code, "sid": s.ID}}
	}
	b, _ := json.Marshal(v)
	return b
}

// ReplyBody is a worker's reply sent at at, as the provider would post it; seq tells replies apart
// (Alibaba Cloud's sequence_id; Tencent Cloud has no id, so seq seconds are added to its time).
func (p *Provider) ReplyBody(phone, text string, seq int, at time.Time) []byte {
	var v any
	if p.Kind == "aliyun" {
		v = []map[string]any{{"phone_number": phone, "send_time": at.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05"),
			"content": text, "sign_name": "中卫零工", "dest_code": "1234", "sequence_id": seq}}
	} else {
		v = map[string]any{"extend": "", "mobile": phone, "nationcode": "86", "sign": "中卫零工", "text": text, "time": at.Unix() + int64(seq)}
	}
	b, _ := json.Marshal(v)
	return b
}

// Post posts a callback body to url, as the provider's push would, and returns the status.
func Post(t testing.TB, url string, body []byte) int {
	t.Helper()
	res, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

func kinds() []domain.SMSKind {
	var out []domain.SMSKind
	for _, t := range domain.SMSTemplates() {
		out = append(out, t.Kind)
	}
	return out
}
