package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// The worker's contract page: read the terms in plain words, get a confirmation code by SMS, type it,
// and the contract is confirmed. Plain forms; no JavaScript needed.

type contractPageView struct {
	Contract         domain.Contract
	Terms            contracts.Terms
	StatusText       string
	NeedsMySignature bool
	Signatures       []domain.SignatureEvent
	CodeSent         string // the masked phone a code was just sent to
	Error            string
	Field            string
	Notice           string
	CSRF             string
	ApplicationID    int64
}

// meContractPage is GET /me/contracts/{id}.
func (s *Server) meContractPage(c *gin.Context) {
	s.showMeContract(c, http.StatusOK, func(v *contractPageView) {
		switch {
		case c.Query("sent") != "":
			v.CodeSent = c.Query("sent")
		case c.Query("signed") != "":
			v.Notice = "您已确认这份合约。用工方也确认后，合约即生效。"
		}
	})
}

func (s *Server) showMeContract(c *gin.Context, status int, adjust func(*contractPageView)) {
	if _, ok := s.workerPage(c); !ok {
		return
	}
	ct, sigs, terms, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	csrf, err := s.store.StaffCSRFToken(c.Request.Context(), principal(c).SessionID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := &contractPageView{Contract: ct, Terms: terms, StatusText: statusText[ct.Status], Signatures: sigs, CSRF: csrf,
		NeedsMySignature: ct.Status == domain.ContractDraft && !signedBy(sigs, domain.SignerWorker), ApplicationID: ct.ApplicationID}
	if adjust != nil {
		adjust(v)
	}
	s.render(c, status, "me_contract", "合约 "+ct.Number, v)
}

// meContractCode is POST /me/contracts/{id}/code: send the confirmation code.
func (s *Server) meContractCode(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	if !s.csrfOK(c.Request.Context(), p, c.PostForm("csrf")) {
		s.fail(c, domain.Forbidden("页面已过期，请刷新后重试"))
		return
	}
	w, err := s.store.WorkerByID(c.Request.Context(), p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.sendWorkerConfirmCode(c, w); err != nil {
		e := domain.AsError(err)
		s.showMeContract(c, statusOf[e.Code], func(v *contractPageView) { v.Error, v.Field = e.Message, "code" })
		return
	}
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path[:len(c.Request.URL.Path)-len("/code")]+"?sent="+domain.MaskPhone(w.Phone))
}

// meContractSign is POST /me/contracts/{id}/sign: confirm with the code.
func (s *Server) meContractSign(c *gin.Context) {
	p, ok := s.workerPage(c)
	if !ok {
		return
	}
	if !s.csrfOK(c.Request.Context(), p, c.PostForm("csrf")) {
		s.fail(c, domain.Forbidden("页面已过期，请刷新后重试"))
		return
	}
	ct, _, _, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ev, err := s.signatureEvent(c.Request.Context(), p, ct, signRequest{Code: c.PostForm("code")})
	if err == nil {
		ev.IP, ev.UserAgent = c.ClientIP(), c.Request.UserAgent()
		if c.PostForm("terms_hash") != ct.TermsHash {
			err = domain.Conflict("合约条款已更新，请重新查看后再确认")
		} else {
			_, err = s.store.SignContract(c.Request.Context(), ct.ID, ev, p, c.ClientIP())
		}
	}
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.fail(c, err)
			return
		}
		s.showMeContract(c, statusOf[e.Code], func(v *contractPageView) { v.Error, v.Field = e.Message, "code" })
		return
	}
	c.Redirect(http.StatusSeeOther, "/me/contracts/"+strconv.FormatInt(ct.ID, 10)+"?signed=1")
}
