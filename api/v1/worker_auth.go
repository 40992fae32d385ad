package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// otpRequest is the body of POST /api/v1/auth/otp.
type otpRequest struct {
	Phone string `json:"phone"`
}

// sendOTP is POST /api/v1/auth/otp: a 6-digit code by SMS, 202 when it was handed to the sender. It
// answers the same whether the phone is registered or not (no enumeration); rate_limited (429) past
// the limits of Options.OTPLimits.
func (s *API) sendOTP(c *gin.Context) {
	var req otpRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sent, err := s.app.SendLoginCode(c.Request.Context(), kit.Principal(c), req.Phone)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, sent)
}

// workerLoginRequest is the body of POST /api/v1/auth/worker.
type workerLoginRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

// WorkerLoginResponse carries the worker's bearer token (shown once) and profile.
type WorkerLoginResponse struct {
	Token     string     `json:"token"`
	ExpiresAt string     `json:"expires_at"`
	Worker    WorkerView `json:"worker"`
}

// workerLogin is POST /api/v1/auth/worker: phone and SMS code for a worker token. A phone that is not
// registered answers 404 and leaves the code usable for POST /api/v1/workers.
func (s *API) workerLogin(c *gin.Context) {
	var req workerLoginRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	w, sess, err := s.app.LoginWorker(c.Request.Context(), kit.Principal(c), req.Phone, req.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, WorkerLoginResponse{Token: sess.Token, ExpiresAt: kit.FormatInstant(sess.ExpiresAt),
		Worker: s.WorkerView(w, domain.Principal{Kind: domain.AsWorker, ID: w.ID})})
}
