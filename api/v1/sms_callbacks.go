package v1

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The SMS providers' callbacks. They are public routes: what proves a call comes from our provider is
// the secret token in the URL we registered with it (?token=, never logged: the access log leaves out
// query strings), checked by app. The answer is the success body both providers expect (Alibaba Cloud
// reads code/msg, Tencent Cloud result/errmsg).

// callbackOK is the body both providers take as "received".
var callbackOK = gin.H{"code": 0, "msg": "成功", "result": 0, "errmsg": "OK"}

// smsReceipts is POST /api/v1/sms/{provider}/receipts: delivery receipts.
func (s *API) smsReceipts(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.app.SMSReceipts(c.Request.Context(), c.Param("provider"), c.Query("token"), body); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, callbackOK)
}

// smsReplies is POST /api/v1/sms/{provider}/replies: workers' replies (上行短信).
func (s *API) smsReplies(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.app.SMSReplies(c.Request.Context(), c.Param("provider"), c.Query("token"), body); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, callbackOK)
}
