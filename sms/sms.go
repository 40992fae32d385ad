// Package sms sends the product's text messages through SMS providers (Alibaba Cloud 短信服务 and
// Tencent Cloud 短信) and reads their callbacks. It is an adapter like store: app declares what it
// needs (app.SMSSender, app.SMSCallbacks) and this package implements it; app never imports it, and
// cmd wires it when LINGONG_SMS_DRIVER names a provider.
//
// Every message is an approved template (domain/sms_templates.tsv) sent as its provider's template
// code plus the variables; the signature (签名) is the approved sign name. Requests are signed as the
// providers document (Alibaba Cloud ACS3-HMAC-SHA256, Tencent Cloud TC3-HMAC-SHA256): the official Go
// SDKs are not served by the module proxy (go list -m -versions answers 403 for
// github.com/alibabacloud-go/dysmsapi-20170525 and finds no github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms).
//
// Sender adds what providers leave to their callers: a time limit per request, retries with backoff
// for the errors that say the message was not taken (throttling, a busy server, a refused
// connection) and never for one that may have been sent (a timeout after the request went out: the
// message is reported sent, unconfirmed, and its receipt settles it), the message's reference sent as
// the provider's OutId / SessionContext so receipts find it, a global rate and a per-phone limit, and
// an optional second provider for when the first is down.
package sms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"lingong/app"
)

// Provider sends one message through one SMS service.
type Provider interface {
	Name() string
	// Send hands the message to the provider once. The error is an *Error saying whether another try
	// may help.
	Send(ctx context.Context, m app.OutgoingSMS) (app.SMSAccepted, error)
}

// Class says what an error means for the next step.
type Class int

const (
	// Final: the provider refused this message (a bad number, the phone's own limit, a template
	// mismatch); no retry, no fallback.
	Final Class = iota
	// Retryable: the provider did not take the message and says so (throttled, busy, unreachable);
	// retry after a pause, then fall back.
	Retryable
	// Down: the provider cannot send anything (keys, balance, signature); fall back at once.
	Down
	// Unknown: the request went out and no answer came back; the message may have been sent, so it
	// is neither retried nor sent elsewhere.
	Unknown
)

// Error is a provider's refusal with its code.
type Error struct {
	Provider string
	Code     string
	Message  string
	Class    Class
}

func (e *Error) Error() string {
	return fmt.Sprintf("sms %s: %s %s", e.Provider, e.Code, e.Message)
}

// ProviderCode is the code stored with a failed message (app reads it).
func (e *Error) ProviderCode() string { return e.Provider + ":" + e.Code }

// transportError classifies an error of the HTTP client: a connection never made is retryable (the
// provider never saw the request); anything after the request may have been written is unknown.
func transportError(provider string, err error) *Error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return &Error{Provider: provider, Code: "connect", Message: err.Error(), Class: Retryable}
	}
	return &Error{Provider: provider, Code: "no_answer", Message: err.Error(), Class: Unknown}
}

// httpStatusError classifies an HTTP status without a provider answer in the body.
func httpStatusError(provider string, status int) *Error {
	c := Final
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable, status == http.StatusBadGateway:
		c = Retryable
	case status >= 500:
		c = Unknown
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		c = Down
	}
	return &Error{Provider: provider, Code: fmt.Sprintf("http_%d", status), Class: c}
}

// Options are Sender's limits.
type Options struct {
	Timeout      time.Duration // per request; 0 means 5 s
	Retries      int           // extra tries of a retryable error; 0 means none
	Backoff      time.Duration // first pause; doubled each retry (with jitter); 0 means 500 ms
	PerSecond    float64       // messages per second over all phones; 0 means no limit
	Burst        int           // messages the global limit lets through at once; 0 means 1
	PhonePerHour int           // messages per phone per hour; 0 means no limit
	Sleep        func(context.Context, time.Duration) error
	Now          func() time.Time
	Logger       Logger
}

// Logger is the part of slog.Logger Sender uses.
type Logger interface {
	WarnContext(ctx context.Context, msg string, args ...any)
}
