package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
)

// SMSConfig is how text messages leave the service (issue 23): the built-in outbox, or a provider
// (Alibaba Cloud, Tencent Cloud) with an optional second one as fallback; the limits around them; the
// callbacks' secret and how long a reply may answer a question.
type SMSConfig struct {
	Driver        string // LINGONG_SMS_DRIVER: outbox (default) | aliyun | tencent
	Fallback      string // LINGONG_SMS_FALLBACK: "" | aliyun | tencent (not the driver)
	SignName      string // LINGONG_SMS_SIGN_NAME: the approved signature, default 中卫零工
	Timeout       time.Duration
	Retries       int
	PerSecond     float64
	PhonePerHour  int
	CallbackToken string
	ReplyWindow   time.Duration

	AliyunKeyID, AliyunSecret, AliyunEndpoint string
	AliyunTemplates                           sms.Templates
	TencentID, TencentKey, TencentEndpoint    string
	TencentRegion, TencentAppID               string
	TencentTemplates                          sms.Templates
}

func loadSMSConfig(getenv func(string) string) (SMSConfig, error) {
	c := SMSConfig{
		Driver:          strings.ToLower(or(getenv("LINGONG_SMS_DRIVER"), "outbox")),
		Fallback:        strings.ToLower(strings.TrimSpace(getenv("LINGONG_SMS_FALLBACK"))),
		SignName:        or(getenv("LINGONG_SMS_SIGN_NAME"), "中卫零工"),
		CallbackToken:   strings.TrimSpace(getenv("LINGONG_SMS_CALLBACK_TOKEN")),
		AliyunKeyID:     getenv("LINGONG_SMS_ALIYUN_ACCESS_KEY_ID"),
		AliyunSecret:    getenv("LINGONG_SMS_ALIYUN_ACCESS_KEY_SECRET"),
		AliyunEndpoint:  strings.TrimRight(or(getenv("LINGONG_SMS_ALIYUN_ENDPOINT"), "https://dysmsapi.aliyuncs.com"), "/"),
		TencentID:       getenv("LINGONG_SMS_TENCENT_SECRET_ID"),
		TencentKey:      getenv("LINGONG_SMS_TENCENT_SECRET_KEY"),
		TencentEndpoint: strings.TrimRight(or(getenv("LINGONG_SMS_TENCENT_ENDPOINT"), "https://sms.tencentcloudapi.com"), "/"),
		TencentRegion:   or(getenv("LINGONG_SMS_TENCENT_REGION"), "ap-guangzhou"),
		TencentAppID:    getenv("LINGONG_SMS_TENCENT_APP_ID"),
	}
	var err error
	if c.Timeout, err = parseDuration("LINGONG_SMS_TIMEOUT", getenv("LINGONG_SMS_TIMEOUT"), 5*time.Second); err != nil {
		return c, err
	}
	if c.ReplyWindow, err = parseDuration("LINGONG_SMS_REPLY_WINDOW", getenv("LINGONG_SMS_REPLY_WINDOW"), app.DefaultSMSReplyWindow); err != nil {
		return c, err
	}
	ints := []struct {
		name string
		dst  *int
		def  int
	}{{"LINGONG_SMS_RETRIES", &c.Retries, 2}, {"LINGONG_SMS_PHONE_PER_HOUR", &c.PhonePerHour, 10}}
	for _, v := range ints {
		*v.dst = v.def
		if raw := strings.TrimSpace(getenv(v.name)); raw != "" {
			if *v.dst, err = strconv.Atoi(raw); err != nil {
				return c, &configError{v.name, fmt.Sprintf("%q is not a whole number", raw)}
			}
		}
	}
	c.PerSecond = 50
	if raw := strings.TrimSpace(getenv("LINGONG_SMS_RATE")); raw != "" {
		if c.PerSecond, err = strconv.ParseFloat(raw, 64); err != nil {
			return c, &configError{"LINGONG_SMS_RATE", fmt.Sprintf("%q is not a number of messages per second", raw)}
		}
	}
	if c.AliyunTemplates, err = parseTemplates("LINGONG_SMS_ALIYUN_TEMPLATES", getenv("LINGONG_SMS_ALIYUN_TEMPLATES")); err != nil {
		return c, err
	}
	if c.TencentTemplates, err = parseTemplates("LINGONG_SMS_TENCENT_TEMPLATES", getenv("LINGONG_SMS_TENCENT_TEMPLATES")); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// parseTemplates reads "kind=code,kind=code" (kinds as in domain/sms_templates.tsv).
func parseTemplates(name, raw string) (sms.Templates, error) {
	out := sms.Templates{}
	for _, pair := range strings.Split(raw, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if _, known := domain.SMSKind(strings.TrimSpace(k)).Template(); !ok || !known || strings.TrimSpace(v) == "" {
			return nil, &configError{name, fmt.Sprintf("%q is not kind=template-code with a kind of domain/sms_templates.tsv", pair)}
		}
		out[domain.SMSKind(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return out, nil
}

// Validate checks the SMS settings: a provider needs its keys and a template code for every kind.
func (c SMSConfig) Validate() error {
	for _, d := range []struct{ name, v string }{{"LINGONG_SMS_DRIVER", c.Driver}, {"LINGONG_SMS_FALLBACK", c.Fallback}} {
		if d.v != "outbox" && d.v != "aliyun" && d.v != "tencent" && !(d.v == "" && d.name == "LINGONG_SMS_FALLBACK") {
			return &configError{d.name, fmt.Sprintf("%q is not outbox, aliyun or tencent", d.v)}
		}
	}
	if c.Fallback == "outbox" || (c.Fallback != "" && (c.Fallback == c.Driver || c.Driver == "outbox")) {
		return &configError{"LINGONG_SMS_FALLBACK", "must be the other provider than LINGONG_SMS_DRIVER (or unset)"}
	}
	for _, p := range []string{c.Driver, c.Fallback} {
		switch p {
		case "aliyun":
			if c.AliyunKeyID == "" || c.AliyunSecret == "" {
				return &configError{"LINGONG_SMS_ALIYUN_ACCESS_KEY_ID", "and LINGONG_SMS_ALIYUN_ACCESS_KEY_SECRET are required for aliyun"}
			}
			if m := c.AliyunTemplates.Missing(); len(m) > 0 {
				return &configError{"LINGONG_SMS_ALIYUN_TEMPLATES", fmt.Sprintf("has no template code for %v", m)}
			}
			if err := checkEndpoint("LINGONG_SMS_ALIYUN_ENDPOINT", c.AliyunEndpoint); err != nil {
				return err
			}
		case "tencent":
			if c.TencentID == "" || c.TencentKey == "" || c.TencentAppID == "" {
				return &configError{"LINGONG_SMS_TENCENT_SECRET_ID", "LINGONG_SMS_TENCENT_SECRET_KEY and LINGONG_SMS_TENCENT_APP_ID are required for tencent"}
			}
			if m := c.TencentTemplates.Missing(); len(m) > 0 {
				return &configError{"LINGONG_SMS_TENCENT_TEMPLATES", fmt.Sprintf("has no template id for %v", m)}
			}
			if err := checkEndpoint("LINGONG_SMS_TENCENT_ENDPOINT", c.TencentEndpoint); err != nil {
				return err
			}
		}
	}
	if c.CallbackToken != "" && len(c.CallbackToken) < 32 {
		return &configError{"LINGONG_SMS_CALLBACK_TOKEN", "must be at least 32 characters (e.g. openssl rand -hex 32)"}
	}
	if c.Timeout < 100*time.Millisecond || c.Timeout > time.Minute {
		return &configError{"LINGONG_SMS_TIMEOUT", "must be between 100ms and 1m"}
	}
	if c.Retries < 0 || c.Retries > 5 {
		return &configError{"LINGONG_SMS_RETRIES", "must be between 0 and 5"}
	}
	if c.PerSecond < 0 || c.PerSecond > 10000 {
		return &configError{"LINGONG_SMS_RATE", "must be between 0 (no limit) and 10000 messages per second"}
	}
	if c.PhonePerHour < 0 || c.PhonePerHour > 1000 {
		return &configError{"LINGONG_SMS_PHONE_PER_HOUR", "must be between 0 (no limit) and 1000"}
	}
	if c.ReplyWindow < time.Minute || c.ReplyWindow > 30*24*time.Hour {
		return &configError{"LINGONG_SMS_REPLY_WINDOW", "must be between 1m and 720h"}
	}
	return nil
}

func checkEndpoint(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &configError{name, fmt.Sprintf("%q is not an http(s) URL", raw)}
	}
	return nil
}

// provider builds one provider by name (nil for outbox or "").
func (c SMSConfig) provider(name string) sms.Provider {
	client := &http.Client{Timeout: c.Timeout}
	switch name {
	case "aliyun":
		return &sms.Aliyun{AccessKeyID: c.AliyunKeyID, AccessKeySecret: c.AliyunSecret, Endpoint: c.AliyunEndpoint,
			SignName: c.SignName, Templates: c.AliyunTemplates, Client: client}
	case "tencent":
		return &sms.Tencent{SecretID: c.TencentID, SecretKey: c.TencentKey, Endpoint: c.TencentEndpoint, Region: c.TencentRegion,
			AppID: c.TencentAppID, SignName: c.SignName, Templates: c.TencentTemplates, Client: client}
	}
	return nil
}

// Sender is the SMS sender for app: nil (the built-in outbox) or the provider(s) with their limits.
func (c SMSConfig) Sender(log *slog.Logger) app.SMSSender {
	primary := c.provider(c.Driver)
	if primary == nil {
		return nil
	}
	var fallback sms.Provider
	if f := c.provider(c.Fallback); f != nil {
		fallback = f
	}
	o := sms.Options{Timeout: c.Timeout, Retries: c.Retries, PerSecond: c.PerSecond, Burst: 1, PhonePerHour: c.PhonePerHour}
	if log != nil {
		o.Logger = log
	}
	return sms.NewSender(primary, fallback, o)
}
