package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// otpRequest is the body of POST /api/v1/auth/otp.
type otpRequest struct {
	Phone string `json:"phone"`
}

// otpResponse says where the code went (masked) and when it may be asked for again.
type otpResponse struct {
	SentTo             string `json:"sent_to"`
	ExpiresInSeconds   int    `json:"expires_in_seconds"`
	ResendAfterSeconds int    `json:"resend_after_seconds"`
}

// sendOTP is POST /api/v1/auth/otp: a 6-digit code by SMS, 202 when it was handed to the sender. It
// answers the same whether the phone is registered or not (no enumeration); rate_limited (429) past
// the limits of Options.OTPLimits.
func (s *Server) sendOTP(c *gin.Context) {
	var req otpRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	phone, err := domain.NormalizePhone("phone", req.Phone)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.issueAndSendOTP(c.Request.Context(), phone, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, otpResponse{SentTo: domain.MaskPhone(phone), ExpiresInSeconds: int(domain.OTPTTL / time.Second),
		ResendAfterSeconds: int(s.opts.OTPLimits.PhoneInterval / time.Second)})
}

// issueAndSendOTP makes a code and sends it; a code the sender refused is deleted, so it neither works
// nor counts against the limits. The API and the registration page share it.
func (s *Server) issueAndSendOTP(ctx context.Context, phone, ip string) error {
	code, err := s.store.IssueOTP(ctx, phone, domain.OTPLogin, ip, s.opts.OTPLimits)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("【中卫零工】验证码 %s，%d 分钟内有效。工作人员不会向您索要验证码，请勿告诉他人。",
		code.Code, int(domain.OTPTTL/time.Minute))
	if err := s.sms.Send(ctx, phone, body, "otp"); err != nil {
		if cerr := s.store.CancelOTP(context.WithoutCancel(ctx), code.ID); cerr != nil {
			s.log.WarnContext(ctx, "could not delete an unsent code", "err", cerr)
		}
		return &domain.Error{Code: domain.CodeUnavailable, Message: "短信发送失败，请稍后再试", Err: err}
	}
	return nil
}

// workerLoginRequest is the body of POST /api/v1/auth/worker.
type workerLoginRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

// workerLoginResponse carries the worker's bearer token (shown once) and profile.
type workerLoginResponse struct {
	Token     string     `json:"token"`
	ExpiresAt string     `json:"expires_at"`
	Worker    workerView `json:"worker"`
}

// workerLogin is POST /api/v1/auth/worker: phone and SMS code for a worker token. A phone that is not
// registered answers 404 and leaves the code usable for POST /api/v1/workers.
func (s *Server) workerLogin(c *gin.Context) {
	var req workerLoginRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	phone, err := domain.NormalizePhone("phone", req.Phone)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.Code == "" {
		s.fail(c, domain.Invalid("code", "请填写短信验证码"))
		return
	}
	w, sess, err := s.store.LoginWorker(c.Request.Context(), phone, req.Code, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, workerLoginResponse{Token: sess.Token, ExpiresAt: formatInstant(sess.ExpiresAt),
		Worker: s.workerView(w, domain.Principal{Kind: domain.AsWorker, ID: w.ID})})
}

// formatInstant renders an instant for JSON: UTC, RFC 3339, whole seconds.
func formatInstant(t time.Time) string { return t.UTC().Format(time.RFC3339) }
