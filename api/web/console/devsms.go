package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

type devSMSData struct {
	Phone    string
	Messages []domain.SMSMessage
	Total    int
}

// consoleDevSMS is GET /console/dev/sms (admins, development only): the messages the built-in SMS driver
// sent, newest first, codes in clear, so that someone trying the service without an SMS vendor can
// register in a browser and read the code here. The messages come from the process's memory
// (app.DevInbox), never from the database, whose outbox holds the codes masked. In production the page
// answers 404: there is nothing to show.
func (s *Console) consoleDevSMS(c *gin.Context) {
	d := devSMSData{Phone: c.Query("phone")}
	phone := ""
	if d.Phone != "" {
		var err error
		if phone, err = domain.NormalizePhone("phone", d.Phone); err != nil {
			s.Fail(c, err)
			return
		}
	}
	items, total, err := s.App.SMSOutbox(c.Request.Context(), kit.Principal(c), phone, 1, 100)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Messages, d.Total = items, total
	c.Header("Cache-Control", "no-store")
	s.renderConsole(c, http.StatusOK, "console_dev_sms", "短信收件箱（开发）", "devsms", d)
}
